//! Looking at an input file before any parser does. A workbook is a zip
//! (xlsx, xlsb, ods) or an OLE compound file (xls, and every
//! password-protected Office file); anything else is refused with a message
//! saying what it looks like. A zip's parts are measured before calamine
//! inflates them: the sizes its directory declares, their compression
//! ratios, and then the sizes they really inflate to (a directory can lie),
//! each inflated into nothing and stopped at the declared size. So a zip bomb
//! costs a bounded amount of time and no memory.

use crate::config::Limits;
use std::io::{Cursor, Read, Seek, SeekFrom};

/// A workbook's parts together may unpack to this many times the part limit.
const TOTAL_PARTS: u64 = 16;

/// What a file is, judged by its first bytes and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xlsb,
    Ods,
    /// An OLE compound file that is not encrypted: an .xls workbook.
    Xls,
}

/// Why a file is refused: a message and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: crate::lang::Text,
    pub help: crate::lang::Text,
}

fn refuse(message: impl Into<crate::lang::Text>, help: impl Into<crate::lang::Text>) -> Refusal {
    Refusal {
        message: message.into(),
        help: help.into(),
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// More parts than any workbook has.
const MAX_PARTS: usize = 10_000;
/// Parts smaller than this are not judged by their compression ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

fn resave() -> crate::lang::Text {
    crate::lang::Text::new(
        "用 Excel 或 WPS 打开，再另存为 .xlsx（文件 → 另存为 → Excel 工作簿）",
        "open it in Excel or WPS and save it again as .xlsx (文件 → 另存为 → Excel 工作簿)",
    )
}

/// Decide what `bytes` are, and measure a zip's parts against `limits`.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Kind, Refusal> {
    inspect_from(Cursor::new(bytes), limits)
}

/// [`inspect`] a file as it is read (from its start), so that it is never
/// held whole: only its first bytes, and a zip's parts a block at a time.
pub fn inspect_from<R: Read + Seek>(mut file: R, limits: &Limits) -> Result<Kind, Refusal> {
    let mut first = Vec::with_capacity(4096);
    (&mut file)
        .take(4096)
        .read_to_end(&mut first)
        .map_err(damaged)?;
    file.seek(SeekFrom::Start(0)).map_err(damaged)?;
    if first.starts_with(ZIP_MAGIC) || first.starts_with(EMPTY_ZIP_MAGIC) {
        return inspect_zip(file, limits);
    }
    if first.starts_with(CFB_MAGIC) {
        return inspect_cfb(file, limits);
    }
    let head = &first[..];
    if !head.contains(&0) {
        let text = String::from_utf8_lossy(head);
        let first = text.lines().next().unwrap_or("").trim();
        let shown: String = first.chars().take(40).collect();
        let (what_zh, what) = if first.contains(',') || first.contains('\t') || first.contains(';')
        {
            ("CSV 或制表符分隔的文本", "CSV or tab-separated text")
        } else {
            ("文本", "text")
        };
        return Err(refuse(
            crate::t!(
                "这是{what_zh}，不是工作簿（开头是 \"{shown}\"）；是把文本导出改成了工作簿的文件名？",
                "this is {what}, not a workbook (it begins \"{shown}\"); a text export renamed to a workbook name?"
            ),
            resave(),
        ));
    }
    Err(refuse(
        crate::lang::Text::new(
            "这不是工作簿：既不是 .xlsx、.xlsb、.ods 工作簿，也不是 .xls 文件",
            "this is not a workbook: it is neither a zip-based workbook (.xlsx, .xlsb, .ods) nor an .xls file",
        ),
        resave(),
    ))
}

/// An OLE compound file: an encrypted (password-protected) Office file
/// holds an `EncryptedPackage` stream; an .xls holds a `Workbook` (or, before
/// Excel 97, `Book`) stream of BIFF records. calamine reserves memory for the
/// cells each sheet's DIMENSIONS record declares, before reading any, so
/// those records are checked against the limits first.
fn inspect_cfb<R: Read + Seek>(file: R, limits: &Limits) -> Result<Kind, Refusal> {
    let mut cf = cfb::CompoundFile::open(file).map_err(damaged)?;
    if cf.exists("/EncryptedPackage") || cf.exists("/EncryptionInfo") {
        return Err(refuse(
            crate::lang::Text::new(
                "工作簿设了密码（已加密），无法读取",
                "the workbook is password-protected (encrypted), so it cannot be read",
            ),
            crate::lang::Text::new(
                "用 Excel 或 WPS 打开，去掉密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空它），再保存",
                "open it in Excel or WPS, remove the password (文件 → 信息 → 保护工作簿 → 用密码进行加密, clear it), and save it again",
            ),
        ));
    }
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))
        .ok_or_else(|| {
            refuse(
                crate::lang::Text::new(
                    "这是 Office 文件，但不是 Excel 工作簿（没有 Workbook 流）",
                    "this is an Office file, but not an Excel workbook (it has no Workbook stream)",
                ),
                resave(),
            )
        })?;
    let mut stream = cf.open_stream(name).map_err(damaged)?;
    let max = limits.max_unpacked_bytes();
    if stream.len() > max {
        return Err(refuse(
            crate::t!(
                "工作簿数据流有 {0}，超过上限 {1}",
                "the workbook stream is {0}, above the limit of {1}",
                mib(stream.len()),
                mib(max)
            ),
            resave(),
        ));
    }
    let mut biff = Vec::new();
    stream.read_to_end(&mut biff).map_err(damaged)?;
    check_biff(&biff, limits)?;
    Ok(Kind::Xls)
}

/// Walk the BIFF records; refuse a DIMENSIONS record that is backwards or
/// declares more cells than `max_cells` (counted as calamine counts them,
/// whose arithmetic wraps: rows 0 to 0xFFFFFFFF aborted the process, issue
/// 15), and a sheet whose cells lie so far apart that the range calamine
/// builds around them would exceed `max_cells`. Each sheet is walked from
/// where its BoundSheet record says it starts, as calamine walks it.
fn check_biff(biff: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let mut sheets = Vec::new();
    for (typ, data) in records(biff, 0) {
        match typ {
            0x0200 => check_dimensions(data, limits)?,
            0x0085 if data.len() >= 4 => sheets.push(u32_at(data, 0) as usize),
            _ => {}
        }
    }
    for start in sheets.into_iter().filter(|&p| p > 0 && p < biff.len()) {
        let mut span: Option<(u32, u32, u32, u32)> = None;
        let mut cell = |row: u32, c0: u32, c1: u32| {
            span = Some(match span {
                None => (row, row, c0, c1),
                Some((r0, r1, a, b)) => (r0.min(row), r1.max(row), a.min(c0), b.max(c1)),
            });
        };
        let mut depth = 0usize;
        let mut seen_bof = false;
        for (typ, data) in records(biff, start) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => check_dimensions(data, limits)?,
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if data.len() >= 4 => {
                    let col = u16_at(data, 2);
                    cell(u16_at(data, 0), col, col);
                }
                0x00BD if data.len() >= 6 => {
                    let first = u16_at(data, 2);
                    cell(
                        u16_at(data, 0),
                        first,
                        u16_at(data, data.len() - 2).max(first),
                    );
                }
                _ => {}
            }
        }
        if let Some((r0, r1, c0, c1)) = span {
            let cells = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            if cells > limits.max_cells {
                return Err(refuse(
                    crate::t!(
                        "某个工作表的数据跨 {0} 行、{1} 列，共 {2} 个单元格，超过上限 {3}",
                        "a sheet's values lie {0} rows and {1} columns apart, a range of {2} cells, above the limit of {3}",
                        r1 - r0 + 1,
                        c1 - c0 + 1,
                        cells,
                        limits.max_cells
                    ),
                    crate::lang::Text::new(
                        "删除表格以外很远处的内容（按 Ctrl+End 可看到最后一个用过的单元格），再另存为 .xlsx；或调高 [limits] max_cells",
                        "delete what lies far outside the table (Ctrl+End shows the last used cell) and save it as .xlsx, or raise [limits] max_cells",
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn u16_at(b: &[u8], i: usize) -> u32 {
    u32::from(u16::from_le_bytes([b[i], b[i + 1]]))
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// The BIFF records from `start` on: (type, data), a record cut short at
/// the end of the stream with the bytes there are.
fn records(biff: &[u8], start: usize) -> impl Iterator<Item = (u32, &[u8])> {
    let mut i = start;
    std::iter::from_fn(move || {
        if i + 4 > biff.len() {
            return None;
        }
        let typ = u16_at(biff, i);
        let len = u16_at(biff, i + 2) as usize;
        let data = &biff[i + 4..(i + 4 + len).min(biff.len())];
        i += 4 + len;
        Some((typ, data))
    })
}

/// A DIMENSIONS record (rows first..last+1, columns first..last+1): refused
/// if backwards, or if it declares, or calamine would reserve room for,
/// more cells than `max_cells`.
fn check_dimensions(data: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let (r0, r1, c0, c1) = match data.len() {
        10 => (
            u16_at(data, 0),
            u16_at(data, 2),
            u16_at(data, 4),
            u16_at(data, 6),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u16_at(data, 8),
            u16_at(data, 10),
        ),
        _ => return Ok(()),
    };
    if r1 < r0 || c1 < c0 {
        return Err(refuse(
            crate::lang::Text::new(
                "工作簿已损坏（某个工作表的范围终点在起点之前）",
                "the workbook is damaged (a sheet's dimensions end before they start)",
            ),
            resave(),
        ));
    }
    let declared = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
    // What calamine reserves, with its arithmetic (wrapping in a release
    // build): the last row and column are one before those declared, and
    // a first column above 255 is taken as 0.
    let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
    let (end_r, end_c) = if r1 >= 1 && c1 >= 1 {
        (r1 - 1, c1 - 1)
    } else {
        (r0, c0)
    };
    let rows = end_r.wrapping_sub(r0).wrapping_add(1) as u64;
    let cols = end_c.wrapping_sub(c0).wrapping_add(1) as u64;
    let reserved = rows.saturating_mul(cols);
    let cells = declared.max(reserved);
    if cells > limits.max_cells {
        return Err(refuse(
            crate::t!(
                "某个工作表声明有 {0} 个单元格，超过上限 {1}",
                "a sheet declares {0} cells, above the limit of {1}",
                cells,
                limits.max_cells
            ),
            crate::lang::Text::new(
                "用 Excel 或 WPS 另存为 .xlsx；如果数据确实这么多，调高 [limits] max_cells",
                "save it from Excel or WPS as .xlsx, or raise [limits] max_cells if it is genuine",
            ),
        ));
    }
    Ok(())
}

/// `uniqueCount` of a shared-string table, from the start of its XML.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = text.find("<sst")?;
    let tag_end = text[sst..].find('>').map_or(text.len(), |e| sst + e);
    let tag = &text[sst..tag_end];
    let at = tag.find("uniqueCount=")? + "uniqueCount=".len();
    let digits: String = tag[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // A count too long for u64 is certainly absurd.
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// An ODS `content.xml`, measured as calamine will hold it: it reads every
/// sheet whole when it opens the file, repeating each row and cell as many
/// times as `table:number-rows-repeated` / `number-columns-repeated` say
/// (a 1 KB file can ask for 100 million cells). Refused when the cells held
/// in rows (up to each row's last value) or the span of a sheet's values
/// exceed `max_cells`. A cell with content, a type or a formula counts as
/// a value; LibreOffice writes blank cells as empty elements.
pub fn ods_cells<R: std::io::BufRead>(content: R, limits: &Limits) -> Result<(), Refusal> {
    use quick_xml::events::Event;
    const ROWS: u64 = 1_048_576;
    const COLUMNS: u64 = 16_384;
    let too_many = |n: u64| {
        refuse(
            crate::t!(
                "某个工作表重复行和单元格，达到 {0} 个单元格以上，超过上限 {1}",
                "a sheet repeats its rows and cells to {0} cells or more, above the limit of {1}",
                n,
                limits.max_cells
            ),
            crate::lang::Text::new(
                "用 Excel、WPS 或 LibreOffice 打开，再另存为 .xlsx；如果数据确实这么多，调高 [limits] max_cells",
                "open it in Excel, WPS or LibreOffice and save it again as .xlsx, or raise [limits] max_cells if it is genuine",
            ),
        )
    };
    let has = |e: &quick_xml::events::BytesStart, key: &str| {
        e.try_get_attribute(key).ok().flatten().is_some()
    };
    let count = |e: &quick_xml::events::BytesStart, key: &str| -> u64 {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    // Cells held in all rows; this sheet's next row; its values' span.
    let (mut held, mut row) = (0u64, 0u64);
    let mut span: Option<(u64, u64, u64, u64)> = None;
    // The open row: repeats, next column, first and end column of values.
    let (mut repeats, mut col, mut first, mut end) = (1u64, 0u64, u64::MAX, 0u64);
    let mut in_row = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(damaged)?;
        let (e, open) = match &event {
            Event::Start(e) => (Some(e), true),
            Event::Empty(e) => (Some(e), false),
            _ => (None, false),
        };
        let row_end = match &event {
            Event::End(e) => e.name().as_ref() == "table:table-row",
            Event::Empty(e) => e.name().as_ref() == "table:table-row",
            Event::Eof => break,
            _ => false,
        };
        if let Some(e) = e {
            match e.name().as_ref() {
                "table:table" if open && !in_row => (row, span) = (0, None),
                "table:table-row" => {
                    in_row = open;
                    repeats = count(e, "table:number-rows-repeated").min(ROWS - row.min(ROWS));
                    (col, first, end) = (0, u64::MAX, 0);
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n =
                        count(e, "table:number-columns-repeated").min(COLUMNS - col.min(COLUMNS));
                    let value = open || has(e, "office:value-type") || has(e, "table:formula");
                    if value && n > 0 {
                        first = first.min(col);
                        end = col + n;
                    }
                    col += n;
                }
                _ => {}
            }
        }
        if row_end {
            if end > 0 {
                held = held.saturating_add(end);
                let (r0, r1) = (row, row + repeats.max(1) - 1);
                let s = span.get_or_insert((r0, r1, first, end));
                *s = (s.0.min(r0), s.1.max(r1), s.2.min(first), s.3.max(end));
                let cells = (s.1 - s.0 + 1).saturating_mul(s.3 - s.2);
                if cells > limits.max_cells {
                    return Err(too_many(cells));
                }
            }
            if held > limits.max_cells {
                return Err(too_many(held));
            }
            row = row.saturating_add(repeats);
            (repeats, col, first, end, in_row) = (1, 0, u64::MAX, 0, false);
        }
        buf.clear();
    }
    Ok(())
}

fn damaged(e: impl std::fmt::Display) -> Refusal {
    refuse(
        crate::t!(
            "工作簿已损坏或不完整（{e}）",
            "the workbook is damaged or incomplete ({e})"
        ),
        crate::lang::Text::new(
            "重新导出或下载；复制或邮件传输中被截断的文件无法读取",
            "export or download it again; a file cut short in a copy or an e-mail cannot be read",
        ),
    )
}

fn mib(bytes: u64) -> String {
    let m = bytes as f64 / (1024.0 * 1024.0);
    if m >= 10.0 {
        format!("{m:.0} MiB")
    } else {
        format!("{m:.1} MiB")
    }
}

fn bomb_help() -> crate::lang::Text {
    crate::lang::Text::new(
        "这不像是真实工作簿导出的文件（可能是“压缩炸弹”）；请重新导出；如果数据确实这么多，调高 [limits] max_unpacked_mib / max_ratio",
        "this is not an export of a real workbook (a zip bomb?); export it again, or raise [limits] max_unpacked_mib / max_ratio if it is genuine",
    )
}

fn inspect_zip<R: Read + Seek>(file: R, limits: &Limits) -> Result<Kind, Refusal> {
    let mut zip = zip::ZipArchive::new(file).map_err(damaged)?;
    let names = check_declared_sizes(&mut zip, limits)?;
    // The directory's sizes can lie: inflate each part into nothing, and
    // stop one byte past the size it declares.
    for (i, name) in names.iter().enumerate() {
        check_part_inflates(&mut zip, i, name)?;
    }
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") {
        Ok(Kind::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Kind::Xlsb)
    } else if has("content.xml") && has("mimetype") {
        let content = zip.by_name("content.xml").map_err(damaged)?;
        ods_cells(std::io::BufReader::new(content), limits)?;
        Ok(Kind::Ods)
    } else {
        Err(refuse(
            crate::lang::Text::new(
                "这是 zip 压缩包，不是工作簿（里面没有 xl/workbook.xml）",
                "this is a zip archive, but not a workbook (it has no xl/workbook.xml)",
            ),
            crate::lang::Text::new(
                "先解压，或把数据导出为 .xlsx",
                "unpack it, or export the data as .xlsx",
            ),
        ))
    }
}

/// The zip directory: not too many parts, none encrypted, each part's declared
/// size and ratio within the limits, and the total too. Returns the part names.
fn check_declared_sizes<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    limits: &Limits,
) -> Result<Vec<String>, Refusal> {
    if zip.len() > MAX_PARTS {
        return Err(refuse(
            crate::t!(
                "工作簿里有 {0} 个部件，正常工作簿不会有这么多",
                "the workbook holds {0} parts, more than any workbook has",
                zip.len()
            ),
            resave(),
        ));
    }
    let max = limits.max_unpacked_bytes();
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(damaged)?;
        let name = entry.name().map_err(damaged)?.to_string();
        if entry.encrypted() {
            return Err(refuse(
                crate::t!("部件 `{name}` 已加密", "part `{name}` is encrypted"),
                crate::lang::Text::new(
                    "去掉密码，再保存工作簿",
                    "remove the password and save the workbook again",
                ),
            ));
        }
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > max {
            return Err(refuse(
                crate::t!(
                    "部件 `{0}` 解压后有 {1}，超过上限 {2}",
                    "part `{0}` unpacks to {1}, above the limit of {2}",
                    name,
                    mib(size),
                    mib(max)
                ),
                bomb_help(),
            ));
        }
        if size > RATIO_FLOOR && size / packed > limits.max_ratio {
            return Err(refuse(
                crate::t!(
                    "部件 `{0}` 解压后放大 {1} 倍（由 {3} 字节变成 {2}），超过上限 {4} 倍",
                    "part `{0}` unpacks {1}-fold ({2} from {3} bytes), above the limit of {4}-fold",
                    name,
                    size / packed,
                    mib(size),
                    packed,
                    limits.max_ratio
                ),
                bomb_help(),
            ));
        }
        total = total.saturating_add(size);
        // A table continued over many sheets (`<name>2`…) is genuinely
        // large in all; each part is still held to the limit.
        if total > max.saturating_mul(TOTAL_PARTS) {
            return Err(refuse(
                crate::t!(
                    "工作簿解压后总共超过 {0}",
                    "the workbook unpacks to more than {0} in all",
                    mib(max.saturating_mul(TOTAL_PARTS))
                ),
                bomb_help(),
            ));
        }
        names.push(name);
    }
    Ok(names)
}

/// Inflate part `i` into nothing, stopping one byte past the size it declares;
/// a shared-strings part may not claim more strings than its bytes can hold.
fn check_part_inflates<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    i: usize,
    name: &str,
) -> Result<(), Refusal> {
    let mut part = zip.by_index(i).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m) => refuse(
            crate::t!(
                "部件 `{name}` 无法读取：{m}",
                "part `{name}` cannot be read: {m}"
            ),
            resave(),
        ),
        e => damaged(e),
    })?;
    let declared = part.size();
    let mut counted = 0u64;
    let mut head: Vec<u8> = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        let want = (declared + 1 - counted).min(buf.len() as u64) as usize;
        if want == 0 {
            break;
        }
        let n = match part.read(&mut buf[..want]) {
            Ok(n) => n,
            // The zip reader itself stops a part at its declared size.
            Err(e)
                if counted >= declared || e.to_string().contains("declared uncompressed size") =>
            {
                counted = declared + 1;
                break;
            }
            Err(e) => return Err(damaged(e)),
        };
        if n == 0 {
            break;
        }
        if head.len() < 4096 {
            head.extend_from_slice(&buf[..n.min(4096 - head.len())]);
        }
        counted += n as u64;
    }
    if counted > declared {
        return Err(refuse(
            crate::t!(
                "部件 `{name}` 解压后超过它声明的 {declared} 字节",
                "part `{name}` unpacks to more than the {declared} bytes it declares"
            ),
            bomb_help(),
        ));
    }
    // calamine reserves room for `uniqueCount` strings before reading
    // one; each takes at least `<si><t/></si>` (13 bytes) of the part.
    if name.eq_ignore_ascii_case("xl/sharedStrings.xml")
        && let Some(n) = unique_count(&head)
        && n > counted / 8 + 16
    {
        return Err(refuse(
            crate::t!(
                "部件 `{name}` 声称有 {n} 个字符串，实际只有 {counted} 字节",
                "part `{name}` claims {n} strings but holds {counted} bytes"
            ),
            crate::lang::Text::new(
                "工作簿已损坏或被伪造；请重新导出",
                "the workbook is damaged or forged; export it again",
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            w.start_file(*name, opts).expect("start");
            w.write_all(data).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_inflated() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let bytes = zip_of(&[
            ("xl/workbook.xml", b"<w/>"),
            ("xl/worksheets/sheet1.xml", &zeros),
        ]);
        let e = inspect(&bytes, &Limits::default()).expect_err("refused");
        assert!(
            e.message
                .en
                .starts_with("part `xl/worksheets/sheet1.xml` unpacks "),
            "{}",
            e.message.en
        );
        assert!(
            e.message.en.contains("above the limit of 200-fold"),
            "{}",
            e.message.en
        );
    }

    #[test]
    fn a_part_larger_than_the_limit_is_refused() {
        let limits = Limits {
            max_unpacked_mib: 1,
            ..Limits::default()
        };
        let big: Vec<u8> = (0..2_000_000u64).map(|i| (i * 7919 % 251) as u8).collect();
        let bytes = zip_of(&[("xl/workbook.xml", b"<w/>"), ("xl/big.xml", &big)]);
        let e = inspect(&bytes, &limits).expect_err("refused");
        assert_eq!(
            e.message.en,
            "part `xl/big.xml` unpacks to 1.9 MiB, above the limit of 1.0 MiB"
        );
    }

    /// A table continued over many sheets is large in all: parts may add up
    /// to 16 times the part limit, not more.
    #[test]
    fn parts_add_up_to_sixteen_times_the_part_limit() {
        let limits = Limits {
            max_unpacked_mib: 1,
            ..Limits::default()
        };
        let part: Vec<u8> = (0..1_000_000u64).map(|i| (i * 7919 % 251) as u8).collect();
        let names: Vec<String> = (1..=17)
            .map(|i| format!("xl/worksheets/sheet{i}.xml"))
            .collect();
        let mut parts: Vec<(&str, &[u8])> = vec![("xl/workbook.xml", b"<w/>")];
        parts.extend(names.iter().take(16).map(|n| (n.as_str(), part.as_slice())));
        assert_eq!(inspect(&zip_of(&parts), &limits), Ok(Kind::Xlsx));
        parts.push((names[16].as_str(), part.as_slice()));
        let e = inspect(&zip_of(&parts), &limits).expect_err("refused");
        assert_eq!(
            e.message.en,
            "the workbook unpacks to more than 16 MiB in all"
        );
    }

    #[test]
    fn kinds_by_parts() {
        let l = Limits::default();
        assert_eq!(
            inspect(&zip_of(&[("xl/workbook.xml", b"<w/>")]), &l),
            Ok(Kind::Xlsx)
        );
        assert_eq!(
            inspect(&zip_of(&[("xl/workbook.bin", b"x")]), &l),
            Ok(Kind::Xlsb)
        );
        assert!(inspect(&zip_of(&[("word/document.xml", b"x")]), &l).is_err());
    }

    #[test]
    fn text_files_are_named() {
        let l = Limits::default();
        let e = inspect(b"id,name\n1,a\n", &l).expect_err("refused");
        assert!(
            e.message
                .en
                .starts_with("this is CSV or tab-separated text"),
            "{}",
            e.message.en
        );
    }

    /// A compound file with the given streams.
    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
        for (name, data) in streams {
            cf.create_stream(name)
                .expect("stream")
                .write_all(data)
                .expect("write");
        }
        cf.flush().expect("flush");
        cf.into_inner().into_inner()
    }

    #[test]
    fn compound_files_by_their_streams() {
        let l = Limits::default();
        let enc = compound(&[("EncryptionInfo", b"x"), ("EncryptedPackage", b"y")]);
        assert!(
            inspect(&enc, &l)
                .expect_err("refused")
                .message
                .en
                .contains("password-protected")
        );
        assert_eq!(inspect(&compound(&[("Workbook", b"")]), &l), Ok(Kind::Xls));
        let doc = compound(&[("WordDocument", b"x")]);
        assert!(
            inspect(&doc, &l)
                .expect_err("refused")
                .message
                .en
                .contains("not an Excel workbook")
        );
    }

    #[test]
    fn biff_dimensions_are_checked() {
        let l = Limits::default();
        let dims = |r0: u32, r1: u32, c0: u16, c1: u16| {
            let mut r = 0x0200u16.to_le_bytes().to_vec();
            r.extend(14u16.to_le_bytes());
            r.extend(r0.to_le_bytes());
            r.extend(r1.to_le_bytes());
            r.extend(c0.to_le_bytes());
            r.extend(c1.to_le_bytes());
            r.extend([0, 0]);
            r
        };
        assert!(check_biff(&dims(0, 100, 0, 10), &l).is_ok());
        let e = check_biff(&dims(0, 4_000_000_000, 0, 200), &l).expect_err("refused");
        assert_eq!(
            e.message.en,
            "a sheet declares 804000000201 cells, above the limit of 10000000"
        );
        assert!(check_biff(&dims(5, 1, 0, 1), &l).is_err());
        // issue 15: rows 0 to 0xFFFFFFFF wrapped to 0 cells here, and
        // calamine then reserved 4 billion rows.
        let e = check_biff(&dims(0, u32::MAX, 0, 4), &l).expect_err("refused");
        assert_eq!(
            e.message.en,
            "a sheet declares 21474836480 cells, above the limit of 10000000"
        );
        // A first column above 255 is column 0 to calamine: it reserves
        // more than the record declares.
        assert!(check_biff(&dims(0, 300, 30_000, 40_000), &l).is_err());
    }

    #[test]
    fn unique_counts_are_read() {
        assert_eq!(
            unique_count(br#"<?xml?><sst xmlns="x" count="3" uniqueCount="2">"#),
            Some(2)
        );
        assert_eq!(
            unique_count(br#"<sst uniqueCount="99999999999999999999999">"#),
            Some(u64::MAX)
        );
        assert_eq!(unique_count(br#"<sst count="2">"#), None);
    }

    /// An ODS sheet of `rows` (each `<table:table-row …>…</table:table-row>`).
    fn ods_sheet(rows: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="s">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
        .into_bytes()
    }

    // issue 15: a 638-byte ODS whose rows and cells repeat took 6 GB and 36 s
    // in calamine, which expands them when it opens the file.
    #[test]
    fn ods_repeats_are_counted_before_calamine_expands_them() {
        let l = Limits::default();
        let ods = |rows: &str| {
            zip_of(&[
                (
                    "mimetype",
                    b"application/vnd.oasis.opendocument.spreadsheet",
                ),
                ("content.xml", &ods_sheet(rows)),
            ])
        };
        let value = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        // As LibreOffice saves: blank cells and rows repeated to the sheet's end.
        let genuine = format!(
            r#"<table:table-row>{value}<table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
        );
        assert_eq!(inspect(&ods(&genuine), &l), Ok(Kind::Ods));
        let bomb = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
        let e = inspect(&ods(bomb), &l).expect_err("refused");
        assert_eq!(
            e.message.en,
            "a sheet repeats its rows and cells to 96000000 cells or more, above the limit of 10000000"
        );
        // Two far values span the rows and columns between them.
        let far = format!(
            r#"<table:table-row>{value}</table:table-row><table:table-row table:number-rows-repeated="100000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="999"/>{value}</table:table-row>"#
        );
        let e = inspect(&ods(&far), &l).expect_err("refused");
        assert!(e.message.en.contains("100002000 cells"), "{}", e.message.en);
        // Rows held one by one, each up to its last value.
        let wide = format!(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/>{value}</table:table-row>"#
        );
        let small = Limits {
            max_cells: 100_000,
            ..Limits::default()
        };
        assert!(inspect(&ods(&wide.repeat(6)), &small).is_ok());
        let e = inspect(&ods(&wide.repeat(7)), &small).expect_err("refused");
        assert!(e.message.en.contains("112007 cells"), "{}", e.message.en);
    }

    #[test]
    fn a_truncated_zip_is_damaged() {
        let bytes = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
        let e = inspect(&bytes[..bytes.len() / 2], &Limits::default()).expect_err("refused");
        assert!(
            e.message
                .en
                .starts_with("the workbook is damaged or incomplete"),
            "{}",
            e.message.en
        );
    }
}
