//! Tests of the workbook module: the template and the error report read back through the
//! reader, and every hostile input refused (or read) quickly, without aborting the process and
//! with bounded memory. Fixtures are built in code (`test_fixtures`).

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx};

use super::guard::{GuardError, OtherPackage, Sniffed};
use super::test_fixtures::*;
use super::write::template_workbook;
use super::*;
use crate::domain::sheet::{Cell, ImportIssue, Sheet, SheetRow};
use crate::domain::template::{HEADERS, INFO_LABELS, TITLE};

const UNION: &str = "深圳市测试科技有限公司工会委员会";

fn branches() -> Vec<(String, String)> {
    vec![
        ("104584000123".into(), "中国银行深圳福田支行".into()),
        ("104584000456".into(), "中国银行深圳南山支行".into()),
        ("104584000789".into(), "中国银行深圳宝安支行".into()),
    ]
}

fn limits() -> ReadLimits {
    ReadLimits::default()
}

fn read(bytes: &[u8]) -> Result<SheetRead, XlsxError> {
    read_upload(bytes, &limits())
}

fn guard_err(bytes: &[u8]) -> GuardError {
    match read(bytes) {
        Err(XlsxError::Guard(g)) => g,
        other => panic!("expected a guard refusal, got {other:?}"),
    }
}

fn row(sheet: &Sheet, n: u32) -> &SheetRow {
    sheet.rows.iter().find(|r| r.row == n).unwrap_or_else(|| panic!("row {n} missing"))
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// The XML of one part of a package.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

// ---------------------------------------------------------------- template ----------------

#[test]
fn the_template_round_trips_through_the_reader() {
    let mut wb = template_workbook(UNION, &branches()).unwrap();
    let ws = wb.worksheet_from_index(0).unwrap();
    // What a clerk types: a name, and an 18-digit ID into the text-formatted D column.
    ws.write_string(4, 1, "张三").unwrap();
    ws.write_string(4, 3, "440301199001011234").unwrap();
    ws.write_string(4, 7, "13800138000").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let read = read(&bytes).unwrap();
    assert_eq!(read.sheet_name, TITLE);
    assert_eq!(read.beyond_last_column, None);
    let sheet = read.sheet;
    assert_eq!(row(&sheet, 1).cells[..2], [text("附件2"), text(TITLE)]);
    assert!(matches!(row(&sheet, 2).cell(0), Cell::Text(t) if t.starts_with("填写说明")));
    let r3 = row(&sheet, 3);
    assert_eq!(r3.cell(1), &text(UNION), "B3 carries the union's registered name");
    for (i, label) in INFO_LABELS.iter().enumerate() {
        assert_eq!(r3.cell(i * 2), &text(label));
    }
    let headers: Vec<Cell> = HEADERS.iter().map(|h| text(h)).collect();
    assert_eq!(row(&sheet, 4).cells, headers, "row 4 headers exactly");
    assert_eq!(
        HEADERS.join(" "),
        "序号 *姓名 证件类型 *证件号码 国家/地区 性别 出生日期 *手机号码 民族 学历 是否农民工 部门 备注"
    );
    let r5 = row(&sheet, 5);
    assert_eq!(r5.cell(3), &text("440301199001011234"), "a typed ID stays intact text");
    assert_eq!(r5.cell(7), &text("13800138000"));
    assert_eq!(sheet.rows.len(), 5);
}

#[test]
fn the_template_has_the_layout_formats_and_drop_downs_of_domain_md() {
    let bytes = template(UNION, &branches()).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    for merge in ["B1:M1", "A2:M2"] {
        assert!(sheet.contains(&format!(r#"<mergeCell ref="{merge}"/>"#)), "merged {merge}");
    }
    for sqref in ["C5:C100004", "F5:F100004", "K5:K100004", "D3", "F3", "H3", "J3"] {
        assert!(sheet.contains(&format!(r#"sqref="{sqref}""#)), "drop-down on {sqref}");
    }
    assert!(sheet.contains(r#"<formula1>"34,60,39"</formula1>"#));
    assert!(sheet.contains(r#"<formula1>"1,2,3,4,5"</formula1>"#));
    assert!(sheet.contains(r#"<formula1>"是,否"</formula1>"#));
    assert!(sheet.contains(r#"<formula1>"男,女"</formula1>"#));
    assert!(sheet.contains("居民身份证,护照,户口簿,外国人居留许可证,港澳居民来往内地通行证（香港）,港澳居民来往内地通行证（澳门）,台湾居民来往大陆通行证,其他"));
    assert!(sheet.contains("34：机关事业单位") && sheet.contains("5：100000以上元"));
    assert!(sheet.contains("104584000123 中国银行深圳福田支行"), "H3 input message lists the branches");
    assert!(sheet.contains(r#"ySplit="4""#), "frozen under row 4");
    // D and H carry a column format whose number format is text ("@", built-in id 49).
    let styles = part(&bytes, "xl/styles.xml");
    let text_xfs: Vec<usize> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, xf)| xf.starts_with(r#"numFmtId="49""#))
        .map(|(i, _)| i)
        .collect();
    assert!(!text_xfs.is_empty(), "a text (@, id 49) cell format");
    for col in [4, 8] {
        let tag = format!(r#"<col min="{col}" max="{col}""#);
        let at = sheet.find(&tag).unwrap_or_else(|| panic!("column {col} has a <col>"));
        let col_xml = &sheet[at..at + sheet[at..].find("/>").unwrap()];
        let style: usize = col_xml
            .split("style=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!(text_xfs.contains(&style), "column {col} is text: {col_xml}");
    }
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"name="填写说明""#));

    // H3's list points at the branch codes on 填写说明.
    let formula_start = sheet.find("'填写说明'!$A$").expect("H3 list source");
    let range = &sheet[formula_start..formula_start + 40];
    let first: u32 = range["'填写说明'!$A$".len()..].split(':').next().unwrap().parse().unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let notes = wb.worksheet_range("填写说明").unwrap();
    let code_at = |r: u32| notes.get_value((r - 1, 0)).map(|v| v.to_string());
    assert_eq!(code_at(first).as_deref(), Some("104584000123"));
    assert_eq!(code_at(first + 2).as_deref(), Some("104584000789"));
    let all: Vec<String> = notes.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    for needle in
        ["工会名称不匹配！", "身份证号码格式错误，请填写18位正确的身份证号码！", "港澳居民来往内地通行证（香港）", "47"]
    {
        assert!(all.iter().any(|c| c.contains(needle)), "填写说明 mentions {needle}");
    }
}

#[test]
fn a_template_without_branches_still_builds() {
    let bytes = template(UNION, &[]).unwrap();
    let sheet = read(&bytes).unwrap().sheet;
    assert_eq!(row(&sheet, 3).cell(1), &text(UNION));
}

// ---------------------------------------------------------------- cell kinds --------------

#[test]
fn a_numeric_id_arrives_as_a_number() {
    let mut wb = template_workbook(UNION, &branches()).unwrap();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_number(4, 3, 440_301_199_001_011_234.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let sheet = read(&bytes).unwrap().sheet;
    assert_eq!(row(&sheet, 5).cell(3), &Cell::Number(440_301_199_001_011_234.0));
}

#[test]
fn a_formula_arrives_as_a_formula_with_its_saved_value() {
    let mut wb = template_workbook(UNION, &branches()).unwrap();
    let ws = wb.worksheet_from_index(0).unwrap();
    let f = rust_xlsxwriter::Formula::new("=VLOOKUP(B5,'[1]160318'!$A$1:$D$65536,4,0)").set_result("13800138000");
    ws.write_formula(4, 7, f).unwrap();
    ws.write_formula(5, 7, "=1+1").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let sheet = read(&bytes).unwrap().sheet;
    assert_eq!(
        row(&sheet, 5).cell(7),
        &Cell::Formula {
            formula: "VLOOKUP(B5,'[1]160318'!$A$1:$D$65536,4,0)".into(),
            cached: Some("13800138000".into())
        }
    );
    assert!(matches!(row(&sheet, 6).cell(7), Cell::Formula { formula, .. } if formula == "1+1"));
}

#[test]
fn shared_formulas_are_expanded_and_uncached_formulas_have_no_value() {
    let xml = sheet_xml(
        r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c><c r="B1"><v>1</v></c></row>
           <row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>
           <row r="3"><c r="A3"><f t="shared" si="0"/></c></row>
           <row r="4"><c r="A4" t="str"><f>"a"&amp;"b"</f></c></row>"#,
    );
    let sheet = read(&minimal_xlsx(&xml, None)).unwrap().sheet;
    let f = |r: u32| row(&sheet, r).cell(0).clone();
    assert_eq!(f(1), Cell::Formula { formula: "B1*2".into(), cached: Some("2".into()) });
    assert_eq!(f(2), Cell::Formula { formula: "B2*2".into(), cached: Some("4".into()) });
    assert_eq!(f(3), Cell::Formula { formula: "B3*2".into(), cached: None });
    assert_eq!(f(4), Cell::Formula { formula: "\"a\"&\"b\"".into(), cached: None });
}

#[test]
fn values_map_to_cells_and_rows_come_out_sorted_and_non_empty() {
    let xml = sheet_xml(
        r#"<row r="7"><c r="A7" t="inlineStr"><is><t>late</t></is></c></row>
           <row r="5"><c r="A5" t="b"><v>1</v></c><c r="B5" t="e"><v>#N/A</v></c><c r="C5" s="1"><v>32874</v></c>
                      <c r="D5"><v>12.5</v></c><c r="E5" t="d"><v>2024-01-02T00:00:00</v></c><c r="F5"/><c r="G5" t="inlineStr"><is><t> </t></is></c></row>
           <row r="6"><c r="A6" t="inlineStr"><is><t>   </t></is></c><c r="B6" s="0"/></row>"#,
    );
    let mut parts = package(&xml, None);
    parts.push((
        "xl/styles.xml".into(),
        format!(r#"<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#).into_bytes(),
    ));
    let sheet = read(&zip_parts(&parts, false)).unwrap().sheet;
    let rows: Vec<u32> = sheet.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, [5, 7], "sorted, the blank row 6 dropped");
    assert_eq!(
        row(&sheet, 5).cells,
        vec![
            Cell::Bool(true),
            Cell::Error("#N/A".into()),
            Cell::Date(32874.0),
            Cell::Number(12.5),
            text("2024-01-02T00:00:00"),
        ],
        "trailing empty and blank cells trimmed"
    );
}

#[test]
fn a_1904_workbook_reports_1900_serials() {
    let xml = sheet_xml(r#"<row r="1"><c r="A1" s="1"><v>0</v></c></row>"#);
    let mut parts = package(&xml, None);
    parts[2].1 = format!(r#"<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#).into_bytes();
    parts.push((
        "xl/styles.xml".into(),
        format!(r#"<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#).into_bytes(),
    ));
    let sheet = read(&zip_parts(&parts, false)).unwrap().sheet;
    assert_eq!(row(&sheet, 1).cell(0), &Cell::Date(1462.0), "1904-01-01");
}

#[test]
fn the_first_visible_worksheet_is_read() {
    let mut parts = package(&sheet_xml(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row>"#), None);
    parts[2].1 = format!(r#"<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="旧" sheetId="1" state="hidden" r:id="rId1"/><sheet name="会员" sheetId="2" r:id="rId3"/></sheets></workbook>"#).into_bytes();
    parts[3].1 = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#.to_vec();
    parts.push((
        "xl/worksheets/sheet2.xml".into(),
        sheet_xml(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>shown</t></is></c></row>"#).into_bytes(),
    ));
    let read = read(&zip_parts(&parts, false)).unwrap();
    assert_eq!(read.sheet_name, "会员");
    assert_eq!(row(&read.sheet, 1).cell(0), &text("shown"));
}

#[test]
fn columns_right_of_m_are_kept_up_to_z_and_beyond_z_is_only_noted() {
    let xml = sheet_xml(
        r#"<row r="5"><c r="A5"><v>1</v></c><c r="N5"><v>2</v></c><c r="Z5"><v>3</v></c><c r="AA5"><v>4</v></c></row>
           <row r="6"><c r="AB6"><v>5</v></c></row>"#,
    );
    let read = read(&minimal_xlsx(&xml, None)).unwrap();
    let r5 = row(&read.sheet, 5);
    assert_eq!(r5.cells.len(), 26);
    assert_eq!(r5.cell(13), &Cell::Number(2.0));
    assert_eq!(r5.cell(25), &Cell::Number(3.0));
    assert_eq!(read.sheet.rows.len(), 1, "row 6 has nothing in A–Z");
    assert_eq!(read.beyond_last_column, Some((5, 26)));
}

#[test]
fn an_overlong_cell_becomes_an_error_cell_never_a_truncated_text() {
    let long = "长".repeat(1001);
    let ok = "长".repeat(1000);
    let xml = sheet_xml(&format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{long}</t></is></c><c r="B1" t="inlineStr"><is><t>{ok}</t></is></c></row>"#
    ));
    let sheet = read(&minimal_xlsx(&xml, None)).unwrap().sheet;
    assert_eq!(row(&sheet, 1).cell(0), &Cell::Error("单元格内容过长（超过1000个字符）".into()));
    assert_eq!(row(&sheet, 1).cell(1), &Cell::Text(ok));
}

#[test]
fn too_many_member_rows_are_refused_with_the_cap_in_the_message() {
    let small = ReadLimits { max_member_rows: 10, row_slack: 0, ..ReadLimits::default() };
    let err = read_upload(&members_xlsx(11), &small).unwrap_err();
    assert_eq!(err.code(), "too_many_rows");
    assert_eq!(err.message(), "单个文件最多10名会员，请分批导入。");
    assert!(read_upload(&members_xlsx(10), &small).is_ok());
    assert_eq!(
        XlsxError::TooManyRows { limit_members: ReadLimits::default().max_member_rows }.message(),
        "单个文件最多10万名会员，请分批导入。"
    );
}

#[test]
fn reads_100000_member_rows() {
    let bytes = members_xlsx(100_000);
    let started = Instant::now();
    let read = read(&bytes).unwrap();
    let sheet = read.sheet;
    eprintln!("100,000 rows read in {:?} ({} bytes)", started.elapsed(), bytes.len());
    assert_eq!(sheet.rows.len(), 100_004);
    let last = sheet.rows.last().unwrap();
    assert_eq!(last.row, 100_004);
    assert_eq!(last.cells.len(), 13);
    assert_eq!(last.cell(7), &text("13800099999"));
    assert!(matches!(last.cell(6), Cell::Date(_)));
    assert_eq!(read.guard.rewritten, Vec::<String>::new(), "an honest uniqueCount is left alone");
}

// ---------------------------------------------------------------- hostile -----------------

#[test]
fn unique_count_of_four_billion_does_not_abort_the_process() {
    let xml = sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#);
    for sst in [
        sst_xml(&["甲", "乙"], "4000000000"),
        sst_xml(&["甲", "乙"], "18446744073709551615"),
        format!(
            r#"<x:sst xmlns:x="{NS}" uniqueCount = '4000000000' count="3"><x:si><x:t>甲</x:t></x:si><x:si><x:t>乙</x:t></x:si></x:sst>"#
        ),
    ] {
        let bytes = minimal_xlsx(&xml, Some(&sst));
        let read = read(&bytes).unwrap();
        assert_eq!(row(&read.sheet, 1).cells, [text("甲"), text("乙")]);
        assert_eq!(read.guard.rewritten, ["xl/sharedStrings.xml"]);
        assert_eq!(read.guard.shared_strings, 2);
    }
}

#[test]
fn a_single_cell_at_xfd1048576_is_streamed_not_allocated() {
    let xml = format!(
        r#"<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#
    );
    let started = Instant::now();
    let read = read(&minimal_xlsx(&xml, None)).unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(read.sheet.rows.len(), 1);
    assert_eq!(read.beyond_last_column, Some((1_048_576, 16_383)));
}

#[test]
fn cell_references_outside_excels_grid_are_refused() {
    for rows in [
        r#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#,
        r#"<row r="1048577"><c r="A1048577"><v>1</v></c></row>"#,
        r#"<row r="1"><c r="AAAAAAAAAAAAAAAA1"><v>1</v></c></row>"#,
        r#"<row r="99999999999"><c><v>1</v></c></row>"#,
        r#"<row r="1"><c r="A1"><f t="shared" ref="B2:A1" si="0">1</f></c></row>"#,
    ] {
        let g = guard_err(&minimal_xlsx(&sheet_xml(rows), None));
        assert_eq!(g.code(), "cell_out_of_range", "{rows}");
        assert!(g.message().contains("超出Excel表格范围"));
    }
    let reversed = format!(r#"<worksheet xmlns="{NS}"><dimension ref="B2:A1"/><sheetData/></worksheet>"#);
    assert_eq!(guard_err(&minimal_xlsx(&reversed, None)).code(), "cell_out_of_range");
}

fn huge_shared_string_xlsx(cells: usize) -> Vec<u8> {
    // About 1 MB of varied CJK text (not one repeated character, which would look like a bomb).
    let mut rng = Rng(42);
    let big: String = (0..350_000).map(|_| char::from_u32(0x4E00 + rng.below(0x5000) as u32).unwrap()).collect();
    let sst = sst_xml(&[&big], "1");
    let mut rows = String::new();
    for r in 1..=cells {
        rows.push_str(&format!(r#"<row r="{r}"><c r="B{r}" t="s"><v>0</v></c></row>"#));
    }
    minimal_xlsx(&sheet_xml(&rows), Some(&sst))
}

#[test]
fn a_1mb_shared_string_referenced_12000_times_is_not_copied() {
    let read = read(&huge_shared_string_xlsx(12_000)).unwrap();
    assert_eq!(read.sheet.rows.len(), 12_000);
    assert!(read.sheet.rows.iter().all(|r| matches!(r.cell(1), Cell::Error(e) if e.contains("单元格内容过长"))));
}

#[test]
fn entity_expansion_is_refused() {
    let mut laughs = String::from(r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#);
    for i in 1..=9 {
        let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        laughs.push_str(&format!(r#"<!ENTITY lol{i} "{}">"#, format!("&{prev};").repeat(10)));
    }
    laughs.push_str(&format!(r#"]><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"#));
    let xml = sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let g = guard_err(&minimal_xlsx(&xml, Some(&laughs)));
    assert_eq!(g, GuardError::UnsafeXml { part: "xl/sharedStrings.xml".into() });
    assert!(g.message().contains("DOCTYPE/ENTITY"));

    let doctype_sheet = format!(
        r#"<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://evil/x.dtd"><worksheet xmlns="{NS}"><sheetData/></worksheet>"#
    );
    assert_eq!(guard_err(&minimal_xlsx(&doctype_sheet, None)).code(), "xml_entities_refused");
}

fn gigabyte_bomb() -> Vec<u8> {
    let n: u64 = 1 << 30; // 1 GiB of spaces
    let data = deflate_fill(b' ', n);
    let mut parts: Vec<RawEntry> = package(&sheet_xml(""), None)
        .iter()
        .filter(|(name, _)| name != "xl/worksheets/sheet1.xml")
        .map(|(name, data)| RawEntry::stored(name, data))
        .collect();
    parts.push(RawEntry {
        name: "xl/worksheets/sheet1.xml".into(),
        method: 8,
        data,
        declared_size: n as u32 - 1, // honest but for one byte: fits u32
        crc: 0,
        flags: 0,
    });
    raw_zip(&parts)
}

#[test]
fn a_gigabyte_zip_bomb_is_refused_quickly() {
    let bytes = gigabyte_bomb();
    assert!(bytes.len() < 8 << 20, "the bomb itself is small: {} bytes", bytes.len());
    let started = Instant::now();
    let g = guard_err(&bytes);
    assert!(matches!(g, GuardError::PartTooLarge { .. } | GuardError::ContentTooLarge { .. }), "{g:?}");
    assert!(g.message().contains("超过"));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn inflated_sizes_are_measured_not_trusted() {
    // Honest sizes, but 160:1: refused by the measured ratio after a few MB.
    let n: u64 = 8 << 20;
    let mut entries: Vec<RawEntry> = package(&sheet_xml(""), None)
        .iter()
        .filter(|(name, _)| name != "xl/worksheets/sheet1.xml")
        .map(|(name, data)| RawEntry::stored(name, data))
        .collect();
    entries.push(RawEntry {
        name: "xl/worksheets/sheet1.xml".into(),
        method: 8,
        data: deflate_fill(b' ', n),
        declared_size: n as u32,
        crc: 0,
        flags: 0,
    });
    assert_eq!(guard_err(&raw_zip(&entries)).code(), "compression_bomb");

    // A size that lies low: the reader stops at the lie.
    let last = entries.last_mut().unwrap();
    last.data = deflate_fill(b' ', 300 << 20);
    last.declared_size = 1000;
    let started = Instant::now();
    let g = guard_err(&raw_zip(&entries));
    assert!(matches!(g, GuardError::Corrupt { .. } | GuardError::CompressionBomb { .. }), "{g:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn random_bytes_empty_truncated_csv_and_old_xls_are_named() {
    let mut rng = Rng(0xDEAD_BEEF);
    let random: Vec<u8> = (0..65_536).map(|_| rng.next() as u8).collect();
    assert_eq!(guard_err(&random), GuardError::NotXlsx { sniffed: Sniffed::Unknown });
    assert!(guard_err(&random).message().contains("CSV文件或旧版.xls文件直接改扩展名为.xlsx是不能导入的"));

    assert_eq!(guard_err(&[]), GuardError::Empty);

    let tpl = template(UNION, &branches()).unwrap();
    for cut in [tpl.len() / 2, tpl.len() - 10, 30] {
        assert_eq!(guard_err(&tpl[..cut]).code(), "file_corrupt", "cut at {cut}");
    }

    let csv = "序号,姓名,证件号码\n1,张三,440301199001011234\n".as_bytes();
    let g = guard_err(csv);
    assert_eq!(g, GuardError::NotXlsx { sniffed: Sniffed::Text });
    assert!(g.message().contains("CSV") && g.message().contains("Excel 工作簿（*.xlsx）"));
    assert_eq!(
        guard_err(b"<html><table><tr><td>1</td></tr></table></html>"),
        GuardError::NotXlsx { sniffed: Sniffed::Markup }
    );

    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    let g = guard_err(&ole);
    assert_eq!(g, GuardError::OldXls);
    assert!(g.message().contains(".xls"));
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(guard_err(&ole), GuardError::Encrypted);
    assert!(guard_err(&ole).message().contains("密码"));
}

#[test]
fn encrypted_entries_word_files_and_thousands_of_parts_are_refused() {
    let mut entries: Vec<RawEntry> =
        package(&sheet_xml(""), None).iter().map(|(n, d)| RawEntry::stored(n, d)).collect();
    entries[4].flags = 1;
    assert_eq!(guard_err(&raw_zip(&entries)), GuardError::Encrypted);

    let word = zip_parts(&[("word/document.xml".into(), b"<w:document/>".to_vec())], false);
    assert_eq!(guard_err(&word), GuardError::NotAWorkbook { found: OtherPackage::Word });
    let nothing = zip_parts(&[("a.txt".into(), b"x".to_vec())], false);
    assert!(guard_err(&nothing).message().contains("xl/workbook.xml"));

    let mut many: Vec<RawEntry> = package(&sheet_xml(""), None).iter().map(|(n, d)| RawEntry::stored(n, d)).collect();
    for i in 0..3000 {
        many.push(RawEntry::stored(&format!("xl/media/p{i}.xml"), b"<a/>"));
    }
    let started = Instant::now();
    assert_eq!(guard_err(&raw_zip(&many)), GuardError::TooManyParts { count: 3005, limit: 500 });
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn the_rebuilt_package_keeps_only_xml_parts() {
    let mut parts = package(&sheet_xml(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#), None);
    parts.push(("xl/media/image1.png".into(), vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0]));
    let s = guard::inspect(&zip_parts(&parts, false), &limits()).unwrap();
    assert_eq!(s.report.dropped, 1);
    let names: Vec<String> = unzip(&s.bytes).into_iter().map(|(n, _)| n).collect();
    assert!(!names.iter().any(|n| n.ends_with(".png")));
    assert!(names.contains(&"xl/worksheets/sheet1.xml".to_string()));

    // A damaged part that calamine never reads does not sink the upload.
    let mut entries: Vec<RawEntry> = parts.iter().map(|(n, d)| RawEntry::stored(n, d)).collect();
    entries.last_mut().unwrap().crc ^= 1;
    let read = read(&raw_zip(&entries)).unwrap();
    assert_eq!(row(&read.sheet, 1).cell(0), &Cell::Number(1.0));
    // …but a damaged worksheet does.
    entries.last_mut().unwrap().crc ^= 1;
    entries[4].crc ^= 1;
    assert_eq!(guard_err(&raw_zip(&entries)).code(), "file_corrupt");
}

// ---------------------------------------------------------------- memory ------------------

const CHILD_ENV: &str = "UNIONCARD_XLSX_CHILD_CASE";

fn child_fixture(case: &str) -> Vec<u8> {
    match case {
        "unique_count" => minimal_xlsx(
            &sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
            Some(&sst_xml(&["甲"], "4000000000")),
        ),
        "xfd" => minimal_xlsx(
            &format!(
                r#"<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#
            ),
            None,
        ),
        "huge_shared_string" => huge_shared_string_xlsx(12_000),
        "bomb" => gigabyte_bomb(),
        "rows_100k" => members_xlsx(100_000),
        other => panic!("unknown case {other}"),
    }
}

/// Runs one read in this process and prints its outcome and peak memory; the memory test
/// starts it as a child so each case has a process (and a peak-RSS counter) of its own.
#[test]
#[ignore = "run as a child process by memory_stays_bounded_on_hostile_and_large_files"]
fn child_case() {
    let Ok(case) = std::env::var(CHILD_ENV) else {
        return;
    };
    let bytes = child_fixture(&case);
    let base = current_rss_kib().unwrap_or(0);
    let reset = reset_peak_rss();
    let started = Instant::now();
    let outcome = read(&bytes);
    let ms = started.elapsed().as_millis();
    let peak = peak_rss_kib().unwrap_or(0);
    let summary = match &outcome {
        Ok(r) => format!("ok:{}", r.sheet.rows.len()),
        Err(e) => format!("err:{}", e.code()),
    };
    drop(outcome);
    println!("CHILD_RESULT {summary} {} {ms} {reset}", peak.saturating_sub(base));
}

#[test]
fn memory_stays_bounded_on_hostile_and_large_files() {
    if peak_rss_kib().is_none() {
        eprintln!("no /proc/self/status: memory test skipped");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let path = module_path!().split_once("::").unwrap().1;
    let cases: [(&str, &str, u64); 5] = [
        ("unique_count", "ok:1", 64),
        ("xfd", "ok:0", 64),
        ("huge_shared_string", "ok:12000", 96),
        ("bomb", "err:part_too_large", 64),
        ("rows_100k", "ok:100004", 300),
    ];
    let children: Vec<_> = cases
        .iter()
        .map(|(case, _, _)| {
            Command::new(&exe)
                .args([&format!("{path}::child_case"), "--exact", "--ignored", "--nocapture", "--test-threads=1"])
                .env(CHILD_ENV, case)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for ((case, expected, max_mib), child) in cases.iter().zip(children) {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{case}: child died ({:?})\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("CHILD_RESULT ").map(|(_, r)| r))
            .unwrap_or_else(|| panic!("{case}: no result\n{stdout}"));
        let f: Vec<&str> = line.split(' ').collect();
        let (summary, kib, ms) = (f[0], f[1].parse::<u64>().unwrap(), f[2]);
        eprintln!("{case}: {summary}, peak +{} MiB, {ms} ms (peak reset: {})", kib / 1024, f[3]);
        assert_eq!(summary, *expected, "{case}");
        assert!(kib / 1024 < *max_mib, "{case}: peak +{} MiB over {max_mib} MiB", kib / 1024);
    }
}

// ---------------------------------------------------------------- error report ------------

fn issue(row: Option<u32>, col: Option<&str>, field: &str, message: &str) -> ImportIssue {
    ImportIssue {
        row,
        column: col.map(str::to_string),
        field: field.into(),
        code: "test".into(),
        message: message.into(),
        hint: "解决方法".into(),
    }
}

#[test]
fn the_error_report_writes_the_rows_back_and_marks_every_bad_cell() {
    let mut wb = template_workbook("错误的工会名称", &branches()).unwrap();
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_string(4, 1, "张三").unwrap();
    ws.write_string(4, 3, "440301199001011234").unwrap();
    ws.write_string(4, 7, "1380013800").unwrap();
    ws.write_string(5, 1, "李四").unwrap();
    ws.write_number(5, 3, 440_301_199_001_011_234.0).unwrap();
    let f = rust_xlsxwriter::Formula::new("=VLOOKUP(B6,'[1]160318'!$A$1:$D$65536,4,0)").set_result("13800138000");
    ws.write_formula(5, 7, f).unwrap();
    ws.write_string(6, 1, "王五").unwrap();
    ws.write_string(6, 3, "110101199003070012").unwrap();
    ws.write_string(6, 7, "13900139000").unwrap();
    let upload = wb.save_to_buffer().unwrap();
    let sheet = read(&upload).unwrap().sheet;

    let issues = vec![
        issue(None, None, "文件", "文件级问题"),
        issue(Some(3), Some("B"), "表头", "工会名称不匹配！"),
        issue(Some(4), Some("N"), "表头", "表格的最右列应是M列"),
        issue(Some(5), Some("H"), "手机号码", "手机号码：1380013800为无效手机号，请填写长度为11位数字的有效手机号码。"),
        issue(Some(5), Some("E"), "国家/地区", "证件号码无效或者为非居民身份证时，国家/地区必填！"),
        issue(Some(6), Some("D"), "证件号码", "证件号码是数字"),
        issue(Some(6), Some("H"), "手机号码", "公式"),
    ];
    let report = error_report(&sheet, &issues).unwrap();
    let back = read(&report).unwrap();
    assert_eq!(back.sheet_name, TITLE);
    let s = back.sheet;
    let n = 13;
    assert!(matches!(row(&s, 1).cell(n), Cell::Text(t) if t == "文件级问题"));
    assert!(matches!(row(&s, 3).cell(n), Cell::Text(t) if t.contains("B3：工会名称不匹配！")));
    assert!(matches!(row(&s, 4).cell(n), Cell::Text(t) if t.starts_with(ERROR_COLUMN_HEADER) && t.contains("最右列")));
    assert!(
        matches!(row(&s, 5).cell(n), Cell::Text(t) if t.contains("H列：手机号码：1380013800为无效手机号") && t.contains("E列："))
    );
    assert_eq!(row(&s, 7).cell(n), &Cell::Empty, "a clean row has no reasons");

    // The clerk's values, as uploaded.
    assert_eq!(row(&s, 3).cell(1), &text("错误的工会名称"));
    let headers: Vec<Cell> = HEADERS.iter().map(|h| text(h)).collect();
    assert_eq!(row(&s, 4).cells[..13], headers[..]);
    assert_eq!(row(&s, 5).cell(3), &text("440301199001011234"));
    assert_eq!(row(&s, 6).cell(3), &Cell::Number(440_301_199_001_011_234.0));
    assert_eq!(row(&s, 6).cell(7), &text("13800138000"), "a formula comes back as its saved value, not a formula");
    assert_eq!(
        row(&s, 7).cells[..8],
        [
            Cell::Empty,
            text("王五"),
            Cell::Empty,
            text("110101199003070012"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            text("13900139000")
        ]
    );
    assert_eq!(s.rows.len(), 7);

    // Red fill, notes with the messages, the merged title kept, the list sheet.
    assert!(part(&report, "xl/styles.xml").contains("FFFFC7CE"));
    let comments = part(&report, "xl/comments1.xml");
    assert!(comments.contains("手机号码：1380013800为无效手机号"));
    assert!(comments.contains("国家/地区必填"), "an empty required cell gets a note too");
    assert!(comments.contains("原单元格是公式：=VLOOKUP(B6"));
    let xml = part(&report, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<mergeCell ref="B1:M1"/>"#) && xml.contains(r#"<mergeCell ref="A2:M2"/>"#));
    assert!(part(&report, "xl/workbook.xml").contains(r#"name="错误清单""#));
}

#[test]
fn the_error_report_puts_reasons_right_of_any_extra_columns() {
    let xml = sheet_xml(
        r#"<row r="5"><c r="B5" t="inlineStr"><is><t>张三</t></is></c><c r="P5" t="inlineStr"><is><t>多余</t></is></c></row>"#,
    );
    let sheet = read(&minimal_xlsx(&xml, None)).unwrap().sheet;
    let report = error_report(&sheet, &[issue(Some(5), Some("P"), "文件", "最右列应是M列")]).unwrap();
    let s = read(&report).unwrap().sheet;
    assert_eq!(row(&s, 5).cell(15), &text("多余"), "the clerk's P5 is kept");
    assert!(matches!(row(&s, 5).cell(16), Cell::Text(t) if t.contains("最右列")));
    assert!(matches!(row(&s, 4).cell(16), Cell::Text(t) if t == ERROR_COLUMN_HEADER));
}

// ---------------------------------------------------------------- mutation ----------------

const TOKENS: [&str; 28] = [
    r#"<c r="XFD1048576"><v>1</v></c>"#,
    r#" uniqueCount="4000000000""#,
    "<!DOCTYPE x>",
    r#"<f t="shared" si="4000000000"/>"#,
    r#"<f t="shared" ref="A1:XFD1048576" si="7">A1&amp;B1</f>"#,
    r#"<row r="99999999999">"#,
    r#"<c r="A1" t="s"><v>99999999</v></c>"#,
    "&lol;",
    "]]>",
    "<![CDATA[",
    "<!--",
    "-->",
    "\"",
    "'",
    ">",
    "<",
    r#"<dimension ref="B2:A1"/>"#,
    r#"r="AAAAAAAAAA1""#,
    r#"<dimension ref="A1:XFD1048576"/>"#,
    "<si><t>x</t></si>",
    "<sst>",
    "</sheetData>",
    r#" t="e""#,
    r#" t="b""#,
    r#" t="d""#,
    r#" t="str""#,
    r#"<c r="B2" s="99999"><v>1e308</v></c>"#,
    r#"<c r="C3"><v>NaN</v></c>"#,
];

fn assert_bounded(bytes: &[u8], case: &str) {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| read(bytes)));
    let elapsed = started.elapsed();
    let result = outcome.unwrap_or_else(|_| panic!("{case}: the reader panicked"));
    assert!(!matches!(result, Err(XlsxError::ReaderPanicked)), "{case}: calamine panicked (caught)");
    if let Ok(read) = &result {
        assert!(read.sheet.rows.len() <= limits().max_rows());
        assert!(read.sheet.rows.iter().all(|r| r.cells.len() <= limits().max_columns));
        assert!(read.sheet.rows.windows(2).all(|w| w[0].row < w[1].row), "{case}: rows sorted");
    }
    assert!(elapsed < Duration::from_secs(5), "{case}: took {elapsed:?}");
}

#[test]
fn mutated_workbooks_never_panic_and_return_within_bounds() {
    let mut rng = Rng(0x5EED_2026_0611);

    // 1,000 mutations of the zip bytes of the template.
    let base = template(UNION, &branches()).unwrap();
    for i in 0..1000 {
        let mut b = base.clone();
        match rng.below(4) {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(b.len());
                    b[at] ^= 1 << rng.below(8);
                }
            }
            1 => b.truncate(rng.below(b.len())),
            2 => {
                let at = rng.below(b.len());
                for j in at..(at + 1 + rng.below(64)).min(b.len()) {
                    b[j] = rng.next() as u8;
                }
            }
            _ => {
                let at = rng.below(b.len());
                let len = rng.below(256).min(b.len() - at);
                let chunk = b[at..at + len].to_vec();
                let to = rng.below(b.len());
                b.splice(to..to, chunk);
            }
        }
        assert_bounded(&b, &format!("zip mutation {i}"));
    }

    // 1,000 mutations of the XML inside a small member list, re-zipped.
    let parts = unzip(&members_xlsx(20));
    let targets: Vec<usize> = parts
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| {
            n.ends_with("sheet1.xml")
                || n.ends_with("sharedStrings.xml")
                || n.ends_with("styles.xml")
                || n.ends_with("workbook.xml")
                || n.ends_with(".rels")
        })
        .map(|(i, _)| i)
        .collect();
    for i in 0..1000 {
        let mut p = parts.clone();
        let t = targets[rng.below(targets.len())];
        let data = &mut p[t].1;
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(data.len() + 1);
            match rng.below(4) {
                0 => {
                    let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    data.splice(at..at, token.iter().copied());
                }
                1 => {
                    let end = (at + rng.below(40)).min(data.len());
                    data.drain(at..end);
                }
                2 if !data.is_empty() => {
                    let at = at.min(data.len() - 1);
                    data[at] = rng.next() as u8;
                }
                _ => {
                    let end = (at + rng.below(200)).min(data.len());
                    let chunk = data[at..end].to_vec();
                    let to = rng.below(data.len() + 1);
                    data.splice(to..to, chunk);
                }
            }
        }
        assert_bounded(&zip_parts(&p, true), &format!("xml mutation {i} of {}", p[t].0));
    }
}

/// Seeds for the fuzz targets (fuzz/README.md): a template, a member list, hostile samples.
#[test]
#[ignore = "writes fuzz/corpus: cargo test -p app --features ssr --lib xlsx::tests::write_fuzz_seeds -- --ignored"]
fn write_fuzz_seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let files = root.join("read_xlsx");
    let xml = root.join("read_sheet_xml");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::create_dir_all(&xml).unwrap();
    std::fs::write(files.join("template.xlsx"), template(UNION, &branches()).unwrap()).unwrap();
    std::fs::write(files.join("members.xlsx"), members_xlsx(20)).unwrap();
    std::fs::write(files.join("unique_count.xlsx"), child_fixture("unique_count")).unwrap();
    for (i, (name, data)) in unzip(&members_xlsx(5)).into_iter().enumerate() {
        if name.ends_with("sheet1.xml") {
            let sst = unzip(&members_xlsx(5)).into_iter().find(|(n, _)| n.ends_with("sharedStrings.xml")).unwrap().1;
            let mut seed = data.clone();
            seed.push(0);
            seed.extend_from_slice(&sst);
            std::fs::write(xml.join(format!("members{i}.bin")), seed).unwrap();
        }
    }
}
