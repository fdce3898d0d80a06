//! Working days (domain.md "Working days"): calendar dates, the holiday calendar as data, and the
//! union's deadline to hand out signed-for cards. A year the calendar holds no data for is an
//! error, never guessed as Monday to Friday.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::domain::civil_from_days;

/// Working days the union has, after the day it signs for a delivery, to hand the cards out.
pub const DISTRIBUTION_WORKING_DAYS: u32 = 5;

/// From this working day after signing, the delivery shows as 即将到期 (see [`Calendar::urgency`]).
pub const DUE_SOON_FROM_WORKING_DAY: u32 = 3;

/// A calendar date from 0001-01-01 to 9999-12-31, written `YYYY-MM-DD` (also on the wire).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // field order makes the derived ordering chronological
    year: i32,
    month: u32,
    day: u32,
}

/// Text that is not a date written `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”不是有效的日期，请按“2026-02-13”的格式填写。")]
pub struct InvalidDate(pub String);

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A calendar date to days since 1970-01-01: the inverse of [`civil_from_days`] (Howard
/// Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Date {
    pub const MIN: Date = Date { year: 1, month: 1, day: 1 };
    pub const MAX: Date = Date { year: 9999, month: 12, day: 31 };

    /// The date, if it exists and lies between [`Date::MIN`] and [`Date::MAX`].
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let ok = (1..=9999).contains(&year) && (1..=days_in_month(year, month)).contains(&day);
        ok.then_some(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn day(self) -> u32 {
        self.day
    }

    /// Strictly `YYYY-MM-DD`: four digits, two, two, with hyphens.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return None;
        }
        Date::new(s[0..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// The date `days` after 1970-01-01, if within range.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        if !(Date::MIN.days_since_epoch()..=Date::MAX.days_since_epoch()).contains(&days) {
            return None;
        }
        let (y, m, d) = civil_from_days(days);
        Some(Date { year: y as i32, month: m, day: d })
    }

    /// The date in Beijing (UTC+8) at a stored timestamp (seconds since the epoch).
    pub fn of_timestamp(ts: i64) -> Option<Date> {
        Date::from_days_since_epoch(ts.checked_add(8 * 3600)?.div_euclid(86_400))
    }

    /// `n` days later (earlier when negative), if within range.
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(n)?)
    }

    /// The next day; `None` only after [`Date::MAX`].
    pub fn next_day(self) -> Option<Date> {
        if self.day < days_in_month(self.year, self.month) {
            Some(Date { day: self.day + 1, ..self })
        } else if self.month < 12 {
            Some(Date { month: self.month + 1, day: 1, ..self })
        } else {
            Date::new(self.year + 1, 1, 1)
        }
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The Monday of the week `self` falls in.
    pub fn week_start(self) -> Date {
        let back = (self.days_since_epoch() + 3).rem_euclid(7);
        Date::from_days_since_epoch(self.days_since_epoch() - back).unwrap_or(self)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday
        Weekday::ALL[(self.days_since_epoch() + 3).rem_euclid(7) as usize]
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl FromStr for Date {
    type Err = InvalidDate;

    fn from_str(s: &str) -> Result<Date, InvalidDate> {
        Date::parse(s).ok_or_else(|| InvalidDate(s.to_string()))
    }
}

impl TryFrom<String> for Date {
    type Error = InvalidDate;

    fn try_from(s: String) -> Result<Date, InvalidDate> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }

    pub fn label(self) -> &'static str {
        match self {
            Weekday::Monday => "星期一",
            Weekday::Tuesday => "星期二",
            Weekday::Wednesday => "星期三",
            Weekday::Thursday => "星期四",
            Weekday::Friday => "星期五",
            Weekday::Saturday => "星期六",
            Weekday::Sunday => "星期日",
        }
    }
}

/// What a special day is: a day off that would be a working day, or a weekend day worked (调休补班).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Holiday,
    AdjustedWorkday,
}

impl DayKind {
    pub const ALL: [DayKind; 2] = [DayKind::Holiday, DayKind::AdjustedWorkday];

    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::AdjustedWorkday => "adjusted_workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        DayKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "放假",
            DayKind::AdjustedWorkday => "调休上班",
        }
    }
}

crate::text_column!(DayKind, "day kind");

/// One row of the calendar: a date, what it is, and the holiday it belongs to (春节, 国庆, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: Date,
    pub kind: DayKind,
    pub name: String,
}

/// A deadline that cannot be counted: the calendar has no data for `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.message())]
pub struct CalendarGap {
    pub year: i32,
}

impl CalendarGap {
    pub fn code(&self) -> &'static str {
        "calendar_gap"
    }

    pub fn message(&self) -> String {
        format!("{}年的节假日日历未维护，无法计算期限。请联系市总工会管理员维护日历。", self.year)
    }
}

/// Calendar data the administrator cannot save, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum CalendarError {
    /// A special day in a year not listed as maintained.
    OutsideYears { date: Date },
    /// Two rows for one date.
    Repeated { date: Date },
    /// An adjusted working day on Monday to Friday, which is a working day anyway.
    WorkdayOnWeekday { date: Date },
    /// A special day without its holiday's name.
    NameMissing { date: Date },
}

impl CalendarError {
    pub fn message(&self) -> String {
        match self {
            CalendarError::OutsideYears { date } => {
                format!("{date}所在的{}年不在已维护的年份中，请先添加该年份。", date.year())
            }
            CalendarError::Repeated { date } => format!("{date}填写了不止一次，每个日期只能有一条。"),
            CalendarError::WorkdayOnWeekday { date } => {
                format!("{date}是{}，本来就是工作日，不需要设为调休上班。", date.weekday().label())
            }
            CalendarError::NameMissing { date } => format!("请填写{date}所属的节日名称，例如“春节”。"),
        }
    }
}

/// The holiday calendar: special days, and the years whose data is complete (a year with no
/// special day at all still counts once listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarData", into = "CalendarData")]
pub struct Calendar {
    days: BTreeMap<Date, SpecialDay>,
    years: BTreeSet<i32>,
}

/// A calendar as stored and sent: the maintained years and the special days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarData {
    pub years: Vec<i32>,
    pub days: Vec<SpecialDay>,
}

impl TryFrom<CalendarData> for Calendar {
    type Error = CalendarError;

    fn try_from(data: CalendarData) -> Result<Calendar, CalendarError> {
        Calendar::new(data.years, data.days)
    }
}

impl From<Calendar> for CalendarData {
    fn from(c: Calendar) -> CalendarData {
        CalendarData { years: c.years.into_iter().collect(), days: c.days.into_values().collect() }
    }
}

/// Whether a card was handed out within the working days allowed after its delivery was signed
/// for (the supervisor's on-time rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    OnTime,
    Late,
    /// The calendar lacks a year the count needs: neither on time nor late.
    Undetermined,
}

impl Timeliness {
    pub const ALL: [Timeliness; 3] = [Timeliness::OnTime, Timeliness::Late, Timeliness::Undetermined];

    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::Undetermined => "undetermined",
        }
    }
}

/// How the handing-out of a signed-for delivery stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
// tagged outside (the serde default): postcard, the browser's wire, cannot read back a tag inside
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Before the third working day after signing: `left` working days to go (3 to 5).
    OnTime { left: u32 },
    /// From the third working day through the due date: `left` working days after today (0 on
    /// the due date itself).
    DueSoon { left: u32 },
    /// After the due date, by `by` calendar days.
    Overdue { by: u32 },
}

impl Urgency {
    /// The status in the list.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::OnTime { .. } => "正常",
            Urgency::DueSoon { .. } => "即将到期",
            Urgency::Overdue { .. } => "已逾期",
        }
    }

    /// The sentence beside it.
    pub fn summary(self) -> String {
        match self {
            Urgency::DueSoon { left: 0 } => "今天到期，请尽快发放。".into(),
            Urgency::OnTime { left } => format!("还剩{left}个工作日。"),
            Urgency::DueSoon { left } => format!("即将到期，还剩{left}个工作日。"),
            Urgency::Overdue { by } => format!("已逾期{by}天，请尽快发放。"),
        }
    }
}

/// The State Council schedules as domain.md gives them, year by year: (holiday, first and last
/// day off, adjusted working days), each day as (month, day).
type Published = (&'static str, (u32, u32), (u32, u32), &'static [(u32, u32)]);

const STATE_COUNCIL: [(i32, &[Published]); 2] = [
    (
        2025,
        &[
            ("元旦", (1, 1), (1, 1), &[]),
            ("春节", (1, 28), (2, 4), &[(1, 26), (2, 8)]),
            ("清明", (4, 4), (4, 6), &[]),
            ("劳动节", (5, 1), (5, 5), &[(4, 27)]),
            ("端午", (5, 31), (6, 2), &[]),
            ("国庆、中秋", (10, 1), (10, 8), &[(9, 28), (10, 11)]),
        ],
    ),
    (
        2026,
        &[
            ("元旦", (1, 1), (1, 3), &[(1, 4)]),
            ("春节", (2, 15), (2, 23), &[(2, 14), (2, 28)]),
            ("清明", (4, 4), (4, 6), &[]),
            ("劳动节", (5, 1), (5, 5), &[(5, 9)]),
            ("端午", (6, 19), (6, 21), &[]),
            ("中秋", (9, 25), (9, 27), &[]),
            ("国庆", (10, 1), (10, 7), &[(9, 20), (10, 10)]),
        ],
    ),
];

impl Calendar {
    /// A calendar holding `years`, checked: every special day within those years, one row a
    /// date, an adjusted working day only on a weekend, every row named.
    pub fn new(
        years: impl IntoIterator<Item = i32>,
        days: impl IntoIterator<Item = SpecialDay>,
    ) -> Result<Calendar, CalendarError> {
        let years: BTreeSet<i32> = years.into_iter().collect();
        let mut map = BTreeMap::new();
        for day in days {
            let date = day.date;
            if !years.contains(&date.year()) {
                return Err(CalendarError::OutsideYears { date });
            }
            if day.kind == DayKind::AdjustedWorkday && !date.weekday().is_weekend() {
                return Err(CalendarError::WorkdayOnWeekday { date });
            }
            if day.name.trim().is_empty() {
                return Err(CalendarError::NameMissing { date });
            }
            if map.insert(date, day).is_some() {
                return Err(CalendarError::Repeated { date });
            }
        }
        Ok(Calendar { days: map, years })
    }

    /// The 2025 and 2026 schedules of the State Council, exactly as domain.md lists them.
    pub fn state_council_2025_2026() -> Calendar {
        let mut days = Vec::new();
        for (year, table) in STATE_COUNCIL {
            let date = |(m, d): (u32, u32)| Date::new(year, m, d).expect("the published tables hold real dates");
            for &(name, first, last, adjusted) in table {
                let (first, last) = (date(first), date(last));
                let mut day = Some(first);
                while let Some(d) = day.filter(|d| *d <= last) {
                    days.push(SpecialDay { date: d, kind: DayKind::Holiday, name: name.into() });
                    day = d.next_day();
                }
                for &md in adjusted {
                    days.push(SpecialDay { date: date(md), kind: DayKind::AdjustedWorkday, name: name.into() });
                }
            }
        }
        Calendar::new(STATE_COUNCIL.map(|(year, _)| year), days).expect("the published tables are consistent")
    }

    /// The years with data, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The special days, in date order.
    pub fn special_days(&self) -> impl Iterator<Item = &SpecialDay> {
        self.days.values()
    }

    pub fn special_day(&self, date: Date) -> Option<&SpecialDay> {
        self.days.get(&date)
    }

    /// Whether `date` is a working day: a holiday is not, an adjusted working day is, otherwise
    /// Monday to Friday are. A date in a year without data is a [`CalendarGap`].
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarGap> {
        if !self.has_year(date.year()) {
            return Err(CalendarGap { year: date.year() });
        }
        Ok(match self.days.get(&date) {
            Some(special) => special.kind == DayKind::AdjustedWorkday,
            None => !date.weekday().is_weekend(),
        })
    }

    /// The `working_days`-th working day after `signed` (the signing day itself never counts):
    /// the last day to hand the cards out. `working_days == 0` gives `signed` back. The signing
    /// day's year must have data too; a count that runs into a year without data is a gap.
    pub fn due_date(&self, signed: Date, working_days: u32) -> Result<Date, CalendarGap> {
        if !self.has_year(signed.year()) {
            return Err(CalendarGap { year: signed.year() });
        }
        let mut day = signed;
        let mut counted = 0;
        while counted < working_days {
            day = day.next_day().ok_or(CalendarGap { year: day.year() + 1 })?;
            if self.is_working_day(day)? {
                counted += 1;
            }
        }
        Ok(day)
    }

    /// Working days after `today` up to and including `due`; 0 when `today` is `due` or later.
    pub fn working_days_left(&self, due: Date, today: Date) -> Result<u32, CalendarGap> {
        let mut left = 0;
        let mut day = today;
        while day < due {
            day = day.next_day().ok_or(CalendarGap { year: day.year() + 1 })?;
            if self.is_working_day(day)? {
                left += 1;
            }
        }
        Ok(left)
    }

    /// Whether a card of a delivery signed for on `signed` and handed out on `day` was handed out
    /// by its due date: on time while fewer than five working days lie between the two. Only the
    /// days before `day` are read, so a card signed for at the end of December and handed out
    /// two days later is on time whether or not next year's calendar is published yet; it is
    /// undetermined only when the count needs a year without data.
    pub fn timeliness(&self, signed: Date, day: Date) -> Timeliness {
        if !self.has_year(signed.year()) {
            return Timeliness::Undetermined;
        }
        let mut counted = 0;
        let mut at = signed;
        loop {
            let Some(next) = at.next_day() else { return Timeliness::Undetermined };
            if next >= day {
                return Timeliness::OnTime;
            }
            at = next;
            match self.is_working_day(at) {
                Ok(true) => {
                    counted += 1;
                    if counted >= DISTRIBUTION_WORKING_DAYS {
                        return Timeliness::Late;
                    }
                }
                Ok(false) => {}
                Err(_) => return Timeliness::Undetermined,
            }
        }
    }

    /// Working days after `due` up to and including `today` (0 when `today` is not past `due`):
    /// how many working days a hand-out is overdue.
    pub fn working_days_overdue(&self, due: Date, today: Date) -> Result<u32, CalendarGap> {
        self.working_days_left(today, due)
    }

    /// How a delivery signed for on `signed` stands on `today`, its due date being the
    /// [`DISTRIBUTION_WORKING_DAYS`]-th working day after `signed`. Counting the working days
    /// after `signed` up to and including `today` as elapsed:
    /// - `OnTime { left }` while fewer than [`DUE_SOON_FROM_WORKING_DAY`] (3) have elapsed, that
    ///   is on the signing day, on working days 1 and 2 and on the days off before working day 3;
    /// - `DueSoon { left }` from working day 3 through the due date (`left` is 2, 1, then 0 on
    ///   the due date; days off in between keep the count of the working day before them);
    /// - `Overdue { by }` from the day after the due date, `by` counting calendar days since it.
    ///
    /// `left` is [`Calendar::working_days_left`]. A `today` before `signed` reads as `signed`.
    pub fn urgency(&self, signed: Date, today: Date) -> Result<Urgency, CalendarGap> {
        let due = self.due_date(signed, DISTRIBUTION_WORKING_DAYS)?;
        if today > due {
            return Ok(Urgency::Overdue { by: due.days_until(today) as u32 });
        }
        let left = self.working_days_left(due, today.max(signed))?;
        let elapsed = DISTRIBUTION_WORKING_DAYS - left;
        Ok(if elapsed >= DUE_SOON_FROM_WORKING_DAY { Urgency::DueSoon { left } } else { Urgency::OnTime { left } })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|| panic!("{s} is a date"))
    }

    fn cal() -> Calendar {
        Calendar::state_council_2025_2026()
    }

    #[test]
    fn dates_parse_and_format_as_yyyy_mm_dd() {
        let date = d("2026-02-13");
        assert_eq!((date.year(), date.month(), date.day()), (2026, 2, 13));
        assert_eq!(date.to_string(), "2026-02-13");
        assert_eq!(Date::new(1, 1, 1).unwrap().to_string(), "0001-01-01");
        for ok in ["2024-02-29", "2000-02-29", "9999-12-31", "0001-01-01"] {
            assert_eq!(Date::parse(ok).map(|x| x.to_string()).as_deref(), Some(ok));
        }
        for bad in [
            "2026-2-13",
            "2026/02/13",
            "2025-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "0000-01-01",
            "",
            "２０２６-02-13",
            "+026-02-13",
            "2026-02-13 ",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?} is not a date");
        }
        assert!("2026-02-30".parse::<Date>().unwrap_err().to_string().contains("2026-02-30"));
    }

    #[test]
    fn dates_are_a_string_on_the_wire() {
        assert_eq!(serde_json::to_string(&d("2026-10-01")).unwrap(), "\"2026-10-01\"");
        assert_eq!(serde_json::from_str::<Date>("\"2026-10-01\"").unwrap(), d("2026-10-01"));
        assert!(serde_json::from_str::<Date>("\"2026-10-32\"").is_err());
    }

    #[test]
    fn dates_order_chronologically_and_step_over_month_and_year_ends() {
        assert!(d("2025-12-31") < d("2026-01-01"));
        assert!(d("2026-01-31") < d("2026-02-01"));
        assert_eq!(d("2024-02-28").next_day(), Some(d("2024-02-29")));
        assert_eq!(d("2025-02-28").next_day(), Some(d("2025-03-01")));
        assert_eq!(d("2026-12-31").next_day(), Some(d("2027-01-01")));
        assert_eq!(Date::MAX.next_day(), None);
        assert_eq!(d("2026-02-13").add_days(14), Some(d("2026-02-27")));
        assert_eq!(d("2026-02-13").days_until(d("2026-02-27")), 14);
    }

    #[test]
    fn weekdays_of_known_dates() {
        let known = [
            ("1970-01-01", Weekday::Thursday),
            ("2000-02-29", Weekday::Tuesday),
            ("1900-03-01", Weekday::Thursday),
            ("2024-02-29", Weekday::Thursday),
            ("2026-02-13", Weekday::Friday),
            ("2026-01-04", Weekday::Sunday),
            ("2026-10-10", Weekday::Saturday),
            ("0001-01-01", Weekday::Monday),
        ];
        for (date, weekday) in known {
            assert_eq!(d(date).weekday(), weekday, "{date}");
        }
    }

    #[test]
    fn a_timestamp_reads_as_its_beijing_date() {
        // 2026-02-12T16:00:00Z is midnight 2026-02-13 in Beijing
        assert_eq!(Date::of_timestamp(1_770_912_000), Some(d("2026-02-13")));
        assert_eq!(Date::of_timestamp(1_770_911_999), Some(d("2026-02-12")));
    }

    #[test]
    fn the_seed_is_the_two_tables_of_domain_md() {
        let c = cal();
        assert_eq!(c.years().collect::<Vec<_>>(), [2025, 2026]);
        let holidays = |year| c.special_days().filter(|s| s.date.year() == year && s.kind == DayKind::Holiday).count();
        let workdays =
            |year| c.special_days().filter(|s| s.date.year() == year && s.kind == DayKind::AdjustedWorkday).count();
        // 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 days off; 1 + 2 + 1 + 2 adjusted
        assert_eq!((holidays(2026), workdays(2026)), (33, 6));
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 days off; 2 + 1 + 2 adjusted
        assert_eq!((holidays(2025), workdays(2025)), (28, 5));
        // the adjusted days fall on the weekday the tables give
        let adjusted = [
            ("2026-01-04", Weekday::Sunday),
            ("2026-02-14", Weekday::Saturday),
            ("2026-02-28", Weekday::Saturday),
            ("2026-05-09", Weekday::Saturday),
            ("2026-09-20", Weekday::Sunday),
            ("2026-10-10", Weekday::Saturday),
            ("2025-01-26", Weekday::Sunday),
            ("2025-02-08", Weekday::Saturday),
            ("2025-04-27", Weekday::Sunday),
            ("2025-09-28", Weekday::Sunday),
            ("2025-10-11", Weekday::Saturday),
        ];
        for (date, weekday) in adjusted {
            let special = c.special_day(d(date)).unwrap_or_else(|| panic!("{date}"));
            assert_eq!((special.kind, d(date).weekday()), (DayKind::AdjustedWorkday, weekday), "{date}");
            assert_eq!(c.is_working_day(d(date)), Ok(true), "{date}");
        }
        let named = [
            ("2026-02-15", "春节"),
            ("2026-02-23", "春节"),
            ("2026-02-28", "春节"),
            ("2026-10-07", "国庆"),
            ("2026-09-27", "中秋"),
            ("2025-10-08", "国庆、中秋"),
            ("2025-06-02", "端午"),
            ("2025-01-01", "元旦"),
        ];
        for (date, name) in named {
            assert_eq!(c.special_day(d(date)).map(|s| s.name.as_str()), Some(name), "{date}");
        }
        assert_eq!(c.special_day(d("2026-10-08")), None);
        assert_eq!(c.is_working_day(d("2026-01-02")), Ok(false), "元旦 on a Friday");
        assert_eq!(c.is_working_day(d("2026-02-24")), Ok(true));
        assert_eq!(c.is_working_day(d("2026-03-07")), Ok(false), "an ordinary Saturday");
    }

    #[test]
    fn the_domain_md_example_signed_on_a_friday_before_spring_festival() {
        // 02-14 (Sat, adjusted) is day 1, 02-15..23 are off, then 02-24, 25, 26, 27
        assert_eq!(cal().due_date(d("2026-02-13"), DISTRIBUTION_WORKING_DAYS), Ok(d("2026-02-27")));
    }

    #[test]
    fn national_day_2026() {
        // Signed Wed 09-30. 10-01..07 are off; 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat adjusted
        // (3), 10-11 Sun off, 10-12 Mon (4), 10-13 Tue (5).
        assert_eq!(cal().due_date(d("2026-09-30"), 5), Ok(d("2026-10-13")));
    }

    #[test]
    fn national_day_2025() {
        // Signed Fri 09-26. 09-27 Sat off, 09-28 Sun adjusted (1), 09-29 (2), 09-30 (3),
        // 10-01..08 off, 10-09 Thu (4), 10-10 Fri (5).
        assert_eq!(cal().due_date(d("2025-09-26"), 5), Ok(d("2025-10-10")));
    }

    #[test]
    fn signing_on_an_adjusted_working_day() {
        // Signed Sat 02-14 (worked): 02-15..23 off, 02-24..27 are days 1..4, and day 5 is
        // Sat 02-28, the other adjusted day.
        assert_eq!(cal().due_date(d("2026-02-14"), 5), Ok(d("2026-02-28")));
        // Signed Sun 01-04 (worked): Mon 01-05 .. Fri 01-09.
        assert_eq!(cal().due_date(d("2026-01-04"), 5), Ok(d("2026-01-09")));
    }

    #[test]
    fn signing_on_a_day_off_counts_from_the_next_working_day() {
        // Signed Sun 2026-03-08: Mon 03-09 .. Fri 03-13.
        assert_eq!(cal().due_date(d("2026-03-08"), 5), Ok(d("2026-03-13")));
    }

    #[test]
    fn a_card_handed_out_by_its_due_date_is_on_time() {
        let cal = cal();
        // signed on Friday 2026-09-25, with the National Day holidays in the five working days
        let due = cal.due_date(d("2026-09-25"), DISTRIBUTION_WORKING_DAYS).unwrap();
        assert_eq!(cal.timeliness(d("2026-09-25"), due), Timeliness::OnTime);
        assert_eq!(cal.timeliness(d("2026-09-25"), due.next_day().unwrap()), Timeliness::Late);
        assert_eq!(cal.timeliness(d("2024-12-30"), d("2025-01-02")), Timeliness::Undetermined);
        // the same answers as the due date, for every hand-out day around it
        for signed in ["2026-02-13", "2026-09-25", "2026-04-30", "2026-12-21"] {
            let due = cal.due_date(d(signed), DISTRIBUTION_WORKING_DAYS).unwrap();
            let mut day = d(signed);
            for _ in 0..20 {
                let expected = if day <= due { Timeliness::OnTime } else { Timeliness::Late };
                assert_eq!(cal.timeliness(d(signed), day), expected, "signed {signed}, handed out {day}");
                day = day.next_day().unwrap();
            }
        }
        // at the end of a year whose next is not published: on time while the count stays in
        // the year with data, undetermined once it needs the next
        assert_eq!(cal.timeliness(d("2026-12-28"), d("2026-12-29")), Timeliness::OnTime);
        assert_eq!(cal.timeliness(d("2026-12-28"), d("2026-12-31")), Timeliness::OnTime);
        assert_eq!(cal.timeliness(d("2026-12-28"), d("2027-01-01")), Timeliness::OnTime);
        assert_eq!(cal.timeliness(d("2026-12-28"), d("2027-01-02")), Timeliness::Undetermined);
        assert_eq!(cal.timeliness(d("2026-12-21"), d("2027-01-04")), Timeliness::Late);
        // overdue counts working days after the due date: a weekend adds none
        assert_eq!(cal.working_days_overdue(d("2026-03-06"), d("2026-03-09")).unwrap(), 1);
        assert_eq!(cal.working_days_overdue(d("2026-03-06"), d("2026-03-08")).unwrap(), 0);
        assert_eq!(cal.working_days_overdue(d("2026-03-06"), d("2026-03-06")).unwrap(), 0);
    }

    #[test]
    fn a_deadline_running_into_a_year_without_data_is_a_gap() {
        // Mon 12-28: 12-29, 12-30, 12-31 count, then 2027-01-01 has no data
        let gap = cal().due_date(d("2026-12-28"), 5).unwrap_err();
        assert_eq!(gap, CalendarGap { year: 2027 });
        assert!(gap.message().contains("日历未维护"), "{}", gap.message());
        assert!(gap.message().starts_with("2027年"));
        assert_eq!(gap.code(), "calendar_gap");
        // but one that ends on 12-31 does not need 2027
        assert_eq!(cal().due_date(d("2026-12-28"), 3), Ok(d("2026-12-31")));
    }

    #[test]
    fn a_signing_in_a_year_without_data_is_a_gap() {
        assert_eq!(cal().due_date(d("2024-12-30"), 5), Err(CalendarGap { year: 2024 }));
        assert_eq!(cal().due_date(d("2024-12-31"), 1), Err(CalendarGap { year: 2024 }));
        assert_eq!(cal().is_working_day(d("2024-06-03")), Err(CalendarGap { year: 2024 }), "never guessed as Mon-Fri");
    }

    #[test]
    fn a_year_listed_without_special_days_has_data() {
        let c = Calendar::new([2030], []).unwrap();
        assert_eq!(c.is_working_day(d("2030-01-01")), Ok(true), "a Tuesday");
        assert_eq!(c.due_date(d("2030-01-01"), 5), Ok(d("2030-01-08")));
        assert_eq!(c.is_working_day(d("2031-01-01")), Err(CalendarGap { year: 2031 }));
    }

    #[test]
    fn zero_working_days_is_the_signing_day() {
        assert_eq!(cal().due_date(d("2026-02-15"), 0), Ok(d("2026-02-15")));
    }

    #[test]
    fn calendar_data_is_checked() {
        let day = |date: &str, kind, name: &str| SpecialDay { date: d(date), kind, name: name.into() };
        let cases = [
            (vec![day("2027-01-01", DayKind::Holiday, "元旦")], CalendarError::OutsideYears { date: d("2027-01-01") }),
            (
                vec![day("2026-01-01", DayKind::Holiday, "元旦"), day("2026-01-01", DayKind::Holiday, "元旦")],
                CalendarError::Repeated { date: d("2026-01-01") },
            ),
            (
                vec![day("2026-01-05", DayKind::AdjustedWorkday, "元旦")],
                CalendarError::WorkdayOnWeekday { date: d("2026-01-05") },
            ),
            (vec![day("2026-01-01", DayKind::Holiday, " ")], CalendarError::NameMissing { date: d("2026-01-01") }),
        ];
        for (days, want) in cases {
            let got = Calendar::new([2026], days).unwrap_err();
            assert!(!got.message().is_empty());
            assert_eq!(got, want);
        }
    }

    #[test]
    fn a_calendar_round_trips_through_its_data() {
        let c = cal();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), c);
        let bad = r#"{"years":[2026],"days":[{"date":"2026-01-05","kind":"adjusted_workday","name":"元旦"}]}"#;
        assert!(serde_json::from_str::<Calendar>(bad).is_err());
        for k in DayKind::ALL {
            assert_eq!(DayKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn working_days_left_counts_after_today_through_the_due_date() {
        let c = cal();
        let due = d("2026-02-27");
        assert_eq!(c.working_days_left(due, d("2026-02-13")), Ok(5));
        assert_eq!(c.working_days_left(due, d("2026-02-20")), Ok(4), "from a holiday");
        assert_eq!(c.working_days_left(due, d("2026-02-27")), Ok(0));
        assert_eq!(c.working_days_left(due, d("2026-03-02")), Ok(0));
    }

    #[test]
    fn a_delivery_is_due_soon_from_the_third_working_day() {
        // signed Fri 02-13: working days 1 = 02-14, 2 = 02-24, 3 = 02-25, 4 = 02-26, 5 = 02-27
        let c = cal();
        let at = |today: &str| c.urgency(d("2026-02-13"), d(today)).unwrap();
        assert_eq!(at("2026-02-12"), Urgency::OnTime { left: 5 }, "a clock before signing reads as the signing day");
        assert_eq!(at("2026-02-13"), Urgency::OnTime { left: 5 });
        assert_eq!(at("2026-02-14"), Urgency::OnTime { left: 4 });
        assert_eq!(at("2026-02-20"), Urgency::OnTime { left: 4 });
        assert_eq!(at("2026-02-24"), Urgency::OnTime { left: 3 });
        assert_eq!(at("2026-02-25"), Urgency::DueSoon { left: 2 });
        assert_eq!(at("2026-02-26"), Urgency::DueSoon { left: 1 });
        assert_eq!(at("2026-02-27"), Urgency::DueSoon { left: 0 });
        assert_eq!(at("2026-02-28"), Urgency::Overdue { by: 1 });
        assert_eq!(at("2026-03-02"), Urgency::Overdue { by: 3 });
        assert_eq!(Urgency::DueSoon { left: 0 }.summary(), "今天到期，请尽快发放。");
        assert_eq!(Urgency::Overdue { by: 3 }.label(), "已逾期");
        // a weekend after working day 3 stays due soon
        let c = Calendar::new([2030], []).unwrap();
        // signed Mon 2030-01-07: days 1..5 are Tue 01-08 .. Mon 01-14; day 3 is Thu 01-10
        assert_eq!(c.urgency(d("2030-01-07"), d("2030-01-09")), Ok(Urgency::OnTime { left: 3 }));
        assert_eq!(c.urgency(d("2030-01-07"), d("2030-01-12")), Ok(Urgency::DueSoon { left: 1 }));
        assert_eq!(cal().urgency(d("2026-12-28"), d("2026-12-29")), Err(CalendarGap { year: 2027 }));
    }

    fn date_in(first: &'static str, last: &'static str) -> impl Strategy<Value = Date> {
        (d(first).days_since_epoch()..=d(last).days_since_epoch())
            .prop_map(|n| Date::from_days_since_epoch(n).expect("in range"))
    }

    proptest! {
        #[test]
        fn due_date_is_a_working_day_strictly_after_signing(
            signed in date_in("2025-01-01", "2026-12-31"),
            n in 1u32..=40,
        ) {
            let c = cal();
            match c.due_date(signed, n) {
                Ok(due) => {
                    prop_assert!(due > signed);
                    prop_assert_eq!(c.is_working_day(due), Ok(true));
                    prop_assert_eq!(c.working_days_left(due, signed), Ok(n));
                }
                Err(gap) => prop_assert_eq!(gap.year, 2027),
            }
        }

        #[test]
        fn days_format_parse_and_step_consistently(days in Date::MIN.days_since_epoch()..Date::MAX.days_since_epoch()) {
            let date = Date::from_days_since_epoch(days).unwrap();
            prop_assert_eq!(date.days_since_epoch(), days);
            let (y, m, dd) = civil_from_days(days);
            prop_assert_eq!((i64::from(date.year()), date.month(), date.day()), (y, m, dd));
            prop_assert_eq!(Date::parse(&date.to_string()), Some(date));
            let next = date.next_day().unwrap();
            prop_assert_eq!(next.days_since_epoch(), days + 1);
            prop_assert!(next > date);
            let w = |x: Date| Weekday::ALL.iter().position(|v| *v == x.weekday()).unwrap();
            prop_assert_eq!(w(next), (w(date) + 1) % 7);
        }
    }
}
