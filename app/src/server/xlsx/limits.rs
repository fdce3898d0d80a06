//! The caps every upload is read under. The defaults fit the largest real union (100,000
//! members in one file) with room to spare, and keep a hostile file to a few hundred MB of
//! work at most.

const MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest upload accepted at all (bytes as received).
    pub max_upload_bytes: usize,
    /// Most zip entries (parts) in the package.
    pub max_parts: usize,
    /// Sum of the real inflated sizes of all parts.
    pub max_total_inflated: u64,
    /// Real inflated size of any one part.
    pub max_part_inflated: u64,
    /// Inflated ÷ compressed ratio a part may not exceed once it is past `ratio_floor` bytes.
    pub max_compression_ratio: u64,
    /// Parts smaller than this are never judged by their ratio (tiny XML compresses well).
    pub ratio_floor: u64,
    /// Longest single XML tag.
    pub max_xml_tag_bytes: usize,
    /// Most `<si>` entries in the shared-string table.
    pub max_shared_strings: usize,
    /// Most member rows in one file (the message names this number).
    pub max_member_rows: usize,
    /// Header rows above the members (1–4 in the template).
    pub header_rows: usize,
    /// Extra non-empty rows tolerated beyond members + header (notes under the table…).
    pub row_slack: usize,
    /// Columns kept per row, from A: 26 keeps A–Z, so anything right of M still reaches the
    /// rules; cells right of Z are only counted (see `SheetRead::beyond_last_column`).
    pub max_columns: usize,
    /// Longest cell text, in characters; a longer cell becomes `Cell::Error(…过长…)`.
    pub max_cell_chars: usize,
    /// Total bytes of cell text (and formula text) kept for the whole sheet.
    pub max_total_text_bytes: usize,
    /// Most non-empty cells kept (100,000 members × 13 columns is 1.3 million).
    pub max_cells: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_upload_bytes: 30 * MIB as usize,
            max_parts: 500,
            max_total_inflated: 200 * MIB,
            max_part_inflated: 120 * MIB,
            max_compression_ratio: 100,
            ratio_floor: MIB,
            max_xml_tag_bytes: 64 * 1024,
            max_shared_strings: 2_000_000,
            max_member_rows: 100_000,
            header_rows: 4,
            row_slack: 100,
            max_columns: 26,
            max_cell_chars: 1_000,
            max_total_text_bytes: 64 * MIB as usize,
            max_cells: 2_000_000,
        }
    }
}

impl ReadLimits {
    /// Most non-empty rows (header + members + slack) before the file is refused.
    pub fn max_rows(&self) -> usize {
        self.max_member_rows + self.header_rows + self.row_slack
    }
}

/// 100000 → "10万", 2500 → "2500": how the number is said in a message.
pub(crate) fn chinese_count(n: usize) -> String {
    if n >= 10_000 && n.is_multiple_of(10_000) {
        format!("{}万", n / 10_000)
    } else {
        n.to_string()
    }
}

/// 200 MiB → "200MB".
pub(crate) fn megabytes(n: u64) -> String {
    let mb = n as f64 / MIB as f64;
    if (mb - mb.round()).abs() < 0.05 {
        format!("{}MB", mb.round() as u64)
    } else {
        format!("{mb:.1}MB")
    }
}
