//! Looking at an input file before any parser does. A workbook is a zip
//! (xlsx, xlsb, ods) or an OLE compound file (xls, and every
//! password-protected Office file); anything else is refused with a message
//! saying what it looks like. A zip's parts are measured before calamine
//! inflates them: the sizes its directory declares, their compression
//! ratios, and then the sizes they really inflate to (a directory can lie),
//! each inflated into nothing and stopped at the declared size. So a zip bomb
//! costs a bounded amount of time and no memory.

use crate::config::Limits;
use std::io::{Cursor, Read};

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
    pub message: String,
    pub help: String,
}

fn refuse(message: impl Into<String>, help: impl Into<String>) -> Refusal {
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

const RESAVE: &str =
    "open it in Excel or WPS and save it again as .xlsx (文件 → 另存为 → Excel 工作簿)";

/// Decide what `bytes` are, and measure a zip's parts against `limits`.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Kind, Refusal> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(EMPTY_ZIP_MAGIC) {
        return inspect_zip(bytes, limits);
    }
    if bytes.starts_with(CFB_MAGIC) {
        return if is_encrypted_package(bytes) {
            Err(refuse(
                "the workbook is password-protected (encrypted), so it cannot be read",
                "open it in Excel or WPS, remove the password (文件 → 信息 → 保护工作簿 → 用密码进行加密, clear it), and save it again",
            ))
        } else {
            Ok(Kind::Xls)
        };
    }
    let head = &bytes[..bytes.len().min(4096)];
    if !head.contains(&0) {
        let text = String::from_utf8_lossy(head);
        let first = text.lines().next().unwrap_or("").trim();
        let shown: String = first.chars().take(40).collect();
        let what = if first.contains(',') || first.contains('\t') || first.contains(';') {
            "CSV or tab-separated text"
        } else {
            "text"
        };
        return Err(refuse(
            format!(
                "this is {what}, not a workbook (it begins \"{shown}\"); a text export renamed to a workbook name?"
            ),
            RESAVE,
        ));
    }
    Err(refuse(
        "this is not a workbook: it is neither a zip-based workbook (.xlsx, .xlsb, .ods) nor an .xls file",
        RESAVE,
    ))
}

/// An encrypted Office file is a compound file holding a stream named
/// `EncryptedPackage` (its name is stored in UTF-16).
fn is_encrypted_package(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn damaged(e: impl std::fmt::Display) -> Refusal {
    refuse(
        format!("the workbook is damaged or incomplete ({e})"),
        "export or download it again; a file cut short in a copy or an e-mail cannot be read",
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

fn inspect_zip(bytes: &[u8], limits: &Limits) -> Result<Kind, Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if zip.len() > MAX_PARTS {
        return Err(refuse(
            format!(
                "the workbook holds {} parts, more than any workbook has",
                zip.len()
            ),
            RESAVE,
        ));
    }
    let max = limits.max_unpacked_bytes();
    let bomb_help = "this is not an export of a real workbook (a zip bomb?); export it again, or raise [limits] max_unpacked_mib / max_ratio if it is genuine";
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(damaged)?;
        let name = entry.name().map_err(damaged)?.to_string();
        if entry.encrypted() {
            return Err(refuse(
                format!("part `{name}` is encrypted"),
                "remove the password and save the workbook again",
            ));
        }
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > max {
            return Err(refuse(
                format!(
                    "part `{name}` unpacks to {}, above the limit of {}",
                    mib(size),
                    mib(max)
                ),
                bomb_help,
            ));
        }
        if size > RATIO_FLOOR && size / packed > limits.max_ratio {
            return Err(refuse(
                format!(
                    "part `{name}` unpacks {}-fold ({} from {} bytes), above the limit of {}-fold",
                    size / packed,
                    mib(size),
                    packed,
                    limits.max_ratio
                ),
                bomb_help,
            ));
        }
        total = total.saturating_add(size);
        if total > max.saturating_mul(2) {
            return Err(refuse(
                format!(
                    "the workbook unpacks to more than {} in all",
                    mib(max.saturating_mul(2))
                ),
                bomb_help,
            ));
        }
        names.push(name);
    }
    // The directory's sizes can lie: inflate each part into nothing, and
    // stop one byte past the size it declares.
    for (i, name) in names.iter().enumerate() {
        let mut part = zip.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) => {
                refuse(format!("part `{name}` cannot be read: {m}"), RESAVE)
            }
            e => damaged(e),
        })?;
        let declared = part.size();
        let mut counted = 0u64;
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
                    if counted >= declared
                        || e.to_string().contains("declared uncompressed size") =>
                {
                    counted = declared + 1;
                    break;
                }
                Err(e) => return Err(damaged(e)),
            };
            if n == 0 {
                break;
            }
            counted += n as u64;
        }
        if counted > declared {
            return Err(refuse(
                format!("part `{name}` unpacks to more than the {declared} bytes it declares"),
                bomb_help,
            ));
        }
    }
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") {
        Ok(Kind::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Kind::Xlsb)
    } else if has("content.xml") && has("mimetype") {
        Ok(Kind::Ods)
    } else {
        Err(refuse(
            "this is a zip archive, but not a workbook (it has no xl/workbook.xml)",
            "unpack it, or export the data as .xlsx",
        ))
    }
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
        let e = inspect(&bytes, &Limits::default()).unwrap_err();
        assert!(
            e.message
                .starts_with("part `xl/worksheets/sheet1.xml` unpacks "),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("above the limit of 200-fold"),
            "{}",
            e.message
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
        let e = inspect(&bytes, &limits).unwrap_err();
        assert_eq!(
            e.message,
            "part `xl/big.xml` unpacks to 1.9 MiB, above the limit of 1.0 MiB"
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
    fn text_and_encrypted_files_are_named() {
        let l = Limits::default();
        let e = inspect(b"id,name\n1,a\n", &l).unwrap_err();
        assert!(
            e.message.starts_with("this is CSV or tab-separated text"),
            "{}",
            e.message
        );
        let mut cfb = CFB_MAGIC.to_vec();
        cfb.extend([0u8; 100]);
        assert_eq!(inspect(&cfb, &l), Ok(Kind::Xls));
        cfb.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(
            inspect(&cfb, &l)
                .unwrap_err()
                .message
                .contains("password-protected")
        );
    }

    #[test]
    fn a_truncated_zip_is_damaged() {
        let bytes = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
        let e = inspect(&bytes[..bytes.len() / 2], &Limits::default()).unwrap_err();
        assert!(
            e.message
                .starts_with("the workbook is damaged or incomplete"),
            "{}",
            e.message
        );
    }
}
