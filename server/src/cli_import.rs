//! `unioncard import`: the web import's pipeline for administrators and scripts.

use std::path::Path;

use app::{
    domain::{role::UnionLevel, sheet::ImportIssue},
    server::{
        imports::{self, CheckError},
        unions, Db,
    },
};
use serde_json::{json, Value};

/// What the command prints and its exit code: 0 committed (or clean on a dry run),
/// 1 validation errors (nothing written), 2 a refused file or bad usage.
pub struct Outcome {
    pub exit: i32,
    pub json: Value,
}

fn issue_json(i: &ImportIssue) -> Value {
    json!({"row": i.row, "column": i.column, "field": i.field, "code": i.code, "message": i.message, "hint": i.hint})
}

fn refused(code: &str, field: &str, message: &str, hint: &str) -> Outcome {
    Outcome {
        exit: 2,
        json: json!({"rows": 0, "imported": 0, "errors": [
            {"row": null, "column": null, "field": field, "code": code, "message": message, "hint": hint}
        ]}),
    }
}

pub async fn run(db: &Db, union_name: &str, file: &Path, dry_run: bool) -> Outcome {
    let union = match unions::by_name(db, union_name).await {
        Ok(u) => u,
        Err(e) => {
            tracing::error!(error = %e, "union lookup failed");
            return refused("internal", "数据库", "系统繁忙，请稍后再试。", "");
        }
    };
    let union_id = match union {
        Some(node) if node.level == UnionLevel::Grassroots => node.id,
        Some(_) => {
            return refused(
                "not_grassroots",
                "填报工会",
                &format!("【{union_name}】不是基层工会，只能向基层工会导入会员。"),
                "",
            )
        }
        None => {
            return refused(
                "union_not_found",
                "填报工会",
                &format!("未找到名为【{union_name}】的基层工会。"),
                "请使用工会在系统中登记的全称，前后不留空格。",
            )
        }
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return refused("file_unreadable", "文件", &format!("无法读取文件 {}：{e}", file.display()), ""),
    };
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let result = if dry_run {
        imports::check(db, union_id, std::sync::Arc::new(bytes)).await.map(|c| (c.report.rows_read, c.issues, None))
    } else {
        match imports::preview(db, union_id, None, &file_name, bytes).await {
            Ok(p) if p.issues.is_empty() && p.rows > 0 => {
                match imports::commit_as(db, union_id, None, &p.import_id).await {
                    Ok(done) => {
                        imports::refresh_statistics(db, done.imported.unwrap_or(0)).await;
                        Ok((done.rows, done.issues, done.imported))
                    }
                    Err(e) => Err(CheckError::App(e)),
                }
            }
            Ok(p) => Ok((p.rows, p.issues, None)),
            Err(e) => Err(e),
        }
    };
    match result {
        Ok((rows, issues, imported)) => {
            let exit = if !issues.is_empty() { 1 } else { 0 };
            Outcome {
                exit,
                json: json!({"rows": rows, "imported": imported.unwrap_or(0), "errors": issues.iter().map(issue_json).collect::<Vec<_>>()}),
            }
        }
        Err(CheckError::File { code, message }) => {
            refused(&code, "文件", &message, "请在 Excel 或 WPS 中另存为 .xlsx（Excel 工作簿）后重新导入。")
        }
        Err(CheckError::App(e)) => refused("refused", "文件", &e.to_string(), ""),
    }
}

/// The human-readable form of an outcome.
pub fn describe(o: &Outcome) -> String {
    let mut out = String::new();
    for e in o.json["errors"].as_array().into_iter().flatten() {
        let place = match (e["row"].as_u64(), e["column"].as_str()) {
            (Some(r), Some(c)) => format!("第{r}行 {c}列 "),
            (Some(r), None) => format!("第{r}行 "),
            _ => String::new(),
        };
        out.push_str(&format!("{place}{}：{}", e["field"].as_str().unwrap_or(""), e["message"].as_str().unwrap_or("")));
        if let Some(h) = e["hint"].as_str().filter(|h| !h.is_empty()) {
            out.push_str(&format!("（解决方法：{h}）"));
        }
        out.push('\n');
    }
    let rows = o.json["rows"].as_u64().unwrap_or(0);
    let imported = o.json["imported"].as_u64().unwrap_or(0);
    out.push_str(&match o.exit {
        0 if imported > 0 => format!("已导入 {imported} 名会员（共读取 {rows} 行）。\n"),
        0 => format!("检查通过：{rows} 行均无错误（未写入）。\n"),
        1 => format!(
            "发现 {} 处错误，未导入任何会员。请修改后重新导入。\n",
            o.json["errors"].as_array().map_or(0, Vec::len)
        ),
        _ => "文件未被接受，未导入任何会员。\n".to_string(),
    });
    out
}
