//! What the supervisor's rankings and weekly series count, kept per union like the card counts
//! (`tallies`, written by the card writer, the bank's review and the import preview): each
//! tally is a key of the table, `applied@2026-11-30` (applications in the week from that
//! Monday), `activated@…`, `rejection@name_id_mismatch` (a bank rejection reason given) and
//! `import@证件号码:id_number_letter_o` (an error of an import preview, by field and code).

use crate::domain::{calendar::Date, card::RejectionReason};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tally {
    /// Cards applied for (sent to the bank) in the week starting on this Monday.
    Applied(Date),
    /// Cards activated in the week starting on this Monday.
    Activated(Date),
    /// A reason the bank gave for returning a member.
    Rejection(RejectionReason),
    /// An error found in an import preview: its field (证件号码, 表头, …) and code.
    ImportError { field: String, code: String },
}

impl Tally {
    pub fn key(&self) -> String {
        match self {
            Tally::Applied(week) => format!("applied@{week}"),
            Tally::Activated(week) => format!("activated@{week}"),
            Tally::Rejection(reason) => format!("rejection@{}", reason.as_str()),
            Tally::ImportError { field, code } => format!("import@{field}:{code}"),
        }
    }

    pub fn parse(key: &str) -> Option<Tally> {
        let (kind, rest) = key.split_once('@')?;
        match kind {
            "applied" => Date::parse(rest).map(Tally::Applied),
            "activated" => Date::parse(rest).map(Tally::Activated),
            "rejection" => RejectionReason::parse(rest).map(Tally::Rejection),
            "import" => {
                let (field, code) = rest.split_once(':')?;
                Some(Tally::ImportError { field: field.to_string(), code: code.to_string() })
            }
            _ => None,
        }
    }

    /// The tallies of the week `day` falls in.
    pub fn applied_on(day: Date) -> Tally {
        Tally::Applied(day.week_start())
    }

    pub fn activated_on(day: Date) -> Tally {
        Tally::Activated(day.week_start())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_reads_back_from_its_key() {
        let thursday = Date::parse("2026-12-03").unwrap();
        assert_eq!(Tally::applied_on(thursday).key(), "applied@2026-11-30");
        assert_eq!(Tally::activated_on(Date::parse("2026-11-30").unwrap()).key(), "activated@2026-11-30");
        assert_eq!(Tally::applied_on(Date::parse("2026-12-06").unwrap()).key(), "applied@2026-11-30", "a Sunday");
        for t in [
            Tally::applied_on(thursday),
            Tally::Rejection(RejectionReason::NameIdMismatch),
            Tally::ImportError { field: "证件号码".into(), code: "id_number_letter_o".into() },
        ] {
            assert_eq!(Tally::parse(&t.key()), Some(t));
        }
        assert_eq!(Tally::parse("applied@someday"), None);
        assert_eq!(Tally::parse("nothing"), None);
    }
}
