//! Inspects an upload before calamine sees it, and hands calamine a rebuilt package it cannot
//! be hurt by. calamine aborts the whole process on some hostile files (it pre-allocates
//! `uniqueCount` strings; `catch_unwind` cannot stop an allocation failure), so nothing
//! reaches it that this module has not measured and, where needed, rewritten:
//!
//! * the bytes must be a zip (CSV, HTML, PDF, old `.xls` and encrypted workbooks are named);
//! * at most `max_parts` entries, none encrypted, no duplicate names;
//! * every entry is really inflated through a bounded reader: per-part and total caps and a
//!   compression-ratio cap, whatever sizes the headers declare;
//! * every part calamine may read is tokenised the way quick-xml reads it: DOCTYPE/ENTITY
//!   refused, tags capped, cell references bounded to Excel's grid (calamine's parser
//!   overflows on others), `<si>` counted;
//! * the rebuilt package keeps only those parts (`_rels/.rels` and the XML under `xl/`),
//!   copied compressed as they are, except a shared-string table whose `uniqueCount` is
//!   larger than its real number of `<si>`: that `<sst>` tag is rewritten without attributes.
//!
//! Worksheet `<dimension ref>` is checked for sanity but otherwise ignored: the reader streams
//! cells and never allocates from it.

use std::io::{Cursor, Read, Write};

use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::limits::{chinese_count, megabytes, ReadLimits};
use super::xml_scan::{raw_attrs, split_tag, ScanError, Seg, XmlScanner};

/// What kind of non-zip file an upload looks like, for a message that says so plainly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Plain text: CSV or TXT exported by another system.
    Text,
    /// An HTML or XML page saved with an Excel extension (many systems export these).
    Markup,
    Pdf,
    /// RAR / 7z / gzip archives.
    Archive,
    Unknown,
}

/// What a zip that is not an Excel workbook turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherPackage {
    Word,
    PowerPoint,
    /// OpenDocument spreadsheet (.ods, WPS/LibreOffice).
    Ods,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    Unknown,
}

/// Why an upload was refused before any cell was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardError {
    Empty,
    TooLarge {
        size: usize,
        limit: usize,
    },
    NotXlsx {
        sniffed: Sniffed,
    },
    /// An OLE compound file without an encrypted package: Excel 97-2003 `.xls`.
    OldXls,
    /// A workbook with an opening password (OLE `EncryptedPackage`, or encrypted zip entries).
    Encrypted,
    /// Truncated or damaged zip, unsupported compression, damaged XML. `detail` is for logs.
    Corrupt {
        detail: String,
    },
    TooManyParts {
        count: usize,
        limit: usize,
    },
    PartTooLarge {
        part: String,
        limit: u64,
    },
    ContentTooLarge {
        limit: u64,
    },
    CompressionBomb {
        part: String,
    },
    NotAWorkbook {
        found: OtherPackage,
    },
    /// DOCTYPE / ENTITY declarations in an XML part.
    UnsafeXml {
        part: String,
    },
    /// An XML part in UTF-16 or another encoding Excel never writes.
    BadEncoding {
        part: String,
    },
    /// A cell reference outside Excel's grid (A1:XFD1048576) or a reversed range.
    CellOutOfRange {
        part: String,
        reference: String,
    },
    TooManySharedStrings {
        count: usize,
        limit: usize,
    },
}

const SAVE_AS: &str =
    "请在Excel或WPS中打开该文件，点击「文件→另存为」，保存类型选择「Excel 工作簿（*.xlsx）」，保存后上传新文件。";

impl GuardError {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            GuardError::Empty => "file_empty",
            GuardError::TooLarge { .. } => "file_too_large",
            GuardError::NotXlsx { .. } => "not_xlsx",
            GuardError::OldXls => "old_xls",
            GuardError::Encrypted => "encrypted",
            GuardError::Corrupt { .. } => "file_corrupt",
            GuardError::TooManyParts { .. } => "too_many_parts",
            GuardError::PartTooLarge { .. } => "part_too_large",
            GuardError::ContentTooLarge { .. } => "content_too_large",
            GuardError::CompressionBomb { .. } => "compression_bomb",
            GuardError::NotAWorkbook { .. } => "not_a_workbook",
            GuardError::UnsafeXml { .. } => "xml_entities_refused",
            GuardError::BadEncoding { .. } => "xml_encoding",
            GuardError::CellOutOfRange { .. } => "cell_out_of_range",
            GuardError::TooManySharedStrings { .. } => "too_many_strings",
        }
    }

    /// What is wrong, for the clerk, in Chinese.
    pub fn message(&self) -> String {
        match self {
            GuardError::Empty => "上传的文件是空的（0字节），请重新选择填好的会员信息采集表。".into(),
            GuardError::TooLarge { limit, .. } => format!(
                "文件超过{}，无法导入。请删除与会员信息无关的工作表和图片后重新保存，或分批导入。",
                megabytes(*limit as u64)
            ),
            GuardError::NotXlsx { sniffed } => {
                let what = match sniffed {
                    Sniffed::Text => "这是CSV或文本文件，只是把扩展名改成了.xlsx。",
                    Sniffed::Markup => "这是网页（HTML/XML）格式的导出文件，只是扩展名为.xls或.xlsx。",
                    Sniffed::Pdf => "这是PDF文件。",
                    Sniffed::Archive => "这是压缩包（RAR/7z/gz），请先解压。",
                    Sniffed::Unknown => "文件内容不是Excel工作簿。",
                };
                format!(
                    "上传的文件不是Excel工作簿（.xlsx）格式：{what}CSV文件或旧版.xls文件直接改扩展名为.xlsx是不能导入的。{SAVE_AS}"
                )
            }
            GuardError::OldXls => format!(
                "这是旧版Excel 97-2003（.xls）格式的文件，系统只接受.xlsx格式（直接改扩展名无效）。{SAVE_AS}"
            ),
            GuardError::Encrypted => "文件设置了打开密码（已加密），系统无法读取。请在Excel或WPS中打开文件，取消文档加密密码（文件→信息→保护工作簿→用密码进行加密，清空密码），保存后再上传。".into(),
            GuardError::Corrupt { .. } => format!(
                "文件已损坏或不完整（可能是下载、拷贝或上传时中断），无法打开。请确认文件在Excel或WPS中能正常打开，{}",
                SAVE_AS.trim_start_matches("请在Excel或WPS中打开该文件，")
            ),
            GuardError::TooManyParts { count, limit } => format!(
                "文件内部结构过于复杂（包含{count}个部件，上限为{limit}个），系统拒绝处理。请把会员信息复制到新下载的模板中再上传。"
            ),
            GuardError::PartTooLarge { limit, .. } | GuardError::ContentTooLarge { limit } => format!(
                "文件解压后的内容超过{}，超出系统处理上限。请删除无关的工作表、图片和格式，或分批导入。",
                megabytes(*limit)
            ),
            GuardError::CompressionBomb { .. } => "文件的压缩比异常（疑似恶意构造的“压缩炸弹”），系统拒绝处理。请使用从系统下载的模板重新填写后上传。".into(),
            GuardError::NotAWorkbook { found } => {
                let what = match found {
                    OtherPackage::Word => "这是Word文档，不是Excel工作簿。",
                    OtherPackage::PowerPoint => "这是PowerPoint演示文稿，不是Excel工作簿。",
                    OtherPackage::Ods => "这是OpenDocument表格（.ods）文件。",
                    OtherPackage::Xlsb => "这是Excel二进制工作簿（.xlsb）文件。",
                    OtherPackage::Unknown => "文件中缺少工作簿内容（xl/workbook.xml），不是有效的Excel工作簿。",
                };
                format!("{what}{SAVE_AS}")
            }
            GuardError::UnsafeXml { .. } => format!(
                "文件内部包含不允许的XML声明（DOCTYPE/ENTITY 实体定义），出于安全原因系统拒绝处理。{SAVE_AS}"
            ),
            GuardError::BadEncoding { .. } => format!(
                "文件内部使用了Excel不会生成的文字编码，无法读取。{SAVE_AS}"
            ),
            GuardError::CellOutOfRange { reference, .. } => format!(
                "文件中有超出Excel表格范围的单元格位置（{}），文件已损坏或不是由Excel/WPS生成。{SAVE_AS}",
                truncate_chars(reference, 20)
            ),
            GuardError::TooManySharedStrings { limit, .. } => format!(
                "文件中的文字内容条目超过{}条，超出系统处理上限，请分批导入。",
                chinese_count(*limit)
            ),
        }
    }

    /// The remedy, for the hint of a file-level issue.
    pub fn hint(&self) -> &'static str {
        match self {
            GuardError::Empty => "重新选择文件后上传。",
            GuardError::TooLarge { .. }
            | GuardError::PartTooLarge { .. }
            | GuardError::ContentTooLarge { .. }
            | GuardError::TooManySharedStrings { .. } => "删除无关的工作表、图片和格式，或把会员分成几个文件分批导入。",
            GuardError::Encrypted => "取消文件的打开密码后重新保存，再上传。",
            GuardError::TooManyParts { .. } | GuardError::CompressionBomb { .. } => {
                "依次点击“会员管理”-“会员信息”-“下载会员模板”，把会员信息复制到新模板中再上传。"
            }
            _ => "在Excel或WPS中打开文件，另存为「Excel 工作簿（*.xlsx）」后重新上传。",
        }
    }
}

impl std::fmt::Display for GuardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for GuardError {}

/// The package calamine may open, and what the guard saw.
#[derive(Debug)]
pub struct Sanitised {
    /// A rebuilt zip: the original's `xl/` XML parts only, `<sst>` rewritten where it lied.
    pub bytes: Vec<u8>,
    pub report: GuardReport,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardReport {
    /// Entries in the uploaded zip.
    pub parts: usize,
    /// Sum of their real inflated sizes.
    pub inflated_bytes: u64,
    /// `<si>` entries in the shared-string table.
    pub shared_strings: usize,
    /// Parts rewritten for calamine (a lying `uniqueCount`).
    pub rewritten: Vec<String>,
    /// Parts left out of the rebuilt package (images, VML, docProps, printer settings, macros…).
    pub dropped: usize,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const CHUNK: usize = 64 * 1024;

/// Checks an upload and returns the package calamine may read.
pub fn inspect(bytes: &[u8], limits: &ReadLimits) -> Result<Sanitised, GuardError> {
    if bytes.is_empty() {
        return Err(GuardError::Empty);
    }
    if bytes.len() > limits.max_upload_bytes {
        return Err(GuardError::TooLarge { size: bytes.len(), limit: limits.max_upload_bytes });
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(if contains_utf16le(bytes, "EncryptedPackage") {
            GuardError::Encrypted
        } else {
            GuardError::OldXls
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(GuardError::NotXlsx { sniffed: sniff(bytes) });
    }

    // The end record says how many entries there are: refuse before the zip reader builds an
    // index of (up to) hundreds of thousands of them.
    if let Some(count) = declared_entry_count(bytes) {
        if count > limits.max_parts as u64 {
            let count = usize::try_from(count).unwrap_or(usize::MAX);
            return Err(GuardError::TooManyParts { count, limit: limits.max_parts });
        }
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let parts = archive.len();
    if parts > limits.max_parts {
        return Err(GuardError::TooManyParts { count: parts, limit: limits.max_parts });
    }
    if archive.has_duplicate_names() {
        return Err(GuardError::Corrupt { detail: "duplicate entry names".into() });
    }

    // Names and headers first: cheap refusals before inflating anything.
    let mut entries = Vec::with_capacity(parts);
    let mut has_workbook = false;
    let mut found = OtherPackage::Unknown;
    let mut declared_total: u64 = 0;
    for i in 0..parts {
        let e = archive.by_index_data(i).map_err(corrupt)?;
        let name = e.name().map_err(corrupt)?.into_owned();
        let norm = name.replace('\\', "/").to_ascii_lowercase();
        if e.encrypted() {
            return Err(GuardError::Encrypted);
        }
        match norm.trim_start_matches('/') {
            "xl/workbook.xml" => has_workbook = true,
            "word/document.xml" => found = OtherPackage::Word,
            "ppt/presentation.xml" => found = OtherPackage::PowerPoint,
            "xl/workbook.bin" => found = OtherPackage::Xlsb,
            "mimetype" | "content.xml" if found == OtherPackage::Unknown => found = OtherPackage::Ods,
            _ => {}
        }
        // Declared sizes are never trusted to be small, but an honest bomb says what it is.
        if e.size() > limits.max_part_inflated {
            return Err(GuardError::PartTooLarge { part: name, limit: limits.max_part_inflated });
        }
        declared_total = declared_total.saturating_add(e.size());
        let is_dir = e.is_dir();
        let kept = !is_dir && is_kept_part(norm.trim_start_matches('/'));
        entries.push(Entry { name, compressed: e.compressed_size(), is_dir, kept });
    }
    if !has_workbook {
        return Err(GuardError::NotAWorkbook { found });
    }
    if declared_total > limits.max_total_inflated {
        return Err(GuardError::ContentTooLarge { limit: limits.max_total_inflated });
    }

    // Pass 1: inflate everything for real, scan the parts calamine may read. A part that is
    // left out anyway (an image with an odd compression method, a damaged thumbnail) may fail
    // to inflate without failing the upload: Excel repairs such files too.
    let mut report = GuardReport { parts, ..GuardReport::default() };
    let mut rewrite = vec![false; parts];
    let mut buf = vec![0u8; CHUNK];
    for (i, entry) in entries.iter().enumerate() {
        if entry.is_dir {
            continue;
        }
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(_) if !entry.kept => continue,
            Err(e) => return Err(corrupt(e)),
        };
        let mut scan = entry.kept.then(|| PartScan::new(limits));
        let mut inflated: u64 = 0;
        let mut first = true;
        loop {
            let n = match read_some(&mut file, &mut buf) {
                Ok(n) => n,
                Err(_) if !entry.kept => break,
                Err(e) => return Err(e),
            };
            if n == 0 {
                break;
            }
            inflated += n as u64;
            report.inflated_bytes += n as u64;
            check_sizes(entry, inflated, report.inflated_bytes, limits)?;
            if let Some(scan) = scan.as_mut() {
                if first && looks_utf16(&buf[..n]) {
                    return Err(GuardError::BadEncoding { part: entry.name.clone() });
                }
                scan.feed(&buf[..n]).map_err(|e| e.into_guard(&entry.name))?;
            }
            first = false;
        }
        if let Some(scan) = scan {
            let stats = scan.finish().map_err(|e| e.into_guard(&entry.name))?;
            if stats.si > limits.max_shared_strings {
                return Err(GuardError::TooManySharedStrings { count: stats.si, limit: limits.max_shared_strings });
            }
            if stats.has_sst {
                report.shared_strings = report.shared_strings.max(stats.si);
            }
            rewrite[i] = stats.unique_count_lies();
        }
    }

    // Pass 2: rebuild with the kept parts only.
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    for (i, entry) in entries.iter().enumerate() {
        if !entry.kept {
            report.dropped += usize::from(!entry.is_dir);
            continue;
        }
        if rewrite[i] {
            let options =
                SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(1));
            out.start_file(entry.name.as_str(), options).map_err(corrupt)?;
            let mut file = archive.by_index(i).map_err(corrupt)?;
            let mut scanner = XmlScanner::new(limits.max_xml_tag_bytes);
            let mut io_err = None;
            loop {
                let n = read_some(&mut file, &mut buf)?;
                if n == 0 {
                    break;
                }
                scanner
                    .feed(&buf[..n], &mut |seg| {
                        let r = match seg {
                            Seg::Raw(b) => out.write_all(b),
                            Seg::StartTag(t) => write_tag_without_unique_count(&mut out, t),
                        };
                        r.map_err(|e| {
                            io_err = Some(e);
                            ScanError::Malformed
                        })
                    })
                    .map_err(|e| match io_err.take() {
                        Some(io) => GuardError::Corrupt { detail: io.to_string() },
                        None => ScanFault::Scan(e).into_guard(&entry.name),
                    })?;
            }
            report.rewritten.push(entry.name.clone());
        } else {
            let file = archive.by_index_raw(i).map_err(corrupt)?;
            out.raw_copy_file(file).map_err(corrupt)?;
        }
    }
    let bytes = out.finish().map_err(corrupt)?.into_inner();
    Ok(Sanitised { bytes, report })
}

/// The parts calamine may read: the package relationships and content types, and the XML
/// parts under `xl/`. Everything else (docProps, customXml, media, VML, macros) is measured,
/// then left out, so it is never parsed by anyone.
fn is_kept_part(norm: &str) -> bool {
    norm == "_rels/.rels"
        || norm == "[content_types].xml"
        || (norm.starts_with("xl/") && (norm.ends_with(".xml") || norm.ends_with(".rels")))
}

struct Entry {
    name: String,
    compressed: u64,
    is_dir: bool,
    /// Read by calamine: scanned, and copied into the rebuilt package.
    kept: bool,
}

/// The entry count of the last end-of-central-directory record (zip64 aware), if found.
fn declared_entry_count(bytes: &[u8]) -> Option<u64> {
    const EOCD: [u8; 4] = [0x50, 0x4B, 0x05, 0x06];
    const LOCATOR: [u8; 4] = [0x50, 0x4B, 0x06, 0x07];
    const EOCD64: [u8; 4] = [0x50, 0x4B, 0x06, 0x06];
    let le16 = |b: &[u8], at: usize| b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let le64 = |b: &[u8], at: usize| b.get(at..at + 8).map(|s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])));
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let at = tail_start + bytes[tail_start..].windows(4).rposition(|w| w == EOCD)?;
    let count = le16(bytes, at + 10)?;
    if count != 0xFFFF {
        return Some(u64::from(count));
    }
    let loc = at.checked_sub(20)?;
    if bytes.get(loc..loc + 4)? != LOCATOR {
        return Some(u64::from(count));
    }
    let eocd64 = usize::try_from(le64(bytes, loc + 8)?).ok()?;
    if bytes.get(eocd64..eocd64 + 4)? != EOCD64 {
        return None;
    }
    le64(bytes, eocd64 + 32)
}

fn check_sizes(entry: &Entry, part: u64, total: u64, limits: &ReadLimits) -> Result<(), GuardError> {
    if part > limits.max_part_inflated {
        return Err(GuardError::PartTooLarge { part: entry.name.clone(), limit: limits.max_part_inflated });
    }
    if total > limits.max_total_inflated {
        return Err(GuardError::ContentTooLarge { limit: limits.max_total_inflated });
    }
    if part > limits.ratio_floor && part > entry.compressed.max(1).saturating_mul(limits.max_compression_ratio) {
        return Err(GuardError::CompressionBomb { part: entry.name.clone() });
    }
    Ok(())
}

fn read_some(r: &mut impl Read, buf: &mut [u8]) -> Result<usize, GuardError> {
    loop {
        match r.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(GuardError::Corrupt { detail: e.to_string() }),
        }
    }
}

fn corrupt(e: ZipError) -> GuardError {
    match e {
        ZipError::UnsupportedArchive(msg) if msg == ZipError::PASSWORD_REQUIRED => GuardError::Encrypted,
        ZipError::InvalidPassword => GuardError::Encrypted,
        other => GuardError::Corrupt { detail: other.to_string() },
    }
}

/// Writes a start tag, dropping every attribute of an `<sst>` tag (calamine only reads
/// `uniqueCount` there, to pre-allocate; namespaces are not resolved by calamine).
fn write_tag_without_unique_count(out: &mut impl Write, tag: &[u8]) -> std::io::Result<()> {
    let parts = split_tag(tag);
    if parts.local == b"sst" {
        out.write_all(b"<")?;
        out.write_all(parts.qname)?;
        out.write_all(if parts.self_closing { b"/>" } else { b">" })
    } else {
        out.write_all(tag)
    }
}

/// Per-part findings of pass 1.
struct PartScan {
    scanner: XmlScanner,
    stats: PartStats,
    error: Option<ScanFault>,
}

#[derive(Default)]
struct PartStats {
    si: usize,
    has_sst: bool,
    /// The largest `uniqueCount` declared on any `<sst>`; `None` = absent.
    declared: Option<u64>,
    /// A `uniqueCount` that is not plain digits, or an `sst` tag we could not fully account for.
    suspicious: bool,
}

impl PartStats {
    fn unique_count_lies(&self) -> bool {
        self.suspicious || self.declared.is_some_and(|d| d > self.si as u64)
    }
}

enum ScanFault {
    Scan(ScanError),
    OutOfRange(String),
}

impl ScanFault {
    fn into_guard(self, part: &str) -> GuardError {
        let part = part.to_string();
        match self {
            ScanFault::Scan(ScanError::Dtd) => GuardError::UnsafeXml { part },
            ScanFault::Scan(e) => GuardError::Corrupt { detail: format!("{part}: {e:?}") },
            ScanFault::OutOfRange(reference) => GuardError::CellOutOfRange { part, reference },
        }
    }
}

impl From<ScanError> for ScanFault {
    fn from(e: ScanError) -> Self {
        ScanFault::Scan(e)
    }
}

impl PartScan {
    fn new(limits: &ReadLimits) -> Self {
        PartScan { scanner: XmlScanner::new(limits.max_xml_tag_bytes), stats: PartStats::default(), error: None }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), ScanFault> {
        let stats = &mut self.stats;
        let error = &mut self.error;
        let r = self.scanner.feed(chunk, &mut |seg| {
            if let Seg::StartTag(tag) = seg {
                if let Err(bad) = inspect_tag(tag, stats) {
                    *error = Some(ScanFault::OutOfRange(bad));
                    return Err(ScanError::Malformed);
                }
            }
            Ok(())
        });
        match (r, self.error.take()) {
            (_, Some(fault)) => Err(fault),
            (Err(e), None) => Err(e.into()),
            (Ok(()), None) => Ok(()),
        }
    }

    fn finish(self) -> Result<PartStats, ScanFault> {
        self.scanner.finish()?;
        Ok(self.stats)
    }
}

/// Looks at one start tag: counts `<si>`, records `<sst uniqueCount>`, bounds cell references.
/// Returns the offending reference text when one is out of Excel's grid.
fn inspect_tag(tag: &[u8], stats: &mut PartStats) -> Result<(), String> {
    let parts = split_tag(tag);
    match parts.local {
        b"si" => stats.si += 1,
        b"sst" => {
            stats.has_sst = true;
            let mentions = count_occurrences(parts.attrs, b"uniqueCount");
            let mut seen = 0;
            for (k, v) in raw_attrs(parts.attrs) {
                if k == b"uniqueCount" {
                    seen += 1;
                    match parse_digits(v) {
                        Some(n) => stats.declared = Some(stats.declared.map_or(n, |d| d.max(n))),
                        None => stats.suspicious = true,
                    }
                }
            }
            if seen != mentions {
                stats.suspicious = true;
            }
        }
        b"c" | b"row" => check_refs(parts.attrs, b"r", false)?,
        b"dimension" | b"f" => check_refs(parts.attrs, b"ref", true)?,
        _ => {}
    }
    Ok(())
}

fn check_refs(attrs: &[u8], key: &[u8], range: bool) -> Result<(), String> {
    for (k, v) in raw_attrs(attrs) {
        if k != key {
            continue;
        }
        let bad = || String::from_utf8_lossy(&v[..v.len().min(40)]).into_owned();
        if range {
            let mut ends = v.split(|&b| b == b':');
            let first = ends.next().map(parse_a1).ok_or_else(bad)?.ok_or_else(bad)?;
            if let Some(second) = ends.next() {
                let second = parse_a1(second).ok_or_else(bad)?;
                if ends.next().is_some() || second.0 < first.0 || second.1 < first.1 {
                    return Err(bad());
                }
            }
        } else {
            parse_a1(v).ok_or_else(bad)?;
        }
    }
    Ok(())
}

/// `A1`-style reference (letters optional, row required) inside Excel's grid:
/// returns (row, col) with col 0 when absent.
pub(crate) fn parse_a1(v: &[u8]) -> Option<(u32, u32)> {
    let mut col: u32 = 0;
    let mut i = 0;
    while i < v.len() && v[i].is_ascii_alphabetic() {
        if i == 3 {
            return None;
        }
        col = col * 26 + u32::from(v[i].to_ascii_uppercase() - b'A') + 1;
        i += 1;
    }
    let digits = &v[i..];
    if digits.is_empty() || digits.len() > 7 {
        return None;
    }
    let mut row: u32 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        row = row * 10 + u32::from(d - b'0');
    }
    (col <= 16_384 && (1..=1_048_576).contains(&row)).then_some((row, col))
}

fn parse_digits(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 19 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

fn count_occurrences(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn looks_utf16(first: &[u8]) -> bool {
    first.starts_with(&[0xFF, 0xFE]) || first.starts_with(&[0xFE, 0xFF]) || first.iter().take(64).any(|&b| b == 0)
}

fn contains_utf16le(hay: &[u8], needle: &str) -> bool {
    let pat: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    hay.windows(pat.len()).any(|w| w == pat.as_slice())
}

fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(b"%PDF") {
        return Sniffed::Pdf;
    }
    if head.starts_with(b"Rar!") || head.starts_with(&[0x37, 0x7A, 0xBC, 0xAF]) || head.starts_with(&[0x1F, 0x8B]) {
        return Sniffed::Archive;
    }
    let text = head.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(head);
    let trimmed = text.trim_ascii_start();
    if trimmed.first() == Some(&b'<') {
        return Sniffed::Markup;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Sniffed::Text;
    }
    let controls = text.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')).count();
    if !text.is_empty() && controls == 0 {
        Sniffed::Text
    } else {
        Sniffed::Unknown
    }
}

fn truncate_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
