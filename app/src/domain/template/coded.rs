//! Row 3's coded values (单位类型, 职工平均月收入) and how a typed code, label or drop-down entry
//! reads as one; `HeaderValues`, the row's values once all are valid.

use serde::{Deserialize, Serialize};

use crate::domain::id_document::compact_half_width;

/// 单位类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    /// 34 机关事业单位
    Government,
    /// 60 企业
    Enterprise,
    /// 39 其他
    Other,
}

impl UnitType {
    pub const ALL: [UnitType; 3] = [UnitType::Government, UnitType::Enterprise, UnitType::Other];

    pub fn code(self) -> &'static str {
        match self {
            UnitType::Government => "34",
            UnitType::Enterprise => "60",
            UnitType::Other => "39",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitType::Government => "机关事业单位",
            UnitType::Enterprise => "企业",
            UnitType::Other => "其他",
        }
    }

    /// The code (`60`), the label (`企业`), or both as a drop-down list shows them (`60 企业`).
    pub fn parse(s: &str) -> Option<UnitType> {
        parse_coded(s, &UnitType::ALL, UnitType::code, UnitType::label)
    }
}

/// 职工平均月收入, in five bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeBand {
    /// 1: 0-4999
    Band1,
    /// 2: 5000-19999
    Band2,
    /// 3: 20000-49999
    Band3,
    /// 4: 50000-99999
    Band4,
    /// 5: 100000以上
    Band5,
}

impl IncomeBand {
    pub const ALL: [IncomeBand; 5] =
        [IncomeBand::Band1, IncomeBand::Band2, IncomeBand::Band3, IncomeBand::Band4, IncomeBand::Band5];

    pub fn code(self) -> &'static str {
        match self {
            IncomeBand::Band1 => "1",
            IncomeBand::Band2 => "2",
            IncomeBand::Band3 => "3",
            IncomeBand::Band4 => "4",
            IncomeBand::Band5 => "5",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IncomeBand::Band1 => "0-4999",
            IncomeBand::Band2 => "5000-19999",
            IncomeBand::Band3 => "20000-49999",
            IncomeBand::Band4 => "50000-99999",
            IncomeBand::Band5 => "100000以上",
        }
    }

    /// `1`–`5`, the band (`0-4999`), or both (`1 0-4999`).
    pub fn parse(s: &str) -> Option<IncomeBand> {
        parse_coded(s, &IncomeBand::ALL, IncomeBand::code, IncomeBand::label)
    }
}

fn parse_coded<T: Copy>(s: &str, all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Option<T> {
    let half;
    let t = if s.is_ascii() {
        s.trim()
    } else {
        half = compact_half_width(s).0;
        half.as_str()
    };
    all.iter().copied().find(|x| {
        let (c, l) = (code(*x), label(*x));
        t == c
            || t == l
            || t.strip_prefix(c).is_some_and(|rest| {
                let rest = rest.trim_start_matches([' ', '-', ':', '：', '—', '.', '、', '(', ')', '（', '）']);
                rest.trim_end_matches([')', '）']).trim() == l
            })
    })
}

/// The values of row 3, when all five are valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderValues {
    pub union_name: String,
    pub unit_type: UnitType,
    pub income_band: IncomeBand,
    /// 领卡网点: the branch number (行号).
    pub branch_code: String,
    /// 是否加载深圳通.
    pub shenzhen_tong: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_types_and_income_bands_have_the_templates_codes() {
        let units: Vec<_> = UnitType::ALL.iter().map(|u| (u.code(), u.label())).collect();
        assert_eq!(units, [("34", "机关事业单位"), ("60", "企业"), ("39", "其他")]);
        let bands: Vec<_> = IncomeBand::ALL.iter().map(|b| (b.code(), b.label())).collect();
        assert_eq!(
            bands,
            [("1", "0-4999"), ("2", "5000-19999"), ("3", "20000-49999"), ("4", "50000-99999"), ("5", "100000以上")]
        );
        for (s, want) in [
            ("60", UnitType::Enterprise),
            ("企业", UnitType::Enterprise),
            ("34 机关事业单位", UnitType::Government),
            ("39-其他", UnitType::Other),
        ] {
            assert_eq!(UnitType::parse(s), Some(want), "{s}");
        }
        for (s, want) in [
            ("1", IncomeBand::Band1),
            ("5", IncomeBand::Band5),
            ("100000以上", IncomeBand::Band5),
            ("3 20000-49999", IncomeBand::Band3),
            ("２", IncomeBand::Band2),
        ] {
            assert_eq!(IncomeBand::parse(s), Some(want), "{s}");
        }
        for (s, why) in [("6", "no such band"), ("0", "no such band"), ("1 5000-19999", "code and band disagree")] {
            assert_eq!(IncomeBand::parse(s), None, "{s}: {why}");
        }
    }
}
