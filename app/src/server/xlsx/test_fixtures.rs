//! Workbooks built in code for the tests: valid ones through rust_xlsxwriter or a minimal
//! hand-written package, hostile ones byte by byte (zip container, deflate stream) so that
//! every header field can lie.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// One entry of a hand-built zip. `declared_size` and `crc` are written as given.
pub struct RawEntry {
    pub name: String,
    /// 0 = stored, 8 = deflated.
    pub method: u16,
    pub data: Vec<u8>,
    pub declared_size: u32,
    pub crc: u32,
    /// General-purpose flags (bit 0 = encrypted).
    pub flags: u16,
}

impl RawEntry {
    /// A stored entry with honest size and CRC.
    pub fn stored(name: &str, data: &[u8]) -> Self {
        RawEntry {
            name: name.into(),
            method: 0,
            data: data.to_vec(),
            declared_size: data.len() as u32,
            crc: crc32(data),
            flags: 0,
        }
    }
}

/// A zip container written by hand: local headers, data, central directory, end record.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&e.flags.to_le_bytes());
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&e.declared_size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&20u16.to_le_bytes()); // needed
        central.extend_from_slice(&e.flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0x21u16.to_le_bytes());
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&e.declared_size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0u8; 12]); // extra, comment, disk, int attr, ext attr (4)
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]); // disk numbers
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, t) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        *t = c;
    }
    let mut crc = !0u32;
    for &b in data {
        crc = table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// A raw deflate stream of `n` copies of `byte`, built by hand with the fixed Huffman code:
/// one literal, then (length 258, distance 1) matches at 13 bits each (ratio about 160:1).
pub fn deflate_fill(byte: u8, n: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        len: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, bits: u32) {
            self.acc |= value << self.len;
            self.len += bits;
            while self.len >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.len -= 8;
            }
        }
        /// Huffman codes go most-significant bit first.
        fn code(&mut self, code: u64, bits: u32) {
            let mut rev = 0;
            for i in 0..bits {
                rev |= ((code >> i) & 1) << (bits - 1 - i);
            }
            self.put(rev, bits);
        }
    }
    let mut b = Bits { out: Vec::with_capacity((n / 258 * 13 / 8 + 16) as usize), acc: 0, len: 0 };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // BTYPE = fixed
    let literal = |b: &mut Bits| {
        if byte < 144 {
            b.code(0x30 + u64::from(byte), 8)
        } else {
            b.code(0x190 + u64::from(byte - 144), 9)
        }
    };
    let mut left = n;
    if left > 0 {
        literal(&mut b);
        left -= 1;
    }
    // Symbol 285 (length 258) is 8 bits 11000101; distance code 0 is 5 bits 00000.
    let mut rev285 = 0u64;
    for i in 0..8 {
        rev285 |= ((0b1100_0101u64 >> i) & 1) << (7 - i);
    }
    while left >= 258 {
        b.put(rev285, 13); // the 5 distance bits are zero
        left -= 258;
    }
    for _ in 0..left {
        literal(&mut b);
    }
    b.code(0, 7); // end of block
    if b.len > 0 {
        b.put(0, 8 - b.len);
    }
    b.out
}

/// The parts of a minimal workbook around one worksheet (and a shared-string table if given).
pub fn package(sheet_xml: &str, shared_strings: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let mut parts = vec![
        (
            "[Content_Types].xml".to_string(),
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels".to_string(),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes(),
        ),
        (
            "xl/workbook.xml".to_string(),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#).into_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_string(),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#).into_bytes(),
        ),
        ("xl/worksheets/sheet1.xml".to_string(), sheet_xml.as_bytes().to_vec()),
    ];
    if let Some(sst) = shared_strings {
        parts.push(("xl/sharedStrings.xml".to_string(), sst.as_bytes().to_vec()));
    }
    parts
}

/// Zips parts with the zip crate (deflated, or stored when `store`).
pub fn zip_parts(parts: &[(String, Vec<u8>)], store: bool) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let method = if store { CompressionMethod::Stored } else { CompressionMethod::Deflated };
    let options =
        SimpleFileOptions::default().compression_method(method).compression_level(if store { None } else { Some(1) });
    for (name, data) in parts {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A minimal `.xlsx` with the given worksheet XML (and shared strings).
pub fn minimal_xlsx(sheet_xml: &str, shared_strings: Option<&str>) -> Vec<u8> {
    zip_parts(&package(sheet_xml, shared_strings), false)
}

/// `<worksheet>…<sheetData>{rows}</sheetData></worksheet>`
pub fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// A shared-string table; `unique` is written as the `uniqueCount` attribute verbatim.
pub fn sst_xml(strings: &[&str], unique: &str) -> String {
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{NS}" count="{}" uniqueCount="{unique}">"#,
        strings.len()
    );
    for t in strings {
        s.push_str("<si><t>");
        s.push_str(t);
        s.push_str("</t></si>");
    }
    s.push_str("</sst>");
    s
}

/// An upload of `members` member rows under the template's four header rows, as a clerk's
/// Excel would save it (shared strings, IDs and phones as text), deflated.
pub fn members_xlsx(members: usize) -> Vec<u8> {
    use crate::domain::template::{ATTACHMENT_MARK, HEADERS, INFO_LABELS, TITLE};
    let mut strings: Vec<String> = Vec::with_capacity(members * 3 + 64);
    let mut rows = String::with_capacity(members * 420);
    let s = |strings: &mut Vec<String>, t: &str| {
        strings.push(t.to_string());
        strings.len() - 1
    };
    let si = |r: &mut String, col: &str, row: usize, idx: usize| {
        r.push_str(&format!(r#"<c r="{col}{row}" t="s"><v>{idx}</v></c>"#));
    };
    rows.push_str(r#"<row r="1">"#);
    let a = s(&mut strings, ATTACHMENT_MARK);
    si(&mut rows, "A", 1, a);
    let t = s(&mut strings, TITLE);
    si(&mut rows, "B", 1, t);
    rows.push_str("</row><row r=\"2\">");
    let i = s(&mut strings, "填写说明");
    si(&mut rows, "A", 2, i);
    rows.push_str("</row><row r=\"3\">");
    let values = ["深圳市测试有限公司工会委员会", "60", "2", "104584000123", "是"];
    for (k, label) in INFO_LABELS.iter().enumerate() {
        let l = s(&mut strings, label);
        si(&mut rows, &crate::domain::sheet::column_letter(k * 2), 3, l);
        let v = s(&mut strings, values[k]);
        si(&mut rows, &crate::domain::sheet::column_letter(k * 2 + 1), 3, v);
    }
    rows.push_str("</row><row r=\"4\">");
    for (c, h) in HEADERS.iter().enumerate() {
        let idx = s(&mut strings, h);
        si(&mut rows, &crate::domain::sheet::column_letter(c), 4, idx);
    }
    rows.push_str("</row>");
    let fixed: Vec<usize> =
        ["居民身份证", "中国", "男", "汉族", "本科", "否", "工会办", ""].iter().map(|t| s(&mut strings, t)).collect();
    for m in 0..members {
        let row = m + 5;
        rows.push_str(&format!(r#"<row r="{row}"><c r="A{row}"><v>{}</v></c>"#, m + 1));
        let name = s(&mut strings, &format!("会员{m}"));
        si(&mut rows, "B", row, name);
        si(&mut rows, "C", row, fixed[0]);
        let id = s(&mut strings, &format!("44030119900101{:04}", m % 10_000));
        si(&mut rows, "D", row, id);
        si(&mut rows, "E", row, fixed[1]);
        si(&mut rows, "F", row, fixed[2]);
        rows.push_str(&format!(r#"<c r="G{row}" s="1"><v>{}</v></c>"#, 32874 + (m % 3000)));
        let phone = s(&mut strings, &format!("138{:08}", m));
        si(&mut rows, "H", row, phone);
        si(&mut rows, "I", row, fixed[3]);
        si(&mut rows, "J", row, fixed[4]);
        si(&mut rows, "K", row, fixed[5]);
        si(&mut rows, "L", row, fixed[6]);
        rows.push_str(&format!(r#"<c r="M{row}" t="inlineStr"><is><t>备注{m}</t></is></c></row>"#));
    }
    let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
    let sst = sst_xml(&refs, &refs.len().to_string());
    let mut parts = package(&sheet_xml(&rows), Some(&sst));
    // A date format for G (style 1 = numFmtId 14, m/d/yyyy).
    parts.push((
        "xl/styles.xml".to_string(),
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#).into_bytes(),
    ));
    zip_parts(&parts, false)
}

/// A tiny deterministic PRNG (xorshift64*), so the mutation test needs no crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Peak resident memory of this process since the last `reset_peak_rss`, in KiB (Linux).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

pub fn current_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the kernel's peak-RSS counter (`echo 5 > /proc/self/clear_refs`).
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
