//! 统一社会信用代码 (GB 32100-2015): 18 characters with a mod-31 check character.

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn value(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, if they are all valid.
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (i, &c) in b.iter().enumerate() {
        sum += value(c)? * WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize] as char)
}

/// Upper-cases and checks a code; the error is the Chinese message for the form.
pub fn parse(input: &str) -> Result<String, &'static str> {
    let code: String = input.trim().to_ascii_uppercase();
    if code.chars().count() != 18 {
        return Err("统一社会信用代码应为18位。");
    }
    if !code.bytes().all(|c| value(c).is_some()) {
        return Err("统一社会信用代码含有无效字符（不使用 I、O、S、V、Z）。");
    }
    if check_char(&code[..17]) != code.chars().nth(17) {
        return Err("统一社会信用代码校验位不正确，请核对营业执照。");
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_code_passes() {
        // 91110000600037341L: a registered company code used in public examples
        assert_eq!(parse("91110000600037341l").as_deref(), Ok("91110000600037341L"));
    }

    #[test]
    fn bad_codes_are_refused() {
        let cases = [
            ("9111000060003734", "too short"),
            ("91110000600037341M", "wrong check character"),
            ("9111000060003734IL", "I is not in the charset"),
        ];
        for (c, why) in cases {
            assert!(parse(c).is_err(), "{c}: {why}");
        }
    }

    #[test]
    fn the_check_char_completes_a_code() {
        let first = "91440300MA5F00001";
        let full = format!("{first}{}", check_char(first).unwrap());
        assert!(parse(&full).is_ok());
    }
}
