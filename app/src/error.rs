//! The one error type every server function returns. Its text is what the user reads, in Chinese;
//! causes of `Internal` are logged on the server and never sent.

use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError, error::ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::FieldError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("请先登录。")]
    Unauthenticated,
    #[error("首次登录请先修改密码。")]
    PasswordChangeRequired,
    #[error("您没有权限进行此操作。")]
    Forbidden,
    #[error("未找到相关记录。")]
    NotFound,
    /// One or more fields are wrong; each carries its own message.
    #[error("{}", .errors.first().map(|e| e.message.as_str()).unwrap_or("填写有误，请检查。"))]
    Invalid { errors: Vec<FieldError> },
    /// A business rule refused the request; the message says which and what to do.
    #[error("{message}")]
    Refused { message: String },
    /// Too many failed logins.
    #[error("{message}")]
    Locked { message: String },
    #[error("系统繁忙，请稍后再试。")]
    Internal,
    /// The request itself could not be read or sent (network, bad form encoding).
    #[error("请求未能完成，请检查网络后刷新页面重试。")]
    Request,
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid { errors: vec![FieldError { field: field.into(), message: message.into() }] }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        AppError::Refused { message: message.into() }
    }

    /// The message for a given form field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { errors } => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The HTTP status a server function answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::PasswordChangeRequired | AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Invalid { .. } => 422,
            AppError::Refused { .. } => 409,
            AppError::Locked { .. } => 429,
            AppError::Internal => 500,
            AppError::Request => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        tracing::warn!(error = %value, "server function request failed");
        #[cfg(not(feature = "ssr"))]
        let _ = value;
        AppError::Request
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;
