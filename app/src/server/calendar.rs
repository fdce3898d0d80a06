//! The working-day calendar's tables, `calendar_years` and `calendar_days`: the one place that
//! reads and writes them. Deadlines are counted by the shared domain code
//! (`domain::calendar::Calendar`) over the rows as they stand, so an edit here moves every running
//! deadline. Only published years count; a year being filled in is 日历未维护 like a missing one.
//! Every edit runs in a transaction with its audit row (`calendar:YYYY-MM-DD` or `calendar:YYYY`).

use sqlx::Row;

use super::{
    audit,
    db::{now, Db, OnUnique, Tx},
};
use crate::{
    domain::{
        calendar::{Calendar, CalendarError, CalendarGap, Date, DayKind, SpecialDay},
        ids::UserId,
    },
    error::{AppError, AppResult},
};

/// A year of the calendar table with what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearRow {
    pub year: i32,
    /// Deadlines count with this year's days; until then the year is 日历未维护.
    pub published: bool,
    /// Inserted from the State Council's published schedule (else added by an administrator).
    pub built_in: bool,
    pub holidays: i64,
    pub adjusted_workdays: i64,
    /// The account that changed the year or one of its days last; `None` for the built-in seed.
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for YearRow {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        let source: String = row.try_get("source")?;
        let built_in = match source.as_str() {
            "state_council" => true,
            "manual" => false,
            other => {
                return Err(decode_error("source", format!("calendar source {other:?} is not one the code knows")))
            }
        };
        Ok(YearRow {
            year: year_of(row.try_get("year")?)?,
            published: row.try_get::<i64, _>("published")? != 0,
            built_in,
            holidays: row.try_get("holidays")?,
            adjusted_workdays: row.try_get("adjusted_workdays")?,
            updated_by: row.try_get("updated_by")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// A special day as stored, with who set it last (`None`: the built-in seed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRow {
    pub day: SpecialDay,
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for DayRow {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        Ok(DayRow {
            day: special_day(row)?,
            updated_by: row.try_get("updated_by")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

fn decode_error(column: &str, message: String) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.into(), source: message.into() }
}

fn year_of(stored: i64) -> Result<i32, sqlx::Error> {
    i32::try_from(stored).map_err(|_| decode_error("year", format!("calendar year {stored} is out of range")))
}

fn special_day(row: &sqlx::any::AnyRow) -> Result<SpecialDay, sqlx::Error> {
    let day: String = row.try_get("day")?;
    let date = Date::parse(&day).ok_or_else(|| decode_error("day", format!("calendar day {day:?} is not a date")))?;
    Ok(SpecialDay { date, kind: row.try_get("kind")?, name: row.try_get("name")? })
}

/// `放假（国庆）`, or `普通日` for a date that is not special: the two sides of an audit detail.
fn describe(day: Option<&SpecialDay>) -> String {
    match day {
        Some(d) => format!("{}（{}）", d.kind.label(), d.name),
        None => "普通日".into(),
    }
}

/// A calendar refusal as the form shows it, under the field it is about.
fn refusal(e: CalendarError) -> AppError {
    let field = match e {
        CalendarError::OutsideYears { .. } | CalendarError::Repeated { .. } => "date",
        CalendarError::WorkdayOnWeekday { .. } => "kind",
        CalendarError::NameMissing { .. } => "name",
    };
    AppError::invalid(field, e.message())
}

const YEAR_QUERY: &str = "SELECT y.year, y.source, y.published, y.updated_at, u.username AS updated_by, \
     COUNT(CASE WHEN d.kind = 'holiday' THEN 1 END) AS holidays, \
     COUNT(CASE WHEN d.kind = 'adjusted_workday' THEN 1 END) AS adjusted_workdays \
     FROM calendar_years y LEFT JOIN users u ON u.id = y.updated_by LEFT JOIN calendar_days d ON d.year = y.year";
const YEAR_GROUP: &str = "GROUP BY y.year, y.source, y.published, y.updated_at, u.username";

async fn insert_day(tx: &mut Tx, day: &SpecialDay, by: Option<UserId>, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO calendar_days (day, year, kind, name, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(day.date.to_string())
    .bind(i64::from(day.date.year()))
    .bind(day.kind)
    .bind(&day.name)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts each year of the State Council's published schedule that the table does not hold yet,
/// published, with its days and an audit row; returns the years inserted. A year already there
/// is left alone, so an administrator's edits stand. Run after every migration; instances that
/// start together insert a year once (`ON CONFLICT DO NOTHING` on the year).
pub async fn seed_if_missing(db: &Db) -> Result<Vec<i32>, sqlx::Error> {
    let seed = Calendar::state_council_2025_2026();
    let present: Vec<i64> = sqlx::query_scalar("SELECT year FROM calendar_years").fetch_all(&db.pool).await?;
    let mut seeded = Vec::new();
    for year in seed.years().filter(|y| !present.contains(&i64::from(*y))) {
        let mut tx = db.begin_write().await?;
        let at = now();
        let inserted = sqlx::query(
            "INSERT INTO calendar_years (year, source, published, updated_by, updated_at) \
             VALUES ($1, 'state_council', 1, NULL, $2) ON CONFLICT (year) DO NOTHING",
        )
        .bind(i64::from(year))
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            continue; // another instance inserted it meanwhile
        }
        let days: Vec<&SpecialDay> = seed.special_days().filter(|d| d.date.year() == year).collect();
        for day in &days {
            insert_day(&mut tx, day, None, at).await?;
        }
        let count = |k: DayKind| days.iter().filter(|d| d.kind == k).count();
        let detail = format!(
            "国务院办公厅公布的安排：放假{}天，调休上班{}天",
            count(DayKind::Holiday),
            count(DayKind::AdjustedWorkday)
        );
        audit::record(&mut *tx, None, "calendar_year_seeded", &format!("calendar:{year}"), &detail).await?;
        tx.commit().await?;
        seeded.push(year);
    }
    Ok(seeded)
}

/// The calendar deadlines are counted with: the published years and their days.
pub async fn load(db: &Db) -> Result<Calendar, sqlx::Error> {
    let years: Vec<i64> =
        sqlx::query_scalar("SELECT year FROM calendar_years WHERE published = 1").fetch_all(&db.pool).await?;
    let rows = sqlx::query(
        "SELECT d.day, d.kind, d.name FROM calendar_days d JOIN calendar_years y ON y.year = d.year \
         WHERE y.published = 1 ORDER BY d.day",
    )
    .fetch_all(&db.pool)
    .await?;
    let years = years.into_iter().map(year_of).collect::<Result<Vec<_>, _>>()?;
    let days = rows.iter().map(special_day).collect::<Result<Vec<_>, _>>()?;
    // the tables hold what an edit let through; anything else is data the code cannot read
    Calendar::new(years, days).map_err(|e| decode_error("calendar_days", e.message()))
}

/// Every year in the table, in order, with its counts.
pub async fn years(db: &Db) -> Result<Vec<YearRow>, sqlx::Error> {
    sqlx::query_as(&format!("{YEAR_QUERY} {YEAR_GROUP} ORDER BY y.year")).fetch_all(&db.pool).await
}

/// The special days of `year`, in date order (none for a year not in the table).
pub async fn days_of(db: &Db, year: i32) -> Result<Vec<DayRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.day, d.kind, d.name, d.updated_at, u.username AS updated_by \
         FROM calendar_days d LEFT JOIN users u ON u.id = d.updated_by WHERE d.year = $1 ORDER BY d.day",
    )
    .bind(i64::from(year))
    .fetch_all(&db.pool)
    .await
}

/// The due date of cards signed for on `signed`: the `working_days`-th working day after it,
/// with the years whose data it was counted with; or the year the calendar lacks.
pub async fn due_date(
    db: &Db,
    signed: Date,
    working_days: u32,
) -> Result<Result<(Date, Vec<YearRow>), CalendarGap>, sqlx::Error> {
    let calendar = load(db).await?;
    let due = match calendar.due_date(signed, working_days) {
        Ok(due) => due,
        Err(gap) => return Ok(Err(gap)),
    };
    let used = years(db).await?.into_iter().filter(|y| (signed.year()..=due.year()).contains(&y.year)).collect();
    Ok(Ok((due, used)))
}

/// Marks `year` as changed by `actor` now. On PostgreSQL the row lock queues two edits of one
/// year (SQLite's write transaction already does). False when the year is not in the table.
async fn touch_year(tx: &mut Tx, year: i32, actor: UserId) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE calendar_years SET updated_by = $1, updated_at = $2 WHERE year = $3")
        .bind(actor)
        .bind(now())
        .bind(i64::from(year))
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

async fn days_in(tx: &mut Tx, year: i32) -> Result<Vec<SpecialDay>, sqlx::Error> {
    let rows = sqlx::query("SELECT day, kind, name FROM calendar_days WHERE year = $1 ORDER BY day")
        .bind(i64::from(year))
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(special_day).collect()
}

/// Adds `year` to the table, empty and not yet published: it is filled in, then published.
pub async fn add_year(db: &Db, actor: UserId, year: i32) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    let added = async {
        sqlx::query(
            "INSERT INTO calendar_years (year, source, published, updated_by, updated_at) \
             VALUES ($1, 'manual', 0, $2, $3)",
        )
        .bind(i64::from(year))
        .bind(actor)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::record(&mut *tx, Some(actor), "calendar_year_added", &format!("calendar:{year}"), "录入中，未启用").await
    }
    .await;
    added.on_unique(|| AppError::conflict("calendar_year_exists", format!("{year}年已在日历中。")))?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a year being filled in: from now on deadlines count with its days. A year without
/// a single day off is refused, as that is a year nobody has filled in.
pub async fn publish_year(db: &Db, actor: UserId, year: i32) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    let published: Option<i64> = sqlx::query_scalar("SELECT published FROM calendar_years WHERE year = $1")
        .bind(i64::from(year))
        .fetch_optional(&mut *tx)
        .await?;
    match published {
        None => return Err(AppError::NotFound),
        Some(1) => return Err(AppError::conflict("calendar_year_published", format!("{year}年日历已经启用。"))),
        Some(_) => {}
    }
    let days = days_in(&mut tx, year).await?;
    let holidays = days.iter().filter(|d| d.kind == DayKind::Holiday).count();
    if holidays == 0 {
        return Err(AppError::refused(
            "calendar_year_empty",
            format!("{year}年还没有录入任何放假日期。请按国务院办公厅的通知录入全年的放假和调休上班日期后再启用。"),
        ));
    }
    sqlx::query("UPDATE calendar_years SET published = 1, updated_by = $1, updated_at = $2 WHERE year = $3")
        .bind(actor)
        .bind(now())
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    let detail = format!("启用：放假{holidays}天，调休上班{}天", days.len() - holidays);
    audit::record(&mut *tx, Some(actor), "calendar_year_published", &format!("calendar:{year}"), &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes `day.date` a holiday or an adjusted working day named `day.name`, replacing what the
/// date was; returns what it was. Refused (422, under its field) when the result is not a valid
/// calendar: a year not in the table, an adjusted working day on Monday to Friday, no name.
pub async fn set_day(db: &Db, actor: UserId, day: SpecialDay) -> AppResult<Option<SpecialDay>> {
    let year = day.date.year();
    let mut tx = db.begin_write().await?;
    if !touch_year(&mut tx, year, actor).await? {
        return Err(refusal(CalendarError::OutsideYears { date: day.date }));
    }
    let mut days = days_in(&mut tx, year).await?;
    let before = days.iter().position(|d| d.date == day.date).map(|i| days.remove(i));
    if before.as_ref() == Some(&day) {
        return Ok(before); // nothing changes; the transaction rolls back
    }
    days.push(day.clone());
    Calendar::new([year], days).map_err(refusal)?;
    insert_day(&mut tx, &day, Some(actor), now()).await?;
    keep_published_year_filled(&mut tx, year).await?;
    let detail = format!("{} → {}", describe(before.as_ref()), describe(Some(&day)));
    audit::record(&mut *tx, Some(actor), "calendar_day_set", &format!("calendar:{}", day.date), &detail).await?;
    tx.commit().await?;
    Ok(before)
}

/// Refuses an edit that would leave a year in use (published) without a single day off: its
/// deadlines would then count every Monday to Friday as a working day, which is what
/// "日历未维护" exists to prevent (publishing such a year is refused the same way).
async fn keep_published_year_filled(tx: &mut Tx, year: i32) -> AppResult<()> {
    let published: Option<i64> = sqlx::query_scalar("SELECT published FROM calendar_years WHERE year = $1")
        .bind(i64::from(year))
        .fetch_optional(&mut **tx)
        .await?;
    if published != Some(1) {
        return Ok(());
    }
    if days_in(tx, year).await?.iter().any(|d| d.kind == DayKind::Holiday) {
        return Ok(());
    }
    Err(AppError::refused(
        "calendar_year_emptied",
        format!("{year}年日历已启用，计算期限正在使用，不能删去最后一个放假日期。请先录入正确的放假日期，再删除或修改这一天。"),
    ))
}

/// Makes `date` an ordinary day again; returns what it was. 409 when it is not special (someone
/// removed it first).
pub async fn remove_day(db: &Db, actor: UserId, date: Date) -> AppResult<SpecialDay> {
    let gone =
        || AppError::conflict("calendar_day_gone", format!("{date}已不是特殊日期，可能已被他人删除。请刷新后查看。"));
    let mut tx = db.begin_write().await?;
    if !touch_year(&mut tx, date.year(), actor).await? {
        return Err(gone());
    }
    let row = sqlx::query("DELETE FROM calendar_days WHERE day = $1 RETURNING day, kind, name")
        .bind(date.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Err(gone()) };
    let before = special_day(&row)?;
    keep_published_year_filled(&mut tx, date.year()).await?;
    let detail = format!("{} → {}", describe(Some(&before)), describe(None));
    audit::record(&mut *tx, Some(actor), "calendar_day_removed", &format!("calendar:{date}"), &detail).await?;
    tx.commit().await?;
    Ok(before)
}
