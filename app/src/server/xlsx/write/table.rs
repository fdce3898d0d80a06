//! A plain table as a workbook: a title row, a header row, one row per item, frozen below the
//! header; text cells in text format (an ID or phone number stays as written), numbers as
//! numbers. The supervisor's exports use it.

use rust_xlsxwriter::{Format, FormatBorder, Workbook};

use super::styles::TEXT_FORMAT;
use crate::server::xlsx::XlsxError;

/// A cell of a [`table_workbook`].
#[derive(Debug, Clone, PartialEq)]
pub enum XlsxCell {
    Text(String),
    Number(i64),
}

pub fn table_workbook(title: &str, headers: &[String], rows: &[Vec<XlsxCell>]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    let bold = Format::new().set_bold().set_font_size(14);
    let head = border(Format::new().set_bold().set_background_color(rust_xlsxwriter::Color::RGB(0xD9D9D9)));
    let text = border(Format::new().set_num_format_index(TEXT_FORMAT));
    let number = border(Format::new());
    ws.write_string_with_format(0, 0, format!("{title}（共{}行）", rows.len()), &bold)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &head)?;
        ws.set_column_width(c as u16, if c == 0 { 36.0 } else { (h.chars().count() as f64 * 2.2).max(10.0) })?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                XlsxCell::Text(s) => ws.write_string_with_format(r, c as u16, s, &text)?,
                XlsxCell::Number(n) => ws.write_number_with_format(r, c as u16, *n as f64, &number)?,
            };
        }
    }
    ws.set_freeze_panes(2, 0)?;
    Ok(wb.save_to_buffer()?)
}
