//! `/api/bank/v1`: the bank's systems on the same card lifecycle as the desk. JSON over HTTP,
//! authenticated by a bank API token (`Authorization: Bearer ucb_…`), scoped to the token's
//! bank exactly like the desk; every POST takes an `Idempotency-Key`; errors are RFC 9457
//! problem details with a stable `code` and the Chinese message. The OpenAPI 3.1 document is
//! generated from these types and handlers (utoipa) and served at `/api/bank/v1/openapi.json`.

use app::{
    api::{cards::refusal, deliveries::time_of},
    domain::{
        card::{check, CardAction, CardMove, CardState, DeliveryAction, DeliveryStage, Rejection, RejectionReason},
        ids::{BatchId, MemberId},
        member::MemberInput,
        role::Role,
    },
    error::{AppError, AppResult},
    server::{
        audit, bank_tokens, batches, cards,
        db::now,
        deliveries::{self, Activation, BankCardRow},
        imports::today,
        members,
        state::AppState,
        Db,
    },
};
use axum::{
    body::{Body, Bytes},
    extract::{
        rejection::{PathRejection, QueryRejection},
        FromRequestParts, Path, Query, State,
    },
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The largest body a POST may have.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The most items one POST may carry.
pub const MAX_ITEMS: usize = 1000;
const PAGE_MAX: i64 = 200;

/// An RFC 9457 problem: `type`, `title` (the Chinese message), `status`, and our stable `code`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem: `/api/bank/v1/problems/<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What happened, in Chinese, for a person to read.
    pub title: String,
    pub status: u16,
    /// The stable machine code (`unauthorized`, `malformed_json`, `not_found`, …).
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// With `nothing_applied`: what happened to each item, as in a successful answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Box<[ItemOutcome]>>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/api/bank/v1/problems/{code}"),
            title: title.into(),
            status: status.as_u16(),
            code: code.into(),
            detail: None,
            results: None,
        }
    }

    /// A request none of whose items could be done (each refused): 422, with every item's
    /// answer; nothing changed, and the key may be used again once the request is fixed.
    fn nothing_applied(results: Vec<ItemOutcome>) -> Problem {
        let first = results.first().and_then(|r| r.message.clone()).unwrap_or_default();
        let mut p = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "nothing_applied",
            format!("请求中没有一项可以办理，未做任何更改。{first}"),
        );
        p.results = Some(results.into_boxed_slice());
        p
    }

    /// Every item refused: the request as a whole is a problem.
    fn unless_all_refused(results: &[ItemOutcome]) -> ApiResult<()> {
        if results.iter().all(|r| r.outcome == "refused") {
            return Err(Problem::nothing_applied(results.to_vec()));
        }
        Ok(())
    }

    fn with_detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, Json(&self)).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let code = match &e {
            AppError::Unauthenticated => "unauthorized",
            other => other.code(),
        };
        Problem::new(status, code, e.to_string())
    }
}

impl From<sqlx::Error> for Problem {
    #[track_caller]
    fn from(e: sqlx::Error) -> Problem {
        AppError::from(e).into()
    }
}

type ApiResult<T> = Result<T, Problem>;

/// A batch number in the path, or the problem with it.
fn batch_of(path: Result<Path<i64>, PathRejection>) -> ApiResult<i64> {
    path.map(|Path(b)| b).map_err(|_| Problem::new(StatusCode::NOT_FOUND, "not_found", "没有这个批次。"))
}

/// The query parameters, or the problem with them.
fn query_of<T>(query: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    query.map(|Query(q)| q).map_err(|e| {
        Problem::new(StatusCode::BAD_REQUEST, "invalid_query", "查询参数有误。").with_detail(e.body_text())
    })
}

/// The bank system calling: the token's bank, as the user who made the token.
#[derive(Debug, Clone, Copy)]
pub struct BankSystem(pub bank_tokens::TokenHolder);

impl FromRequestParts<AppState> for BankSystem {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let refused = || Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", "API 令牌无效或已停用。");
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(refused)?;
        let holder = bank_tokens::authenticate(&state.db, presented).await?.ok_or_else(refused)?;
        audit::record(
            &state.db.pool,
            Some(holder.user),
            "api_call",
            &format!("token:{}", holder.token),
            &format!("{} {}", parts.method, parts.uri.path()),
        )
        .await?;
        Ok(BankSystem(holder))
    }
}

/// A batch as the bank's systems see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Batch {
    pub id: i64,
    /// 批次号
    pub batch_no: String,
    pub union_name: String,
    pub branch_code: String,
    pub branch_name: String,
    /// Cards in the batch.
    pub members: i64,
    /// Cards approved or rejected so far.
    pub reviewed: i64,
    /// `submitted` while cards wait for review, `reviewed` once every card has been.
    pub state: String,
    /// Seconds since the epoch.
    pub created_at: i64,
}

impl Batch {
    fn state_of(reviewed: i64, members: i64) -> &'static str {
        if reviewed < members {
            "submitted"
        } else {
            "reviewed"
        }
    }
}

impl From<batches::BatchRow> for Batch {
    fn from(b: batches::BatchRow) -> Batch {
        Batch {
            id: b.id.0,
            state: Batch::state_of(b.reviewed, b.members).into(),
            batch_no: b.batch_no,
            union_name: b.union_name,
            branch_code: b.branch_code,
            branch_name: b.branch_name,
            members: b.members,
            reviewed: b.reviewed,
            created_at: b.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    /// `submitted` (cards still to review), `reviewed`, or leave out for all.
    pub state: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<i64>,
    /// At most 200; 50 when left out.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchPage {
    pub items: Vec<Batch>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<i64>,
}

fn limit_of(limit: Option<i64>) -> ApiResult<i64> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=PAGE_MAX).contains(&n) => Ok(n),
        Some(_) => Err(Problem::new(StatusCode::BAD_REQUEST, "invalid_limit", "limit 须在 1 到 200 之间。")),
    }
}

/// Batches of the token's bank, oldest first, by state, a page at a time.
#[utoipa::path(get, path = "/api/bank/v1/batches", params(BatchQuery), security(("bearer" = [])),
    responses((status = 200, body = BatchPage), (status = 400, body = Problem), (status = 401, body = Problem)))]
async fn list_batches(
    State(db): State<Db>,
    BankSystem(who): BankSystem,
    q: Result<Query<BatchQuery>, QueryRejection>,
) -> ApiResult<Json<BatchPage>> {
    let q = query_of(q)?;
    let limit = limit_of(q.limit)?;
    let filter = match q.state.as_deref() {
        None | Some("") | Some("all") => "",
        Some("submitted") => "AND b.reviewed < b.members",
        Some("reviewed") => "AND b.reviewed >= b.members",
        Some(_) => {
            return Err(Problem::new(StatusCode::BAD_REQUEST, "invalid_state", "state 只能是 submitted 或 reviewed。"))
        }
    };
    let rows = batches::page_of_bank(&db, who.bank, filter, q.cursor.unwrap_or(0), limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let items: Vec<Batch> = rows.into_iter().take(limit as usize).map(Batch::from).collect();
    let next_cursor = more.then(|| items.last().map(|b| b.id)).flatten();
    Ok(Json(BatchPage { items, next_cursor }))
}

/// A member of a batch with the full record the bank reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchMember {
    pub member: i64,
    pub name: String,
    /// 证件类型 code (`01` 居民身份证, …).
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    /// The card's state (`submitted`, `rejected`, `in_production`, …).
    pub card_state: String,
    /// 是否加载深圳通 (load the Shenzhen Tong transit function), as the union's upload gave it;
    /// absent for a member not imported from the template.
    pub shenzhen_tong: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchDetail {
    pub batch: Batch,
    pub members: Vec<BatchMember>,
    /// Pass as `cursor` for the next page of members; absent on the last page.
    pub next_cursor: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// The `next_cursor` of the previous page of members.
    pub cursor: Option<i64>,
    /// At most 200; 50 when left out.
    pub limit: Option<i64>,
}

/// One batch of the token's bank with its members' full records (each read audited).
#[utoipa::path(get, path = "/api/bank/v1/batches/{batch}", params(("batch" = i64, Path), MemberQuery),
    security(("bearer" = [])),
    responses((status = 200, body = BatchDetail), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_batch(
    State(db): State<Db>,
    BankSystem(who): BankSystem,
    batch: Result<Path<i64>, PathRejection>,
    q: Result<Query<MemberQuery>, QueryRejection>,
) -> ApiResult<Json<BatchDetail>> {
    let (batch, q) = (batch_of(batch)?, query_of(q)?);
    let limit = limit_of(q.limit)?;
    let row = batches::of_bank_one(&db, who.bank, BatchId(batch)).await?;
    let rows = batches::members_after(&db, row.id, MemberId(q.cursor.unwrap_or(0)), limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let members: Vec<BatchMember> = rows
        .into_iter()
        .take(limit as usize)
        .map(|m| BatchMember {
            shenzhen_tong: m.shenzhen_tong(),
            member: m.id.0,
            name: m.name,
            id_type: m.id_type,
            id_number: m.id_number,
            phone: m.phone,
            department: m.department,
            card_state: m.card_state.as_str().into(),
        })
        .collect();
    audit::record(
        &db.pool,
        Some(who.user),
        "api_batch_viewed",
        &format!("batch:{}", row.batch_no),
        &format!("members={}", members.len()),
    )
    .await?;
    let next_cursor = more.then(|| members.last().map(|m| m.member)).flatten();
    Ok(Json(BatchDetail { batch: row.into(), members, next_cursor }))
}

/// One decision of a review.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewResult {
    pub member: i64,
    /// `approve` or `reject`.
    pub decision: String,
    /// With `reject`: `id_not_verified`, `name_id_mismatch`, `phone_invalid`, `already_holder`,
    /// `id_expired` or `other`.
    #[serde(default)]
    pub reason_code: Option<String>,
    /// With `reject`: the bank's words to the union (required for `other`).
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub results: Vec<ReviewResult>,
}

/// What happened to one item of a POST.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemOutcome {
    pub member: i64,
    /// `applied`, `already_applied` or `refused`.
    pub outcome: String,
    /// Why it was refused (a stable code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Why, in Chinese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Card events: the card's state after the item (`in_production`, `awaiting_delivery`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_state: Option<String>,
}

impl ItemOutcome {
    fn applied(member: i64) -> ItemOutcome {
        ItemOutcome { member, outcome: "applied".into(), code: None, message: None, card_state: None }
    }
    fn already(member: i64) -> ItemOutcome {
        ItemOutcome { member, outcome: "already_applied".into(), code: None, message: None, card_state: None }
    }
    fn refused(member: i64, code: &str, message: impl Into<String>) -> ItemOutcome {
        ItemOutcome {
            member,
            outcome: "refused".into(),
            code: Some(code.into()),
            message: Some(message.into()),
            card_state: None,
        }
    }

    /// An error of the shared lifecycle as this item's refusal; an internal error fails the
    /// whole request instead (nothing about it is the caller's to fix).
    fn refused_by(member: i64, e: AppError) -> ApiResult<ItemOutcome> {
        match e {
            AppError::Internal => Err(e.into()),
            AppError::Invalid { errors } => Ok(ItemOutcome::refused(
                member,
                "invalid_value",
                errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("；"),
            )),
            AppError::NotFound => Ok(ItemOutcome::refused(member, "not_found", e.to_string())),
            other => Ok(ItemOutcome::refused(member, other.code(), other.to_string())),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewAnswer {
    pub batch: Batch,
    pub results: Vec<ItemOutcome>,
}

/// How much of a body over the limit is still read (and thrown away) so that the client, still
/// sending, hears the 413 rather than a connection reset.
const DRAIN_BYTES: usize = 8 * MAX_BODY_BYTES;
/// How long a POST's body may take to arrive.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The body of a POST, at most [`MAX_BODY_BYTES`].
async fn read_body(headers: &HeaderMap, body: Body) -> ApiResult<Bytes> {
    use futures_util::StreamExt;
    let too_large = || Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "请求内容过大（上限 1 MB）。");
    let announced = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    if announced.is_some_and(|n: usize| n > DRAIN_BYTES) {
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    let (mut kept, mut seen) = (Vec::new(), 0usize);
    let read = async {
        while let Some(chunk) = stream.next().await {
            let chunk =
                chunk.map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "unreadable_body", "请求内容无法读取。"))?;
            seen += chunk.len();
            if seen <= MAX_BODY_BYTES {
                kept.extend_from_slice(&chunk);
            } else if seen > DRAIN_BYTES {
                break;
            }
        }
        Ok::<_, Problem>(())
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .map_err(|_| Problem::new(StatusCode::REQUEST_TIMEOUT, "body_timeout", "请求内容在 30 秒内未发送完毕。"))??;
    if seen > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(kept.into())
}

/// The body of a POST as JSON of `T`, or the problem with it.
async fn parse_body<T: for<'de> Deserialize<'de>>(headers: &HeaderMap, body: Body) -> ApiResult<(Bytes, T)> {
    let body = read_body(headers, body).await?;
    match serde_json::from_slice::<T>(&body) {
        Ok(v) => Ok((body, v)),
        Err(e) if e.is_data() => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "请求内容的字段不符合接口说明（未知字段、缺少字段或类型不对）。",
        )
        .with_detail(e.to_string())),
        Err(e) => Err(Problem::new(StatusCode::BAD_REQUEST, "malformed_json", "请求内容不是有效的 JSON。")
            .with_detail(e.to_string())),
    }
}

/// The `Idempotency-Key` of a POST.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or("");
    if key.is_empty() || key.len() > 100 {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "idempotency_key_required",
            "POST 请求须带 Idempotency-Key 请求头（1–100 个字符）。",
        ));
    }
    Ok(key.to_string())
}

/// A key whose first request has not answered within this long is taken to have died with its
/// server, and may be used again.
const ABANDONED_AFTER_SECS: i64 = 600;

/// Runs `work` once per idempotency key: the same key with the same request replays the first
/// answer; with another request it is refused; while the first is still running, the same key
/// is answered 409 (the key is reserved before the work starts, so two identical requests sent
/// together do the work once). The work and the keeping of its answer run on their own task, so
/// a client that hangs up midway leaves neither half the work without its answer nor its key
/// reserved.
async fn once<F, Fut>(db: Db, who: bank_tokens::TokenHolder, key: String, request: Vec<u8>, work: F) -> Response
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ApiResult<(StatusCode, serde_json::Value)>> + Send + 'static,
{
    let task = tokio::spawn(async move {
        let fingerprint = app::server::auth::sha256_hex(&request);
        let reserved_at = match reserve(&db, who, &key, &fingerprint).await {
            Ok(Reservation::Ours { at }) => at,
            Ok(Reservation::Answered(res)) => return res,
            Err(p) => return p.into_response(),
        };
        let (status, body) = match work().await {
            Ok(answer) => answer,
            Err(p) => {
                // a problem is not remembered: the same request may be sent again once fixed
                if let Err(e) = release(&db, who, &key, reserved_at).await {
                    tracing::error!(error = %e, "could not free an idempotency key");
                }
                return p.into_response();
            }
        };
        let text = body.to_string();
        let kept = sqlx::query(
            "UPDATE api_idempotency SET status = $1, body = $2 WHERE bank_id = $3 AND key = $4 AND created_at = $5",
        )
        .bind(i64::from(status.as_u16()))
        .bind(&text)
        .bind(who.bank)
        .bind(&key)
        .bind(reserved_at)
        .execute(&db.pool)
        .await;
        if let Err(e) = kept {
            tracing::error!(error = %e, "could not keep an idempotent answer");
        }
        let mut res = (status, text).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        res
    });
    task.await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "an API request's task failed");
        Problem::from(AppError::Internal).into_response()
    })
}

/// Frees a reservation made at `at` (only that one: a stale key taken over since is another's).
async fn release(db: &Db, who: bank_tokens::TokenHolder, key: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM api_idempotency WHERE bank_id = $1 AND key = $2 AND status = 0 AND created_at = $3")
        .bind(who.bank)
        .bind(key)
        .bind(at)
        .execute(&db.pool)
        .await?;
    Ok(())
}

enum Reservation {
    /// The key is ours (reserved at `at`): do the work.
    Ours { at: i64 },
    /// The key was used before: this is the answer (a replay, or why not).
    Answered(Response),
}

/// Reserves `key` for a request (status 0 until its answer is kept), or answers from its first use.
async fn reserve(db: &Db, who: bank_tokens::TokenHolder, key: &str, fingerprint: &str) -> ApiResult<Reservation> {
    for _ in 0..2 {
        let at = now();
        let taken = sqlx::query(
            "INSERT INTO api_idempotency (bank_id, key, request_hash, status, body, created_at) \
             VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (bank_id, key) DO NOTHING",
        )
        .bind(who.bank)
        .bind(key)
        .bind(fingerprint)
        .bind(at)
        .execute(&db.pool)
        .await?
        .rows_affected();
        if taken == 1 {
            return Ok(Reservation::Ours { at });
        }
        let stored = sqlx::query_as::<_, (String, i64, String, i64)>(
            "SELECT request_hash, status, body, created_at FROM api_idempotency WHERE bank_id = $1 AND key = $2",
        )
        .bind(who.bank)
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
        let Some((hash, status, body, created_at)) = stored else {
            continue; // freed meanwhile: try again
        };
        if hash != fingerprint {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "该 Idempotency-Key 已用于另一个请求，请为新请求使用新的 Key。",
            ));
        }
        if status == 0 {
            if created_at >= now() - ABANDONED_AFTER_SECS {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "request_in_progress",
                    "使用该 Idempotency-Key 的请求正在处理，请稍后用同一 Key 重新发送以取得结果。",
                ));
            }
            // abandoned by a server that stopped: taken over (only that reservation, should
            // another request take it over at the same moment)
            release(db, who, key, created_at).await?;
            continue;
        }
        let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
        let mut res = (status, body).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        res.headers_mut().insert("idempotency-replayed", HeaderValue::from_static("true"));
        return Ok(Reservation::Answered(res));
    }
    Err(Problem::new(
        StatusCode::CONFLICT,
        "request_in_progress",
        "使用该 Idempotency-Key 的请求正在处理，请稍后再试。",
    ))
}

/// The bank's review of a batch: each member approved or rejected with a reason. Each item is
/// answered: applied, already applied (an earlier send, or another officer), or refused with why.
#[utoipa::path(post, path = "/api/bank/v1/batches/{batch}/reviews", params(("batch" = i64, Path),
    ("Idempotency-Key" = String, Header, description = "The same key and body replay the first answer")),
    request_body = ReviewRequest, security(("bearer" = [])),
    responses((status = 200, body = ReviewAnswer), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn post_reviews(
    State(db): State<Db>,
    BankSystem(who): BankSystem,
    batch: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let batch = match batch_of(batch) {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    let key = match idempotency_key(&headers) {
        Ok(k) => k,
        Err(p) => return p.into_response(),
    };
    let (raw, request) = match parse_body::<ReviewRequest>(&headers, body).await {
        Ok(parsed) => parsed,
        Err(p) => return p.into_response(),
    };
    let mut fingerprint = format!("POST /batches/{batch}/reviews\n").into_bytes();
    fingerprint.extend_from_slice(&raw);
    let work_db = db.clone();
    once(db, who, key, fingerprint, move || async move {
        let answer = review(&work_db, who, BatchId(batch), request).await?;
        Ok((StatusCode::OK, serde_json::to_value(answer).expect("an answer serialises")))
    })
    .await
}

async fn review(
    db: &Db,
    who: bank_tokens::TokenHolder,
    batch: BatchId,
    request: ReviewRequest,
) -> ApiResult<ReviewAnswer> {
    if request.results.is_empty() || request.results.len() > MAX_ITEMS {
        return Err(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_items", "results 须有 1 到 1000 项。"));
    }
    let row = batches::of_bank_one(db, who.bank, batch).await?;
    let mut outcomes: Vec<Option<ItemOutcome>> = vec![None; request.results.len()];
    let mut rejections = Vec::new();
    let mut approvals = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, r) in request.results.iter().enumerate() {
        if !seen.insert(r.member) {
            outcomes[i] = Some(ItemOutcome::refused(r.member, "duplicate_member", "同一会员在本次请求中出现多次。"));
            continue;
        }
        match r.decision.as_str() {
            "approve" => approvals.push(MemberId(r.member)),
            "reject" => {
                let reason = r.reason_code.as_deref().and_then(RejectionReason::parse);
                let text = r.reason.clone().unwrap_or_default();
                match reason {
                    None => {
                        outcomes[i] = Some(ItemOutcome::refused(
                            r.member,
                            "reason_required",
                            "退回须填写原因代码 reason_code（见接口说明）。",
                        ))
                    }
                    Some(RejectionReason::Other) if text.trim().is_empty() => {
                        outcomes[i] =
                            Some(ItemOutcome::refused(r.member, "reason_required", "原因为“其他”时须写明 reason。"))
                    }
                    Some(_) if text.chars().count() > 200 => {
                        outcomes[i] =
                            Some(ItemOutcome::refused(r.member, "reason_too_long", "原因说明不能超过200个字。"))
                    }
                    Some(reason) => rejections.push(batches::MemberRejection {
                        member: MemberId(r.member),
                        reasons: vec![Rejection { reason, text }],
                    }),
                }
            }
            _ => {
                outcomes[i] =
                    Some(ItemOutcome::refused(r.member, "invalid_decision", "decision 只能是 approve 或 reject。"))
            }
        }
    }
    let done = batches::review_of(db, &row, who.user, &rejections, &approvals, false).await?;
    // what each card is now, for the items that did not move
    let states =
        batches::card_states(db, row.union_id, &request.results.iter().map(|r| MemberId(r.member)).collect::<Vec<_>>())
            .await?;
    for (i, r) in request.results.iter().enumerate() {
        if outcomes[i].is_some() {
            continue;
        }
        let member = MemberId(r.member);
        let moved = done.approved_ids.contains(&member) || done.rejected_ids.contains(&member);
        outcomes[i] = Some(if moved {
            ItemOutcome::applied(r.member)
        } else {
            match states.get(&member) {
                Some((state, Some(b))) if *b == row.id => {
                    let wanted = if r.decision == "approve" { CardState::InProduction } else { CardState::Rejected };
                    let reached = match wanted {
                        CardState::Rejected => *state == CardState::Rejected,
                        _ => !matches!(state, CardState::Submitted | CardState::Rejected | CardState::Pending),
                    };
                    if reached {
                        ItemOutcome::already(r.member)
                    } else {
                        let action = if r.decision == "approve" { CardAction::Approve } else { CardAction::Reject };
                        ItemOutcome::refused_by(r.member, forbidden(*state, action, &CardMove::default()))?
                    }
                }
                _ => ItemOutcome::refused(r.member, "member_not_in_batch", "该会员不在本批次中。"),
            }
        });
    }
    let results: Vec<ItemOutcome> = outcomes.into_iter().map(|o| o.expect("every item answered")).collect();
    Problem::unless_all_refused(&results)?;
    let mut batch: Batch = row.into();
    batch.reviewed = done.batch_reviewed;
    batch.state = Batch::state_of(batch.reviewed, batch.members).into();
    Ok(ReviewAnswer { batch, results })
}

/// One event of a card at the bank, as the bank's systems report it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardEvent {
    pub member: i64,
    /// `made` (needs `card_tail`), `delivery_proposed` (needs `scheduled_at`),
    /// `delivery_confirmed` (accepts the time the union proposed), `delivered`, `activated`
    /// (needs `activation`: `on_site` with `at`, or `branch` with `branch`), `corrected` (with
    /// any of `name`, `id_number`, `phone`) or `remade` (needs `reason`). Deliveries are per
    /// union: an event on one card of a delivery acts on the whole delivery, and the other cards
    /// of it then answer `already_applied`.
    pub event: String,
    /// `made`: the card number's last four digits.
    #[serde(default)]
    pub card_tail: Option<String>,
    /// `delivery_proposed`: when the bank will bring the cards, Beijing time, `2026-12-05T10:00`;
    /// a time the union proposed confirms it.
    #[serde(default)]
    pub scheduled_at: Option<String>,
    /// `activated`: `on_site` (at the union, at the agreed time) or `branch`.
    #[serde(default)]
    pub activation: Option<String>,
    /// `activated` on site: when, Beijing time, `2026-12-05T10:30`.
    #[serde(default)]
    pub at: Option<String>,
    /// `activated` at a branch: the branch's code (one of the token's bank).
    #[serde(default)]
    pub branch: Option<String>,
    /// `corrected`: the name as on the member's papers.
    #[serde(default)]
    pub name: Option<String>,
    /// `corrected`: the ID number as on the member's papers.
    #[serde(default)]
    pub id_number: Option<String>,
    /// `corrected`: the member's phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// `remade`: what is wrong on the card face.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardEventsRequest {
    pub events: Vec<CardEvent>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CardEventsAnswer {
    /// One answer per event, in the order sent.
    pub results: Vec<ItemOutcome>,
}

/// Cards made, delivered, activated, corrected and remade, reported by the bank's systems. The
/// events are applied one by one in the order sent, each through the same lifecycle functions as
/// the desk; each is answered: applied, already applied, or refused with why.
#[utoipa::path(post, path = "/api/bank/v1/cards/events", params(
    ("Idempotency-Key" = String, Header, description = "The same key and body replay the first answer")),
    request_body = CardEventsRequest, security(("bearer" = [])),
    responses((status = 200, body = CardEventsAnswer), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn post_card_events(
    State(db): State<Db>,
    BankSystem(who): BankSystem,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let key = match idempotency_key(&headers) {
        Ok(k) => k,
        Err(p) => return p.into_response(),
    };
    let (raw, request) = match parse_body::<CardEventsRequest>(&headers, body).await {
        Ok(parsed) => parsed,
        Err(p) => return p.into_response(),
    };
    let mut fingerprint = b"POST /cards/events\n".to_vec();
    fingerprint.extend_from_slice(&raw);
    let work_db = db.clone();
    once(db, who, key, fingerprint, move || async move {
        if request.events.is_empty() || request.events.len() > MAX_ITEMS {
            return Err(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_items", "events 须有 1 到 1000 项。"));
        }
        let mut results = Vec::with_capacity(request.events.len());
        for event in &request.events {
            results.push(card_event(&work_db, who, event).await?);
        }
        Problem::unless_all_refused(&results)?;
        Ok((StatusCode::OK, serde_json::to_value(CardEventsAnswer { results }).expect("an answer serialises")))
    })
    .await
}

/// What an event did.
enum Done {
    Applied,
    Already,
}

async fn card_event(db: &Db, who: bank_tokens::TokenHolder, e: &CardEvent) -> ApiResult<ItemOutcome> {
    let member = MemberId(e.member);
    let card = match deliveries::bank_card(db, who.bank, member).await {
        Ok(card) => card,
        Err(err) => return ItemOutcome::refused_by(e.member, err),
    };
    let done = match e.event.as_str() {
        "made" => made(db, who, &card, e).await,
        "delivery_proposed" => delivery_proposed(db, who, &card, e).await,
        "delivery_confirmed" => delivery_confirmed(db, who, &card).await,
        "delivered" => delivered(db, who, &card).await,
        "activated" => activated(db, who, &card, e).await,
        "corrected" => corrected(db, who, &card, e).await,
        "remade" => remade(db, who, &card, e).await,
        _ => Err(AppError::refused(
            "invalid_event",
            "event 只能是 made、delivery_proposed、delivery_confirmed、delivered、activated、corrected 或 remade。",
        )),
    };
    let mut outcome = match done {
        Ok(Done::Applied) => ItemOutcome::applied(e.member),
        Ok(Done::Already) => ItemOutcome::already(e.member),
        Err(err) => ItemOutcome::refused_by(e.member, err)?,
    };
    outcome.card_state = match deliveries::bank_card(db, who.bank, member).await {
        Ok(card) => Some(card.card_state.as_str().into()),
        Err(AppError::Internal) => return Err(AppError::Internal.into()),
        // no longer this bank's to see (the union moved its pickup branch meanwhile)
        Err(_) => None,
    };
    Ok(outcome)
}

/// The lifecycle's own refusal of `action` on a card in `state` (a move it forbids).
fn forbidden(state: CardState, action: CardAction, input: &CardMove) -> AppError {
    match check(state, action, Role::Bank, input) {
        Err(r) => refusal(r),
        Ok(_) => {
            tracing::error!(?state, ?action, "a move the lifecycle allows was not taken");
            AppError::Internal
        }
    }
}

fn moved_meanwhile() -> AppError {
    AppError::conflict("card_moved", "已被他人处理：该会员服务卡的状态已经变了。")
}

fn after_delivery(state: CardState) -> bool {
    matches!(state, CardState::AwaitingDistribution | CardState::Distributed | CardState::Activated)
}

async fn made(db: &Db, who: bank_tokens::TokenHolder, card: &BankCardRow, e: &CardEvent) -> AppResult<Done> {
    let tail = e.card_tail.as_deref().unwrap_or("").trim().to_string();
    let input = CardMove { card_tail: Some(tail.clone()), ..CardMove::default() };
    match card.card_state {
        CardState::InProduction => {
            check(CardState::InProduction, CardAction::MarkMade, Role::Bank, &input).map_err(refusal)?;
            let batch = card.batch_id.ok_or(AppError::Internal)?;
            let made = [deliveries::MadeCard { member: card.id, tail }];
            match deliveries::mark_made(db, who.bank, Some(who.user), batch, &made, None).await? {
                1 => Ok(Done::Applied),
                _ => Err(moved_meanwhile()),
            }
        }
        CardState::AwaitingDelivery
        | CardState::AwaitingDistribution
        | CardState::Distributed
        | CardState::Activated
            if card.card_tail.as_deref() == Some(tail.as_str()) =>
        {
            Ok(Done::Already)
        }
        CardState::AwaitingDelivery
        | CardState::AwaitingDistribution
        | CardState::Distributed
        | CardState::Activated => Err(AppError::refused(
            "made_with_other_tail",
            format!(
                "该会员服务卡已登记制卡完成（卡号后四位 {}），如卡面有误请用 remade 重新制卡。",
                card.card_tail.as_deref().unwrap_or("")
            ),
        )),
        other => Err(forbidden(other, CardAction::MarkMade, &input)),
    }
}

/// The card's open delivery as the bank sees it, or why there is none to act on.
async fn delivery_of(db: &Db, who: bank_tokens::TokenHolder, card: &BankCardRow) -> AppResult<deliveries::DeliveryRow> {
    let id = card.delivery_id.ok_or_else(|| {
        AppError::refused("no_delivery", "该会员服务卡尚未安排送卡，请先用 delivery_proposed 提出送卡时间。")
    })?;
    deliveries::one(db, deliveries::Side::Bank(who.bank), id).await
}

async fn delivery_step(
    db: &Db,
    who: bank_tokens::TokenHolder,
    row: &deliveries::DeliveryRow,
    action: DeliveryAction,
    scheduled_at: Option<i64>,
) -> AppResult<Done> {
    let seen = deliveries::Seen { stage: row.stage()?, scheduled_at: row.scheduled_at };
    let step = deliveries::Step { action, scheduled_at, seen };
    deliveries::step(db, deliveries::Side::Bank(who.bank), Some(who.user), row.id, step, None).await?;
    Ok(Done::Applied)
}

fn not_awaiting_delivery(state: CardState) -> AppError {
    AppError::refused(
        "not_awaiting_delivery",
        format!(
            "会员服务卡当前为“{}”，只有“{}”的会员服务卡才能安排送卡。",
            state.label(),
            CardState::AwaitingDelivery.label()
        ),
    )
}

async fn delivery_proposed(
    db: &Db,
    who: bank_tokens::TokenHolder,
    card: &BankCardRow,
    e: &CardEvent,
) -> AppResult<Done> {
    let text = e.scheduled_at.as_deref().unwrap_or("");
    let Some(at) = app::domain::parse_time(text) else {
        return Err(AppError::invalid("scheduled_at", "请填写送卡上门的日期和时间。"));
    };
    if card.delivery_id.is_some() && (card.card_state == CardState::AwaitingDelivery || after_delivery(card.card_state))
    {
        let row = delivery_of(db, who, card).await?;
        match row.stage()? {
            // this very time was proposed, agreed, or the cards already came at it (a resend)
            DeliveryStage::Proposed { by: Role::Bank }
            | DeliveryStage::Confirmed
            | DeliveryStage::Delivered
            | DeliveryStage::Signed
                if row.scheduled_at == at =>
            {
                return Ok(Done::Already)
            }
            // the bank agrees to the time the union asked for
            DeliveryStage::Proposed { by: Role::Union } if row.scheduled_at == at => {
                return delivery_step(db, who, &row, DeliveryAction::ConfirmTime, None).await
            }
            _ if card.card_state == CardState::AwaitingDelivery => {
                let at = time_of("scheduled_at", text)?;
                return delivery_step(db, who, &row, DeliveryAction::ProposeTime, Some(at)).await;
            }
            _ => {}
        }
    }
    if card.card_state != CardState::AwaitingDelivery {
        return Err(not_awaiting_delivery(card.card_state));
    }
    let at = time_of("scheduled_at", text)?;
    deliveries::open(db, who.bank, Some(who.user), card.union_id, at, None).await?;
    Ok(Done::Applied)
}

async fn delivery_confirmed(db: &Db, who: bank_tokens::TokenHolder, card: &BankCardRow) -> AppResult<Done> {
    if after_delivery(card.card_state) {
        return Ok(Done::Already);
    }
    if card.card_state != CardState::AwaitingDelivery {
        return Err(not_awaiting_delivery(card.card_state));
    }
    let row = delivery_of(db, who, card).await?;
    match row.stage()? {
        DeliveryStage::Confirmed | DeliveryStage::Delivered | DeliveryStage::Signed => Ok(Done::Already),
        _ => delivery_step(db, who, &row, DeliveryAction::ConfirmTime, None).await,
    }
}

async fn delivered(db: &Db, who: bank_tokens::TokenHolder, card: &BankCardRow) -> AppResult<Done> {
    if after_delivery(card.card_state) {
        return Ok(Done::Already);
    }
    if card.card_state != CardState::AwaitingDelivery {
        return Err(not_awaiting_delivery(card.card_state));
    }
    let row = delivery_of(db, who, card).await?;
    match row.stage()? {
        DeliveryStage::Delivered | DeliveryStage::Signed => Ok(Done::Already),
        _ => delivery_step(db, who, &row, DeliveryAction::RecordDelivered, None).await,
    }
}

async fn activated(db: &Db, who: bank_tokens::TokenHolder, card: &BankCardRow, e: &CardEvent) -> AppResult<Done> {
    let (action, input) = match e.activation.as_deref() {
        Some("on_site") => (
            CardAction::ActivateOnSite,
            CardMove { at: e.at.as_deref().and_then(app::domain::parse_time), ..CardMove::default() },
        ),
        Some("branch") => (
            CardAction::ActivateAtBranch,
            CardMove { branch: e.branch.as_deref().map(|b| b.trim().to_string()), ..CardMove::default() },
        ),
        _ => {
            return Err(AppError::invalid("activation", "activation 只能是 on_site（现场激活）或 branch（网点激活）。"))
        }
    };
    match card.card_state {
        CardState::Activated => return Ok(Done::Already),
        CardState::Distributed => {}
        other => return Err(forbidden(other, action, &input)),
    }
    check(CardState::Distributed, action, Role::Bank, &input).map_err(refusal)?;
    let how = match (action, input.at) {
        (CardAction::ActivateOnSite, Some(at)) => Activation::OnSite { at },
        _ => Activation::AtBranch { branch: input.branch.as_deref().unwrap_or("") },
    };
    let reason = input.event_reason(action).unwrap_or_default();
    match deliveries::activate(db, who.bank, Some(who.user), card.union_id, &[card.id], &how, &reason).await? {
        1 => Ok(Done::Applied),
        _ => Err(moved_meanwhile()),
    }
}

async fn corrected(db: &Db, who: bank_tokens::TokenHolder, card: &BankCardRow, e: &CardEvent) -> AppResult<Done> {
    if e.name.is_none() && e.id_number.is_none() && e.phone.is_none() {
        return Err(AppError::invalid("corrected", "corrected 须给出更正后的 name、id_number 或 phone。"));
    }
    let fix = deliveries::Correction {
        name: e.name.clone().unwrap_or_else(|| card.name.clone()),
        id_number: e.id_number.clone().unwrap_or_else(|| card.id_number.clone()),
        phone: e.phone.clone().unwrap_or_else(|| card.phone.clone()),
    };
    if card.card_state == CardState::Activated {
        // a resend after the activation that followed: the record holds these values already,
        // as the template's rules write them (full-width digits, spaces, a lowercase x)
        let before = members::own(db, card.union_id, card.id).await?.input()?;
        let input = MemberInput {
            name: fix.name.clone(),
            id_number: fix.id_number.clone(),
            phone: fix.phone.clone(),
            ..before
        };
        if let Ok((record, _)) = input.parse(&today()) {
            if record.name == card.name && record.id_number == card.id_number && record.phone == card.phone {
                return Ok(Done::Already);
            }
        }
    }
    match deliveries::correct(db, who.bank, Some(who.user), card.id, fix).await {
        Ok(_) => Ok(Done::Applied),
        Err(AppError::Refused { code, .. }) if code == "nothing_changed" => Ok(Done::Already),
        Err(err) => Err(err),
    }
}

async fn remade(db: &Db, who: bank_tokens::TokenHolder, card: &BankCardRow, e: &CardEvent) -> AppResult<Done> {
    let why = e.reason.as_deref().unwrap_or("").trim();
    if card.card_state == CardState::InProduction && !why.is_empty() {
        // a remake already recorded: the latest move is back to 制卡中 for this very reason
        if let Some((CardState::InProduction, Some(reason))) = cards::latest_event(db, card.id).await? {
            if reason == why {
                return Ok(Done::Already);
            }
        }
    }
    deliveries::remake(db, who.bank, Some(who.user), card.id, card.card_state, why).await?;
    Ok(Done::Applied)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "UnionCard bank API", version = "1", description = "中国银行会员服务卡：银行系统接口。错误按 RFC 9457 返回 application/problem+json。"),
    paths(list_batches, get_batch, post_reviews, post_card_events),
    components(schemas(Problem, Batch, BatchPage, BatchMember, BatchDetail, ReviewResult, ReviewRequest, ItemOutcome, ReviewAnswer, CardEvent, CardEventsRequest, CardEventsAnswer)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Anything else below /api/bank/v1 is a problem too, never the app's HTML.
async fn unknown() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not_found", "没有这个接口。")
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/bank/v1/openapi.json", get(openapi))
        .route("/api/bank/v1/batches", get(list_batches))
        .route("/api/bank/v1/batches/{batch}", get(get_batch))
        .route("/api/bank/v1/batches/{batch}/reviews", post(post_reviews))
        .route("/api/bank/v1/cards/events", post(post_card_events))
        .route("/api/bank/v1/{*rest}", get(unknown).post(unknown))
}
