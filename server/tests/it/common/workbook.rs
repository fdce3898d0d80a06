//! Filled-in member templates for the import tests and the benchmark (which includes this file
//! by path).

/// The 18-character resident ID of `first17` with its GB 11643 check character.
pub fn resident_id(first17: &str) -> String {
    format!("{first17}{}", app::domain::id_number::check_char(first17).expect("17 digits"))
}

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

/// A filled-in template for `union_name` (its row 3 as a clerk fills it, branch 104584000101).
/// Each row: [name, ID number, phone, department]; ID and phone are written as text.
pub fn workbook<S: AsRef<str>>(union_name: &str, rows: &[[S; 4]]) -> Vec<u8> {
    let full: Vec<[String; 13]> = rows
        .iter()
        .map(|[name, id, phone, dept]| {
            let mut r: [String; 13] = Default::default();
            r[1] = name.as_ref().to_string();
            r[3] = id.as_ref().to_string();
            r[7] = phone.as_ref().to_string();
            r[11] = dept.as_ref().to_string();
            r
        })
        .collect();
    full_workbook(union_name, &full)
}

/// A filled-in template with all thirteen columns given row by row (序号 … 备注; 序号 is numbered
/// here, empty cells are left out). ID and phone are written as text, as the downloaded template
/// formats them.
pub fn full_workbook(union_name: &str, rows: &[[String; 13]]) -> Vec<u8> {
    full_workbook_with(union_name, rows, &[])
}

/// `full_workbook` with more cells written as text: (0-based row, 0-based column, text).
pub fn full_workbook_with(union_name: &str, rows: &[[String; 13]], extra: &[(u32, u16, &str)]) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let text = Format::new().set_num_format("@");
    ws.write(0, 0, "附件2").unwrap();
    ws.write(0, 1, "工会会员信息采集汇总表").unwrap();
    ws.write(1, 0, "填写说明").unwrap();
    let header = [
        "*填报工会",
        union_name,
        "*单位类型",
        "60",
        "*职工平均月收入",
        "2",
        "*领卡网点",
        "104584000101",
        "*是否加载深圳通",
        "是",
    ];
    for (c, v) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *v).unwrap();
    }
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        for (c, v) in row.iter().enumerate().skip(1).filter(|(_, v)| !v.is_empty()) {
            if c == 3 || c == 7 {
                ws.write_string_with_format(r, c as u16, v, &text).unwrap();
            } else {
                ws.write_string(r, c as u16, v).unwrap();
            }
        }
    }
    for (r, c, v) in extra {
        ws.write_string(*r, *c, *v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}
