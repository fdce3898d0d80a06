//! The one error type every server function and route returns. Its text is what the user reads,
//! in Chinese; each carries a stable machine code and the HTTP status that says what happened.
//! Causes of `Internal` are logged on the server and never sent.

use leptos::server_fn::{error::FromServerFnError, error::ServerFnErrorErr};

use crate::wire::WireEncoding;
use serde::{Deserialize, Serialize};

use crate::domain::FieldError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
// Tagged outside (the serde default), which postcard can read back; `to_json` gives the JSON
// form plain routes answer with, `{"kind": "invalid", "errors": […]}`.
#[serde(rename_all = "snake_case")]
pub enum AppError {
    /// 401: not signed in (or the session ended).
    #[error("请先登录。")]
    Unauthenticated,
    /// 403: an account on its initial password may only change it.
    #[error("首次登录请先修改密码。")]
    PasswordChangeRequired,
    /// 403: this role may not do this.
    #[error("您没有权限进行此操作。")]
    Forbidden,
    /// 403 with its own reason (a disabled account).
    #[error("{message}")]
    Denied { code: String, message: String },
    /// 404: no such record, or one outside the caller's scope (the two answer alike).
    #[error("未找到相关记录。")]
    NotFound,
    /// 422: one or more fields are wrong; each carries its own message.
    #[error("{}", .errors.first().map(|e| e.message.as_str()).unwrap_or("填写有误，请检查。"))]
    Invalid { errors: Vec<FieldError> },
    /// 422: the request cannot be done as sent (a refused file, a locked step); the message says
    /// which and what to do.
    #[error("{message}")]
    Refused { code: String, message: String },
    /// 409: the record is not in the state the request expected: someone else moved it first,
    /// or it was already done.
    #[error("{message}")]
    Conflict { code: String, message: String },
    /// 429: too many failed attempts.
    #[error("{message}")]
    Locked { message: String },
    /// 500: logged on the server, never explained.
    #[error("系统繁忙，请稍后再试。")]
    Internal,
    /// 400: the request itself could not be read or sent (network, bad form encoding).
    #[error("请求未能完成，请检查网络后刷新页面重试。")]
    Request,
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid { errors: vec![FieldError { field: field.into(), message: message.into() }] }
    }

    pub fn refused(code: &str, message: impl Into<String>) -> Self {
        AppError::Refused { code: code.into(), message: message.into() }
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        AppError::Conflict { code: code.into(), message: message.into() }
    }

    pub fn denied(code: &str, message: impl Into<String>) -> Self {
        AppError::Denied { code: code.into(), message: message.into() }
    }

    /// The message for a given form field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { errors } => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The stable machine code: the kind, or the refusal's own code.
    pub fn code(&self) -> &str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Invalid { .. } => "invalid",
            AppError::Denied { code, .. } | AppError::Refused { code, .. } | AppError::Conflict { code, .. } => code,
            AppError::Locked { .. } => "locked",
            AppError::Internal => "internal",
            AppError::Request => "bad_request",
        }
    }

    /// The HTTP status a server function or route answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::PasswordChangeRequired | AppError::Forbidden | AppError::Denied { .. } => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::Invalid { .. } | AppError::Refused { .. } => 422,
            AppError::Locked { .. } => 429,
            AppError::Internal => 500,
            AppError::Request => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = WireEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        tracing::warn!(error = %value, "server function request failed");
        #[cfg(not(feature = "ssr"))]
        let _ = value;
        AppError::Request
    }

    /// Serialised on the server as a server function's answer: the response carries the status
    /// that says what happened (server_fn would answer every error with 500). A plain form post
    /// (a page without scripts; it accepts HTML) keeps server_fn's redirect back to its page,
    /// which carries the error in the address for the page to show.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        let form_post = crate::server::auth::plain_form_post();
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>().filter(|_| !form_post) {
            if let Ok(status) = http::StatusCode::from_u16(self.status()) {
                response.set_status(status);
            }
        }
        // postcard writes every value of this type; the fallback only keeps the signature total
        <WireEncoding as leptos::server_fn::Encodes<Self>>::encode(self).unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Logged with where it happened (the `?` or call that turned it into an `AppError`: which
    /// query) inside the request's span (which path, which caller); the user reads only
    /// 系统繁忙. sqlx's messages name tables and constraints, never the values bound.
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(error = %e, at = %at, "database error");
        AppError::Internal
    }
}

/// A plain route answers with the error's JSON (`to_json`) and the status a server function
/// answers it with.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.to_json())).into_response()
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The JSON form of the error: its kind beside its fields, `{"kind": "invalid", "errors":
    /// […]}` or `{"kind": "not_found"}`, what plain routes answer with (and what tests read).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value};
        match serde_json::to_value(self) {
            Ok(Value::String(kind)) => Value::Object(Map::from_iter([("kind".to_string(), Value::String(kind))])),
            Ok(Value::Object(outer)) => match outer.into_iter().next() {
                Some((kind, Value::Object(mut fields))) => {
                    fields.insert("kind".into(), Value::String(kind));
                    Value::Object(fields)
                }
                _ => serde_json::json!({ "kind": "internal" }),
            },
            _ => serde_json::json!({ "kind": "internal" }),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
