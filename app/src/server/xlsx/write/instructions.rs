//! The 填写说明 sheet of the template: header and field rules, document types with their codes,
//! the union's branches (the target of H3's drop-down) and the guide's common errors.

use rust_xlsxwriter::{FormatAlign, Worksheet};

use crate::domain::id_document::IdType;
use crate::domain::template::{HEADERS, TITLE};
use crate::server::xlsx::error::XlsxError;

use super::styles::Styles;

/// Name of the template's second sheet, this one.
pub(super) const INSTRUCTIONS_SHEET: &str = "填写说明";

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

/// Where `write_instructions` puts the branch table: (first, last) 0-based rows.
pub(super) fn branch_table_rows(branches: &[(String, String)]) -> Option<(u32, u32)> {
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
pub(super) fn write_instructions(
    ws: &mut Worksheet,
    s: &Styles,
    branches: &[(String, String)],
) -> Result<(), XlsxError> {
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
