//! The collection template (工会会员信息采集汇总表): its fixed layout, the header values, and
//! `validate_sheet`, which checks a whole sheet and reports every problem at once with the
//! guide's words, the cell it is in and the guide's remedy.
//!
//! Layout (domain.md): A1 `附件2`, B1 the title; row 2 instructions; row 3 the 填报工会 row
//! (labels in A/C/E/G/I, values in B/D/F/H/J); row 4 the column headers A–M; members from row 5.
//!
//! Decisions beyond domain.md:
//! * If the row-4 headers are not where they belong (missing, moved, or 姓名/证件号码/手机号码
//!   not in B/D/H), the member rows cannot be read column by column and are not checked; the
//!   header issue says so. Any other header problem is reported and the members are checked.
//! * A row whose columns B–M are all empty is skipped even if 序号 (A) is filled: templates come
//!   pre-numbered. Column A is never checked (free, not stored; often `=ROW()-4`).
//! * A row with any issue (including a duplicate of an earlier row) is left out of `members`;
//!   the earlier row of a duplicate stays in.
//! * Every formula cell in B–M is reported, even with a saved value: the saved value of a
//!   formula linked to another workbook (the guide's VLOOKUP example) cannot be trusted.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::id_document::{compact_half_width, normalise_id};
use super::member::{self, phone_message, MemberInput, MemberRecord, FIELDS};
use super::sheet::{column_letter, Cell, ImportIssue, Normalisation, Sheet, SheetRow};

pub const TITLE: &str = "工会会员信息采集汇总表";
/// A1.
pub const ATTACHMENT_MARK: &str = "附件2";
/// The 填报工会 row.
pub const INFO_ROW: u32 = 3;
/// The member column headers.
pub const HEADER_ROW: u32 = 4;
pub const FIRST_MEMBER_ROW: u32 = 5;
/// 0-based index of M, the rightmost column.
pub const LAST_COLUMN: usize = 12;
/// Row 3: labels in columns A, C, E, G, I (0, 2, 4, 6, 8); each value in the column after.
pub const INFO_LABELS: [&str; 5] = ["*填报工会", "*单位类型", "*职工平均月收入", "*领卡网点", "*是否加载深圳通"];
/// Row 4, columns A–M.
pub const HEADERS: [&str; 13] = [
    "序号",
    "*姓名",
    "证件类型",
    "*证件号码",
    "国家/地区",
    "性别",
    "出生日期",
    "*手机号码",
    "民族",
    "学历",
    "是否农民工",
    "部门",
    "备注",
];

// The guide's header messages and remedies, verbatim.
pub const MSG_HEADER_INCOMPLETE: &str = "请把表头内容填写完整！";
pub const HINT_HEADER_INCOMPLETE: &str =
    "登录基层工会账号，依次点击“会员管理”-“会员信息”-“下载会员模板”，根据模板修改表头，或将内容复制到标准模板内使用。";
pub const MSG_UNION_NAME: &str = "工会名称不匹配！";
pub const HINT_UNION_NAME: &str = "1.检查表格内工会名称是否正确填写（此处为工会名称非单位名称）\n2.登录基层工会账号，依次点击“单位信息”-“工会组织信息”，复制“工会名称”填写至信息采集表内。";
pub const MSG_INCOME_BAND: &str = "职工平均月收入编码错误！";
pub const HINT_INCOME_BAND: &str = "该项分五档按档次填写阿拉伯数字“1-5”，其中“0-4999”档次填写“1”；“5000-19999”档次填写“2”；“20000-49999”档次填写“3”；“50000-99999”档次填写“4”；“100000以上”档次填写“5”。";
pub const MSG_UNIT_TYPE: &str = "单位类型填写错误！";
pub const HINT_UNIT_TYPE: &str = "该项若为“机关事业单位”请填“34”；若为“企业”请填“60”；“其他”请填“39”。";
pub const MSG_BRANCH: &str = "无效的领卡网点！";
pub const HINT_BRANCH: &str = "填报人必须在银行工作人员的指引下正确填写开卡网点编号。";
pub const MSG_SHENZHEN_TONG: &str = "是否深圳通请填写【是】或【否】！";
pub const HINT_SHENZHEN_TONG: &str = "请明确填写“是”或“否”。填“是”，银行将免费为会员服务卡加载深圳通功能。";
/// The guide's remedy for a cell holding a formula.
pub const HINT_FORMULA: &str = "在错误单元格右键点击“复制”，然后重新黏贴至该单元格，黏贴选项选择“值”。";

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

/// What the rules need to know besides the sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateContext {
    /// The union's registered full name: B3 must be exactly this.
    pub union_name: String,
    /// The branch numbers of the union's bank; H3 must be one of them.
    pub branch_codes: Vec<String>,
    /// YYYYMMDD: no birth date may be after it.
    pub today: String,
}

/// Everything `validate_sheet` found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SheetReport {
    /// Row 3's values, if all are valid.
    pub header: Option<HeaderValues>,
    /// The rows without any issue: (sheet row, record).
    pub members: Vec<(u32, MemberRecord)>,
    /// Every problem, in sheet order (row, then column).
    pub issues: Vec<ImportIssue>,
    /// What normalisation changed in the accepted rows.
    pub normalisations: Vec<Normalisation>,
    /// Member rows seen (row 5 on, with something in B–M).
    pub rows_read: usize,
}

/// Why an ID of the file is already on record (found by the server's database check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistingId {
    /// Already a member of this union.
    InThisUnion,
    /// On record under another name.
    NameMismatch,
    /// A member of another union.
    InOtherUnion,
}

/// The guide's message for an ID already on record, at column D of `row`. `union_name` is the
/// importing union's name (used by `InThisUnion`).
pub fn existing_id_issue(row: u32, kind: ExistingId, union_name: &str) -> ImportIssue {
    let (code, message, hint) = match kind {
        ExistingId::InThisUnion => {
            ("id_exists_in_union", format!("该证件号码在【{union_name}】中已存在！"), "删除重复录入的会员信息")
        }
        ExistingId::NameMismatch => {
            ("id_name_mismatch", "该证件号码已存在！".to_string(), "证件号码与姓名不对应：核实身份证号码与姓名是否对应")
        }
        ExistingId::InOtherUnion => (
            "id_in_other_union",
            "该证件号码已存在！".to_string(),
            "该会员身份证已存在于其他工会：该会员是否已在其他单位录入",
        ),
    };
    issue(Some(row), Some(3), "证件号码", code, message, hint)
}

fn issue(
    row: Option<u32>,
    col: Option<usize>,
    field: &str,
    code: &str,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> ImportIssue {
    ImportIssue {
        row,
        column: col.map(column_letter),
        field: field.to_string(),
        code: code.to_string(),
        message: message.into(),
        hint: hint.into(),
    }
}

/// An Excel serial day number (1900 date system) as `YYYY-MM-DD`. Serial 60 is Excel's
/// non-existent 1900-02-29 (its Lotus 1-2-3 bug) and gives `None`, as does anything before
/// serial 1 or after 9999-12-31. A time of day is ignored.
pub fn excel_serial_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let n = serial.floor() as i64;
    let days_since_1970 = match n {
        60 => return None,
        // serial 1 = 1900-01-01 = day -25567
        ..=59 => n - 25_568,
        // from serial 61 = 1900-03-01, one day too many counted for 1900-02-29
        _ => n - 25_569,
    };
    let (y, m, d) = super::civil_from_days(days_since_1970);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A number as Excel shows it in a general cell: integers without `.0`.
fn number_text(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.is_finite() && x.fract() == 0.0 {
        // Excel keeps 15 significant digits: 440301199001011234 is 440301199001011000.
        let s = format!("{:.14e}", x.abs());
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: usize = exp.parse().unwrap_or(0);
        let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        while digits.len() < exp + 1 {
            digits.push('0');
        }
        if x < 0.0 {
            digits.insert(0, '-');
        }
        digits
    } else {
        format!("{x}")
    }
}

/// What a header cell says, for comparison and for messages.
fn header_text(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Empty => "".into(),
        Cell::Text(s) => s.as_str().into(),
        Cell::Number(x) => number_text(*x).into(),
        Cell::Date(x) => excel_serial_date(*x).unwrap_or_else(|| number_text(*x)).into(),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Cell::Formula { cached: Some(c), .. } => c.as_str().into(),
        Cell::Formula { formula, cached: None } => format!("={}", formula.trim_start_matches('=')).into(),
        Cell::Error(e) => e.as_str().into(),
    }
}

/// Header text without `*`, spaces and invisible characters: to recognise a label that moved.
fn loose(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '*' | '＊') && !super::id_document::is_invisible_space(*c)).collect()
}

/// `，现为“…”` (shortened) or `，现为空`.
fn now_is(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        "，现为空".to_string()
    } else if t.chars().count() > 20 {
        format!("，现为“{}…”", t.chars().take(20).collect::<String>())
    } else {
        format!("，现为“{t}”")
    }
}

/// Row 3 is where it belongs if at least three of its five labels are there (spaces and `*`
/// aside); then a single wrong or merged label is reported by itself.
fn info_row_in_place(row3: Option<&SheetRow>) -> bool {
    row3.is_some_and(|r| {
        INFO_LABELS.iter().enumerate().filter(|(i, l)| loose(&header_text(r.cell(i * 2))) == loose(l)).count() >= 3
    })
}

fn find_row(sheet: &Sheet, n: u32) -> Option<&SheetRow> {
    sheet.rows.iter().find(|r| r.row == n)
}

/// Another row among the first rows whose cells loosely match `test`: where a header moved to.
fn moved_to(sheet: &Sheet, expected: u32, test: impl Fn(&SheetRow) -> bool) -> Option<u32> {
    sheet.rows.iter().take_while(|r| r.row <= 12).find(|r| r.row != expected && test(r)).map(|r| r.row)
}

fn header_issue(issues: &mut Vec<ImportIssue>, row: u32, col: usize, what: String) {
    issues.push(issue(
        Some(row),
        Some(col),
        "表头",
        "header_incomplete",
        MSG_HEADER_INCOMPLETE,
        format!("{what}\n{HINT_HEADER_INCOMPLETE}"),
    ));
}

/// Rows 1, 3 and 4. Returns whether the member rows can be read by column.
fn check_layout(sheet: &Sheet, issues: &mut Vec<ImportIssue>) -> bool {
    let row1 = find_row(sheet, 1);
    let cell1 = |c: usize| row1.map_or(Cow::Borrowed(""), |r| header_text(r.cell(c)));
    let a1 = cell1(0);
    if a1.trim() != ATTACHMENT_MARK {
        header_issue(issues, 1, 0, format!("A1单元格应为“{ATTACHMENT_MARK}”{}。表头“附件2”行不可删除。", now_is(&a1)));
    }
    let b1 = cell1(1);
    if b1.trim() != TITLE {
        header_issue(issues, 1, 1, format!("B1单元格应为标题“{TITLE}”{}。", now_is(&b1)));
    }

    let row3 = find_row(sheet, INFO_ROW);
    let info_in_place = info_row_in_place(row3);
    if !info_in_place {
        let moved = moved_to(sheet, INFO_ROW, |r| loose(&header_text(r.cell(0))) == "填报工会");
        let where_ = moved.map(|m| format!("“*填报工会”一行现在第{m}行，")).unwrap_or_default();
        let a3 = row3.map_or(Cow::Borrowed(""), |r| header_text(r.cell(0)));
        header_issue(
            issues,
            INFO_ROW,
            0,
            format!(
                "第3行应为“*填报工会”一行（A3单元格应为“*填报工会”{}），{where_}第1–3行的表头不可移动、删除。",
                now_is(&a3)
            ),
        );
    } else if let Some(r3) = row3 {
        for (i, label) in INFO_LABELS.iter().enumerate() {
            let got = header_text(r3.cell(i * 2));
            if got.trim() != *label {
                let cell = format!("{}3", column_letter(i * 2));
                header_issue(
                    issues,
                    INFO_ROW,
                    i * 2,
                    format!("{cell}单元格应为“{label}”{}（表头不可修改、合并、删除）。", now_is(&got)),
                );
            }
        }
    }

    let row4 = find_row(sheet, HEADER_ROW);
    let key_headers_in_place =
        row4.is_some_and(|r| [1, 3, 7].iter().all(|&c| loose(&header_text(r.cell(c))) == loose(HEADERS[c])));
    if !key_headers_in_place {
        let moved = moved_to(sheet, HEADER_ROW, |r| {
            loose(&header_text(r.cell(1))) == "姓名" && loose(&header_text(r.cell(3))) == "证件号码"
        });
        let where_ = moved.map(|m| format!("列标题现在第{m}行，")).unwrap_or_default();
        let b4 = row4.map_or(Cow::Borrowed(""), |r| header_text(r.cell(1)));
        header_issue(
            issues,
            HEADER_ROW,
            0,
            format!(
                "第4行应为列标题“序号”“*姓名”……“备注”（A–M列，B4单元格应为“*姓名”{}），{where_}表头不可移动、删除。\n表头修正前，会员信息不作检查。",
                now_is(&b4)
            ),
        );
    } else if let Some(r4) = row4 {
        for (c, want) in HEADERS.iter().enumerate() {
            let got = header_text(r4.cell(c));
            if got.trim() != *want {
                let cell = format!("{}4", column_letter(c));
                header_issue(issues, HEADER_ROW, c, format!("{cell}单元格应为“{want}”{}。", now_is(&got)));
            }
        }
    }
    key_headers_in_place
}

/// Row 3's values.
fn check_info_values(sheet: &Sheet, ctx: &TemplateContext, issues: &mut Vec<ImportIssue>) -> Option<HeaderValues> {
    let r3 = find_row(sheet, INFO_ROW).filter(|r| info_row_in_place(Some(r)))?;
    let missing = |issues: &mut Vec<ImportIssue>, col: usize, field: &str| {
        let cell = format!("{}3", column_letter(col));
        issues.push(issue(
            Some(INFO_ROW),
            Some(col),
            field,
            "header_incomplete",
            MSG_HEADER_INCOMPLETE,
            format!("{cell}单元格（{field}）未填写。\n{HINT_HEADER_INCOMPLETE}"),
        ));
    };

    // B3: exactly the registered name; surrounding spaces make it a mismatch (the guide's cause 2).
    let name_cell = r3.cell(1);
    let name = header_text(name_cell);
    let union_name = if name.trim().is_empty() {
        missing(issues, 1, "填报工会");
        None
    } else if matches!(name_cell, Cell::Text(s) if *s == ctx.union_name) {
        Some(ctx.union_name.clone())
    } else {
        let why = if name.trim() == ctx.union_name {
            "B3中的工会名称前后有空格，请删除空格。\n".to_string()
        } else if compact_half_width(&name).0 == compact_half_width(&ctx.union_name).0 {
            "B3中的工会名称与系统登记的名称在空格或全角/半角字符（如括号）上不一致。\n".to_string()
        } else {
            String::new()
        };
        issues.push(issue(
            Some(INFO_ROW),
            Some(1),
            "填报工会",
            "union_name_mismatch",
            MSG_UNION_NAME,
            format!("{why}{HINT_UNION_NAME}"),
        ));
        None
    };

    let unit_text = header_text(r3.cell(3));
    let unit_type = if unit_text.trim().is_empty() {
        missing(issues, 3, "单位类型");
        None
    } else {
        let t = UnitType::parse(&unit_text);
        if t.is_none() {
            issues.push(issue(Some(INFO_ROW), Some(3), "单位类型", "unit_type_invalid", MSG_UNIT_TYPE, HINT_UNIT_TYPE));
        }
        t
    };

    let band_text = header_text(r3.cell(5));
    let income_band = if band_text.trim().is_empty() {
        missing(issues, 5, "职工平均月收入");
        None
    } else {
        let b = IncomeBand::parse(&band_text);
        if b.is_none() {
            issues.push(issue(
                Some(INFO_ROW),
                Some(5),
                "职工平均月收入",
                "income_band_invalid",
                MSG_INCOME_BAND,
                HINT_INCOME_BAND,
            ));
        }
        b
    };

    let branch_text = header_text(r3.cell(7));
    let branch = branch_text.trim();
    let branch_code = if branch.is_empty() {
        missing(issues, 7, "领卡网点");
        None
    } else if ctx.branch_codes.iter().any(|b| b == branch) {
        Some(branch.to_string())
    } else {
        issues.push(issue(Some(INFO_ROW), Some(7), "领卡网点", "branch_invalid", MSG_BRANCH, HINT_BRANCH));
        None
    };

    let szt_text = header_text(r3.cell(9));
    let shenzhen_tong = match szt_text.trim() {
        "" => {
            missing(issues, 9, "是否加载深圳通");
            None
        }
        "是" => Some(true),
        "否" => Some(false),
        _ => {
            issues.push(issue(
                Some(INFO_ROW),
                Some(9),
                "是否加载深圳通",
                "shenzhen_tong_invalid",
                MSG_SHENZHEN_TONG,
                HINT_SHENZHEN_TONG,
            ));
            None
        }
    };

    Some(HeaderValues {
        union_name: union_name?,
        unit_type: unit_type?,
        income_band: income_band?,
        branch_code: branch_code?,
        shenzhen_tong: shenzhen_tong?,
    })
}

/// The header of the reasons column the error report adds; a clerk who fixes the report and
/// uploads it again is not refused for it.
pub const ERROR_REPORT_COLUMN: &str = "错误原因";

/// Anything right of M: one issue per column, at its first non-empty cell.
fn check_beyond_m(sheet: &Sheet, issues: &mut Vec<ImportIssue>) {
    let reasons_column: Option<usize> = sheet.rows.iter().find(|r| r.row == HEADER_ROW).and_then(|r| {
        r.cells.iter().enumerate().skip(LAST_COLUMN + 1).find_map(|(c, cell)| match cell {
            Cell::Text(t) if t.trim() == ERROR_REPORT_COLUMN => Some(c),
            _ => None,
        })
    });
    let mut first: BTreeMap<usize, u32> = BTreeMap::new();
    for r in &sheet.rows {
        for (c, cell) in r.cells.iter().enumerate().skip(LAST_COLUMN + 1) {
            if Some(c) != reasons_column && !cell.is_empty() {
                first.entry(c).or_insert(r.row);
            }
        }
    }
    for (c, row) in first {
        let letter = column_letter(c);
        issues.push(issue(
            Some(row),
            Some(c),
            if row <= HEADER_ROW { "表头" } else { "文件" },
            "beyond_column_m",
            format!("表格的最右列应是M列，{letter}列有内容（{letter}{row}）！"),
            "删除M列右侧的各列（表格的最右列必须是M列），需要保留的内容可填在“备注”列。",
        ));
    }
}

/// A member cell as the rules read it, or the issue that makes it unreadable.
fn member_cell(cell: &Cell, col: usize, row: u32) -> Result<Cow<'_, str>, Box<ImportIssue>> {
    let label = FIELDS[col].1;
    let formula_issue = |formula: &str| {
        let f = formula.trim().trim_start_matches('=');
        let message =
            if col == 7 { phone_message(f) } else { format!("{label}：{f}为公式，不是填写的内容！") };
        Box::new(issue(Some(row), Some(col), label, "formula_cell", message, HINT_FORMULA))
    };
    let numeric_id = |shown: String, as_date: bool, lost: bool| {
        let message = if as_date {
            format!("证件号码被Excel存成了日期（{shown}），原号码已丢失！")
        } else if lost {
            format!("证件号码被Excel存成了数字（{shown}），末几位数字已丢失！")
        } else {
            format!("证件号码被Excel存成了数字（{shown}），号码可能已不完整（如开头的0）！")
        };
        Box::new(issue(
            Some(row),
            Some(col),
            label,
            "id_number_numeric",
            message,
            "将“证件号码”列（D列）设置为“文本”格式，再对照证件原件重新输入该号码（已丢失的数字无法找回，只改格式没有用）。",
        ))
    };
    match cell {
        Cell::Empty => Ok("".into()),
        Cell::Text(s) if s.trim_start().starts_with('=') && s.trim().len() > 1 => Err(formula_issue(s)),
        // `4.40301E+17` as text: a number's display copied as text, the digits already gone.
        Cell::Text(s) if col == 3 && is_scientific(s.trim()) => Err(numeric_id(s.trim().to_string(), false, true)),
        Cell::Text(s) => Ok(s.as_str().into()),
        Cell::Formula { formula, .. } => Err(formula_issue(formula)),
        Cell::Error(e) => Err(Box::new(issue(
            Some(row),
            Some(col),
            label,
            "error_cell",
            format!("{label}单元格的值是错误值“{e}”！"),
            "该单元格的公式出错（如引用的数据找不到）：删除公式，直接填写正确的内容。",
        ))),
        Cell::Bool(b) => Ok(match (col, b) {
            (10, true) => "是",
            (10, false) => "否",
            (_, true) => "TRUE",
            (_, false) => "FALSE",
        }
        .into()),
        // An ID stored as a number has lost its last digits (or leading zeros): never repaired.
        Cell::Number(x) if col == 3 => Err(numeric_id(number_text(*x), false, x.abs() >= 1e15 || x.fract() != 0.0)),
        Cell::Date(x) if col == 3 => {
            Err(numeric_id(excel_serial_date(*x).unwrap_or_else(|| number_text(*x)), true, true))
        }
        // A mobile number stored as a number is accepted as its digits: 11-digit integers are
        // exact in a double (< 2^53) and mobiles never start with 0, so nothing was lost.
        // Any other number is shown as Excel shows it and refused by the phone rule.
        Cell::Number(x) if col == 7 => Ok(number_text(*x).into()),
        // 出生日期: an 8-digit number is a yyyymmdd typed without text format; any other number
        // is a serial date (a date cell whose format was lost).
        Cell::Number(x) | Cell::Date(x) if col == 6 => {
            if x.fract() == 0.0 && (19_000_101.0..=99_991_231.0).contains(x) {
                Ok(number_text(*x).into())
            } else {
                Ok(excel_serial_date(*x).unwrap_or_else(|| number_text(*x)).into())
            }
        }
        Cell::Number(x) => Ok(number_text(*x).into()),
        Cell::Date(x) => Ok(excel_serial_date(*x).unwrap_or_else(|| number_text(*x)).into()),
    }
}

/// `4.40301E+17`, `4.40301e17`: how Excel displays a long number.
fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exp)) = s.split_once(['E', 'e']) else { return false };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac) && digits(exp)
}

fn field_mut(input: &mut MemberInput, col: usize) -> &mut String {
    match col {
        0 => &mut input.seq,
        1 => &mut input.name,
        2 => &mut input.id_type,
        3 => &mut input.id_number,
        4 => &mut input.country,
        5 => &mut input.sex,
        6 => &mut input.birth_date,
        7 => &mut input.phone,
        8 => &mut input.ethnicity,
        9 => &mut input.education,
        10 => &mut input.migrant_worker,
        11 => &mut input.department,
        _ => &mut input.remark,
    }
}

/// 0-based index of a column letter ("A" = 0, "AA" = 26).
fn column_index(letters: &str) -> usize {
    letters.bytes().fold(0, |n, b| n * 26 + usize::from(b - b'A') + 1).saturating_sub(1)
}

/// Checks a whole sheet against the template: the header, then every member row, all problems
/// at once. Duplicates within the file name the earlier row.
pub fn validate_sheet(sheet: &Sheet, ctx: &TemplateContext) -> SheetReport {
    let mut issues = Vec::new();
    let readable = check_layout(sheet, &mut issues);
    let header = check_info_values(sheet, ctx, &mut issues);
    check_beyond_m(sheet, &mut issues);

    let mut members = Vec::new();
    let mut normalisations = Vec::new();
    let mut rows_read = 0;
    let member_rows = sheet.rows.iter().filter(|r| r.row >= FIRST_MEMBER_ROW).count();
    // normalised ID → (sheet row, index in sheet.rows) of its first occurrence
    let mut seen: HashMap<String, (u32, usize)> = HashMap::with_capacity(if readable { member_rows } else { 0 });
    for (idx, r) in sheet.rows.iter().enumerate() {
        if r.row < FIRST_MEMBER_ROW || (1..=LAST_COLUMN).all(|c| r.cell(c).is_empty()) {
            continue;
        }
        rows_read += 1;
        if !readable {
            continue;
        }
        let before = issues.len();
        let mut input = MemberInput::default();
        let mut unreadable = [false; LAST_COLUMN + 1];
        for (col, bad) in unreadable.iter_mut().enumerate().skip(1) {
            match member_cell(r.cell(col), col, r.row) {
                Ok(v) => *field_mut(&mut input, col) = v.into_owned(),
                Err(i) => {
                    issues.push(*i);
                    *bad = true;
                }
            }
        }

        let (key, _) = normalise_id(&input.id_number);
        if !key.is_empty() {
            match seen.entry(key) {
                Entry::Occupied(o) => {
                    let (first_row, first_idx) = *o.get();
                    let first_name = header_text(sheet.rows[first_idx].cell(1));
                    issues.push(issue(
                        Some(r.row),
                        Some(3),
                        FIELDS[3].1,
                        "id_duplicate_in_file",
                        member::duplicate_message(first_row, first_name.trim()),
                        member::HINT_DUPLICATE,
                    ));
                }
                Entry::Vacant(v) => {
                    v.insert((r.row, idx));
                }
            }
        }

        match input.parse(&ctx.today) {
            Ok((record, norms)) => {
                if issues.len() == before {
                    for (field, kind) in norms {
                        let col = member::field_column(field).unwrap_or(3);
                        normalisations.push(Normalisation {
                            row: r.row,
                            column: column_letter(col),
                            field: FIELDS[col].1.to_string(),
                            kind,
                        });
                    }
                    members.push((r.row, record));
                }
            }
            Err(errors) => {
                for e in errors {
                    let col = member::field_column(&e.field).unwrap_or(3);
                    // A cell already reported as unreadable is not reported again as empty.
                    if !unreadable[col] {
                        issues.push(issue(Some(r.row), Some(col), FIELDS[col].1, &e.code, e.message, e.hint));
                    }
                }
            }
        }
    }
    // Header issues come first and beyond-M issues may point into member rows: sheet order.
    issues.sort_by_key(|i| (i.row.unwrap_or(0), i.column.as_deref().map_or(0, column_index)));
    SheetReport { header, members, issues, normalisations, rows_read }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::id_number::check_char;
    use crate::domain::sheet::NormKind;

    const UNION: &str = "深圳市示例电子有限公司工会委员会";
    const BRANCH: &str = "104584000101";

    fn ctx() -> TemplateContext {
        TemplateContext {
            union_name: UNION.into(),
            branch_codes: vec![BRANCH.into(), "104584000102".into()],
            today: "20261127".into(),
        }
    }

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", check_char(first17).unwrap())
    }

    fn text_row(row: u32, cells: &[&str]) -> SheetRow {
        SheetRow {
            row,
            cells: cells.iter().map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect(),
        }
    }

    fn info_row(values: [&str; 5]) -> SheetRow {
        let mut cells = Vec::new();
        for (label, value) in INFO_LABELS.iter().zip(values) {
            cells.push(*label);
            cells.push(value);
        }
        text_row(3, &cells)
    }

    fn header_rows() -> Vec<SheetRow> {
        vec![
            text_row(1, &[ATTACHMENT_MARK, TITLE]),
            text_row(2, &["填写说明：带*号的为必填项。"]),
            info_row([UNION, "60", "2", BRANCH, "是"]),
            text_row(4, &HEADERS),
        ]
    }

    /// seq, name, id, phone at A, B, D, H.
    fn member(row: u32, name: &str, id: &str, phone: &str) -> SheetRow {
        let seq = (row - 4).to_string();
        text_row(row, &[&seq, name, "", id, "", "", "", phone, "汉族", "", "", "生产部", ""])
    }

    fn sheet(members: Vec<SheetRow>) -> Sheet {
        let mut rows = header_rows();
        rows.extend(members);
        Sheet { rows }
    }

    fn set(row: &mut SheetRow, col: usize, cell: Cell) {
        if row.cells.len() <= col {
            row.cells.resize(col + 1, Cell::Empty);
        }
        row.cells[col] = cell;
    }

    fn id(n: u32) -> String {
        with_check(&format!("4403051990{:02}{:02}{:03}", n % 12 + 1, n % 28 + 1, n % 1000))
    }

    fn codes(report: &SheetReport) -> Vec<(u32, String, String)> {
        report
            .issues
            .iter()
            .map(|i| (i.row.unwrap_or(0), i.column.clone().unwrap_or_default(), i.code.clone()))
            .collect()
    }

    fn only_issue(report: &SheetReport) -> &ImportIssue {
        assert_eq!(report.issues.len(), 1, "{:#?}", report.issues);
        &report.issues[0]
    }

    #[test]
    fn a_correct_template_gives_its_header_and_members() {
        let r = validate_sheet(
            &sheet(vec![
                member(5, "王芳", "11010519491231002X", "13800138000"),
                member(6, "李伟", &id(1), "13900139000"),
            ]),
            &ctx(),
        );
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert_eq!(
            r.header,
            Some(HeaderValues {
                union_name: UNION.into(),
                unit_type: UnitType::Enterprise,
                income_band: IncomeBand::Band2,
                branch_code: BRANCH.into(),
                shenzhen_tong: true,
            })
        );
        assert_eq!(r.rows_read, 2);
        assert_eq!(r.members.len(), 2);
        assert_eq!(r.members[0].0, 5);
        assert_eq!(r.members[0].1.birth_date, "1949-12-31");
    }

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

    #[test]
    fn numbers_in_coded_header_cells_are_read_as_their_digits() {
        let mut s = sheet(vec![member(5, "王芳", "11010519491231002X", "13800138000")]);
        set(&mut s.rows[2], 3, Cell::Number(34.0));
        set(&mut s.rows[2], 5, Cell::Number(1.0));
        set(&mut s.rows[2], 7, Cell::Number(104_584_000_101.0));
        let r = validate_sheet(&s, &ctx());
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        let h = r.header.unwrap();
        assert_eq!(
            (h.unit_type, h.income_band, h.branch_code.as_str()),
            (UnitType::Government, IncomeBand::Band1, BRANCH)
        );
    }

    #[test]
    fn each_wrong_header_value_gets_the_guides_message_at_its_cell() {
        let cases: [([&str; 5], &str, &str, &str, &str); 6] = [
            (
                ["深圳市示例电子有限公司", "60", "2", BRANCH, "是"],
                "B",
                "union_name_mismatch",
                MSG_UNION_NAME,
                "the unit's name, not the union's",
            ),
            ([UNION, "61", "2", BRANCH, "是"], "D", "unit_type_invalid", MSG_UNIT_TYPE, "no unit type 61"),
            ([UNION, "60", "6", BRANCH, "是"], "F", "income_band_invalid", MSG_INCOME_BAND, "no band 6"),
            ([UNION, "60", "2", "104584999999", "是"], "H", "branch_invalid", MSG_BRANCH, "not a branch of the bank"),
            ([UNION, "60", "2", BRANCH, "Y"], "J", "shenzhen_tong_invalid", MSG_SHENZHEN_TONG, "Y is not 是"),
            ([UNION, "", "2", BRANCH, "是"], "D", "header_incomplete", MSG_HEADER_INCOMPLETE, "unit type left empty"),
        ];
        for (values, col, code, message, why) in cases {
            let mut s = sheet(vec![member(5, "王芳", "11010519491231002X", "13800138000")]);
            s.rows[2] = info_row(values);
            let r = validate_sheet(&s, &ctx());
            let i = only_issue(&r);
            assert_eq!(
                (i.row, i.column.as_deref(), i.code.as_str(), i.message.as_str()),
                (Some(3), Some(col), code, message),
                "{why}"
            );
            assert!(r.header.is_none(), "{why}");
            assert_eq!(r.members.len(), 1, "{why}: members are still checked");
        }
    }

    #[test]
    fn header_hints_are_the_guides_remedies() {
        let cases = [
            ([UNION, "61", "2", BRANCH, "是"], HINT_UNIT_TYPE),
            ([UNION, "60", "6", BRANCH, "是"], HINT_INCOME_BAND),
            ([UNION, "60", "2", "1", "是"], HINT_BRANCH),
            ([UNION, "60", "2", BRANCH, "要"], HINT_SHENZHEN_TONG),
            (["别的工会", "60", "2", BRANCH, "是"], HINT_UNION_NAME),
        ];
        for (values, hint) in cases {
            let mut s = sheet(vec![]);
            s.rows[2] = info_row(values);
            assert_eq!(only_issue(&validate_sheet(&s, &ctx())).hint, hint, "{values:?}");
        }
    }

    #[test]
    fn a_union_name_with_surrounding_spaces_is_a_mismatch_and_the_hint_says_so() {
        for padded in [format!(" {UNION}"), format!("{UNION} "), format!("{UNION}\u{3000}")] {
            let mut s = sheet(vec![]);
            s.rows[2] = info_row([&padded, "60", "2", BRANCH, "是"]);
            let r = validate_sheet(&s, &ctx());
            let i = only_issue(&r);
            assert_eq!(
                (i.code.as_str(), i.message.as_str()),
                ("union_name_mismatch", "工会名称不匹配！"),
                "{padded:?}"
            );
            assert!(i.hint.starts_with("B3中的工会名称前后有空格，请删除空格。"), "{padded:?}: {}", i.hint);
            assert!(i.hint.ends_with(HINT_UNION_NAME));
        }
    }

    #[test]
    fn a_deleted_attachment_row_is_reported_and_members_are_not_read_column_by_column() {
        // Row 1 deleted: everything moved up one row.
        let mut rows = header_rows();
        rows.remove(0);
        for r in &mut rows {
            r.row -= 1;
        }
        rows.push(member(4, "王芳", "11010519491231002X", "13800138000"));
        rows.push(member(5, "李伟", "123", "1"));
        let r = validate_sheet(&Sheet { rows }, &ctx());
        assert!(
            r.issues.iter().all(|i| i.code == "header_incomplete" && i.message == MSG_HEADER_INCOMPLETE),
            "{:#?}",
            r.issues
        );
        let a1 = r.issues.iter().find(|i| i.row == Some(1) && i.column.as_deref() == Some("A")).expect("A1");
        assert!(a1.hint.contains("“附件2”行不可删除"), "{}", a1.hint);
        let at: Vec<_> = r.issues.iter().map(|i| format!("{}{}", i.column.clone().unwrap(), i.row.unwrap())).collect();
        assert_eq!(at, ["A1", "B1", "A3", "A4"], "one issue per displaced row, not per cell");
        assert!(r.issues[2].hint.contains("“*填报工会”一行现在第2行"), "{}", r.issues[2].hint);
        let a4 = &r.issues[3].hint;
        assert!(a4.contains("B4单元格应为“*姓名”，现为“王芳”"), "{a4}");
        assert!(a4.contains("列标题现在第3行"), "{a4}");
        assert!(a4.contains("会员信息不作检查"), "{a4}");
        assert!(r.members.is_empty());
        assert_eq!(r.rows_read, 1, "row 5 is the only member row by number");
    }

    #[test]
    fn a_moved_header_row_names_where_it_is() {
        let mut rows = header_rows();
        rows[2].row = 5; // 填报工会 row moved below the headers
        rows.swap(2, 3);
        let r = validate_sheet(&Sheet { rows }, &ctx());
        let a3 = r.issues.iter().find(|i| i.row == Some(3)).expect("row 3");
        assert_eq!(a3.column.as_deref(), Some("A"));
        assert!(a3.hint.contains("“*填报工会”一行现在第5行"), "{}", a3.hint);
    }

    #[test]
    fn merged_header_cells_are_reported_cell_by_cell() {
        // A3:D3 merged: the reader gives the value in A3 only.
        let mut s = sheet(vec![]);
        s.rows[2].cells[1] = Cell::Empty;
        s.rows[2].cells[2] = Cell::Empty;
        s.rows[2].cells[3] = Cell::Empty;
        let r = validate_sheet(&s, &ctx());
        let at: Vec<_> = codes(&r);
        assert_eq!(
            at,
            [
                (3, "B".into(), "header_incomplete".into()),
                (3, "C".into(), "header_incomplete".into()),
                (3, "D".into(), "header_incomplete".into())
            ]
        );
        assert!(r.issues[1].hint.starts_with("C3单元格应为“*单位类型”，现为空"), "{}", r.issues[1].hint);
    }

    #[test]
    fn a_wrong_column_header_names_the_cell_and_members_are_still_checked() {
        let mut s = sheet(vec![member(5, "王芳", "11010519491231002X", "13800138000")]);
        s.rows[3].cells[4] = Cell::Text("国籍".into());
        s.rows[3].cells[1] = Cell::Text("姓名".into()); // star missing
        let r = validate_sheet(&s, &ctx());
        assert_eq!(
            codes(&r),
            [(4, "B".into(), "header_incomplete".into()), (4, "E".into(), "header_incomplete".into())]
        );
        assert!(r.issues[1].hint.starts_with("E4单元格应为“国家/地区”，现为“国籍”。"), "{}", r.issues[1].hint);
        assert_eq!(r.members.len(), 1);
    }

    #[test]
    fn a_missing_title_and_an_empty_sheet_are_reported() {
        let mut s = sheet(vec![]);
        s.rows[0].cells.truncate(1);
        assert_eq!(codes(&validate_sheet(&s, &ctx())), [(1, "B".into(), "header_incomplete".into())]);
        let r = validate_sheet(&Sheet::default(), &ctx());
        let at: Vec<_> = r.issues.iter().map(|i| format!("{}{}", i.column.clone().unwrap(), i.row.unwrap())).collect();
        assert_eq!(at, ["A1", "B1", "A3", "A4"], "one issue per missing row, not per cell");
        assert!(r.header.is_none());
    }

    #[test]
    fn the_error_reports_reason_column_is_not_held_against_a_reupload() {
        let mut rows = vec![member(5, "张三", &with_check("11010519491231002"), "13912345678")];
        rows[0].cells.resize(14, Cell::Empty);
        rows[0].cells[13] = Cell::Text("手机号码：…为无效手机号".into());
        let mut s = sheet(rows);
        let header = s.rows.iter_mut().find(|r| r.row == HEADER_ROW).unwrap();
        header.cells.resize(14, Cell::Empty);
        header.cells[13] = Cell::Text(ERROR_REPORT_COLUMN.into());
        let r = validate_sheet(&s, &ctx());
        assert!(r.issues.iter().all(|i| i.code != "beyond_column_m"), "{:?}", r.issues);
    }

    #[test]
    fn content_beyond_column_m_is_reported_once_per_column() {
        let mut rows =
            vec![member(5, "王芳", "11010519491231002X", "13800138000"), member(6, "李伟", &id(1), "13900139000")];
        set(&mut rows[0], 13, Cell::Text("工号001".into()));
        set(&mut rows[1], 13, Cell::Text("工号002".into()));
        set(&mut rows[1], 15, Cell::Number(1.0));
        let mut s = sheet(rows);
        set(&mut s.rows[3], 13, Cell::Text("工号".into()));
        let r = validate_sheet(&s, &ctx());
        assert_eq!(codes(&r), [(4, "N".into(), "beyond_column_m".into()), (6, "P".into(), "beyond_column_m".into())]);
        assert_eq!(r.issues[0].message, "表格的最右列应是M列，N列有内容（N4）！");
    }

    #[test]
    fn a_numeric_id_cell_is_refused_never_repaired() {
        let mut m = member(5, "王芳", "", "13800138000");
        set(&mut m, 3, Cell::Number(440_305_199_001_011_234.0));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        let i = only_issue(&r);
        assert_eq!(
            (i.column.as_deref(), i.code.as_str(), i.field.as_str()),
            (Some("D"), "id_number_numeric", "证件号码")
        );
        assert!(i.message.contains("440305199001011000"), "shown as Excel keeps it: {}", i.message);
        assert!(i.message.contains("存成了数字") && i.message.contains("末几位数字已丢失"), "{}", i.message);
        assert!(i.hint.contains("文本"), "{}", i.hint);
        assert!(r.members.is_empty());
    }

    #[test]
    fn an_id_shown_in_scientific_notation_is_refused_like_a_number() {
        for shown in ["4.40305E+17", "4.40305e17"] {
            let r = validate_sheet(&sheet(vec![member(5, "王芳", shown, "13800138000")]), &ctx());
            let i = only_issue(&r);
            assert_eq!(i.code, "id_number_numeric", "{shown}");
        }
        assert!(!is_scientific("E12345678"), "a passport number");
    }

    #[test]
    fn formula_cells_get_the_guides_remedy() {
        let mut m = member(5, "王芳", "11010519491231002X", "");
        set(
            &mut m,
            7,
            Cell::Formula {
                formula: "VLOOKUP(B7,'[1]160318'!$A$1:$D$65536,4,0)".into(),
                cached: Some("13800138000".into()),
            },
        );
        set(&mut m, 11, Cell::Text("=A1&\"部\"".into()));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        assert_eq!(codes(&r), [(5, "H".into(), "formula_cell".into()), (5, "L".into(), "formula_cell".into())]);
        assert_eq!(
            r.issues[0].message,
            "手机号码：VLOOKUP(B7,'[1]160318'!$A$1:$D$65536,4,0)为无效手机号，请填写长度为11位数字的有效手机号码。"
        );
        assert!(r.issues.iter().all(|i| i.hint == HINT_FORMULA));
        assert!(r.members.is_empty());
    }

    #[test]
    fn a_formula_in_the_sequence_column_is_ignored() {
        let mut m = member(5, "王芳", "11010519491231002X", "13800138000");
        set(&mut m, 0, Cell::Formula { formula: "ROW()-4".into(), cached: None });
        assert!(validate_sheet(&sheet(vec![m]), &ctx()).issues.is_empty());
    }

    #[test]
    fn error_cells_are_reported() {
        let mut m = member(5, "王芳", "11010519491231002X", "13800138000");
        set(&mut m, 8, Cell::Error("#N/A".into()));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        let i = only_issue(&r);
        assert_eq!(
            (i.column.as_deref(), i.code.as_str(), i.message.as_str()),
            (Some("I"), "error_cell", "民族单元格的值是错误值“#N/A”！")
        );
    }

    #[test]
    fn a_phone_stored_as_an_11_digit_number_is_accepted() {
        let mut m = member(5, "王芳", "11010519491231002X", "");
        set(&mut m, 7, Cell::Number(13_800_138_000.0));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert_eq!(r.members[0].1.phone, "13800138000");
    }

    #[test]
    fn a_phone_with_10_digits_gets_the_guides_message() {
        let mut numeric = member(6, "李伟", &id(1), "");
        set(&mut numeric, 7, Cell::Number(1_380_013_800.0));
        let r = validate_sheet(&sheet(vec![member(5, "王芳", "11010519491231002X", "1380013800"), numeric]), &ctx());
        assert_eq!(codes(&r), [(5, "H".into(), "phone_invalid".into()), (6, "H".into(), "phone_invalid".into())]);
        for i in &r.issues {
            assert_eq!(i.message, "手机号码：1380013800为无效手机号，请填写长度为11位数字的有效手机号码。");
            assert_eq!(i.hint, "请填写长度为11位数字的有效手机号码");
            assert_eq!(i.field, "手机号码");
        }
    }

    #[test]
    fn birth_dates_are_read_from_date_cells_numbers_and_text() {
        let cases = [
            (Cell::Date(32_874.0), "1990-01-01", "a date cell"),
            (Cell::Number(32_874.5), "1990-01-01", "a serial number with a time"),
            (Cell::Number(19_900_101.0), "1990-01-01", "yyyymmdd typed as a number"),
            (Cell::Text("1990/1/1".into()), "1990-01-01", "yyyy/m/d text"),
        ];
        for (cell, want, why) in cases {
            let mut m = text_row(5, &["1", "John Smith", "护照", "E12345678", "美国", "男", "", "13800138000"]);
            set(&mut m, 6, cell);
            let r = validate_sheet(&sheet(vec![m]), &ctx());
            assert!(r.issues.is_empty(), "{why}: {:#?}", r.issues);
            assert_eq!(r.members[0].1.birth_date, want, "{why}");
        }
    }

    #[test]
    fn excel_serial_dates_follow_the_1900_system_and_its_leap_day_bug() {
        let cases = [
            (1.0, Some("1900-01-01")),
            (59.0, Some("1900-02-28")),
            (60.0, None),
            (61.0, Some("1900-03-01")),
            (25_569.0, Some("1970-01-01")),
            (45_658.0, Some("2025-01-01")),
            (0.0, None),
            (-3.0, None),
        ];
        for (serial, want) in cases {
            assert_eq!(excel_serial_date(serial).as_deref(), want, "serial {serial}");
        }
    }

    #[test]
    fn a_duplicate_id_names_the_earlier_row_and_its_name() {
        let r = validate_sheet(
            &sheet(vec![
                member(5, "王芳", "11010519491231002X", "13800138000"),
                member(6, "李伟", &id(1), "13900139000"),
                member(7, "张敏", "11010519491231002x", "13700137000"),
                member(9, "刘洋", "11010519491231002X", "13600136000"),
            ]),
            &ctx(),
        );
        assert_eq!(
            codes(&r),
            [(7, "D".into(), "id_duplicate_in_file".into()), (9, "D".into(), "id_duplicate_in_file".into())]
        );
        for i in &r.issues {
            assert_eq!(i.message, "同5行的王芳证件号码相同。");
            assert_eq!(i.hint, "检查报错行身份证号码是否正确");
        }
        let accepted: Vec<u32> = r.members.iter().map(|m| m.0).collect();
        assert_eq!(accepted, [5, 6], "the earlier row stays in");
    }

    #[test]
    fn member_errors_carry_row_column_field_code_message_and_hint() {
        let cases = [
            (
                "11O10519491231002X",
                "id_number_letter_o",
                "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！",
                "letter O",
            ),
            (
                "11010519491231002",
                "id_number_length",
                "身份证号码格式错误，请填写18位正确的身份证号码！",
                "17 characters",
            ),
            (
                "110105209912310021",
                "id_number_future",
                "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！",
                "born in the future",
            ),
            (
                "110105194902300027",
                "id_number_date",
                "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！",
                "30 February",
            ),
        ];
        for (bad, code, message, why) in cases {
            let r = validate_sheet(&sheet(vec![member(8, "王芳", bad, "13800138000")]), &ctx());
            let i = only_issue(&r);
            assert_eq!(
                (i.row, i.column.as_deref(), i.field.as_str(), i.code.as_str(), i.message.as_str()),
                (Some(8), Some("D"), "证件号码", code, message),
                "{why}"
            );
            assert!(!i.hint.is_empty(), "{why}");
        }
    }

    #[test]
    fn a_passport_row_without_country_sex_and_birth_date_is_reported_in_columns_e_f_g() {
        let m = text_row(5, &["1", "John Smith", "护照", "E12345678", "", "", "", "13800138000"]);
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        assert_eq!(
            codes(&r),
            [
                (5, "E".into(), "country_required".into()),
                (5, "F".into(), "sex_required".into()),
                (5, "G".into(), "birth_date_required".into())
            ]
        );
        assert_eq!(r.issues[0].field, "国家/地区");
    }

    #[test]
    fn normalisations_of_accepted_rows_are_reported_with_their_cell() {
        let r = validate_sheet(&sheet(vec![member(5, "王芳", "11010519491231002x", "138 0013 8000")]), &ctx());
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        let got: Vec<_> =
            r.normalisations.iter().map(|n| (n.row, n.column.as_str(), n.field.as_str(), n.kind)).collect();
        assert_eq!(got, [(5, "D", "证件号码", NormKind::LowercaseX), (5, "H", "手机号码", NormKind::InvisibleSpace)]);
    }

    #[test]
    fn empty_rows_and_prenumbered_rows_are_skipped() {
        let r = validate_sheet(
            &sheet(vec![
                member(5, "王芳", "11010519491231002X", "13800138000"),
                text_row(6, &["", "  ", "", ""]),
                text_row(7, &["3"]),
                member(8, "李伟", &id(1), "13900139000"),
                text_row(9, &["5"]),
                text_row(10, &["6"]),
            ]),
            &ctx(),
        );
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert_eq!(r.rows_read, 2);
        assert_eq!(r.members.len(), 2);
    }

    #[test]
    fn every_error_of_the_file_is_reported_at_once_in_sheet_order() {
        let mut s = sheet(vec![
            member(5, "王芳2", "11010519491231002", "123"),
            member(6, "", "", ""),
            member(7, "李伟", &id(1), "13900139000"),
        ]);
        s.rows[2] = info_row([UNION, "61", "6", BRANCH, "是"]);
        let r = validate_sheet(&s, &ctx());
        let got: Vec<_> =
            r.issues.iter().map(|i| format!("{}{}:{}", i.column.clone().unwrap(), i.row.unwrap(), i.code)).collect();
        assert_eq!(
            got,
            [
                "D3:unit_type_invalid",
                "F3:income_band_invalid",
                "B5:name_has_digit",
                "D5:id_number_length",
                "H5:phone_invalid",
                "B6:name_required",
                "D6:id_number_required",
                "H6:phone_required",
            ]
        );
        assert_eq!(r.members.len(), 1);
    }

    #[test]
    fn existing_ids_get_the_guides_messages_and_causes() {
        let i = existing_id_issue(12, ExistingId::InThisUnion, UNION);
        assert_eq!((i.row, i.column.as_deref(), i.field.as_str()), (Some(12), Some("D"), "证件号码"));
        assert_eq!(
            (i.code.as_str(), i.message.as_str(), i.hint.as_str()),
            (
                "id_exists_in_union",
                "该证件号码在【深圳市示例电子有限公司工会委员会】中已存在！",
                "删除重复录入的会员信息"
            )
        );
        let i = existing_id_issue(12, ExistingId::NameMismatch, UNION);
        assert_eq!((i.code.as_str(), i.message.as_str()), ("id_name_mismatch", "该证件号码已存在！"));
        assert!(
            i.hint.contains("证件号码与姓名不对应") && i.hint.contains("核实身份证号码与姓名是否对应"),
            "{}",
            i.hint
        );
        let i = existing_id_issue(12, ExistingId::InOtherUnion, UNION);
        assert_eq!((i.code.as_str(), i.message.as_str()), ("id_in_other_union", "该证件号码已存在！"));
        assert!(
            i.hint.contains("该会员身份证已存在于其他工会") && i.hint.contains("该会员是否已在其他单位录入"),
            "{}",
            i.hint
        );
    }

    #[test]
    fn numbers_are_shown_as_excel_shows_them() {
        assert_eq!(number_text(34.0), "34");
        assert_eq!(number_text(440_305_199_001_011_234.0), "440305199001011000");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(column_index("A"), 0);
        assert_eq!(column_index("M"), 12);
        assert_eq!(column_index("AA"), 26);
    }

    /// The speed of this is measured by `cargo bench -p server --bench import_100k`.
    #[test]
    fn a_hundred_thousand_valid_rows_all_pass() {
        let names = ["王伟", "李芳", "张敏", "刘洋", "陈静", "杨磊", "赵军", "吴艳"];
        let rows: Vec<SheetRow> = (0..100_000u32)
            .map(|i| {
                let first = format!(
                    "440305{:04}{:02}{:02}{:03}",
                    1970 + (i / 336) % 30,
                    (i / 28) % 12 + 1,
                    i % 28 + 1,
                    100 + (i / 10_080) % 900
                );
                member(5 + i, names[(i % 8) as usize], &with_check(&first), &format!("139{i:08}"))
            })
            .collect();
        let s = sheet(rows);
        let r = validate_sheet(&s, &ctx());
        assert!(r.issues.is_empty(), "{:?}", r.issues.first());
        assert_eq!(r.members.len(), 100_000);
    }
}
