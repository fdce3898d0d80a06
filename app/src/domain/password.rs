//! The password policy for every account.

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 64;

/// Checks a new password; the error is the Chinese message shown under the field.
pub fn check_new(password: &str, username: &str) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err("密码至少8位。");
    }
    if len > MAX_LEN {
        return Err("密码不能超过64位。");
    }
    if password.chars().any(|c| c.is_whitespace()) {
        return Err("密码不能包含空格。");
    }
    let has_letter = password.chars().any(|c| c.is_ascii_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !(has_letter && has_digit) {
        return Err("密码须同时包含字母和数字。");
    }
    if password.eq_ignore_ascii_case(username) {
        return Err("密码不能与账号相同。");
    }
    if password == "szgh123456" {
        return Err("不能使用公开的初始密码，请另设密码。");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let cases = [
            ("abc123", "too short"),
            ("abcdefgh", "no digit"),
            ("12345678", "no letter"),
            ("abc 12345", "contains a space"),
            ("clerk2024", "same as the account"),
            ("szgh123456", "the guide's public default"),
        ];
        for (pw, why) in cases {
            assert!(check_new(pw, "clerk2024").is_err(), "{pw} should be refused: {why}");
        }
    }

    #[test]
    fn a_reasonable_password_is_accepted() {
        assert_eq!(check_new("Kaika2026", "clerk"), Ok(()));
    }
}
