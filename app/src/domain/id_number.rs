//! 居民身份证号码 (GB 11643-1999): 6-digit address code, birth date, sequence, check character.

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

pub fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// A real calendar date written as YYYYMMDD, from 1900 on.
pub fn is_real_date(yyyymmdd: &str) -> bool {
    if yyyymmdd.len() != 8 || !yyyymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let y: u32 = yyyymmdd[..4].parse().unwrap_or(0);
    let m: u32 = yyyymmdd[4..6].parse().unwrap_or(0);
    let d: u32 = yyyymmdd[6..].parse().unwrap_or(0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1900 && (1..=days).contains(&d)
}

/// Whether an 18-character number (already normalised: upper-case X) is a valid resident ID,
/// with its birth date not after `today` (YYYYMMDD).
pub fn is_valid_resident_id(id: &str, today: &str) -> bool {
    id.len() == 18
        && id.is_ascii()
        && is_real_date(&id[6..14])
        && &id[6..14] <= today
        && check_char(&id[..17]) == id.chars().nth(17)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_example_number_is_valid() {
        // GB 11643-1999's worked example
        assert!(is_valid_resident_id("11010519491231002X", "20261127"));
    }

    #[test]
    fn invalid_numbers_are_refused_with_reason() {
        let cases = [
            ("110105194912310021", "wrong check character"),
            ("110105194902300027", "30 February"),
            ("110105209912310021", "born in the future"),
            ("11010519491231002", "17 characters"),
        ];
        for (id, why) in cases {
            assert!(!is_valid_resident_id(id, "20261127"), "{id}: {why}");
        }
    }

    #[test]
    fn leap_days_are_real_only_in_leap_years() {
        assert!(is_real_date("20000229"));
        assert!(!is_real_date("19000229"));
    }
}
