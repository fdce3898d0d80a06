//! A member signs in with 证件号码 + 手机号码 as on record, then a 6-digit 短信验证码 sent to
//! that phone. Nobody creates accounts for members: the first sign-in makes the member's
//! account row (`member:<id>`, with no password anyone can type), so sessions, the caller and
//! the audit log work for members as for staff.
//!
//! What a stranger learns: nothing. A wrong ID/phone pair is answered like a right one, after
//! the same work (a code made, hashed and stored, never sent, never accepted), and waits about
//! as long as a send. Wrong codes count against the ID number and the address, which lock for
//! a while with a countdown; a new code at most once a minute per ID number.

use rand::Rng;
use tower_sessions::Session;

use super::{
    accounts, audit, auth,
    db::{now, Db},
};
use crate::{
    domain::{
        id_document::{compact_half_width, normalise_id},
        ids::{MemberId, UserId},
        role::Role,
    },
    error::{AppError, AppResult},
};

/// A code is good for this long.
pub const CODE_TTL_SECS: i64 = 5 * 60;
/// Tries one code allows.
pub const CODE_TRIES: i64 = 5;
/// At most one new code per ID number in this long.
pub const RESEND_SECS: i64 = 60;
/// Wrong codes one ID number may have in the window before it locks.
pub const ID_FAILURE_LIMIT: i64 = 5;
/// Wrong codes (any ID) and codes asked for from one address in the window before it locks.
pub const ADDRESS_FAILURE_LIMIT: i64 = 20;
pub const ADDRESS_CODE_LIMIT: i64 = 20;
pub const WINDOW_SECS: i64 = 15 * 60;

/// The session key of the code this browser asked for last.
const SESSION_CHALLENGE: &str = "member_code";
/// The session key of the ID number and phone a code was sent for, as typed: the sign-in page
/// shows them again while that code may be typed (5 minutes at most, so a shared phone does not
/// show the last person's numbers); removed once the member is signed in.
const SESSION_TYPED: &str = "member_typed";
/// The session key of a member session's last request (seconds since the epoch).
pub const SESSION_SEEN: &str = "member_seen";
/// A member session ends after this long without a request.
pub const MEMBER_IDLE_SECS: i64 = 15 * 60;

/// The key that throttles an ID number, without keeping it: a hash of it as normalised.
pub fn id_key(id_number: &str) -> String {
    format!("member:{}", auth::sha256_hex(format!("unioncard-member-signin:{id_number}").as_bytes()))
}

/// `请X分X秒后再试` from a number of seconds.
fn wait_text(secs: i64) -> String {
    let secs = secs.max(1);
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s}秒"),
        (m, 0) => format!("{m}分钟"),
        (m, s) => format!("{m}分{s}秒"),
    }
}

/// Rows counted against a key over a time window: which table, which column holds the key and
/// which the time.
#[derive(Debug, Clone, Copy)]
struct Counted {
    table: &'static str,
    key: &'static str,
    at: &'static str,
}

/// Failed code checks by ID number (its key) and by address.
const FAILURES_BY_ID: Counted = Counted { table: "login_failures", key: "username", at: "at" };
const FAILURES_BY_ADDRESS: Counted = Counted { table: "login_failures", key: "address", at: "at" };
/// Codes made, by ID number (its key) and by address.
const CODES_BY_ID: Counted = Counted { table: "member_codes", key: "id_key", at: "created_at" };
const CODES_BY_ADDRESS: Counted = Counted { table: "member_codes", key: "address", at: "created_at" };

/// When the `limit`-th newest of the rows counted against `key` since the window began leaves
/// the window: `Some(seconds)` from now while there are `limit` or more.
async fn locked_for(db: &Db, rows: Counted, key: &str, limit: i64, window: i64) -> Result<Option<i64>, sqlx::Error> {
    let Counted { table, key: column, at } = rows;
    let at: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT at FROM (SELECT {at} AS at FROM {table} WHERE {column} = $1 AND {at} > $2 ORDER BY {at} DESC LIMIT $3) t \
         ORDER BY at LIMIT 1 OFFSET $4"
    ))
    .bind(key)
    .bind(now() - window)
    .bind(limit)
    .bind(limit - 1)
    .fetch_optional(&db.pool)
    .await?;
    Ok(at.map(|at| at + window - now()))
}

fn locked(message: String) -> AppError {
    AppError::Locked { message }
}

/// What the browser is told after asking for a code.
#[derive(Debug, Clone)]
pub struct CodeSent {
    /// No gateway: the code is in the server log (演示环境).
    pub demo: bool,
    /// Seconds before another code may be asked for.
    pub resend_after: i64,
}

fn six_digits() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// Asks for a code for `id_number` + `phone` as typed. Answers alike whether they name a member.
pub async fn request_code(
    db: &Db,
    gateway: &super::sms::Gateway,
    session: &Session,
    address: &str,
    id_number: &str,
    phone: &str,
) -> AppResult<CodeSent> {
    let (typed_id, typed_phone) = (id_number, phone);
    let (id_number, _) = normalise_id(id_number);
    let (phone, _) = compact_half_width(phone);
    let mut errors = Vec::new();
    if id_number.is_empty() || id_number.chars().count() > 40 {
        errors.push(("id_number", "请输入证件号码。"));
    }
    if !crate::domain::phone::is_mobile(&phone) {
        errors.push(("phone", "请输入11位手机号码。"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid {
            errors: errors
                .into_iter()
                .map(|(f, m)| crate::domain::FieldError { field: f.into(), message: m.into() })
                .collect(),
        });
    }
    let key = id_key(&id_number);
    if let Some(secs) = locked_for(db, FAILURES_BY_ID, &key, ID_FAILURE_LIMIT, auth::FAILURE_WINDOW_SECS).await? {
        return Err(locked(format!("验证码错误次数过多，请{}后再试。", wait_text(secs))));
    }
    if let Some(secs) = locked_for(db, CODES_BY_ID, &key, 1, RESEND_SECS).await? {
        return Err(locked(format!("验证码已发送，请{}后再重新获取。", wait_text(secs))));
    }
    if let Some(secs) = locked_for(db, CODES_BY_ADDRESS, address, ADDRESS_CODE_LIMIT, WINDOW_SECS).await? {
        return Err(locked(format!("本机获取验证码次数过多，请{}后再试。", wait_text(secs))));
    }
    let member: Option<MemberId> = sqlx::query_scalar("SELECT id FROM members WHERE id_number = $1 AND phone = $2")
        .bind(&id_number)
        .bind(&phone)
        .fetch_optional(&db.pool)
        .await?;
    let code = six_digits();
    let hash = auth::hash_password(code.clone()).await?;
    let at = now();
    let challenge: i64 = sqlx::query_scalar(
        "INSERT INTO member_codes (id_key, member_id, address, code_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&key)
    .bind(member)
    .bind(address)
    .bind(&hash)
    .bind(at)
    .bind(at + CODE_TTL_SECS)
    .fetch_one(&db.pool)
    .await?;
    let text = format!("【深圳工会会员服务卡】您的验证码为{code}，5分钟内有效。请勿告诉他人。");
    let sent = match member {
        Some(_) => gateway.send(&phone, &text).await,
        None => gateway.pretend().await,
    };
    if sent.is_err() {
        // the code cannot reach anyone: it must not count against the once-a-minute rule
        sqlx::query("DELETE FROM member_codes WHERE id = $1").bind(challenge).execute(&db.pool).await?;
        return Err(AppError::refused("sms_failed", "短信发送失败，请稍后再试；如多次失败，请联系所在工会。"));
    }
    session.insert(SESSION_CHALLENGE, challenge).await.map_err(auth::session_error)?;
    session.insert(SESSION_TYPED, (typed_id, typed_phone)).await.map_err(auth::session_error)?;
    Ok(CodeSent { demo: gateway.is_demo(), resend_after: RESEND_SECS })
}

/// Where this browser's sign-in stands: the code sent, if it may still be typed, and what was
/// typed for it.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub id_number: String,
    pub phone: String,
    pub code: Option<PendingCode>,
}

#[derive(Debug, Clone, Copy)]
pub struct PendingCode {
    /// Seconds before another code may be asked for (0: now).
    pub resend_after: i64,
}

/// Whether a code may still be typed at `at`: not used, not expired, tries left.
fn may_be_typed(expires_at: i64, tries: i64, used_at: Option<i64>, at: i64) -> bool {
    used_at.is_none() && expires_at > at && tries < CODE_TRIES
}

pub async fn step(db: &Db, session: &Session) -> AppResult<Step> {
    let code = match session.get::<i64>(SESSION_CHALLENGE).await.map_err(auth::session_error)? {
        None => None,
        Some(challenge) => {
            let row: Option<(i64, i64, i64, Option<i64>)> =
                sqlx::query_as("SELECT created_at, expires_at, tries, used_at FROM member_codes WHERE id = $1")
                    .bind(challenge)
                    .fetch_optional(&db.pool)
                    .await?;
            let at = now();
            row.filter(|(_, expires_at, tries, used_at)| may_be_typed(*expires_at, *tries, *used_at, at))
                .map(|(created_at, ..)| PendingCode { resend_after: (created_at + RESEND_SECS - at).max(0) })
        }
    };
    let (id_number, phone) = match code {
        Some(_) => session.get::<(String, String)>(SESSION_TYPED).await.map_err(auth::session_error)?,
        None => None,
    }
    .unwrap_or_default();
    Ok(Step { id_number, phone, code })
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    id_key: String,
    member_id: Option<MemberId>,
    code_hash: String,
    tries: i64,
    expires_at: i64,
    used_at: Option<i64>,
}

/// Checks `code` against the code this session asked for; signs the member in when it is theirs.
pub async fn verify_code(db: &Db, session: &Session, address: &str, code: &str) -> AppResult<()> {
    let Some(code) = crate::domain::member_portal::parse_code(code) else {
        return Err(AppError::invalid("code", "请输入6位数字验证码。"));
    };
    let Some(challenge) = session.get::<i64>(SESSION_CHALLENGE).await.map_err(auth::session_error)? else {
        return Err(AppError::invalid("code", "请先获取短信验证码。"));
    };
    let row: Option<CodeRow> = sqlx::query_as(
        "SELECT id_key, member_id, code_hash, tries, expires_at, used_at FROM member_codes WHERE id = $1",
    )
    .bind(challenge)
    .fetch_optional(&db.pool)
    .await?;
    let expired = || AppError::invalid("code", "验证码已失效，请重新获取。");
    let Some(CodeRow { id_key: key, member_id: member, code_hash: hash, tries, expires_at, used_at }) = row else {
        return Err(expired());
    };
    if !may_be_typed(expires_at, tries, used_at, now()) {
        return Err(expired());
    }
    if let Some(secs) = locked_for(db, FAILURES_BY_ID, &key, ID_FAILURE_LIMIT, auth::FAILURE_WINDOW_SECS).await? {
        return Err(locked(format!("验证码错误次数过多，请{}后再试。", wait_text(secs))));
    }
    if let Some(secs) =
        locked_for(db, FAILURES_BY_ADDRESS, address, ADDRESS_FAILURE_LIMIT, auth::FAILURE_WINDOW_SECS).await?
    {
        return Err(locked(format!("本机验证失败次数过多，请{}后再试。", wait_text(secs))));
    }
    // the try is spent before the hash is checked: parallel guesses cannot share one try
    let spent =
        sqlx::query("UPDATE member_codes SET tries = tries + 1 WHERE id = $1 AND tries = $2 AND used_at IS NULL")
            .bind(challenge)
            .bind(tries)
            .execute(&db.pool)
            .await?;
    if spent.rows_affected() != 1 {
        return Err(AppError::conflict("code_busy", "验证码正在校验，请稍候再试。"));
    }
    let right = auth::verify_password(code, Some(hash)).await?;
    match (right, member) {
        (true, Some(member)) => {
            let used = sqlx::query("UPDATE member_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(now())
                .bind(challenge)
                .execute(&db.pool)
                .await?;
            if used.rows_affected() != 1 {
                return Err(expired());
            }
            auth::clear_failures(&db.pool, &key).await?;
            let (user, version) = account_of(db, member).await?;
            auth::sign_in(session, user, version).await?;
            session.remove::<i64>(SESSION_CHALLENGE).await.map_err(auth::session_error)?;
            session.remove::<(String, String)>(SESSION_TYPED).await.map_err(auth::session_error)?;
            session.insert(SESSION_SEEN, now()).await.map_err(auth::session_error)?;
            audit::record(&db.pool, Some(user), "member_login", &format!("member:{}", member.0), address).await?;
            Ok(())
        }
        _ => {
            sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
                .bind(&key)
                .bind(address)
                .bind(now())
                .execute(&db.pool)
                .await?;
            audit::record(&db.pool, None, "member_login_failed", "member", address).await?;
            let failures: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
                    .bind(&key)
                    .bind(now() - auth::FAILURE_WINDOW_SECS)
                    .fetch_one(&db.pool)
                    .await?;
            let left = (CODE_TRIES - tries - 1).min(ID_FAILURE_LIMIT - failures);
            if left <= 0 {
                if failures >= ID_FAILURE_LIMIT {
                    return Err(locked(format!(
                        "验证码错误次数过多，请{}后再试。",
                        wait_text(auth::FAILURE_WINDOW_SECS)
                    )));
                }
                return Err(expired());
            }
            Err(AppError::invalid("code", format!("验证码不正确，还可以再试{left}次。")))
        }
    }
}

/// The member's account (made on first sign-in) and its auth version.
async fn account_of(db: &Db, member: MemberId) -> AppResult<(UserId, i64)> {
    let found: Option<(UserId, i64, i64)> = sqlx::query_as(
        "SELECT id, auth_version, disabled FROM users WHERE member_id = $1 AND role = 'member' ORDER BY id",
    )
    .bind(member)
    .fetch_optional(&db.pool)
    .await?;
    if let Some((id, version, disabled)) = found {
        if disabled != 0 {
            return Err(AppError::denied("account_disabled", "该账号已停用，请联系所在工会。"));
        }
        return Ok((id, version));
    }
    let name: String =
        sqlx::query_scalar("SELECT name FROM members WHERE id = $1").bind(member).fetch_one(&db.pool).await?;
    let username = format!("member:{}", member.0);
    let mut tx = db.begin_write().await?;
    let id = accounts::insert(
        &mut tx,
        &accounts::NewAccount {
            username: &username,
            display_name: &name,
            role: Role::Member,
            union_id: None,
            bank_id: None,
            member_id: Some(member),
            // not a PHC string: no password verifies against it
            password_hash: "!sms-only",
            must_change_password: false,
            created_by: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, 1))
}

/// Whether a member session has been idle too long; otherwise notes this request. Staff
/// sessions are left to the session layer's own idle limit.
pub async fn member_session_alive(session: &Session, role: Role) -> AppResult<bool> {
    if role != Role::Member {
        return Ok(true);
    }
    let seen = session.get::<i64>(SESSION_SEEN).await.map_err(auth::session_error)?;
    let t = now();
    match idle(seen, t) {
        Idle::Expired => Ok(false),
        Idle::Fresh => Ok(true),
        Idle::Note => {
            session.insert(SESSION_SEEN, t).await.map_err(auth::session_error)?;
            Ok(true)
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Idle {
    /// Idle longer than [`MEMBER_IDLE_SECS`]: the session ends.
    Expired,
    /// Seen within the last 30 seconds: nothing to write.
    Fresh,
    /// Alive: note this request as the last seen.
    Note,
}

/// Where a member session stands, last seen at `seen` (never: just signed in by password), now `t`.
fn idle(seen: Option<i64>, t: i64) -> Idle {
    match seen {
        Some(s) if t - s > MEMBER_IDLE_SECS => Idle::Expired,
        Some(s) if t - s < 30 => Idle::Fresh,
        _ => Idle::Note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_key_hides_the_number_and_is_stable() {
        let k = id_key("440301199001011234");
        assert!(k.starts_with("member:") && !k.contains("440301"));
        assert_eq!(k, id_key("440301199001011234"));
        assert_ne!(k, id_key("440301199001011235"));
    }

    #[test]
    fn a_member_session_ends_after_fifteen_idle_minutes() {
        let t = 1_800_000_000;
        assert_eq!(idle(None, t), Idle::Note);
        assert_eq!(idle(Some(t - 10), t), Idle::Fresh);
        assert_eq!(idle(Some(t - 60), t), Idle::Note);
        assert_eq!(idle(Some(t - 15 * 60), t), Idle::Note);
        assert_eq!(idle(Some(t - 15 * 60 - 1), t), Idle::Expired);
    }

    #[test]
    fn waits_read_as_minutes_and_seconds() {
        assert_eq!(wait_text(59), "59秒");
        assert_eq!(wait_text(120), "2分钟");
        assert_eq!(wait_text(754), "12分34秒");
        assert_eq!(wait_text(0), "1秒");
    }
}
