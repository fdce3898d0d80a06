//! Workbooks the clerk downloads: the collection template (工会会员信息采集汇总表) as domain.md
//! lays it out, and the error report — the clerk's own rows written back with every bad cell
//! marked, so the same file can be fixed and uploaded again.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula, Note, Workbook,
    Worksheet,
};

use crate::domain::id_document::IdType;
use crate::domain::sheet::{Cell, ImportIssue, Sheet, SheetRow};
use crate::domain::template::{IncomeBand, UnitType, ATTACHMENT_MARK, HEADERS, INFO_LABELS, TITLE};

use super::error::XlsxError;

/// N4 of an error report: the column that lists each row's problems. Delete it (or ignore a
/// column under this header) before the file is checked again.
pub const ERROR_COLUMN_HEADER: &str = "错误原因";

/// Rows 5..=100004 carry the member drop-downs (100,000 members, the import's cap).
const LAST_MEMBER_ROW0: u32 = 100_003;
const FIRST_MEMBER_ROW0: u32 = 4;
const LAST_COL0: u16 = 12;
const INSTRUCTIONS_SHEET: &str = "填写说明";
/// Cell notes cost a drawing each; past this many only the fill and column N mark a cell.
const MAX_NOTES: usize = 2_000;
/// Lines of the 错误清单 sheet.
const MAX_LISTED_ISSUES: usize = 50_000;

const COLUMN_WIDTHS: [f64; 13] = [6.0, 12.0, 30.0, 22.0, 12.0, 6.0, 12.0, 15.0, 8.0, 10.0, 11.0, 16.0, 20.0];
/// Excel's built-in text number format, "@".
const TEXT_FORMAT: u8 = 49;
/// Columns kept as text so Excel cannot turn an 18-digit ID into 4.40301E+17: D and H.
const TEXT_COLUMNS: [u16; 2] = [3, 7];

const ROW2_INSTRUCTIONS: &str = "填写说明：1.第1-4行为表头，请勿修改、删减、合并或移动（“*填报工会”必须在第3行），表格的最右列为M列；会员信息从第5行起每人一行，中间不要留空行。\
2.“*填报工会”须与系统登记的工会名称（不是单位名称）完全一致，前后不留空格；“*单位类型”填34（机关事业单位）、60（企业）或39（其他）；“*职工平均月收入”按档次填1-5；“*领卡网点”在银行工作人员指导下填写对接网点行号；“*是否加载深圳通”填“是”或“否”。\
3.带*号的为必填项。证件号码、手机号码两列已设为文本格式，请勿改为数值：身份证号码为18位，数字“0”不要误填成字母“O”，同一表内不得重复；手机号码为11位数字。\
4.证件类型不填默认为居民身份证；证件号码不是有效的居民身份证号码或证件类型为其他证件时，国家/地区、性别、出生日期必填。\
5.请勿使用公式；从其他系统复制的数据请用“选择性粘贴—数值”。详见「填写说明」工作表。";

/// The guide's 信息采集常见问题汇总: (error, cause, remedy), verbatim.
const COMMON_ERRORS: [(&str, &str, &str); 12] = [
    ("工会名称不匹配！", "1、信息采集表内工会名称与系统内工会名称不一致\n2、信息采集表内工会名称含空格", "1.检查表格内工会名称是否正确填写（此处为工会名称非单位名称）\n2.登录基层工会账号，依次点击“单位信息”-“工会组织信息”，复制“工会名称”填写至信息采集表内。"),
    ("职工平均月收入编码错误！", "“*职工平均月收入”未按照表格要求填写", "该项分五档按档次填写阿拉伯数字“1-5”，其中“0-4999”档次填写“1”；“5000-19999”档次填写“2”；“20000-49999”档次填写“3”；“50000-99999”档次填写“4”；“100000以上”档次填写“5”。"),
    ("单位类型填写错误！", "“*单位类型”未按照表格要求填写", "该项若为“机关事业单位”请填“34”；若为“企业”请填“60”；“其他”请填“39”。"),
    ("无效的领卡网点！", "“*领卡网点”未按照表格要求填写", "填报人必须在银行工作人员的指引下正确填写开卡网点编号。"),
    ("是否深圳通请填写【是】或【否】！", "“*是否加载深圳通”未按照表格要求填写", "请明确填写“是”或“否”。填“是”，银行将免费为会员服务卡加载深圳通功能。"),
    ("请把表头内容填写完整！", "1.表头内容填写不完整\n2.表头格式错误（不可修改、合并、删除表头格式）\n3.表头“附件2”行遭删除", "登录基层工会账号，依次点击“会员管理”-“会员信息”-“下载会员模板”，根据模板修改表头，或将内容复制到标准模板内使用。"),
    ("身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！", "1.身份证号填写错误\n2.所填数据中存在字母\"O\"！", "1.核对身份证原件，正确填写身份证号码\n2.将身份证号码中的字幕“O”改为数字“0”\n3.若以上操作皆无法解决问题，可尝试将表格内身份证号删除，在其他无格式的文本中输入该身份证号码并复制入表格"),
    ("证件号码无效或者为非居民身份证时，国家/地区必填！\n（证件类型必填！出生日期必填！同理）", "证件号码无效或者为非居民身份证时，“国家/地区”、“证件类型”、“出生日期”必须填写。", "正确填写“国家/地区”、“证件类型”、“出生日期”。\n*证件类型为其他类型时：性别、出生日期、证件类型、国家或地区为必填。其中：1.证件类型必须按以下内容、格式填写清楚：护照、户口簿、外国人居留许可证、港澳居民来往内地通行证（香港）、港澳居民来往内地通行证（澳门）、台湾居民来往大陆通行证、其他。2.必须明确填写“国家或地区”"),
    ("身份证号码格式错误，请填写18位正确的身份证号码！", "身份证号码位数错误", "核对身份证原件，填写18位正确的身份证号码"),
    ("手机号码：136xxxxxxxx为无效手机号，请填写长度为11位数字的有效手机号码。", "手机号位数错误", "请填写长度为11位数字的有效手机号码"),
    ("同xx行的某某人证件号码相同。", "不同会员在表格内存在相同的证件号码", "检查报错行身份证号码是否正确"),
    ("该证件号码已存在！\n该证件号码在【xxxxxx工会委员会】中已存在！", "1.证件号码与姓名不对应\n2.该会员身份证已存在于其他工会\n3.该证件号码在会员信息中已存在", "1.核实身份证号码与姓名是否对应\n2.该会员是否已在其他单位录入\n3.删除重复录入的会员信息"),
];
const FORMULA_ERROR: (&str, &str, &str) = (
    "手机号码：VLOOKUP(B7,'[1]160318'!$A$1:$D$65536,4,0)为无效手机号，请填写长度为11位数字的有效手机号码。",
    "企业系统内批量导出的会员信息带有系统路径",
    "在错误单元格右键点击“复制”，然后重新黏贴至该单元格，黏贴选项选择“值”。",
);

/// The collection template, pre-filled with the union's registered full name in B3 and a
/// drop-down of its bank's branches (`(行号, 网点名称)`) in H3.
pub fn template(union_name: &str, branches: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    Ok(template_workbook(union_name, branches)?.save_to_buffer()?)
}

/// The template before saving (tests type into it like a clerk would).
pub(super) fn template_workbook(union_name: &str, branches: &[(String, String)]) -> Result<Workbook, XlsxError> {
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

/// The uploaded rows written back in the template layout: every cell as uploaded (text stays
/// text), each cell with an issue filled red with a note carrying its messages, and a column
/// `错误原因` (N, or the first free column right of the data) listing every message of the
/// row. File-level issues (row `None`) go in N1, header issues beside their header row (row-4
/// issues under the `错误原因` label in N4). A second sheet, 错误清单, lists all issues with
/// their remedies.
///
/// Formula cells are never written as formulas: the saved value is written as text when there
/// is one, otherwise the formula itself as quoted text (`=VLOOKUP(…)`), and the cell is filled
/// yellow with a note showing the original formula.
pub fn error_report(sheet: &Sheet, issues: &[ImportIssue]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let styles = Styles::new();

    let used_cols = sheet.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let reason_col = used_cols.max(LAST_COL0 as usize + 1);
    let reason_col16 = to_col(reason_col)?;

    // Index the issues: by cell, and by row for the reasons column.
    let mut by_cell: BTreeMap<(u32, usize), Vec<&str>> = BTreeMap::new();
    let mut by_row: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for issue in issues {
        let row = issue.row.unwrap_or(1).max(1);
        let col = issue.column.as_deref().and_then(column_index);
        if let (Some(r), Some(c)) = (issue.row, col) {
            by_cell.entry((r, c)).or_default().push(&issue.message);
        }
        let text = match (&issue.column, issue.row) {
            (Some(letter), Some(r)) if r >= 5 => format!("{letter}列：{}", issue.message),
            (Some(letter), Some(r)) => format!("{letter}{r}：{}", issue.message),
            _ => issue.message.clone(),
        };
        by_row.entry(row).or_default().push(text);
    }

    let ws = workbook.add_worksheet_with_low_memory()?;
    ws.set_name(TITLE)?;
    layout_member_columns(ws)?;
    add_member_validations(ws)?;
    add_header_validations(ws, &[], BranchSource::None)?;
    ws.set_column_width(reason_col16, 60)?;

    // Notes are gathered first and the first MAX_NOTES, in sheet order, inserted at the end.
    let mut notes: BTreeMap<(u32, u16), String> = BTreeMap::new();
    let mut note_for = |row: u32, col: u16, bad: Option<&Vec<&str>>, cell: &Cell| {
        let mut note = bad.map(|m| m.join("\n")).unwrap_or_default();
        if let Cell::Formula { formula, cached } = cell {
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(&format!(
                "原单元格是公式：={formula}\n已{}写回，请改为直接填写数值（复制后“选择性粘贴—数值”）。",
                if cached.is_some() { "按其显示值" } else { "按公式文字" }
            ));
        }
        if !note.is_empty() {
            notes.insert((row, col), note);
        }
    };

    // The sheet is written in low-memory mode, so strictly row by row: each row's own cells,
    // the marked empty cells that should have had a value, and its reasons.
    let header_reasons = by_row.remove(&4);
    let by_number: HashMap<u32, &SheetRow> = sheet.rows.iter().map(|r| (r.row, r)).collect();
    let rows: BTreeSet<u32> = sheet
        .rows
        .iter()
        .map(|r| r.row)
        .chain(by_cell.keys().map(|(r, _)| *r))
        .chain(by_row.keys().copied())
        .chain([4])
        .filter(|r| (1..=1_048_576).contains(r))
        .collect();
    for row in rows {
        let row0 = row - 1;
        if let Some(r) = by_number.get(&row).copied() {
            // Rows 1 and 2 keep the template's merged title and instructions when they look like it.
            let merged = merged_header(r);
            let merged_from = match merged {
                Some(Merged::Title(_)) => 1,
                Some(Merged::Instructions(_)) => 0,
                None => usize::MAX,
            };
            if let Some(m) = &merged {
                let (text, fmt) = match m {
                    Merged::Title(t) => (*t, &styles.title),
                    Merged::Instructions(t) => (*t, &styles.instructions),
                };
                let bad = by_cell.get(&(r.row, merged_from));
                let fmt = if bad.is_some() { fmt.clone().set_background_color(RED) } else { fmt.clone() };
                ws.merge_range(row0, merged_from as u16, row0, LAST_COL0, text, &fmt)?;
                if r.row == 2 {
                    ws.set_row_height(row0, 110)?;
                }
                note_for(row0, merged_from as u16, bad, &Cell::Empty);
            }
            for (c, cell) in r.cells.iter().enumerate() {
                if c >= merged_from {
                    break;
                }
                let bad = by_cell.get(&(r.row, c));
                if matches!(cell, Cell::Empty) && bad.is_none() {
                    continue;
                }
                let col = to_col(c)?;
                write_cell(ws, &styles, row0, col, cell, CellMark { row: r.row, col: c, bad: bad.is_some() })?;
                note_for(row0, col, bad, cell);
            }
        }
        // Issues on cells the upload left empty (a missing required value).
        for (&(_, col), msgs) in by_cell.range((row, 0)..(row + 1, 0)) {
            if col >= 16_384 {
                continue;
            }
            if let Some(r) = by_number.get(&row) {
                let inside_merge = merged_header(r).is_some_and(|m| {
                    let from = match m {
                        Merged::Title(_) => 1,
                        Merged::Instructions(_) => 0,
                    };
                    (from..=LAST_COL0 as usize).contains(&col)
                });
                if inside_merge || !matches!(r.cell(col), Cell::Empty) {
                    continue; // already written and marked above
                }
            }
            let col16 = to_col(col)?;
            let fmt = if TEXT_COLUMNS.contains(&col16) { &styles.bad_text } else { &styles.bad };
            ws.write_blank(row0, col16, fmt)?;
            note_for(row0, col16, Some(msgs), &Cell::Empty);
        }
        // The reasons column.
        if row == 4 {
            let label = match &header_reasons {
                Some(msgs) => format!("{ERROR_COLUMN_HEADER}\n{}", msgs.join("\n")),
                None => ERROR_COLUMN_HEADER.to_string(),
            };
            ws.write_string_with_format(3, reason_col16, label, &styles.reason_header)?;
        } else if let Some(msgs) = by_row.get(&row) {
            ws.write_string_with_format(row0, reason_col16, msgs.join("\n"), &styles.reason)?;
        }
    }
    for ((row0, col), text) in notes.iter().take(MAX_NOTES) {
        let text: String = text.chars().take(2000).collect();
        let note = Note::new(text).set_author("系统校验").add_author_prefix(false).set_width(320).set_height(140);
        ws.insert_note(*row0, *col, &note)?;
    }

    ws.set_freeze_panes(4, 0)?;
    ws.set_active(true);

    let list = workbook.add_worksheet_with_low_memory()?;
    list.set_name("错误清单")?;
    write_issue_list(list, &styles, issues)?;

    Ok(workbook.save_to_buffer()?)
}

const RED: Color = Color::RGB(0xFFC7CE);
const YELLOW: Color = Color::RGB(0xFFEB9C);
const INPUT: Color = Color::RGB(0xFFF2CC);
const GREY: Color = Color::RGB(0xD9D9D9);

struct Styles {
    title: Format,
    instructions: Format,
    label: Format,
    value: Format,
    value_text: Format,
    header: Format,
    text: Format,
    date: Format,
    bad: Format,
    bad_text: Format,
    bad_date: Format,
    formula: Format,
    bad_formula: Format,
    reason_header: Format,
    reason: Format,
    section: Format,
    table_head: Format,
    wrap: Format,
    wrap_text: Format,
}

impl Styles {
    fn new() -> Self {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        let text = Format::new().set_num_format_index(TEXT_FORMAT);
        let date = Format::new().set_num_format("yyyy-mm-dd");
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            instructions: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::RGB(0xC00000)),
            label: border(Format::new().set_bold().set_align(FormatAlign::VerticalCenter)),
            value: border(Format::new().set_background_color(INPUT)),
            value_text: border(Format::new().set_background_color(INPUT).set_num_format_index(TEXT_FORMAT)),
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color(GREY)
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_text_wrap(),
            ),
            bad: Format::new().set_background_color(RED),
            bad_text: text.clone().set_background_color(RED),
            bad_date: date.clone().set_background_color(RED),
            formula: text.clone().set_background_color(YELLOW).set_quote_prefix(),
            bad_formula: text.clone().set_background_color(RED).set_quote_prefix(),
            text,
            date,
            reason_header: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0xC00000))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            reason: Format::new().set_font_color(Color::RGB(0xC00000)).set_text_wrap(),
            section: Format::new().set_bold().set_font_size(12),
            table_head: border(
                Format::new()
                    .set_bold()
                    .set_background_color(GREY)
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            wrap: border(Format::new().set_text_wrap().set_align(FormatAlign::VerticalCenter)),
            wrap_text: border(
                Format::new().set_text_wrap().set_num_format_index(TEXT_FORMAT).set_align(FormatAlign::VerticalCenter),
            ),
        }
    }
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
fn layout_member_columns(ws: &mut Worksheet) -> Result<(), XlsxError> {
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
fn add_member_validations(ws: &mut Worksheet) -> Result<(), XlsxError> {
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

enum BranchSource {
    /// Rows (0-based, inclusive) of the branch table on the instructions sheet.
    Instructions(Option<(u32, u32)>),
    None,
}

/// Drop-downs with explanations on D3, F3, H3, J3.
fn add_header_validations(
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

/// Where `write_instructions` puts the branch table: (first, last) 0-based rows.
fn branch_table_rows(branches: &[(String, String)]) -> Option<(u32, u32)> {
    if branches.is_empty() {
        return None;
    }
    let first = instructions_branch_start();
    Some((first, first + branches.len() as u32 - 1))
}

const HEADER_RULES: [(&str, &str); 6] = [
    ("表头格式", "第1-4行为表头，请勿修改、删减、合并或移动；“*填报工会”一行必须在第3行，“附件2”一行不可删除；第4行的列标题不可改动；表格的最右列为M列，M列右侧不要填写任何内容。"),
    ("*填报工会（B3）", "填写系统中登记的工会全称（注意是工会名称，不是单位名称），前后不留空格。可登录基层工会账号，依次点击“单位信息”-“工会组织信息”，复制“工会名称”。从系统下载的模板已预先填好。"),
    ("*单位类型（D3）", "34 = 机关事业单位；60 = 企业；39 = 其他。"),
    ("*职工平均月收入（F3）", "按档次填写阿拉伯数字1-5：1 = 0-4999；2 = 5000-19999；3 = 20000-49999；4 = 50000-99999；5 = 100000以上。"),
    ("*领卡网点（H3）", "在银行工作人员指导下，填写对接网点的行号（见下方“四、领卡网点”）。"),
    ("*是否加载深圳通（J3）", "填“是”或“否”。填“是”，银行将免费为会员服务卡加载深圳通功能。"),
];

const FIELD_RULES: [(&str, &str); 13] = [
    ("A", "可不填。"),
    ("B", "必填。1-50个字，不能含数字，前后不留空格。"),
    ("C", "不填默认为居民身份证；其他证件请从下拉列表中选择，文字须与“三、证件类型”一致。"),
    ("D", "必填，以文本格式填写（本列已设为文本格式，请勿改为数值，否则18位号码会变成4.40301E+17并丢失末几位）。居民身份证为18位，最后一位可以是X；数字“0”不要误填成字母“O”；同一表内不得重复。"),
    ("E", "证件号码不是有效的居民身份证号码，或证件类型为其他证件时必填，如：中国、中国香港、中国澳门、中国台湾、美国。"),
    ("F", "填“男”或“女”。证件不是居民身份证时必填；居民身份证可不填，填写则须与身份证号码一致。"),
    ("G", "日期，如1990-01-01、19900101或1990/1/1。填写规则同性别。"),
    ("H", "必填，11位手机号码（1开头，第二位为3-9）。本列为文本格式。"),
    ("I", "可不填，如：汉族。"),
    ("J", "可不填，如：本科。"),
    ("K", "填“是”或“否”，可不填。"),
    ("L", "可不填；会员服务卡按部门分发时使用。"),
    ("M", "可不填。"),
];

fn id_type_note(t: IdType) -> &'static str {
    match t {
        IdType::ResidentId => "18位：6位地址码+8位出生日期+3位顺序码+1位校验码（可为X）。证件类型不填即为居民身份证。港澳台居民居住证（810000/820000/830000开头）可不填证件类型或选“其他”；外国人永久居留身份证请选“其他”。",
        IdType::Other => "以上都不是的证件（如外国人永久居留身份证）。国家/地区、性别、出生日期必填。",
        _ => "国家/地区、性别、出生日期必填。",
    }
}

const INSTRUCTION_COLUMNS: [f64; 3] = [30.0, 46.0, 70.0];

/// Row (0-based) where the branch table's first code goes; `write_instructions` asserts it.
fn instructions_branch_start() -> u32 {
    // title, blank, section 1 (heading + table head + rules), blank, section 2 (heading +
    // table head + 13 fields), blank, section 3 (heading + table head + 8 types), blank,
    // section 4 heading, table head → first branch.
    let mut r = 2;
    r += 2 + HEADER_RULES.len() as u32 + 1;
    r += 2 + FIELD_RULES.len() as u32 + 1;
    r += 2 + IdType::ALL.len() as u32 + 1;
    r + 2
}

/// The 填写说明 sheet: header rules, field rules, document types with codes, branches, and the
/// guide's common errors.
fn write_instructions(ws: &mut Worksheet, s: &Styles, branches: &[(String, String)]) -> Result<(), XlsxError> {
    for (c, w) in INSTRUCTION_COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.write_string_with_format(0, 0, format!("{TITLE} 填写说明"), &s.title.clone().set_align(FormatAlign::Left))?;
    let mut r: u32 = 2;

    let section = |ws: &mut Worksheet, r: &mut u32, title: &str, heads: &[&str]| -> Result<(), XlsxError> {
        ws.write_string_with_format(*r, 0, title, &s.section)?;
        *r += 1;
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(*r, c as u16, *h, &s.table_head)?;
        }
        *r += 1;
        Ok(())
    };

    section(ws, &mut r, "一、表头（第1-4行）", &["项目", "填写要求"])?;
    for (item, rule) in HEADER_RULES {
        ws.write_string_with_format(r, 0, item, &s.wrap)?;
        ws.merge_range(r, 1, r, 2, rule, &s.wrap)?;
        r += 1;
    }
    r += 1;

    section(ws, &mut r, "二、会员信息（第5行起，每人一行；带*号为必填）", &["列", "字段", "填写要求"])?;
    for (i, (col, rule)) in FIELD_RULES.iter().enumerate() {
        ws.write_string_with_format(r, 0, *col, &s.wrap)?;
        ws.write_string_with_format(r, 1, HEADERS[i], &s.wrap)?;
        ws.write_string_with_format(r, 2, *rule, &s.wrap)?;
        r += 1;
    }
    r += 1;

    section(ws, &mut r, "三、证件类型（填写名称，括号为全角）", &["证件类型", "银行代码", "说明"])?;
    for t in IdType::ALL {
        ws.write_string_with_format(r, 0, t.label(), &s.wrap)?;
        ws.write_string_with_format(r, 1, t.code(), &s.wrap_text)?;
        ws.write_string_with_format(r, 2, id_type_note(t), &s.wrap)?;
        r += 1;
    }
    r += 1;

    section(ws, &mut r, "四、领卡网点（H3 填写行号）", &["行号", "网点名称"])?;
    debug_assert_eq!(r, instructions_branch_start());
    if branches.is_empty() {
        ws.merge_range(r, 0, r, 1, "请在银行工作人员指导下填写对接网点的行号。", &s.wrap)?;
        r += 1;
    }
    for (code, name) in branches {
        ws.write_string_with_format(r, 0, code, &s.wrap_text)?;
        ws.write_string_with_format(r, 1, name, &s.wrap)?;
        r += 1;
    }
    r += 1;

    section(ws, &mut r, "五、常见错误及解决方法", &["错误内容", "原因", "解决方法"])?;
    for (err, cause, fix) in COMMON_ERRORS.iter().chain(std::iter::once(&FORMULA_ERROR)) {
        ws.write_string_with_format(r, 0, *err, &s.wrap)?;
        ws.write_string_with_format(r, 1, *cause, &s.wrap)?;
        ws.write_string_with_format(r, 2, *fix, &s.wrap)?;
        r += 1;
    }
    r += 1;
    ws.merge_range(
        r,
        0,
        r,
        2,
        "服务热线：工会热线12351；会员信息采集及卡片办理业务83288060、83288565；系统技术支持88135133。",
        &s.wrap,
    )?;
    Ok(())
}

fn write_issue_list(ws: &mut Worksheet, s: &Styles, issues: &[ImportIssue]) -> Result<(), XlsxError> {
    for (c, (h, w)) in
        [("行", 8.0), ("列", 6.0), ("字段", 14.0), ("错误内容", 60.0), ("解决方法", 70.0)].iter().enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(0, c as u16, *h, &s.table_head)?;
    }
    let mut sorted: Vec<&ImportIssue> = issues.iter().collect();
    sorted.sort_by_key(|i| (i.row.unwrap_or(0), i.column.as_deref().map(column_index)));
    for (i, issue) in sorted.iter().take(MAX_LISTED_ISSUES).enumerate() {
        let r = i as u32 + 1;
        match issue.row {
            Some(row) => ws.write_number(r, 0, row)?,
            None => ws.write_string(r, 0, "文件")?,
        };
        ws.write_string(r, 1, issue.column.as_deref().unwrap_or(""))?;
        ws.write_string(r, 2, &issue.field)?;
        ws.write_string_with_format(r, 3, &issue.message, &s.reason)?;
        ws.write_string(r, 4, &issue.hint)?;
    }
    if sorted.len() > MAX_LISTED_ISSUES {
        ws.write_string(
            MAX_LISTED_ISSUES as u32 + 1,
            3,
            format!(
                "……共{}条，此处仅列出前{}条；每行的全部错误见第一个工作表的“{ERROR_COLUMN_HEADER}”列。",
                sorted.len(),
                MAX_LISTED_ISSUES
            ),
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

#[derive(Clone, Copy)]
struct CellMark {
    row: u32,
    col: usize,
    bad: bool,
}

/// One uploaded cell, as uploaded: text as text (never re-typed), numbers as numbers (an ID
/// Excel already turned into a number shows exactly as the clerk sent it), dates with a date
/// format, formulas as their value or text (never recalculated).
fn write_cell(
    ws: &mut Worksheet,
    s: &Styles,
    row0: u32,
    col: u16,
    cell: &Cell,
    mark: CellMark,
) -> Result<(), XlsxError> {
    let text_col = TEXT_COLUMNS.contains(&col);
    let header = mark.row <= 4;
    let text_fmt = match (mark.bad, text_col) {
        (true, true) => Some(&s.bad_text),
        (true, false) => Some(&s.bad),
        (false, true) => Some(&s.text),
        (false, false) if header && mark.row == 4 => Some(&s.header),
        (false, false) if header && mark.row == 3 && mark.col.is_multiple_of(2) && mark.col < 10 => Some(&s.label),
        _ => None,
    };
    let plain_fmt = if mark.bad { Some(&s.bad) } else { None };
    match cell {
        Cell::Empty => {
            if let Some(f) = text_fmt {
                ws.write_blank(row0, col, f)?;
            }
        }
        Cell::Text(t) | Cell::Error(t) => match text_fmt {
            Some(f) => {
                ws.write_string_with_format(row0, col, t, f)?;
            }
            None => {
                ws.write_string(row0, col, t)?;
            }
        },
        Cell::Number(n) => match plain_fmt {
            Some(f) => {
                ws.write_number_with_format(row0, col, *n, f)?;
            }
            None => {
                ws.write_number(row0, col, *n)?;
            }
        },
        Cell::Date(d) => {
            let f = if mark.bad { &s.bad_date } else { &s.date };
            ws.write_number_with_format(row0, col, *d, f)?;
        }
        Cell::Bool(b) => match plain_fmt {
            Some(f) => {
                ws.write_boolean_with_format(row0, col, *b, f)?;
            }
            None => {
                ws.write_boolean(row0, col, *b)?;
            }
        },
        Cell::Formula { formula, cached } => {
            let f = if mark.bad { &s.bad_formula } else { &s.formula };
            let text = match cached {
                Some(v) => v.clone(),
                None => format!("={formula}"),
            };
            ws.write_string_with_format(row0, col, text, f)?;
        }
    }
    Ok(())
}

enum Merged<'a> {
    Title(&'a str),
    Instructions(&'a str),
}

/// Row 1 (`附件2` + title in B) or row 2 (instructions in A) shaped like the template.
fn merged_header(r: &SheetRow) -> Option<Merged<'_>> {
    // Every cell after `first` up to M must be empty, and nothing right of M.
    let rest_empty = |first: usize| {
        r.cells.len() <= LAST_COL0 as usize + 1 && r.cells.iter().skip(first + 1).all(|c| matches!(c, Cell::Empty))
    };
    match (r.row, r.cell(0), r.cell(1)) {
        (1, Cell::Text(_) | Cell::Empty, Cell::Text(t)) if rest_empty(1) => Some(Merged::Title(t)),
        (2, Cell::Text(t), _) if rest_empty(0) => Some(Merged::Instructions(t)),
        _ => None,
    }
}

/// "A" → 0, "N" → 13, "AA" → 26; `None` for anything else.
fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let n = letters.bytes().fold(0usize, |n, b| n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1);
    (n <= 16_384).then(|| n - 1)
}

fn to_col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| XlsxError::Write { detail: format!("column {c} out of range") })
}
