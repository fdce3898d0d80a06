//! The help centre's operation manual, sent by the server (its text stays out of the browser's
//! code). Anyone may read it, signed in or not.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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

#[server(endpoint = "help/manual")]
pub async fn get_manual() -> Result<Vec<ManualBlock>, AppError> {
    Ok(parse_manual(include_str!("../../help/manual.zh.txt")))
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
