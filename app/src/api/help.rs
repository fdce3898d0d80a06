//! The help centre's operation manual, sent by the server (its text stays out of the browser's
//! code). Anyone may read it, signed in or not.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{domain::faq::Hotline, error::AppError};

/// A block of the manual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ManualBlock {
    /// 一、…
    Section(String),
    /// （一）…
    Subsection(String),
    Paragraph(String),
}

/// The manual's lines as blocks: `一、` opens a section, `（一）` a subsection.
pub fn parse_manual(text: &str) -> Vec<ManualBlock> {
    const NUMERALS: &str = "一二三四五六七八九十";
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut chars = l.chars();
            let first = chars.next().unwrap_or(' ');
            if NUMERALS.contains(first) && chars.next() == Some('、') {
                ManualBlock::Section(l.to_string())
            } else if first == '（' && l.chars().nth(1).is_some_and(|c| NUMERALS.contains(c)) {
                ManualBlock::Subsection(l.to_string())
            } else {
                ManualBlock::Paragraph(l.to_string())
            }
        })
        .collect()
}

#[server(endpoint = "help/manual", output = crate::wire::Answer)]
pub async fn get_manual() -> Result<Vec<ManualBlock>, AppError> {
    Ok(parse_manual(include_str!("../../help/manual.zh.txt")))
}

/// 服务热线 as the help centre lists them. Anyone may read them, signed in or not.
#[server(endpoint = "help/hotlines", output = crate::wire::Answer)]
pub async fn get_hotlines() -> Result<Vec<Hotline>, AppError> {
    let db = crate::server::state::db()?;
    Ok(hotlines::load(&db).await?)
}

/// The hotlines page of a supervisor: the lines, and whether this supervisor may edit them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotlinesView {
    /// the saved lines, or after a refused save the lines as they were typed
    pub lines: Vec<Hotline>,
    pub editable: bool,
    /// the page comes right after a save
    pub saved: bool,
}

/// The page sends no script (`script_free_path`): its form is a plain post, so what the last
/// save left in the session is read here once (the typed lines of a refusal, or that it saved).
#[server(endpoint = "help/hotlines/view", output = crate::wire::Answer)]
pub async fn get_hotlines_view() -> Result<HotlinesView, AppError> {
    use crate::{
        domain::role::Role,
        server::{auth, caller},
    };
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let session = auth::session().await?;
    let typed = auth::take::<Vec<Hotline>>(&session, auth::SESSION_TYPED_HOTLINES).await?;
    let saved = auth::take::<bool>(&session, auth::SESSION_HOTLINES_SAVED).await?;
    let lines = match typed {
        Some(typed) => typed,
        None => hotlines::load(&db).await?,
    };
    Ok(HotlinesView { lines, editable: me.at_city_level()?, saved: saved.unwrap_or(false) })
}

/// Replaces the hotlines (the city-level supervisor only), in the audit log with the new lines.
#[server(endpoint = "help/hotlines/save", output = crate::wire::Answer)]
pub async fn save_hotlines(lines: Vec<Hotline>) -> Result<(), AppError> {
    use crate::{
        domain::{
            faq::{check_hotlines, MAX_HOTLINES},
            role::Role,
        },
        server::{audit, auth, caller},
    };
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    if !me.at_city_level()? {
        return Err(AppError::denied("hotlines_city_only", "服务热线由市总工会维护，您可以查看，不能修改。"));
    }
    let session = auth::session().await?;
    let lines = match check_hotlines(&lines) {
        Ok(lines) => lines,
        Err(m) => {
            // the page comes back with every row as it was typed, the refusal above the button
            let typed: Vec<Hotline> = lines.into_iter().take(MAX_HOTLINES).collect();
            auth::keep(&session, auth::SESSION_TYPED_HOTLINES, typed).await?;
            return Err(AppError::invalid("lines", m));
        }
    };
    let mut tx = db.begin_write().await?;
    hotlines::replace(&mut tx, &lines).await?;
    let detail: Vec<String> = lines.iter().map(|l| format!("{}：{}", l.label, l.number)).collect();
    audit::record(&mut *tx, Some(me.id()), "hotlines_changed", "hotlines", &detail.join("；")).await?;
    tx.commit().await?;
    auth::keep(&session, auth::SESSION_HOTLINES_SAVED, true).await?;
    Ok(())
}

/// The hotlines table.
#[cfg(feature = "ssr")]
pub mod hotlines {
    use crate::{
        domain::faq::Hotline,
        server::db::{Db, Tx},
    };

    pub async fn load(db: &Db) -> Result<Vec<Hotline>, sqlx::Error> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT label, number FROM hotlines ORDER BY position").fetch_all(&db.pool).await?;
        Ok(rows.into_iter().map(|(label, number)| Hotline { label, number }).collect())
    }

    pub async fn replace(tx: &mut Tx, lines: &[Hotline]) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM hotlines").execute(&mut **tx).await?;
        for (i, line) in lines.iter().enumerate() {
            sqlx::query("INSERT INTO hotlines (position, label, number) VALUES ($1, $2, $3)")
                .bind(i as i64 + 1)
                .bind(&line.label)
                .bind(&line.number)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_reads_as_sections_subsections_and_paragraphs() {
        let blocks = parse_manual("一、账号\n（一）采集。正文\n1.激活\n（1）确保\n");
        assert_eq!(
            blocks,
            vec![
                ManualBlock::Section("一、账号".into()),
                ManualBlock::Subsection("（一）采集。正文".into()),
                ManualBlock::Paragraph("1.激活".into()),
                ManualBlock::Paragraph("（1）确保".into()),
            ]
        );
    }
}
