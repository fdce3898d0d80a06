//! What a member search asks for. Lists show the last four characters of ID and phone numbers,
//! so a search by an ending of any length would let a clerk grow a query one character at a
//! time until a whole number came back: a digit search takes the last 4–6 characters only, and
//! anything longer is a lookup of a whole number (the server audits it as a view of the record).

/// The shortest and longest ending a digit search takes.
pub const TAIL_CHARS: std::ops::RangeInclusive<usize> = 4..=6;

/// What a digit search of another length is told.
pub const TAIL_MESSAGE: &str = "请输入证件号码或手机号码的后4至6位，或完整的号码。";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MemberQuery {
    /// No search: every member.
    #[default]
    All,
    /// Part of a name.
    Name(String),
    /// The last 4–6 characters of an ID or phone number (upper case).
    Tail(String),
    /// A whole ID or phone number (upper case).
    Number(String),
}

impl MemberQuery {
    /// Reads what was typed: letters and digits with at least one digit are a number (its last
    /// 4–6 characters, or the whole of it from 7 on); anything else searches names.
    pub fn parse(query: &str) -> Result<MemberQuery, &'static str> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(MemberQuery::All);
        }
        let digits = query.chars().all(|c| c.is_ascii_alphanumeric()) && query.chars().any(|c| c.is_ascii_digit());
        if !digits {
            return Ok(MemberQuery::Name(query.to_string()));
        }
        let n = query.chars().count();
        let upper = query.to_ascii_uppercase();
        if TAIL_CHARS.contains(&n) {
            Ok(MemberQuery::Tail(upper))
        } else if n > *TAIL_CHARS.end() {
            Ok(MemberQuery::Number(upper))
        } else {
            Err(TAIL_MESSAGE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MemberQuery::{self, *};

    #[test]
    fn a_digit_search_is_an_ending_of_four_to_six_or_a_whole_number() {
        assert_eq!(MemberQuery::parse("  "), Ok(All));
        assert_eq!(MemberQuery::parse("黄丽"), Ok(Name("黄丽".into())));
        assert_eq!(MemberQuery::parse("Lisa"), Ok(Name("Lisa".into())), "letters alone are a name");
        assert_eq!(MemberQuery::parse("123"), Err(super::TAIL_MESSAGE));
        assert_eq!(MemberQuery::parse("1234"), Ok(Tail("1234".into())));
        assert_eq!(MemberQuery::parse("34567x"), Ok(Tail("34567X".into())));
        assert_eq!(MemberQuery::parse("1234567"), Ok(Number("1234567".into())), "from 7: a whole number");
        assert_eq!(MemberQuery::parse("13800138000"), Ok(Number("13800138000".into())));
        assert_eq!(MemberQuery::parse("44030419900101123x"), Ok(Number("44030419900101123X".into())));
    }
}
