//! Domain rules shared by the server and the browser: pure, no I/O.

pub mod audit;
pub mod calendar;
pub mod card;
pub mod credit_code;
pub mod faq;
pub mod id_document;
pub mod id_number;
pub mod ids;
pub mod member;
pub mod member_portal;
pub mod password;
pub mod phone;
pub mod role;
pub mod rules;
pub mod search;
pub mod sheet;
pub mod tally;
pub mod template;
pub mod union_info;

use serde::{Deserialize, Serialize};

/// A code enum stored as its text code (`as_str` / `parse`): read back through `parse`, so a
/// value outside the enum is a decode error (an internal error for the caller), never a default.
#[macro_export]
macro_rules! text_column {
    ($ty:ty, $what:literal) => {
        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <&str as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                let text: &'q str = self.as_str();
                <&'q str as sqlx::Encode<'q, sqlx::Any>>::encode(text, buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                <$ty>::parse(text).ok_or_else(|| format!("{} {text:?} is not one the code knows", $what).into())
            }
        }
    };
}

/// A problem with one form field or cell, in the words shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// `4403**********123X`: the first four and last four characters of an ID number.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// Percent-encodes UTF-8 for a URL query or an RFC 5987 `filename*`: keeps `A-Za-z0-9-._`.
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A stored timestamp as Beijing time, `2026-11-27 21:05`.
pub fn format_time(ts: i64) -> String {
    let secs = ts + 8 * 3600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

/// When an account last signed in, or 从未登录.
pub fn last_login_label(at: Option<i64>) -> String {
    at.map(format_time).unwrap_or_else(|| "从未登录".into())
}

/// A Beijing time as a date-time field gives it (`2026-12-05T10:00`, or with a space), as a
/// timestamp; `None` when it is not one.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once('T').or_else(|| s.split_once(' '))?;
    let date = calendar::Date::parse(date)?;
    let (h, m) = time.split_once(':')?;
    let m = m.get(..2).filter(|_| m.len() == 2 || m[2..].starts_with(':'))?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if h.to_string().len() > 2 || !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(date.days_since_epoch() * 86_400 + h * 3600 + m * 60 - 8 * 3600)
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn date_time_fields_read_as_beijing_time() {
        let t = super::parse_time("2026-12-05T10:30").unwrap();
        assert_eq!(super::format_time(t), "2026-12-05 10:30");
        assert_eq!(super::parse_time("2026-12-05 10:30:00"), Some(t));
        for bad in [
            "",
            "2026-12-05",
            "2026-12-05T24:00",
            "2026-12-05T10:60",
            "2026-02-30T10:00",
            "2026-12-05T1030",
            "2026-12-05T10:3",
        ] {
            assert_eq!(super::parse_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn timestamps_show_in_beijing_time() {
        // 2026-02-13T02:00:00Z is 10:00 in Beijing
        assert_eq!(super::format_time(1_770_948_000), "2026-02-13 10:00");
    }

    #[test]
    fn an_id_number_is_masked_as_domain_md_shows() {
        assert_eq!(super::mask_id("44030419900101123X"), "4403**********123X");
    }
}
