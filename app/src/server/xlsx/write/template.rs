//! The collection template (工会会员信息采集汇总表) as domain.md lays it out: header rows, member
//! columns and drop-downs. The error report reuses its layout and drop-downs.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, Worksheet};

use crate::domain::id_document::IdType;
use crate::domain::template::{IncomeBand, UnitType, ATTACHMENT_MARK, HEADERS, INFO_LABELS, TITLE};
use crate::server::xlsx::error::XlsxError;

use super::instructions::{branch_table_rows, write_instructions, INSTRUCTIONS_SHEET};
use super::styles::{Styles, TEXT_FORMAT};

/// Rows 5..=100004 carry the member drop-downs (100,000 members, the import's cap).
const LAST_MEMBER_ROW0: u32 = 100_003;
const FIRST_MEMBER_ROW0: u32 = 4;
/// Column M, the template's last column (0-based).
pub(super) const LAST_COL0: u16 = 12;

const COLUMN_WIDTHS: [f64; 13] = [6.0, 12.0, 30.0, 22.0, 12.0, 6.0, 12.0, 15.0, 8.0, 10.0, 11.0, 16.0, 20.0];
/// Columns kept as text so Excel cannot turn an 18-digit ID into 4.40301E+17: D and H.
pub(super) const TEXT_COLUMNS: [u16; 2] = [3, 7];

const ROW2_INSTRUCTIONS: &str = "填写说明：1.第1-4行为表头，请勿修改、删减、合并或移动（“*填报工会”必须在第3行），表格的最右列为M列；会员信息从第5行起每人一行，中间不要留空行。\
2.“*填报工会”须与系统登记的工会名称（不是单位名称）完全一致，前后不留空格；“*单位类型”填34（机关事业单位）、60（企业）或39（其他）；“*职工平均月收入”按档次填1-5；“*领卡网点”在银行工作人员指导下填写对接网点行号；“*是否加载深圳通”填“是”或“否”。\
3.带*号的为必填项。证件号码、手机号码两列已设为文本格式，请勿改为数值：身份证号码为18位，数字“0”不要误填成字母“O”，同一表内不得重复；手机号码为11位数字。\
4.证件类型不填默认为居民身份证；证件号码不是有效的居民身份证号码或证件类型为其他证件时，国家/地区、性别、出生日期必填。\
5.请勿使用公式；从其他系统复制的数据请用“选择性粘贴—数值”。详见「填写说明」工作表。";

/// The collection template, pre-filled with the union's registered full name in B3 and a
/// drop-down of its bank's branches (`(行号, 网点名称)`) in H3.
pub fn template(union_name: &str, branches: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    Ok(template_workbook(union_name, branches)?.save_to_buffer()?)
}

/// The template before saving (tests type into it like a clerk would).
pub(in crate::server::xlsx) fn template_workbook(
    union_name: &str,
    branches: &[(String, String)],
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let styles = Styles::new();

    // H3's list points at the branch table of the second sheet, 填写说明.
    let sheet = workbook.add_worksheet();
    sheet.set_name(TITLE)?;
    write_header_rows(sheet, &styles, union_name)?;
    layout_member_columns(sheet)?;
    add_member_validations(sheet)?;
    add_header_validations(sheet, branches, BranchSource::Instructions(branch_table_rows(branches)))?;
    sheet.set_active(true);

    let notes = workbook.add_worksheet();
    notes.set_name(INSTRUCTIONS_SHEET)?;
    write_instructions(notes, &styles, branches)?;
    Ok(workbook)
}

/// Rows 1–4 of the template.
fn write_header_rows(ws: &mut Worksheet, s: &Styles, union_name: &str) -> Result<(), XlsxError> {
    ws.write_string(0, 0, ATTACHMENT_MARK)?;
    ws.merge_range(0, 1, 0, LAST_COL0, TITLE, &s.title)?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(1, 0, 1, LAST_COL0, ROW2_INSTRUCTIONS, &s.instructions)?;
    ws.set_row_height(1, 110)?;
    for (i, label) in INFO_LABELS.iter().enumerate() {
        let col = (i * 2) as u16;
        ws.write_string_with_format(2, col, *label, &s.label)?;
        let value_fmt = if TEXT_COLUMNS.contains(&(col + 1)) { &s.value_text } else { &s.value };
        if i == 0 {
            ws.write_string_with_format(2, col + 1, union_name, value_fmt)?;
        } else {
            ws.write_blank(2, col + 1, value_fmt)?;
        }
    }
    ws.set_row_height(2, 24)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &s.header)?;
    }
    ws.set_row_height(3, 30)?;
    Ok(())
}

/// Widths, text format on D and H, frozen header.
pub(super) fn layout_member_columns(ws: &mut Worksheet) -> Result<(), XlsxError> {
    for (c, w) in COLUMN_WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    // A column format is Excel's own way to give every new cell of D and H the text format,
    // rows 5..=100004 included, without writing 200,000 empty cells.
    let text = Format::new().set_num_format_index(TEXT_FORMAT);
    for c in TEXT_COLUMNS {
        ws.set_column_format(c, &text)?;
    }
    ws.set_freeze_panes(4, 0)?;
    Ok(())
}

fn list(items: &[&str], title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    Ok(DataValidation::new()
        .allow_list_strings(items)?
        .set_input_title(title)?
        .set_input_message(message)?
        .set_error_title(title)?
        .set_error_message(format!("请从下拉列表中选择：{}", items.join("、")))?)
}

/// Drop-downs on C (证件类型), F (性别), K (是否农民工) for every member row.
pub(super) fn add_member_validations(ws: &mut Worksheet) -> Result<(), XlsxError> {
    let labels: Vec<&str> = IdType::ALL.iter().map(|t| t.label()).collect();
    let id_types = list(
        &labels,
        "证件类型",
        "不填默认为居民身份证。其他证件请从下拉列表中选择，并填写国家/地区、性别、出生日期。",
    )?;
    ws.add_data_validation(FIRST_MEMBER_ROW0, 2, LAST_MEMBER_ROW0, 2, &id_types)?;
    let sex = list(&["男", "女"], "性别", "填“男”或“女”。证件不是居民身份证时必填。")?;
    ws.add_data_validation(FIRST_MEMBER_ROW0, 5, LAST_MEMBER_ROW0, 5, &sex)?;
    let migrant = list(&["是", "否"], "是否农民工", "填“是”或“否”，可不填。")?;
    ws.add_data_validation(FIRST_MEMBER_ROW0, 10, LAST_MEMBER_ROW0, 10, &migrant)?;
    Ok(())
}

/// Where H3's drop-down takes the branch codes from.
pub(super) enum BranchSource {
    /// Rows (0-based, inclusive) of the branch table on the instructions sheet.
    Instructions(Option<(u32, u32)>),
    None,
}

/// Drop-downs with explanations on D3, F3, H3, J3.
pub(super) fn add_header_validations(
    ws: &mut Worksheet,
    branches: &[(String, String)],
    source: BranchSource,
) -> Result<(), XlsxError> {
    let unit_codes: Vec<&str> = UnitType::ALL.iter().map(|u| u.code()).collect();
    let unit_msg: Vec<String> = UnitType::ALL.iter().map(|u| format!("{}：{}", u.code(), u.label())).collect();
    ws.add_data_validation(2, 3, 2, 3, &list(&unit_codes, "单位类型", &unit_msg.join("\n"))?)?;

    let band_codes: Vec<&str> = IncomeBand::ALL.iter().map(|b| b.code()).collect();
    let band_msg: Vec<String> = IncomeBand::ALL.iter().map(|b| format!("{}：{}元", b.code(), b.label())).collect();
    ws.add_data_validation(2, 5, 2, 5, &list(&band_codes, "职工平均月收入", &band_msg.join("\n"))?)?;

    let branch = match (source, branches.is_empty()) {
        (BranchSource::Instructions(Some((first, last))), false) => {
            let mut msg = String::from("请在银行工作人员指导下选择对接网点行号：");
            for (code, name) in branches {
                let line = format!("\n{code} {name}");
                if utf16_len(&msg) + utf16_len(&line) > 225 {
                    msg.push_str(&format!("\n……共{}个，见「{INSTRUCTIONS_SHEET}」", branches.len()));
                    break;
                }
                msg.push_str(&line);
            }
            let range = format!("='{INSTRUCTIONS_SHEET}'!$A${}:$A${}", first + 1, last + 1);
            DataValidation::new()
                .allow_list_formula(Formula::new(range))
                .set_input_title("领卡网点")?
                .set_input_message(msg)?
                .set_error_title("领卡网点")?
                .set_error_message("请从下拉列表中选择对接网点的行号。")?
        }
        _ => DataValidation::new()
            .allow_any_value()
            .set_input_title("领卡网点")?
            .set_input_message("请在银行工作人员指导下，填写对接网点的行号。")?,
    };
    ws.add_data_validation(2, 7, 2, 7, &branch)?;

    let stt = list(&["是", "否"], "是否加载深圳通", "填“是”：银行免费为会员服务卡加载深圳通功能；填“否”：不加载。")?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(2, 9, 2, 9, &stt)?;
    Ok(())
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}
