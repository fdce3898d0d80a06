//! Plain HTTP routes of a union's files: the import's upload (raw bytes, so the browser can show
//! progress), and the downloads: the template, the error report, and 待处理 (the members the bank
//! returned, with its reasons); and the supervisor's exports of its tables. Each takes its
//! `Caller` like a server function.

use app::{
    api::imports::MAX_UPLOAD_BYTES,
    error::AppError,
    server::{
        batches,
        caller::Caller,
        imports,
        state::AppState,
        supervision::{self, Export},
        Db,
    },
    wire::WireEncoding,
};
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::server_fn::{ContentType, Encodes};
use serde::Deserialize;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A failed download answers with a readable page, not JSON.
struct PageFailure(AppError);

/// Text made safe to place in HTML: a message may quote what a user typed or uploaded.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl IntoResponse for PageFailure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let html = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>无法下载 - 会员服务卡</title></head>\
             <body><main><h1>无法下载</h1><p>{}</p><p><a href=\"/\">返回首页</a></p></main></body></html>",
            escape_html(&self.0.to_string())
        );
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
    }
}

impl From<AppError> for PageFailure {
    fn from(e: AppError) -> Self {
        PageFailure(e)
    }
}

/// The caller, if the session's account is a union's: a failed download answers with a page.
struct UnionCaller(Caller);

impl axum::extract::FromRequestParts<AppState> for UnionCaller {
    type Rejection = PageFailure;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, PageFailure> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.union()?;
        Ok(UnionCaller(caller))
    }
}

/// `filename*=` with percent-encoding, so Chinese file names survive every browser.
fn attachment(name: &str) -> HeaderValue {
    let encoded = app::domain::percent_encode(name);
    HeaderValue::from_str(&format!("attachment; filename=\"download.xlsx\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn xlsx_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(XLSX)),
            (header::CONTENT_DISPOSITION, attachment(name)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(default)]
    name: String,
}

/// The import's upload. Answers the way server functions do (`app::wire`, postcard): the
/// preview, or the refusal (`AppError`, with its status) for the import page to show.
async fn upload(
    State(db): State<Db>,
    caller: Result<Caller, AppError>,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Response {
    let (status, bytes) = match preview_upload(&db, caller, q, body).await {
        Ok(preview) => (StatusCode::OK, WireEncoding::encode(&preview)),
        Err(e) => {
            (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), WireEncoding::encode(&e))
        }
    };
    match bytes {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, WireEncoding::CONTENT_TYPE)], bytes).into_response(),
        Err(_) => AppError::Internal.into_response(),
    }
}

async fn preview_upload(
    db: &Db,
    caller: Result<Caller, AppError>,
    q: UploadQuery,
    body: Bytes,
) -> Result<app::api::imports::ImportPreview, AppError> {
    let caller = caller?;
    let union = caller.union()?;
    if body.is_empty() {
        return Err(AppError::refused("empty_file", "上传的文件是空的，请重新选择文件。"));
    }
    let name = if q.name.trim().is_empty() {
        "会员信息采集表.xlsx".to_string()
    } else {
        q.name.chars().take(120).collect()
    };
    let preview = imports::preview(db, union, Some(caller.id()), &name, Vec::from(body)).await?;
    Ok(preview.for_browser())
}

async fn template(State(db): State<Db>, UnionCaller(caller): UnionCaller) -> Result<Response, PageFailure> {
    let bytes = imports::template(&db, caller.union()?, caller.id()).await?;
    Ok(xlsx_response("工会会员信息采集汇总表.xlsx", bytes))
}

async fn report(
    State(db): State<Db>,
    UnionCaller(caller): UnionCaller,
    Path(id): Path<String>,
) -> Result<Response, PageFailure> {
    let (name, bytes) = imports::error_report(&db, caller.union()?, caller.id(), &id).await?;
    Ok(xlsx_response(&name, bytes))
}

async fn rejections(State(db): State<Db>, UnionCaller(caller): UnionCaller) -> Result<Response, PageFailure> {
    let (name, bytes) = batches::rejections_workbook(&db, caller.union()?, caller.id()).await?;
    Ok(xlsx_response(&name, bytes))
}

/// The caller, if the session's account is a supervisor's.
struct SupervisorCaller(Caller);

impl axum::extract::FromRequestParts<AppState> for SupervisorCaller {
    type Rejection = PageFailure;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, PageFailure> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.subtree()?;
        Ok(SupervisorCaller(caller))
    }
}

#[derive(Deserialize)]
struct NodeQuery {
    union: Option<app::domain::ids::UnionId>,
}

async fn supervisor_export(
    State(db): State<Db>,
    SupervisorCaller(caller): SupervisorCaller,
    Path(table): Path<String>,
    Query(q): Query<NodeQuery>,
) -> Result<Response, PageFailure> {
    let what = match table.as_str() {
        "unions.xlsx" => Export::Unions,
        "overdue.xlsx" => Export::Overdue,
        "members.xlsx" => Export::Members,
        _ => return Err(PageFailure(AppError::NotFound)),
    };
    let (name, bytes) = supervision::export(&db, &caller, q.union, what).await?;
    Ok(xlsx_response(&name, bytes))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervisor/export/{table}", get(supervisor_export))
        .route("/union/cards/rejected.xlsx", get(rejections))
        .route("/api/import/upload", post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
        .route("/union/template.xlsx", get(template))
        .route("/union/imports/{id}/report.xlsx", get(report))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_is_escaped_before_it_goes_into_the_page() {
        assert_eq!(
            super::escape_html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
