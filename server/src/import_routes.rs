//! Plain HTTP routes of the import: the upload (raw bytes, so the browser can show progress),
//! the template and the error report (downloads). Each checks the session like a server function.

use app::{
    api::import::MAX_UPLOAD_BYTES,
    domain::role::Role,
    error::AppError,
    server::{
        auth::{self, AuthUser},
        import, Db,
    },
};
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, Query},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Json, Router,
};
use serde::Deserialize;
use tower_sessions::Session;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Failure(AppError);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

/// A failed download answers with a readable page, not JSON.
struct PageFailure(AppError);

impl IntoResponse for PageFailure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let html = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>无法下载 - 会员服务卡</title></head>\
             <body><main><h1>无法下载</h1><p>{}</p><p><a href=\"/union/members\">返回会员管理</a></p></main></body></html>",
            self.0
        );
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
    }
}

impl From<AppError> for PageFailure {
    fn from(e: AppError) -> Self {
        PageFailure(e)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure(e)
    }
}

async fn union_user(db: &Db, session: &Session) -> Result<AuthUser, AppError> {
    let user = auth::current_user(db, session).await?.ok_or(AppError::Unauthenticated)?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    if user.role() != Role::Union {
        return Err(AppError::Forbidden);
    }
    Ok(user)
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

async fn upload(
    Extension(db): Extension<Db>,
    session: Session,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Result<Response, Failure> {
    let user = union_user(&db, &session).await?;
    if body.is_empty() {
        return Err(AppError::refused("上传的文件是空的，请重新选择文件。").into());
    }
    let name = if q.name.trim().is_empty() {
        "会员信息采集表.xlsx".to_string()
    } else {
        q.name.chars().take(120).collect()
    };
    let preview =
        import::preview(&db, user.union_id()?, Some(user.id), &name, Vec::from(body)).await.map_err(AppError::from)?;
    Ok(Json(preview.for_browser()).into_response())
}

async fn template(Extension(db): Extension<Db>, session: Session) -> Result<Response, PageFailure> {
    let user = union_user(&db, &session).await?;
    let bytes = import::template(&db, user.union_id()?, user.id).await?;
    Ok(xlsx_response("工会会员信息采集汇总表.xlsx", bytes))
}

async fn report(
    Extension(db): Extension<Db>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, PageFailure> {
    let user = union_user(&db, &session).await?;
    let (name, bytes) = import::error_report(&db, user.union_id()?, user.id, &id).await?;
    Ok(xlsx_response(&name, bytes))
}

pub fn routes(db: Db) -> Router<leptos::prelude::LeptosOptions> {
    Router::new()
        .route("/api/import/upload", post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
        .route("/union/template.xlsx", get(template))
        .route("/union/imports/{id}/report.xlsx", get(report))
        .layer(Extension(db))
}
