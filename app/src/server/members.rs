//! The members table: a union's member records, their search, their edits, and the bulk insert
//! of an import. Card state is only read here; `cards` is its one writer.

use std::collections::HashMap;

use super::{
    cards::MEMBERS_WITH_CARDS,
    db::{like_contains, now, Backend, Db, Tx},
};
use crate::{
    domain::search::MemberQuery,
    domain::{
        card::CardState,
        id_document::IdType,
        ids::{MemberId, UnionId, UserId},
        member::{MemberInput, StoredMember},
    },
    error::{AppError, AppResult},
};

/// A member's record as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: MemberId,
    pub union_id: UnionId,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub country: Option<String>,
    pub sex: Option<String>,
    pub birth_date: Option<String>,
    pub phone: String,
    pub ethnicity: Option<String>,
    pub education: Option<String>,
    pub migrant_worker: Option<String>,
    pub department: Option<String>,
    pub remark: Option<String>,
    pub card_state: CardState,
}

const MEMBER_ROW_COLUMNS: &str = "m.id, m.union_id, m.name, m.id_type, m.id_number, m.country, m.sex, m.birth_date, \
                                  m.phone, m.ethnicity, m.education, m.migrant_worker, m.department, m.remark, \
                                  c.state AS card_state";

impl MemberRow {
    /// The record as the edit form shows it (the ID type by its label).
    pub fn input(&self) -> AppResult<MemberInput> {
        let id_type = id_type_of(self.id, &self.id_type)?;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Ok(MemberInput {
            seq: String::new(),
            name: self.name.clone(),
            id_type: id_type.label().to_string(),
            id_number: self.id_number.clone(),
            country: text(&self.country),
            sex: text(&self.sex),
            birth_date: text(&self.birth_date),
            phone: self.phone.clone(),
            ethnicity: text(&self.ethnicity),
            education: text(&self.education),
            migrant_worker: text(&self.migrant_worker),
            department: text(&self.department),
            remark: text(&self.remark),
        })
    }
}

/// A stored ID-type code read back: one the code does not know is an internal error, never shown
/// as it is.
pub fn id_type_of(member: MemberId, code: &str) -> AppResult<IdType> {
    IdType::from_code(code).ok_or_else(|| {
        tracing::error!(member = %member, code, "stored ID type is not one the code knows");
        AppError::Internal
    })
}

/// The member `id` if it belongs to `union`; a member of another union is not found, exactly
/// like one that does not exist.
pub async fn own(db: &Db, union: UnionId, id: MemberId) -> AppResult<MemberRow> {
    let row: Option<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_ROW_COLUMNS} FROM {MEMBERS_WITH_CARDS} WHERE m.id = $1 AND m.union_id = $2"
    ))
    .bind(id)
    .bind(union)
    .fetch_optional(&db.pool)
    .await?;
    row.ok_or(AppError::NotFound)
}

/// A number reversed: the members table keeps IDs and phones this way too, so a search by
/// their last digits is a prefix search an index answers.
pub fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// What the member list asks for. Empty strings and `None` filter nothing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub query: MemberQuery,
    pub state: Option<CardState>,
    pub department: String,
}

/// A row of the member list, before masking.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    pub id: MemberId,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    pub card_state: CardState,
}

/// A page of the union's members, searched by name or by the last digits of an ID or phone
/// number, filtered by card state and department, in id order; and how many match.
pub async fn list(
    db: &Db,
    union: UnionId,
    filter: &ListFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ListRow>, i64), sqlx::Error> {
    let mut conds = vec!["m.union_id = $1".to_string()];
    let mut texts: Vec<String> = Vec::new();
    if let Some(state) = filter.state {
        texts.push(state.as_str().to_string());
        conds.push(format!("c.state = ${}", texts.len() + 1));
    }
    let department = filter.department.trim();
    if !department.is_empty() {
        texts.push(department.to_string());
        conds.push(format!("m.department = ${}", texts.len() + 1));
    }
    match &filter.query {
        MemberQuery::All => {}
        // ID and phone numbers are kept reversed too, so an ending is an indexed prefix
        MemberQuery::Tail(tail) => {
            let tail = reversed(tail);
            texts.push(tail.clone());
            texts.push(format!("{tail}~"));
            let (lo, hi) = (texts.len(), texts.len() + 1);
            // PostgreSQL's text_pattern_ops indexes answer its byte-order operators, not >= and <
            let (ge, lt) = match db.backend {
                Backend::Postgres => ("~>=~", "~<~"),
                Backend::Sqlite => (">=", "<"),
            };
            conds.push(format!(
                "((m.id_rev {ge} ${lo} AND m.id_rev {lt} ${hi}) OR (m.phone_rev {ge} ${lo} AND m.phone_rev {lt} ${hi}))"
            ));
        }
        MemberQuery::Number(number) => {
            texts.push(reversed(number));
            let n = texts.len() + 1;
            conds.push(format!("(m.id_rev = ${n} OR m.phone_rev = ${n})"));
        }
        MemberQuery::Name(name) => {
            texts.push(like_contains(name));
            conds.push(format!("m.name LIKE ${} ESCAPE '\\'", texts.len() + 1));
        }
    }
    let state_only = filter.state.is_some() && texts.len() == 1;
    // the page's ids and the count: a card state alone is read from the union's cards (in member
    // order, as the members are), anything else from its members, with their cards if a state
    // is asked for too
    let (from, id) = if state_only {
        ("FROM cards c WHERE c.union_id = $1 AND c.state = $2".to_string(), "c.member_id")
    } else if filter.state.is_some() {
        (format!("FROM {MEMBERS_WITH_CARDS} WHERE {}", conds.join(" AND ")), "m.id")
    } else {
        (format!("FROM members m WHERE {}", conds.join(" AND ")), "m.id")
    };
    let counted = texts.is_empty() || state_only;
    let total = if counted {
        // the whole union, or one card state of it: the kept counts answer
        super::cards::count_of(db, union, filter.state).await?
    } else {
        let count_sql = format!("SELECT COUNT(*) {from}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql).bind(union);
        for t in &texts {
            count = count.bind(t);
        }
        count.fetch_one(&db.pool).await?
    };
    // the page's ids first, from the index alone, then their rows. A page in the second half of
    // a list whose length the kept counts give is read from the end, so the last page costs what
    // the first does.
    let (order, limit, skip) = match from_the_end(counted, total, limit, offset) {
        Some((limit, skip)) => ("DESC", limit, skip),
        None => ("", limit, offset),
    };
    let n = texts.len() + 2;
    let mut ids: Vec<MemberId> = {
        let sql = format!("SELECT {id} {from} ORDER BY {id} {order} LIMIT ${n} OFFSET ${}", n + 1);
        let mut q = sqlx::query_scalar(&sql).bind(union);
        for t in &texts {
            q = q.bind(t);
        }
        q.bind(limit).bind(skip).fetch_all(&db.pool).await?
    };
    ids.sort();
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let sql = format!(
        "SELECT m.id, m.name, m.id_number, m.phone, m.department, c.state AS card_state FROM {MEMBERS_WITH_CARDS} \
         WHERE m.union_id = $1 AND {} ORDER BY m.id",
        super::cards::ids_in(db.backend, "m.id", 2)
    );
    let rows =
        sqlx::query_as::<_, ListRow>(&sql).bind(union).bind(super::cards::json_ids(&ids)).fetch_all(&db.pool).await?;
    Ok((rows, total))
}

/// For a page (`limit` rows after `offset`) of a list of `total` rows known in advance: when the
/// page lies in the list's second half, the limit and offset that read it from the end.
fn from_the_end(known: bool, total: i64, limit: i64, offset: i64) -> Option<(i64, i64)> {
    if !known || offset <= total / 2 || offset >= total {
        return None;
    }
    let rows = limit.min(total - offset);
    Some((rows, total - offset - rows))
}

/// The union's departments as its members' records name them, with how many members each
/// has: the `limit` largest, by name.
pub async fn departments(db: &Db, union: UnionId, limit: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT department, COUNT(*) AS n FROM members WHERE union_id = $1 AND department IS NOT NULL \
         GROUP BY department ORDER BY n DESC, department LIMIT $2",
    )
    .bind(union)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rows)
}

/// Who else holds `id_number`: (their union, its name), or `None`.
pub async fn id_number_holder(
    db: &Db,
    id_number: &str,
    except: MemberId,
) -> Result<Option<(MemberId, UnionId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.union_id, u.name FROM members m JOIN unions u ON u.id = m.union_id WHERE m.id_number = $1 AND m.id <> $2",
    )
    .bind(id_number)
    .bind(except)
    .fetch_optional(&db.pool)
    .await
}

/// Writes a member's edited record (not its card state).
pub async fn update(tx: &mut Tx, id: MemberId, s: &StoredMember) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE members SET name = $1, id_type = $2, id_number = $3, country = $4, sex = $5, birth_date = $6, phone = $7, \
         ethnicity = $8, education = $9, migrant_worker = $10, department = $11, remark = $12, updated_at = $13, \
         id_rev = $15, phone_rev = $16 WHERE id = $14",
    )
    .bind(&s.name)
    .bind(&s.id_type)
    .bind(&s.id_number)
    .bind(&s.country)
    .bind(&s.sex)
    .bind(&s.birth_date)
    .bind(&s.phone)
    .bind(&s.ethnicity)
    .bind(&s.education)
    .bind(&s.migrant_worker)
    .bind(&s.department)
    .bind(&s.remark)
    .bind(now())
    .bind(id)
    .bind(reversed(&s.id_number))
    .bind(reversed(&s.phone))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// IDs per look-up statement.
const LOOKUP_BATCH: usize = 500;

/// A member record that holds an ID number.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub member: MemberId,
    pub union: UnionId,
    pub name: String,
}

/// Which of `id_numbers` are on record: ID number → who holds it. The numbers go to the engine as
/// one JSON parameter a chunk (SQLite looks up each bound name by a linear scan, so hundreds of
/// bound parameters a statement cost more than the look-ups themselves).
pub async fn holders(db: &Db, id_numbers: &[&str]) -> Result<HashMap<String, Holder>, sqlx::Error> {
    let listed = match db.backend {
        Backend::Sqlite => "SELECT value FROM json_each($1)",
        Backend::Postgres => "SELECT jsonb_array_elements_text($1::jsonb)",
    };
    let sql = format!("SELECT id_number, id, union_id, name FROM members WHERE id_number IN ({listed})");
    let mut found = HashMap::new();
    for chunk in id_numbers.chunks(JSON_LOOKUP_BATCH) {
        let list = serde_json::to_string(chunk).expect("strings serialise");
        let rows =
            sqlx::query_as::<_, (String, MemberId, UnionId, String)>(&sql).bind(list).fetch_all(&db.pool).await?;
        for (id_number, member, union, name) in rows {
            found.insert(id_number, Holder { member, union, name });
        }
    }
    Ok(found)
}

/// ID numbers a look-up statement takes as one JSON parameter.
const JSON_LOOKUP_BATCH: usize = 10_000;

/// The columns an import writes from each member row, in the order of `member_rows`.
const MEMBER_COLUMNS: [&str; 14] = [
    "name",
    "id_type",
    "id_number",
    "country",
    "sex",
    "birth_date",
    "phone",
    "ethnicity",
    "education",
    "migrant_worker",
    "department",
    "remark",
    "id_rev",
    "phone_rev",
];

/// Rows per INSERT statement on PostgreSQL (one JSON parameter each).
const INSERT_CHUNK: usize = 5_000;

/// Rows per INSERT statement on SQLite (18 parameters a row, well under SQLite's 32,766).
const SQLITE_INSERT_CHUNK: usize = 500;

/// One JSON array of `[name, id_type, …, id_rev, phone_rev]` arrays.
fn member_rows(chunk: &[StoredMember]) -> String {
    let rows: Vec<_> = chunk
        .iter()
        .map(|m| {
            (
                &m.name,
                &m.id_type,
                &m.id_number,
                &m.country,
                &m.sex,
                &m.birth_date,
                &m.phone,
                &m.ethnicity,
                &m.education,
                &m.migrant_worker,
                &m.department,
                &m.remark,
                reversed(&m.id_number),
                reversed(&m.phone),
            )
        })
        .collect();
    serde_json::to_string(&rows).expect("strings serialise")
}

/// Inserts members, each with a card in 未办卡—待办卡 (`import_id` names the upload they came
/// from), in the caller's transaction. Only `cards::enroll` calls this: it also counts them. Rows
/// keep the given order.
///
/// PostgreSQL reads each statement's rows from one JSON parameter (binding 14 parameters a row
/// was slower there) and writes their cards in the same statement from the ids the INSERT
/// returns. SQLite binds the values themselves, 500 rows a statement, with plain `?`
/// placeholders (it finds a numbered `$N` by a scan of every parameter's name, which is what made
/// binding slow, and parsing rows out of JSON cost it more than binding them); the cards follow
/// in one statement from the new rows' ids, all above the largest id before the first insert:
/// SQLite has one writer, and this transaction is it from its first write on (a writer
/// committing in between would make that write fail, not interleave).
pub(super) async fn insert(
    tx: &mut Tx,
    backend: Backend,
    union: UnionId,
    import_id: Option<&str>,
    members: &[StoredMember],
) -> Result<(), sqlx::Error> {
    let at = now();
    let started = std::time::Instant::now();
    let head =
        format!("INSERT INTO members (union_id, import_id, created_at, updated_at, {})", MEMBER_COLUMNS.join(", "));
    match backend {
        Backend::Sqlite => {
            let before: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM members").fetch_one(&mut **tx).await?;
            let statement = |rows: usize| {
                let row = format!("({})", vec!["?"; 4 + MEMBER_COLUMNS.len()].join(", "));
                format!("{head} VALUES {}", vec![row; rows].join(", "))
            };
            let full = statement(SQLITE_INSERT_CHUNK);
            for chunk in members.chunks(SQLITE_INSERT_CHUNK) {
                let short;
                let sql = if chunk.len() == SQLITE_INSERT_CHUNK {
                    &full
                } else {
                    short = statement(chunk.len());
                    &short
                };
                let mut q = sqlx::query(sql);
                for m in chunk {
                    q = q
                        .bind(union)
                        .bind(import_id)
                        .bind(at)
                        .bind(at)
                        .bind(m.name.as_str())
                        .bind(m.id_type.as_str())
                        .bind(m.id_number.as_str())
                        .bind(m.country.as_deref())
                        .bind(m.sex.as_deref())
                        .bind(m.birth_date.as_deref())
                        .bind(m.phone.as_str())
                        .bind(m.ethnicity.as_deref())
                        .bind(m.education.as_deref())
                        .bind(m.migrant_worker.as_deref())
                        .bind(m.department.as_deref())
                        .bind(m.remark.as_deref())
                        .bind(reversed(&m.id_number))
                        .bind(reversed(&m.phone));
                }
                q.execute(&mut **tx).await?;
            }
            sqlx::query(
                "INSERT INTO cards (union_id, member_id, state, updated_at) \
                 SELECT union_id, id, $1, $2 FROM members WHERE id > $3 AND union_id = $4",
            )
            .bind(CardState::Pending)
            .bind(at)
            .bind(before)
            .bind(union)
            .execute(&mut **tx)
            .await?;
        }
        Backend::Postgres => {
            let values = (0..MEMBER_COLUMNS.len()).map(|i| format!("r->>{i}")).collect::<Vec<_>>().join(", ");
            // jsonb: parsed once, then each ->> is a look-up (json would re-parse every row 14 times).
            // The cards follow in the same statement from the ids the INSERT returns, which never
            // leave the server.
            let sql = format!(
                "WITH added AS ({head} SELECT $1, $2, $3, $3, {values} FROM jsonb_array_elements($4::jsonb) \
                 WITH ORDINALITY AS t(r, n) ORDER BY n RETURNING id) \
                 INSERT INTO cards (union_id, member_id, state, updated_at) SELECT $1, id, $5, $3 FROM added"
            );
            for chunk in members.chunks(INSERT_CHUNK) {
                sqlx::query(&sql)
                    .bind(union)
                    .bind(import_id)
                    .bind(at)
                    .bind(member_rows(chunk))
                    .bind(CardState::Pending)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    tracing::debug!(members = members.len(), ms = started.elapsed().as_millis() as u64, "members written");
    Ok(())
}

/// The ids of the union's members with these ID numbers.
pub async fn ids_of(tx: &mut Tx, union: UnionId, id_numbers: &[&str]) -> Result<Vec<MemberId>, sqlx::Error> {
    let mut ids = Vec::with_capacity(id_numbers.len());
    for chunk in id_numbers.chunks(LOOKUP_BATCH) {
        let placeholders: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id FROM members WHERE union_id = $1 AND id_number IN ({}) ORDER BY id",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, MemberId>(&sql).bind(union);
        for id in chunk {
            q = q.bind(*id);
        }
        ids.extend(q.fetch_all(&mut **tx).await?);
    }
    Ok(ids)
}

/// The member's own card page: name, union, masked-to-be numbers, department, card state and
/// when the record was made.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardHolderRow {
    pub name: String,
    pub union_name: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    pub card_state: CardState,
    pub created_at: i64,
}

pub async fn card_holder(db: &Db, id: MemberId) -> Result<Option<CardHolderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT m.name, u.name AS union_name, m.id_number, m.phone, m.department, c.state AS card_state, m.created_at \
         FROM {MEMBERS_WITH_CARDS} JOIN unions u ON u.id = m.union_id WHERE m.id = $1",
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// One field of a member's record the bank corrected at activation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CorrectionRow {
    pub id: i64,
    pub member_id: MemberId,
    pub member_name: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub at: i64,
}

/// Writes a member's record corrected by the bank and keeps each changed field, old and new, for
/// the union to see; only while the card is 已发放 (the activation the correction belongs to).
/// Answers whether the record was in that state (and so written).
pub async fn correct(
    tx: &mut Tx,
    backend: Backend,
    row: &MemberRow,
    s: &StoredMember,
    changes: &[(&str, String, String)],
    by: Option<UserId>,
) -> Result<bool, sqlx::Error> {
    // the card locked on PostgreSQL until the correction is written: an activation at the same
    // moment comes after it, as the lifecycle has it (correction, then activation)
    let lock = backend.row_lock(" FOR UPDATE");
    let still: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT 1 FROM cards WHERE union_id = $1 AND member_id = $2 AND state = 'distributed'{lock}"
    ))
    .bind(row.union_id)
    .bind(row.id)
    .fetch_optional(&mut **tx)
    .await?;
    if still.is_none() {
        return Ok(false);
    }
    update(tx, row.id, s).await?;
    let at = now();
    for (field, old, new) in changes {
        sqlx::query(
            "INSERT INTO member_corrections (member_id, union_id, field, old_value, new_value, corrected_by, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id)
        .bind(row.union_id)
        .bind(field)
        .bind(old)
        .bind(new)
        .bind(by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// The union's corrections by the bank, newest first; of one member when `member` is given.
pub async fn corrections(
    db: &Db,
    union: UnionId,
    member: Option<MemberId>,
    limit: i64,
) -> Result<Vec<CorrectionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.member_id, m.name AS member_name, c.field, c.old_value, c.new_value, c.at \
         FROM member_corrections c JOIN members m ON m.id = c.member_id \
         WHERE c.union_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR c.member_id = $2) ORDER BY c.id DESC LIMIT $3",
    )
    .bind(union)
    .bind(member.map(|m| m.0))
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::from_the_end;

    #[test]
    fn a_page_in_the_second_half_is_read_from_the_end() {
        // rows 1..=100, 20 a page: page 5 is the last 20, page 4 the 20 before them
        assert_eq!(from_the_end(true, 100, 20, 80), Some((20, 0)));
        assert_eq!(from_the_end(true, 100, 20, 60), Some((20, 20)));
        // a short last page
        assert_eq!(from_the_end(true, 95, 20, 80), Some((15, 0)));
        // the first half, past the end, or a length not known: read from the start
        assert_eq!(from_the_end(true, 100, 20, 40), None);
        assert_eq!(from_the_end(true, 100, 20, 100), None);
        assert_eq!(from_the_end(false, 100, 20, 80), None);
    }
}
