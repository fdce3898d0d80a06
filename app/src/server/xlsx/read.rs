//! Reads the first worksheet of an upload into a `Sheet`: guard first, then calamine's
//! streaming cell reader (never `worksheet_range`, which allocates from the declared
//! dimension), under the caps of `ReadLimits`.
//!
//! Choices a caller should know:
//! * "First sheet" is the first *visible worksheet* in workbook order (a hidden or chart sheet
//!   in front is skipped; if every worksheet is hidden, the first worksheet).
//! * Columns A–Z are kept (`limits.max_columns`), so the rules can report anything right of M;
//!   a non-empty cell right of Z is not kept, only its position (`SheetRead::beyond_last_column`).
//! * A cell longer than `max_cell_chars` becomes `Cell::Error("单元格内容过长（超过1000个字符）")`:
//!   never truncated, so nothing is imported silently shortened, and never copied, so one huge
//!   shared string referenced everywhere costs nothing.
//! * Formulas become `Cell::Formula { formula, cached }`: the formula text as Excel stores it
//!   (no leading `=`; shared formulas expanded to the cell), the saved value as text.
//! * Dates: `Cell::Date` holds the 1900-system serial (1904 workbooks are shifted).
//!   Duration-formatted numbers are `Cell::Number`. Non-finite numbers become `#NUM!`.
//! * Rows: non-empty rows only (a row of blank or whitespace cells is dropped), ascending,
//!   1-based; trailing empty cells trimmed.

use std::collections::HashMap;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{expand_shared_formula, DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxFormulaMetadata};

use crate::domain::{
    id_document::is_invisible_space,
    sheet::{Cell, Sheet, SheetRow},
};

use super::error::XlsxError;
use super::guard::{self, GuardReport};
use super::limits::ReadLimits;

/// Everything the reader learnt, for callers that want more than the `Sheet`.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRead {
    pub sheet: Sheet,
    /// The worksheet read (its tab name).
    pub sheet_name: String,
    /// The first non-empty cell right of the kept columns: (1-based row, 0-based column).
    pub beyond_last_column: Option<(u32, usize)>,
    /// What the guard measured and rewrote.
    pub guard: GuardReport,
}

/// Reads the first worksheet of an uploaded `.xlsx`.
pub fn read_first_sheet(bytes: &[u8], limits: &ReadLimits) -> Result<Sheet, XlsxError> {
    read_upload(bytes, limits).map(|r| r.sheet)
}

/// Like `read_first_sheet`, with the sheet name, cells beyond the kept columns and the guard's
/// report.
pub fn read_upload(bytes: &[u8], limits: &ReadLimits) -> Result<SheetRead, XlsxError> {
    let started = std::time::Instant::now();
    let sanitised = guard::inspect(bytes, limits)?;
    let guarded = started.elapsed();
    // The guard removes every input known to abort or overflow calamine; a panic left in its
    // parser is still a bad file, not a reason to take the request down.
    let read = catch_unwind(AssertUnwindSafe(|| read_sanitised(&sanitised.bytes, limits)))
        .map_err(|_| XlsxError::ReaderPanicked)??;
    tracing::debug!(
        guard_ms = guarded.as_millis() as u64,
        cells_ms = (started.elapsed() - guarded).as_millis() as u64,
        "workbook read"
    );
    let (sheet, sheet_name, beyond_last_column) = read;
    Ok(SheetRead { sheet, sheet_name, beyond_last_column, guard: sanitised.report })
}

type Read3 = (Sheet, String, Option<(u32, usize)>);

fn read_sanitised(bytes: &[u8], limits: &ReadLimits) -> Result<Read3, XlsxError> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let is_1904 = workbook.has_1904_epoch();
    let sheets = workbook.sheets_metadata();
    let first = sheets
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .or_else(|| sheets.iter().find(|s| s.typ == SheetType::WorkSheet))
        .ok_or(XlsxError::NoWorksheet)?;
    let name = first.name.clone();

    let mut cells = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut builder = SheetBuilder::new(limits, is_1904);
    while let Some(record) = cells.next_cell_with_formula_metadata().map_err(unreadable)? {
        builder.push(record.pos, record.value, record.formula)?;
    }
    let (sheet, beyond) = builder.finish()?;
    Ok((sheet, name, beyond))
}

fn unreadable(e: calamine::XlsxError) -> XlsxError {
    XlsxError::Unreadable { detail: e.to_string() }
}

/// Shared-formula templates kept per sheet; more are ignored (their cells still read as
/// formulas, with the anchor's text).
const MAX_SHARED_TEMPLATES: usize = 4096;

struct SheetBuilder<'l> {
    limits: &'l ReadLimits,
    is_1904: bool,
    rows: Vec<SheetRow>,
    current_row: u32,
    current: Vec<Cell>,
    sorted: bool,
    text_bytes: usize,
    cells: usize,
    beyond: Option<(u32, usize)>,
    shared: HashMap<usize, (String, (u32, u32))>,
    too_long: String,
}

impl<'l> SheetBuilder<'l> {
    fn new(limits: &'l ReadLimits, is_1904: bool) -> Self {
        SheetBuilder {
            limits,
            is_1904,
            rows: Vec::new(),
            current_row: 0,
            current: Vec::with_capacity(limits.max_columns),
            sorted: true,
            text_bytes: 0,
            cells: 0,
            beyond: None,
            shared: HashMap::new(),
            too_long: format!("单元格内容过长（超过{}个字符）", limits.max_cell_chars),
        }
    }

    fn push(
        &mut self,
        (row0, col0): (u32, u32),
        value: DataRef<'_>,
        formula: Option<XlsxFormulaMetadata>,
    ) -> Result<(), XlsxError> {
        let row = row0.saturating_add(1);
        let col = col0 as usize;

        let formula_text = match formula {
            None => None,
            Some(XlsxFormulaMetadata::Normal { formula }) => Some(self.clip(formula)),
            Some(XlsxFormulaMetadata::Shared { shared_index, range, formula }) => {
                let formula = self.clip(formula);
                if self.shared.len() < MAX_SHARED_TEMPLATES || self.shared.contains_key(&shared_index) {
                    let start = range.map_or((row0, col0), |r| r.start);
                    self.shared.insert(shared_index, (formula.clone(), start));
                }
                Some(formula)
            }
            Some(XlsxFormulaMetadata::SharedDerived { shared_index }) => {
                let text = match self.shared.get(&shared_index) {
                    Some((template, start)) => {
                        expand_shared_formula(template, *start, (row0, col0)).unwrap_or_else(|_| template.clone())
                    }
                    None => String::new(),
                };
                Some(self.clip(text))
            }
            // XlsxFormulaMetadata is non-exhaustive: a future kind is still a formula.
            Some(_) => Some(String::new()),
        };

        if col >= self.limits.max_columns {
            if self.beyond.is_none() && (formula_text.is_some() || !data_is_blank(&value)) {
                self.beyond = Some((row, col));
            }
            return Ok(());
        }

        let cell = match formula_text {
            Some(formula) => {
                let cached = self.cached_text(&value);
                Cell::Formula { formula, cached }
            }
            None => self.cell(value),
        };
        if matches!(cell, Cell::Empty) {
            return Ok(());
        }
        self.text_bytes += text_len(&cell);
        self.cells += 1;
        if self.text_bytes > self.limits.max_total_text_bytes || self.cells > self.limits.max_cells {
            return Err(XlsxError::TooMuchContent {
                max_cells: self.limits.max_cells,
                max_text_bytes: self.limits.max_total_text_bytes,
            });
        }

        if row != self.current_row {
            self.flush()?;
            self.current_row = row;
        }
        if self.current.len() <= col {
            self.current.resize(col + 1, Cell::Empty);
        }
        self.current[col] = cell;
        Ok(())
    }

    fn cell(&self, value: DataRef<'_>) -> Cell {
        match value {
            DataRef::Empty => Cell::Empty,
            DataRef::String(s) => self.text(s),
            DataRef::SharedString(s) => {
                if self.is_too_long(s) {
                    Cell::Error(self.too_long.clone())
                } else {
                    Cell::Text(s.to_string())
                }
            }
            DataRef::Float(f) => number(f),
            DataRef::Int(i) => Cell::Number(i as f64),
            DataRef::Bool(b) => Cell::Bool(b),
            DataRef::DateTime(dt) => {
                let v = dt.as_f64();
                if !v.is_finite() {
                    Cell::Error("#NUM!".into())
                } else if dt.is_duration() {
                    Cell::Number(v)
                } else {
                    Cell::Date(if self.is_1904 { v + 1462.0 } else { v })
                }
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => self.text(s),
            DataRef::Error(e) => Cell::Error(e.to_string()),
        }
    }

    fn text(&self, s: String) -> Cell {
        if self.is_too_long(&s) {
            Cell::Error(self.too_long.clone())
        } else {
            Cell::Text(s)
        }
    }

    fn is_too_long(&self, s: &str) -> bool {
        s.len() > self.limits.max_cell_chars && s.chars().count() > self.limits.max_cell_chars
    }

    /// Formula text is never imported, only reported: keep at most `max_cell_chars` of it.
    fn clip(&self, mut s: String) -> String {
        if self.is_too_long(&s) {
            let cut = s.char_indices().nth(self.limits.max_cell_chars).map_or(s.len(), |(i, _)| i);
            s.truncate(cut);
            s.push('…');
        }
        s
    }

    fn cached_text(&self, value: &DataRef<'_>) -> Option<String> {
        let s = match value {
            DataRef::Empty => return None,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => self.clip_ref(s),
            DataRef::SharedString(s) => self.clip_ref(s),
            DataRef::Float(f) => number_text(*f),
            DataRef::Int(i) => i.to_string(),
            DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            DataRef::DateTime(dt) => number_text(dt.as_f64()),
            DataRef::Error(e) => e.to_string(),
        };
        Some(s)
    }

    fn clip_ref(&self, s: &str) -> String {
        if self.is_too_long(s) {
            let cut = s.char_indices().nth(self.limits.max_cell_chars).map_or(s.len(), |(i, _)| i);
            format!("{}…", &s[..cut])
        } else {
            s.to_string()
        }
    }

    fn flush(&mut self) -> Result<(), XlsxError> {
        let used = self.current.iter().rposition(|c| !c.is_empty()).map(|i| i + 1);
        let Some(used) = used else {
            self.current.clear();
            return Ok(());
        };
        // An exactly-sized vector per row: 100,000 rows × 13 cells, not × capacity 16 or 26.
        let cells: Vec<Cell> = self.current.drain(..used).collect();
        self.current.clear();
        if let Some(last) = self.rows.last() {
            if last.row >= self.current_row {
                self.sorted = false;
            }
        }
        self.rows.push(SheetRow { row: self.current_row, cells });
        if self.rows.len() > self.limits.max_rows() {
            return Err(XlsxError::TooManyRows { limit_members: self.limits.max_member_rows });
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(Sheet, Option<(u32, usize)>), XlsxError> {
        self.flush()?;
        let mut rows = self.rows;
        if !self.sorted {
            rows.sort_by_key(|r| r.row);
            rows = merge_duplicate_rows(rows);
        }
        Ok((Sheet { rows }, self.beyond))
    }
}

/// Rows that appear twice (only in hand-made files) are merged, the later cell winning.
fn merge_duplicate_rows(rows: Vec<SheetRow>) -> Vec<SheetRow> {
    let mut out: Vec<SheetRow> = Vec::with_capacity(rows.len());
    for r in rows {
        match out.last_mut() {
            Some(last) if last.row == r.row => {
                if last.cells.len() < r.cells.len() {
                    last.cells.resize(r.cells.len(), Cell::Empty);
                }
                for (i, c) in r.cells.into_iter().enumerate() {
                    if !matches!(c, Cell::Empty) {
                        last.cells[i] = c;
                    }
                }
            }
            _ => out.push(r),
        }
    }
    out
}

fn data_is_blank(v: &DataRef<'_>) -> bool {
    match v {
        DataRef::Empty => true,
        DataRef::String(s) => s.chars().all(is_invisible_space),
        DataRef::SharedString(s) => s.chars().all(is_invisible_space),
        _ => false,
    }
}

fn number(f: f64) -> Cell {
    if f.is_finite() {
        Cell::Number(f)
    } else {
        Cell::Error("#NUM!".into())
    }
}

/// A number as Excel would show it in General format, near enough for a report.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

fn text_len(c: &Cell) -> usize {
    match c {
        Cell::Text(s) | Cell::Error(s) => s.len(),
        Cell::Formula { formula, cached } => formula.len() + cached.as_ref().map_or(0, |s| s.len()),
        _ => 0,
    }
}
