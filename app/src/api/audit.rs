//! The supervisor's search of the audit log: who viewed or changed which member's record,
//! which exports were made, by whom and when. The city-level supervisor searches every entry; a
//! district or street supervisor those of its subtree.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditItem {
    pub at: String,
    pub account: String,
    pub union_name: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub items: Vec<AuditItem>,
    pub page: i64,
    pub has_more: bool,
}

pub const AUDIT_PAGE_SIZE: i64 = 50;

#[server(endpoint = "supervisor/audit", output = crate::wire::Answer)]
pub async fn search_audit_log(
    account: String,
    union: String,
    from: String,
    to: String,
    page: i64,
) -> Result<AuditPage, AppError> {
    use crate::{
        domain::{
            audit::{action_label, target_label},
            calendar::Date,
            format_time,
            role::Role,
        },
        server::{audit, caller},
    };
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let node = me.subtree()?;
    // a day as the start of that day in Beijing time
    let day = |field: &'static str, text: &str, after: i64| -> Result<Option<i64>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let d = Date::parse(text).ok_or_else(|| AppError::invalid(field, "请填写正确的日期，如2026-12-01。"))?;
        Ok(Some((d.days_since_epoch() + after) * 86_400 - 8 * 3600))
    };
    let filter = audit::AuditFilter {
        account: account.trim().to_string(),
        union: union.trim().to_string(),
        from: day("from", &from, 0)?,
        until: day("to", &to, 1)?,
    };
    let range = node.subtree_range();
    let scope = node.parent_id.map(|_| (range.0.as_str(), range.1.as_str()));
    // past the thousandth page a search should be narrowed instead
    let page = page.clamp(1, 1_000);
    let mut rows = audit::search(&db, scope, &filter, AUDIT_PAGE_SIZE + 1, (page - 1) * AUDIT_PAGE_SIZE).await?;
    let has_more = rows.len() as i64 > AUDIT_PAGE_SIZE;
    rows.truncate(AUDIT_PAGE_SIZE as usize);
    let items = rows
        .into_iter()
        .map(|r| AuditItem {
            at: format_time(r.at),
            account: r.username.unwrap_or_else(|| "（系统）".into()),
            union_name: r.union_name.unwrap_or_default(),
            action: action_label(&r.action),
            target: r.target.as_deref().map(target_label).unwrap_or_default(),
            detail: r.detail.unwrap_or_default(),
        })
        .collect();
    Ok(AuditPage { items, page, has_more })
}
