//! The working-day calendar (节假日日历): every supervisor reads it; only the city-level one
//! (市总工会) edits it. `calendar_due` gives any portal the deadline of cards signed for on a
//! day, counted by the shared domain code with the calendar as it stands, and the years it used.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::calendar::{Date, DayKind, SpecialDay},
    error::AppError,
};

/// Years an administrator may add.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Longest holiday name, in characters (“国庆、中秋” is 5).
pub const NAME_MAX_CHARS: usize = 20;

/// A year of the calendar table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    /// Deadlines count with this year's days; a year being filled in is 日历未维护 until then.
    pub published: bool,
    /// From the State Council's published schedule (built in), else added by an administrator.
    pub built_in: bool,
    pub holidays: i64,
    pub adjusted_workdays: i64,
    /// The account that changed the year last; `None` while it is as built in.
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

impl CalendarYear {
    pub fn status(&self) -> &'static str {
        if self.published {
            "已启用"
        } else {
            "录入中，未启用"
        }
    }

    pub fn source(&self) -> &'static str {
        if self.built_in {
            "国务院办公厅通知（系统内置）"
        } else {
            "管理员添加"
        }
    }
}

/// A special day with who set it last (`None`: built in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub day: SpecialDay,
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

/// The calendar page: every year in the table and the special days of the one shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarView {
    /// The year shown; it may be one the table does not hold (then `days` is empty).
    pub year: i32,
    pub years: Vec<CalendarYear>,
    pub days: Vec<CalendarDay>,
    /// Whether the caller may edit (the city-level supervisor).
    pub can_edit: bool,
    /// Today in Beijing.
    pub today: Date,
}

impl CalendarView {
    /// The shown year's row, if the table holds it.
    pub fn shown(&self) -> Option<&CalendarYear> {
        self.years.iter().find(|y| y.year == self.year)
    }

    /// The year after the last one in the table (this year when it is empty).
    pub fn next_year(&self) -> i32 {
        self.years.iter().map(|y| y.year + 1).max().unwrap_or(self.today.year())
    }
}

/// A deadline: the `working_days`-th working day after `signed`, and the calendar years whose
/// data it was counted with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueDate {
    pub signed: Date,
    pub due: Date,
    pub working_days: u32,
    pub years: Vec<CalendarYear>,
}

impl DueDate {
    /// `按2026年日历计算`, or `按2026年、2027年日历计算` across a year's end.
    pub fn basis(&self) -> String {
        let years: Vec<String> = self.years.iter().map(|y| format!("{}年", y.year)).collect();
        format!("按{}日历计算", years.join("、"))
    }
}

#[cfg(feature = "ssr")]
mod convert {
    use super::{CalendarDay, CalendarYear};
    use crate::server::calendar::{DayRow, YearRow};

    impl From<YearRow> for CalendarYear {
        fn from(r: YearRow) -> Self {
            CalendarYear {
                year: r.year,
                published: r.published,
                built_in: r.built_in,
                holidays: r.holidays,
                adjusted_workdays: r.adjusted_workdays,
                updated_by: r.updated_by,
                updated_at: r.updated_at,
            }
        }
    }

    impl From<DayRow> for CalendarDay {
        fn from(r: DayRow) -> Self {
            CalendarDay { day: r.day, updated_by: r.updated_by, updated_at: r.updated_at }
        }
    }
}

#[cfg(feature = "ssr")]
async fn editor() -> Result<(crate::server::Db, crate::domain::ids::UserId), AppError> {
    use crate::server::caller;
    let (db, me) = caller::require(&[crate::domain::role::Role::Supervisor]).await?;
    if !me.at_city_level()? {
        return Err(AppError::denied("calendar_city_only", "节假日日历由市总工会维护，您可以查看，不能修改。"));
    }
    Ok((db, me.id()))
}

#[cfg(feature = "ssr")]
fn parse_date(field: &str, text: &str) -> Result<Date, AppError> {
    text.trim().parse::<Date>().map_err(|e| AppError::invalid(field, e.to_string()))
}

#[cfg(feature = "ssr")]
fn check_year(year: i32) -> Result<(), AppError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(AppError::invalid("year", format!("年份应在{}至{}之间。", YEARS.start(), YEARS.end())))
    }
}

/// The calendar page's data: `year` (default: this year if the table holds it, else its last).
#[server(endpoint = "calendar/get", output = crate::wire::Answer)]
pub async fn get_calendar(year: Option<i32>) -> Result<CalendarView, AppError> {
    use crate::{
        domain::role::Role,
        server::{calendar, caller, db::now},
    };
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let years: Vec<CalendarYear> = calendar::years(&db).await?.into_iter().map(Into::into).collect();
    let today = Date::of_timestamp(now()).ok_or(AppError::Internal)?;
    let year = match year {
        Some(y) if (1..=9999).contains(&y) => y,
        Some(_) => return Err(AppError::invalid("year", "年份应在1至9999之间。")),
        None if years.iter().any(|y| y.year == today.year()) => today.year(),
        None => years.last().map_or(today.year(), |y| y.year),
    };
    let days = if years.iter().any(|y| y.year == year) {
        calendar::days_of(&db, year).await?.into_iter().map(Into::into).collect()
    } else {
        Vec::new()
    };
    Ok(CalendarView { year, years, days, can_edit: me.at_city_level()?, today })
}

/// Makes a date a holiday (放假) or an adjusted working day (调休上班) named `name`, or changes
/// what it is. Running deadlines move with it.
#[server(endpoint = "calendar/set_day", output = crate::wire::Answer)]
pub async fn set_calendar_day(date: String, kind: DayKind, name: String) -> Result<SpecialDay, AppError> {
    use crate::server::calendar;
    let (db, actor) = editor().await?;
    let date = parse_date("date", &date)?;
    let name = name.trim().to_string();
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::invalid("name", format!("节日名称不超过{NAME_MAX_CHARS}个字。")));
    }
    let day = SpecialDay { date, kind, name };
    calendar::set_day(&db, actor, day.clone()).await?;
    Ok(day)
}

/// Makes a special date an ordinary day again; returns what it was.
#[server(endpoint = "calendar/remove_day", output = crate::wire::Answer)]
pub async fn remove_calendar_day(date: String) -> Result<SpecialDay, AppError> {
    use crate::server::calendar;
    let (db, actor) = editor().await?;
    let date = parse_date("date", &date)?;
    calendar::remove_day(&db, actor, date).await
}

/// Adds a year to the table, empty and not yet in use: fill in its days, then publish it.
#[server(endpoint = "calendar/add_year", output = crate::wire::Answer)]
pub async fn add_calendar_year(year: i32) -> Result<i32, AppError> {
    use crate::server::calendar;
    let (db, actor) = editor().await?;
    check_year(year)?;
    calendar::add_year(&db, actor, year).await?;
    Ok(year)
}

/// Puts a filled-in year into use: deadlines count with its days from now on.
#[server(endpoint = "calendar/publish_year", output = crate::wire::Answer)]
pub async fn publish_calendar_year(year: i32) -> Result<i32, AppError> {
    use crate::server::calendar;
    let (db, actor) = editor().await?;
    check_year(year)?;
    calendar::publish_year(&db, actor, year).await?;
    Ok(year)
}

/// The deadline to hand out cards signed for on `signed` (`YYYY-MM-DD`): the fifth working day
/// after it (`domain::calendar::DISTRIBUTION_WORKING_DAYS`), with the calendar years it used; or
/// a refusal (422, code `calendar_gap`) whose message says which year's calendar is 未维护.
#[server(endpoint = "calendar/due", output = crate::wire::Answer)]
pub async fn calendar_due(signed: String) -> Result<DueDate, AppError> {
    use crate::{
        domain::{calendar::DISTRIBUTION_WORKING_DAYS, role::Role},
        server::{calendar, caller},
    };
    let (db, _) = caller::require(&[Role::Supervisor, Role::Union, Role::Bank]).await?;
    let signed = parse_date("signed", &signed)?;
    match calendar::due_date(&db, signed, DISTRIBUTION_WORKING_DAYS).await? {
        Ok((due, years)) => Ok(DueDate {
            signed,
            due,
            working_days: DISTRIBUTION_WORKING_DAYS,
            years: years.into_iter().map(Into::into).collect(),
        }),
        Err(gap) => Err(AppError::refused(gap.code(), gap.message())),
    }
}
