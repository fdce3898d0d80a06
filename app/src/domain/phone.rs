//! Phone numbers: the member's mobile (11 digits) and a unit's contact phone.

/// `^1[3-9]\d{9}$`, the rule of the collection template.
pub fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

/// A contact phone: a mobile, or a landline such as 0755-83288060 or 83288060.
pub fn is_contact_phone(s: &str) -> bool {
    if is_mobile(s) {
        return true;
    }
    let (area, local) = match s.split_once('-') {
        Some((a, l)) => (a, l),
        None if s.starts_with('0') && s.len() >= 10 => s.split_at(s.len() - 8),
        None => ("", s),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    let area_ok = area.is_empty() || (digits(area) && area.starts_with('0') && (3..=4).contains(&area.len()));
    area_ok && digits(local) && (7..=8).contains(&local.len()) && !local.starts_with('0')
}

/// `138****1234`: what lists show.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_follow_the_template_rule() {
        assert!(is_mobile("13800138000"));
        assert!(is_mobile("19912345678"));
        for bad in ["12800138000", "1380013800", "138001380000", "1380013800a", ""] {
            assert!(!is_mobile(bad), "{bad} is not a mobile number");
        }
    }

    #[test]
    fn landlines_with_or_without_area_code_are_contact_phones() {
        for ok in ["0755-83288060", "83288060", "075583288060", "13800138000", "020-1234567"] {
            assert!(is_contact_phone(ok), "{ok} should be accepted");
        }
        for bad in ["123", "0755-0123456", "abc", "0755-", "755-83288060"] {
            assert!(!is_contact_phone(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn masking_keeps_the_first_three_and_last_four() {
        assert_eq!(mask("13800138000"), "138****8000");
    }
}
