//! Output file names come from roster cells: each employee's feedback
//! workbook is `feedback/<team>/<id>-<name>.xlsx` and each team's is
//! `team/<team>.xlsx`. The names are made safe here, in one place, and
//! checked at the roster so that every output file belongs to exactly one
//! person or team: two teams or two people whose safe names are the same
//! (letter case ignored, as on Windows and macOS), or a name too long for a
//! file system, are input problems naming the roster cells, never one file
//! written over another.

use crate::error::{Origin, Problem};
use std::collections::HashMap;
use std::path::PathBuf;

/// The most bytes (UTF-8) a name takes before `.xlsx`: well inside the
/// 255 bytes that Linux, macOS and Windows take for one path component.
pub const MAX_NAME_BYTES: usize = 200;

/// Names Windows keeps for devices, with or without an extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// What [`file_part`] replaces, for messages.
pub const REPLACED: &str = "/ \\ : * ? \" < > | and control characters";

/// A name made safe as one path component, the same on every system:
/// `/ \ : * ? " < > |` and control characters become `_`; spaces at both
/// ends, dots at the start and dots and spaces at the end are dropped (Windows
/// drops the last two itself); a Windows device name (`CON`, `nul.txt`,
/// `COM1`…) gets `_` after its stem (`CON_`, `nul_.txt`); nothing left is `_`.
pub fn file_part(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let t = t
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .trim();
    if t.is_empty() {
        return "_".into();
    }
    let stem_len = t.find('.').unwrap_or(t.len());
    let stem = t[..stem_len].trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        format!("{}_{}", &t[..stem.len()], &t[stem.len()..])
    } else {
        t.to_string()
    }
}

/// An employee's feedback workbook, relative to the run directory.
pub fn feedback_file(id: &str, name: &str, team: &str) -> PathBuf {
    PathBuf::from("feedback")
        .join(file_part(team))
        .join(format!("{}-{}.xlsx", file_part(id), file_part(name)))
}

/// A team's workbook, relative to the run directory.
pub fn team_file(team: &str) -> PathBuf {
    PathBuf::from("team").join(format!("{}.xlsx", file_part(team)))
}

/// A name as a case-insensitive file system compares it.
fn folded(s: &str) -> String {
    s.to_lowercase()
}

/// One roster row's cells that name files.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub team: &'a str,
    pub id_at: Origin,
    pub name_at: Origin,
    pub team_at: Origin,
}

/// Report teams and people whose files would be one file, and names too
/// long for a file name, each at its roster cell.
pub fn check(rows: &[Named], problems: &mut Vec<Problem>) {
    let differ =
        format!("differ in more than {REPLACED}, spaces or dots at the ends, or letter case");
    let differ_zh =
        "除了 / \\ : * ? \" < > | 和控制字符、首尾的空格或句点、字母大小写之外还有别的不同";
    // Teams: one folded safe name → the first team (as written) that has it.
    let mut teams: HashMap<String, (&str, &Origin)> = HashMap::new();
    let mut reported: Vec<(&str, &str)> = Vec::new();
    for r in rows {
        let part = file_part(r.team);
        if part.len() > MAX_NAME_BYTES && !reported.contains(&(r.team, r.team)) {
            reported.push((r.team, r.team));
            problems.push(too_long(
                &r.team_at,
                crate::lang::Text::new("班组名", "team name"),
                &part,
                crate::lang::Text::new("缩短班组名", "shorten the team name"),
            ));
        }
        let (first, at) = *teams.entry(folded(&part)).or_insert((r.team, &r.team_at));
        if first != r.team && !reported.contains(&(first, r.team)) {
            reported.push((first, r.team));
            problems.push(
                Problem::at_cell(
                    &r.team_at,
                    crate::t!(
                        "班组 `{0}` 和班组 `{1}`（{2}）会写进同一个文件 {3}",
                        "team `{0}` and team `{1}` ({2}) would share one file, {3}",
                        r.team,
                        first,
                        at.short(),
                        team_file(r.team).display()
                    ),
                )
                .help(crate::t!(
                    "把其中一个班组改名，让两个名字{differ_zh}",
                    "rename one of the two teams: make them {differ}"
                )),
            );
        }
    }
    // People: one folded feedback path → the first employee that has it.
    let mut people: HashMap<String, &Named> = HashMap::new();
    for r in rows {
        let stem = format!("{}-{}", file_part(r.id), file_part(r.name));
        if stem.len() > MAX_NAME_BYTES {
            let at = if r.name.len() >= r.id.len() {
                &r.name_at
            } else {
                &r.id_at
            };
            problems.push(too_long(
                at,
                crate::t!(
                    "员工 `{0}` 的反馈文件名（工号-姓名）",
                    "feedback file name of employee `{0}` (id-name)",
                    r.id
                ),
                &stem,
                crate::lang::Text::new("缩短姓名或工号", "shorten the name or the id"),
            ));
            continue;
        }
        let path = feedback_file(r.id, r.name, r.team);
        let first = *people.entry(folded(&path.to_string_lossy())).or_insert(r);
        if first.id != r.id {
            problems.push(
                Problem::at_cell(
                    &r.id_at,
                    crate::t!(
                        "员工 `{0}` 和员工 `{1}`（{2}）会写进同一个反馈文件 {3}",
                        "employee `{0}` and employee `{1}` ({2}) would share one feedback file, {3}",
                        r.id,
                        first.id,
                        first.id_at.short(),
                        path.display()
                    ),
                )
                .help(crate::t!(
                    "修改其中一人的工号或姓名，让两者{differ_zh}",
                    "change the id or name of one of them so that the two {differ}"
                )),
            );
        }
    }
}

fn too_long(at: &Origin, what: crate::lang::Text, part: &str, fix: crate::lang::Text) -> Problem {
    let (what_zh, what_en, fix_zh, fix_en) = (&what.zh, &what.en, &fix.zh, &fix.en);
    Problem::at_cell(
        at,
        crate::t!(
            "{what_zh}作为文件名有 {0} 字节；最多只能 {MAX_NAME_BYTES} 字节",
            "the {what_en} is {0} bytes as a file name; at most {MAX_NAME_BYTES} fit",
            part.len()
        ),
    )
    .help(crate::t!(
        "{fix_zh}（一个汉字占 3 字节，一个英文字母占 1 字节）",
        "{fix_en} (a Chinese character takes 3 bytes, a Latin letter 1)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe() {
        assert_eq!(file_part("政企:一班"), "政企_一班");
        assert_eq!(file_part("政企/一班"), "政企_一班");
        assert_eq!(file_part(" .hidden. . "), "hidden");
        assert_eq!(file_part("CON"), "CON_");
        assert_eq!(file_part("nul.txt"), "nul_.txt");
        assert_eq!(file_part("Com1 .x"), "Com1_ .x");
        assert_eq!(file_part("CONSOLE"), "CONSOLE");
        assert_eq!(file_part("COM10"), "COM10");
        assert_eq!(file_part("..."), "_");
        assert_eq!(file_part("张三"), "张三");
    }
}
