//! 待处理 as a workbook: each member the bank returned, with every reason it gave and what the
//! union can do, one row a member, so the clerk can work through them beside the HR records.
//! Numbers are masked as on the page.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::styles::TEXT_FORMAT;
use crate::server::xlsx::XlsxError;

/// One rejected member as written: name, masked ID, masked phone, department, batch, the date it
/// came back, the reasons, what to do.
pub struct RejectionRow {
    pub name: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub department: String,
    pub batch_no: String,
    pub rejected_on: String,
    pub reasons: String,
    pub remedies: String,
}

const HEADERS: [(&str, f64); 9] = [
    ("序号", 6.0),
    ("姓名", 12.0),
    ("证件号码", 22.0),
    ("手机号码", 15.0),
    ("部门", 14.0),
    ("批次号", 17.0),
    ("退回日期", 12.0),
    ("退回原因", 40.0),
    ("处理方法", 48.0),
];

pub fn rejections_report(union_name: &str, rows: &[RejectionRow]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("待处理")?;
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(14);
    let head = border(Format::new().set_bold().set_background_color(rust_xlsxwriter::Color::RGB(0xD9D9D9)));
    let text = border(Format::new().set_num_format_index(TEXT_FORMAT).set_align(FormatAlign::Top));
    let wrap = border(Format::new().set_text_wrap().set_align(FormatAlign::Top));
    ws.write_string_with_format(0, 0, format!("{union_name} 会员服务卡 未办卡—待处理（共{}人）", rows.len()), &title)?;
    for (c, (h, width)) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &text)?;
        for (c, v) in [&r.name, &r.id_number_masked, &r.phone_masked, &r.department, &r.batch_no, &r.rejected_on]
            .into_iter()
            .enumerate()
        {
            ws.write_string_with_format(row, 1 + c as u16, v, &text)?;
        }
        ws.write_string_with_format(row, 7, &r.reasons, &wrap)?;
        ws.write_string_with_format(row, 8, &r.remedies, &wrap)?;
    }
    ws.set_freeze_panes(2, 0)?;
    Ok(wb.save_to_buffer()?)
}
