//! The collection template as data: cells as read from a workbook, and what the checks say
//! about them. The reader (server) fills a `Sheet`; the rules (`template`) judge it.

use serde::{Deserialize, Serialize};

/// One cell as read from the workbook, before any rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell. An 18-digit ID typed into a cell without text format arrives as this,
    /// its last digits already lost.
    Number(f64),
    /// A date cell: Excel's serial day number (1900 date system).
    Date(f64),
    Bool(bool),
    /// A formula, with the value Excel saved beside it, if any.
    Formula {
        formula: String,
        cached: Option<String>,
    },
    /// An error value such as `#N/A`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            // white space as the template's rules count it, zero-width characters included: a row
            // holding only a U+200B is as empty as a blank one
            Cell::Text(s) => s.chars().all(super::id_document::is_invisible_space),
            _ => false,
        }
    }
}

/// A non-empty row of the sheet. `row` is the sheet's 1-based row number; `cells[0]` is column A.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetRow {
    pub row: u32,
    pub cells: Vec<Cell>,
}

impl SheetRow {
    pub fn cell(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&Cell::Empty)
    }
}

/// The first sheet of an uploaded workbook: its non-empty rows in ascending order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub rows: Vec<SheetRow>,
}

/// Column letter for a 0-based index: 0 → "A", 12 → "M", 26 → "AA".
pub fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// 0-based index of a column's letters, the inverse of `column_letter`: "A" → 0, "Z" → 25,
/// "AA" → 26, "XFD" → 16383. Either case is accepted ("aa" → 26), as Excel reads a reference.
/// `None` for an empty string, anything but ASCII letters, or a column beyond XFD (the last of
/// a worksheet's 16,384).
pub fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    (n <= 16_384).then(|| n - 1)
}

/// One problem found in an upload, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    /// Sheet row number, or `None` for a problem with the file as a whole.
    pub row: Option<u32>,
    /// Column letter, or `None`.
    pub column: Option<String>,
    /// The field's header text without `*`, e.g. 证件号码; or 表头 / 文件.
    pub field: String,
    /// A stable machine code, e.g. `id_number_invalid`.
    pub code: String,
    /// The guide's message, verbatim where the guide has one.
    pub message: String,
    /// The guide's remedy (解决方法).
    pub hint: String,
}

/// What normalisation changed silently (reported, never an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormKind {
    /// 全角 digits or letters made half-width (NFKC).
    FullWidth,
    /// Spaces, non-breaking or zero-width characters removed.
    InvisibleSpace,
    /// A lowercase x check character made X.
    LowercaseX,
}

impl NormKind {
    pub fn label(self) -> &'static str {
        match self {
            NormKind::FullWidth => "全角字符已转为半角",
            NormKind::InvisibleSpace => "已去除空格或不可见字符",
            NormKind::LowercaseX => "小写x已改为大写X",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Normalisation {
    pub row: u32,
    pub column: String,
    pub field: String,
    pub kind: NormKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(12), "M");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
    }

    #[test]
    fn column_indexes_follow_excel() {
        let cases = [("A", 0), ("M", 12), ("Z", 25), ("AA", 26), ("AZ", 51), ("BA", 52), ("ZZ", 701), ("AAA", 702)];
        for (letters, want) in cases {
            assert_eq!(column_index(letters), Some(want), "{letters}");
        }
        assert_eq!(column_index("XFD"), Some(16383), "the last column of a worksheet");
        assert_eq!(column_index("aa"), Some(26), "lowercase reads as uppercase");
        assert_eq!(column_index("xFd"), Some(16383), "mixed case too");
    }

    #[test]
    fn column_index_refuses_what_is_not_a_column() {
        let cases = [
            ("", "empty"),
            ("XFE", "one beyond XFD"),
            ("ZZZ", "beyond XFD"),
            ("AAAA", "four letters"),
            ("A1", "a cell reference, not a column"),
            ("1", "a digit"),
            ("@", "the byte before A"),
            ("[", "the byte after Z"),
            ("`", "the byte before a"),
            ("{", "the byte after z"),
            (" A", "a space"),
            ("Ａ", "a full-width letter"),
            ("é", "a non-ASCII letter"),
        ];
        for (letters, why) in cases {
            assert_eq!(column_index(letters), None, "{letters:?}: {why}");
        }
    }

    #[test]
    fn column_index_and_column_letter_round_trip_for_every_column() {
        for col in 0..16_384 {
            let letters = column_letter(col);
            assert_eq!(column_index(&letters), Some(col), "{letters}");
            assert_eq!(column_index(&letters.to_ascii_lowercase()), Some(col), "{letters} in lowercase");
        }
    }
}
