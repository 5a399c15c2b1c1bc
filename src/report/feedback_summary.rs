//! `feedback-summary.xlsx`, written by `appraise collect`: 答复汇总 (each
//! employee confirmed, appealed or gave no answer), 指标异议 (every KPI an
//! employee disagreed with, and why), 被拒文件 (the returned files not taken,
//! and why) and 申诉 (one row per appealed KPI, laid out for HR's decision;
//! the filled-in sheet is read by the next `appraise run` as overrides).

use super::book::{self, Formats, Widths, in_lang};
use crate::error::Result;
use crate::feedback::appeals::{APPEALED_ON, COLUMNS, DECISION, LATE};
use crate::feedback::carry::{Decided, late_reason};
use crate::feedback::collect::{Answer, Collected, KpiAnswer, Reason, Special, Timeliness};
use crate::feedback::labels;
use crate::lang::Lang;
use rust_xlsxwriter::{Color, DataValidation, Format, Workbook};
use std::collections::HashMap;
use std::path::Path;

/// HR's decisions carried over from an earlier summary, by (id, KPI id).
pub type Carried = HashMap<(String, String), Decided>;

/// The rows of the 申诉 sheet, in order: each appealing employee's disputed
/// KPIs, or one row for the whole result when none is disputed.
pub fn appeal_rows(c: &Collected) -> Vec<(&String, &Answer, Option<&KpiAnswer>)> {
    let mut out = Vec::new();
    for (id, a) in c.answers.iter().filter(|(_, a)| a.overall == Some(false)) {
        let disputed: Vec<_> = a.kpis.iter().filter(|k| k.agree == Some(false)).collect();
        if disputed.is_empty() {
            out.push((id, a, None));
        } else {
            out.extend(disputed.into_iter().map(|k| (id, a, Some(k))));
        }
    }
    out
}

/// The (id, KPI id) key of an appeal row.
pub fn appeal_key(id: &str, k: Option<&KpiAnswer>) -> (String, String) {
    (id.to_string(), k.map_or_else(String::new, |k| k.id.clone()))
}

/// Answer status of one employee.
pub fn status(c: &Collected, id: &str, lang: Lang) -> &'static str {
    match c.answers.get(id).map(|a| a.overall) {
        Some(Some(true)) => in_lang(lang, "已确认", "confirmed"),
        Some(Some(false)) => in_lang(lang, "已申诉", "appealed"),
        Some(None) => in_lang(
            lang,
            "已交回，未选择确认或申诉",
            "returned without a decision",
        ),
        None if c.rejected.iter().any(|r| {
            r.employee.as_deref() == Some(id) && matches!(r.reason, Reason::Duplicate(_))
        }) =>
        {
            in_lang(lang, "答复冲突（多份）", "conflicting answers")
        }
        None => in_lang(lang, "未答复", "no answer"),
    }
}

/// Why a file was not taken (or, for a copy, taken once), naming other
/// files relative to the returned folder.
pub fn reason_text(r: &Reason, returned: &Path, lang: Lang) -> String {
    let shown = |p: &Path| p.strip_prefix(returned).unwrap_or(p).display().to_string();
    match r {
        Reason::Unreadable(e) => format!("{}{}", in_lang(lang, "无法读取：", "unreadable: "), e.get(lang)),
        Reason::NotFeedback => in_lang(
            lang,
            "不是本系统生成的员工反馈表",
            "not an appraise feedback workbook",
        )
        .into(),
        Reason::OtherRun(id) => match lang {
            Lang::Zh => format!("属于另一次考核运行（运行编号 {id}）"),
            Lang::En => format!("belongs to another run (run {id})"),
        },
        Reason::Altered => in_lang(
            lang,
            "考核结果被改动（校验值不符），请重新下发原表",
            "a score was altered (the digest does not match); send the original workbook again",
        )
        .into(),
        Reason::Written(cell) => match lang {
            Lang::Zh => format!(
                "考核结果被改动：考核结果表的 {cell} 原为空白，现被填入内容（意见请写在“员工反馈”表），请重新下发原表"
            ),
            Lang::En => format!(
                "the result was altered: cell {cell} of the result sheet was blank and now holds a value (answers go in the Feedback sheet); send the original workbook again"
            ),
        },
        Reason::UnknownEmployee => in_lang(
            lang,
            "员工不在本次考核名单中",
            "the employee is not in this run",
        )
        .into(),
        Reason::Duplicate(others) => {
            let o: Vec<String> = others.iter().map(|p| shown(p)).collect();
            format!(
                "{}{}",
                in_lang(
                    lang,
                    "同一员工交回多份：",
                    "two answers from one employee: "
                ),
                o.join(", ")
            )
        }
        Reason::Copy(first) => match lang {
            Lang::Zh => format!("与 {} 的答复相同（重复交回），已按一份计入", shown(first)),
            Lang::En => format!(
                "the same answer as {} (returned twice): counted once",
                shown(first)
            ),
        },
        Reason::Special(s) => special_text(*s, lang).into(),
        Reason::LockFile => in_lang(
            lang,
            "Excel/WPS 打开工作簿时留下的临时锁定文件（~$…），不是答复，已忽略",
            "a lock file Excel or WPS leaves while a workbook is open (~$…): not an answer, ignored",
        )
        .into(),
        Reason::OtherKind(ext) => {
            let what = match (ext.is_empty(), lang) {
                (true, Lang::Zh) => "无扩展名的文件".to_string(),
                (true, Lang::En) => "a file without an extension".to_string(),
                (false, Lang::Zh) => format!(".{ext} 文件"),
                (false, Lang::En) => format!("a .{ext} file"),
            };
            match lang {
                Lang::Zh => {
                    format!("不是 Excel 工作簿（{what}），未读取；答复请填在下发的 .xlsx 反馈表中交回")
                }
                Lang::En => format!(
                    "not a workbook ({what}): not read; answers are returned in the .xlsx feedback workbook sent out"
                ),
            }
        }
    }
}

fn special_text(s: Special, lang: Lang) -> &'static str {
    match s {
        Special::Fifo => in_lang(
            lang,
            "命名管道（FIFO），不是普通文件，未读取",
            "a named pipe (FIFO), not a regular file: not read",
        ),
        Special::Socket => in_lang(
            lang,
            "套接字，不是普通文件，未读取",
            "a socket, not a regular file: not read",
        ),
        Special::Device => in_lang(
            lang,
            "设备文件，不是普通文件，未读取",
            "a device, not a regular file: not read",
        ),
        Special::Folder => in_lang(
            lang,
            "以工作簿命名的文件夹（解压后的工作簿？），未读取；请交回 .xlsx 文件本身",
            "a folder named like a workbook (an unpacked workbook?): not read; return the .xlsx file itself",
        ),
        Special::LinkToFolder => in_lang(
            lang,
            "指向文件夹的链接，未跟随",
            "a link to a folder: not followed",
        ),
        Special::LinkOutside => in_lang(
            lang,
            "指向交回文件夹以外的链接，未读取；请把文件本身放入交回文件夹",
            "a link to a file outside the returned folder: not read; put the file itself in the folder",
        ),
        Special::BrokenLink => in_lang(
            lang,
            "链接指向的文件不存在，未读取",
            "a link to nothing: not read",
        ),
        Special::Other => in_lang(lang, "不是普通文件，未读取", "not a regular file: not read"),
    }
}

/// Write the summary; HR's decisions in `carried` fill the 申诉 rows they
/// belong to.
pub fn write(
    c: &Collected,
    returned: &Path,
    lang: Lang,
    carried: &Carried,
    path: &Path,
) -> Result<()> {
    super::book::guarded(path, || write_unguarded(c, returned, lang, carried, path))
}

fn write_unguarded(
    c: &Collected,
    returned: &Path,
    lang: Lang,
    carried: &Carried,
    path: &Path,
) -> Result<()> {
    let mut wb: Workbook = book::new_workbook(
        (2000, 1, 1),
        in_lang(lang, "员工反馈汇总", "Feedback summary"),
    )?;
    let fm = Formats::new();

    answers_sheet(&mut wb, c, returned, lang, &fm)?;
    disagreements_sheet(&mut wb, c, lang, &fm)?;
    rejected_sheet(&mut wb, c, returned, lang, &fm)?;
    appeals_sheet(&mut wb, c, lang, carried, &fm)?;
    about_sheet(&mut wb, c, returned, lang, &fm)?;
    super::book::save(&mut wb, path)?;
    Ok(())
}

/// `答复汇总`: one row per employee, their status and what they wrote back.
fn answers_sheet(
    wb: &mut Workbook,
    c: &Collected,
    returned: &Path,
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    // 答复汇总
    let ws = wb.add_worksheet();
    ws.set_name(in_lang(lang, "答复汇总", "Answers"))?;
    let heads: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "总分", "Total"),
        in_lang(lang, "等级", "Grade"),
        in_lang(lang, "状态", "Status"),
        in_lang(lang, "不同意项数", "KPIs disagreed"),
        in_lang(lang, "申诉理由", "Appeal reason"),
        in_lang(lang, "证据材料", "Evidence"),
        in_lang(lang, "改进计划", "Improvement plan"),
        in_lang(lang, "需要的支持", "Support wanted"),
        in_lang(lang, "日期", "Date"),
        in_lang(lang, "文件", "File"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let mut w = Widths::new();
    book::header(ws, 0, &heads, fm, &mut w)?;
    for (i, p) in c.facts.people.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, t) in [&p.id, &p.name, &p.role, &p.team].into_iter().enumerate() {
            ws.write_string(r, col as u16, t)?;
            w.see(col as u16, t);
        }
        if let Some(t) = p.total {
            ws.write_number_with_format(r, 4, t, &fm.num)?;
        }
        ws.write_string(r, 5, &p.grade)?;
        let st = status(c, &p.id, lang);
        let warn = c
            .answers
            .get(&p.id)
            .is_some_and(|a| a.overall == Some(false));
        if warn {
            ws.write_string_with_format(r, 6, st, &fm.warn)?;
        } else {
            ws.write_string(r, 6, st)?;
        }
        w.see(6, st);
        if let Some(a) = c.answers.get(&p.id) {
            let n = a.kpis.iter().filter(|k| k.agree == Some(false)).count();
            ws.write_number(r, 7, n as f64)?;
            let file = a
                .path
                .strip_prefix(returned)
                .unwrap_or(&a.path)
                .display()
                .to_string();
            for (col, t) in [
                (8u16, &a.appeal_reason),
                (9, &a.evidence),
                (10, &a.plan),
                (11, &a.support),
                (12, &a.date),
                (13, &file),
            ] {
                ws.write_string(r, col, t)?;
                w.see(col, t);
            }
        }
    }
    w.apply(ws)?;
    print(ws, c, lang, &w, Some((0, 0)))
}

/// `指标异议`: one row per KPI an employee disagreed with or gave a reason for.
fn disagreements_sheet(wb: &mut Workbook, c: &Collected, lang: Lang, fm: &Formats) -> Result<()> {
    // 指标异议
    let ws = wb.add_worksheet();
    ws.set_name(in_lang(lang, "指标异议", "Disagreements"))?;
    let heads: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "指标编号", "KPI id"),
        in_lang(lang, "指标", "KPI"),
        in_lang(lang, "意见", "Answer"),
        in_lang(lang, "理由", "Reason"),
        in_lang(lang, "总体", "Overall"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let mut w = Widths::new();
    book::header(ws, 0, &heads, fm, &mut w)?;
    let mut r = 1;
    for (id, a) in &c.answers {
        let p = c.facts.index.get(id).map(|&i| &c.facts.people[i]);
        for k in a
            .kpis
            .iter()
            .filter(|k| k.agree == Some(false) || (k.agree.is_none() && !k.reason.is_empty()))
        {
            let ans = match k.agree {
                Some(false) => labels::agree(lang)[1],
                _ => in_lang(lang, "未选择", "not chosen"),
            };
            let cells = [
                id.as_str(),
                p.map_or("", |p| p.name.as_str()),
                p.map_or("", |p| p.team.as_str()),
                &k.id,
                &k.name,
                ans,
                &k.reason,
                status(c, id, lang),
            ];
            for (col, t) in cells.iter().enumerate() {
                ws.write_string(r, col as u16, *t)?;
                w.see(col as u16, t);
            }
            r += 1;
        }
    }
    w.apply(ws)?;
    print(ws, c, lang, &w, Some((0, 0)))
}

/// `被拒文件`: the returned files that were not read, and why.
fn rejected_sheet(
    wb: &mut Workbook,
    c: &Collected,
    returned: &Path,
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    // 被拒文件
    let ws = wb.add_worksheet();
    ws.set_name(in_lang(lang, "被拒文件", "Rejected files"))?;
    let heads: Vec<String> = [
        in_lang(lang, "文件", "File"),
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "原因", "Reason"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let mut w = Widths::new();
    book::header(ws, 0, &heads, fm, &mut w)?;
    for (i, x) in c.rejected.iter().enumerate() {
        let r = i as u32 + 1;
        let file = x
            .path
            .strip_prefix(returned)
            .unwrap_or(&x.path)
            .display()
            .to_string();
        let why = reason_text(&x.reason, returned, lang);
        for (col, t) in [file.as_str(), x.employee.as_deref().unwrap_or(""), &why]
            .iter()
            .enumerate()
        {
            ws.write_string(r, col as u16, *t)?;
            w.see(col as u16, t);
        }
    }
    w.apply(ws)?;
    print(ws, c, lang, &w, Some((0, 0)))
}

/// `申诉`: one row per appeal, with HR's decision columns (carried over from an earlier summary).
fn appeals_sheet(
    wb: &mut Workbook,
    c: &Collected,
    lang: Lang,
    carried: &Carried,
    fm: &Formats,
) -> Result<()> {
    // 申诉: always in Chinese column names? No: the language of the run; the reader takes both.
    let ws = wb.add_worksheet();
    ws.set_name(match lang {
        Lang::Zh => "申诉",
        Lang::En => "Appeals",
    })?;
    let heads: Vec<String> = COLUMNS
        .iter()
        .map(|(zh, en)| in_lang(lang, zh, en).to_string())
        .collect();
    let mut w = Widths::new();
    book::header(ws, 0, &heads, fm, &mut w)?;
    let hr_fill = Format::new().set_background_color(Color::RGB(0xFFF2CC));
    let mut r = 1u32;
    for (id, a, k) in appeal_rows(c) {
        let p = c.facts.index.get(id).map(|&i| &c.facts.people[i]);
        let reason = match k {
            Some(k) if !k.reason.is_empty() => format!("{}；{}", k.reason, a.appeal_reason),
            _ => a.appeal_reason.clone(),
        };
        let reason = reason.trim_end_matches('；').to_string();
        let texts = [
            (0u16, id.as_str()),
            (1, p.map_or("", |p| p.name.as_str())),
            (2, p.map_or("", |p| p.team.as_str())),
            (3, k.map_or("", |k| k.id.as_str())),
            (
                4,
                k.map_or(in_lang(lang, "总体", "overall"), |k| k.name.as_str()),
            ),
            (7, reason.as_str()),
        ];
        for (col, t) in texts {
            ws.write_string(r, col, t)?;
            w.see(col, t);
        }
        if let Some(v) = k.and_then(|k| k.actual) {
            ws.write_number(r, 5, v)?;
        }
        if let Some(v) = k.and_then(|k| k.weighted) {
            ws.write_number_with_format(r, 6, v, &fm.num)?;
        }
        ws.write_string(r, APPEALED_ON as u16, &a.date)?;
        let late = match a.timeliness(c.facts.appeal_by) {
            Timeliness::NoDeadline => None,
            Timeliness::OnTime => Some(in_lang(lang, "否", "no").to_string()),
            Timeliness::Undated => {
                Some(in_lang(lang, "未填日期，请核实", "undated: check").to_string())
            }
            Timeliness::Late(d) => Some(match lang {
                Lang::Zh => {
                    format!("逾期（{d} 晚于截止日 {}）", c.facts.appeal_by.unwrap_or(d))
                }
                Lang::En => format!("late ({d}, after {})", c.facts.appeal_by.unwrap_or(d)),
            }),
        };
        if let Some(t) = &late {
            ws.write_string(r, LATE as u16, t)?;
            w.see(LATE as u16, t);
        }
        let first_hr = DECISION as u16;
        for col in first_hr..first_hr + 4 {
            ws.write_blank(r, col, &hr_fill)?;
        }
        if let Some(d) = carried.get(&appeal_key(id, k)).filter(|d| d.filled()) {
            // What HR typed into the earlier summary stands.
            for (col, cell) in (first_hr..).zip(&d.cells) {
                match cell {
                    calamine::Data::Float(f) => {
                        ws.write_number_with_format(r, col, *f, &hr_fill)?;
                    }
                    calamine::Data::Int(i) => {
                        ws.write_number_with_format(r, col, *i as f64, &hr_fill)?;
                    }
                    calamine::Data::Empty => {}
                    other => {
                        let t = match other {
                            calamine::Data::String(t) => t.clone(),
                            other => other.to_string(),
                        };
                        ws.write_string_with_format(r, col, &t, &hr_fill)?;
                        w.see(col, &t);
                    }
                }
            }
        } else if matches!(a.timeliness(c.facts.appeal_by), Timeliness::Late(_)) {
            // A late appeal is proposed for rejection; HR's choice stands.
            ws.write_string_with_format(r, first_hr, labels::decision(lang)[1], &hr_fill)?;
            ws.write_string_with_format(r, first_hr + 3, late_reason(lang), &hr_fill)?;
        }
        r += 1;
    }
    if r > 1 {
        let dv = DataValidation::new()
            .allow_list_strings(&labels::decision(lang))?
            .set_error_message(in_lang(
                lang,
                "请选择“采纳”或“驳回”。",
                "Choose Accept or Reject.",
            ))?;
        ws.add_data_validation(1, DECISION as u16, r - 1, DECISION as u16, &dv)?;
    }
    w.see(7, "1234567890123456789012345678901234567890");
    w.see(APPEALED_ON as u16, "2024-10-18");
    w.see(DECISION as u16 + 3, "12345678901234567890123456789012345");
    w.apply(ws)?;
    print(ws, c, lang, &w, Some((0, 0)))
}

/// `说明`: the run, the counts and how to decide appeals.
fn about_sheet(
    wb: &mut Workbook,
    c: &Collected,
    returned: &Path,
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    // 说明
    let ws = wb.add_worksheet();
    ws.set_name(in_lang(lang, "说明", "About"))?;
    let count = |s: Option<bool>| c.answers.values().filter(|a| a.overall == s).count();
    let rows: Vec<(&str, String)> = vec![
        (in_lang(lang, "运行编号", "Run id"), c.facts.run_id.clone()),
        (in_lang(lang, "交回文件夹", "Returned folder"), returned.display().to_string()),
        (in_lang(lang, "读取文件数", "Files read"), c.files.to_string()),
        (in_lang(lang, "考核人数", "Employees"), c.facts.people.len().to_string()),
        (in_lang(lang, "已确认", "Confirmed"), count(Some(true)).to_string()),
        (in_lang(lang, "已申诉", "Appealed"), count(Some(false)).to_string()),
        (
            in_lang(lang, "未答复", "No answer"),
            (c.facts.people.len() - count(Some(true)) - count(Some(false))).to_string(),
        ),
        (in_lang(lang, "被拒文件", "Rejected files"), c.rejected.len().to_string()),
        (
            in_lang(lang, "申诉怎么处理", "How to decide appeals"),
            in_lang(
                lang,
                "在“申诉”表中为每行选择 决定（采纳/驳回），填写 新实际值 或 调整分数，以及 决定理由；在方案中写 [feedback] appeals = \"本文件的路径\"（相对于输入目录），再运行 appraise run --force。本文件放在运行目录之外（默认 <运行目录>-feedback-summary.xlsx），不要移进运行目录：run --force 不替换含有它的目录。再次 collect --force 时，已填写的决定会带入新的汇总。",
                "In Appeals, choose a Decision for each row (Accept/Reject), give a New actual or Adjustment points, and a Decision reason; set [feedback] appeals = \"the path of this file\" (relative to the input directory) in the scheme and run appraise run --force again. Keep this file outside the run directory (by default it is <run dir>-feedback-summary.xlsx): run --force does not replace a directory that holds it. A later collect --force carries the decisions filled in here into the new summary.",
            )
            .to_string(),
        ),
    ];
    let mut w = Widths::new();
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *k, &fm.bold)?;
        ws.write_string(i as u32, 1, v)?;
        w.see(0, k);
    }
    w.fix(1, 80.0);
    w.apply(ws)?;
    print(ws, c, lang, &w, None)
}

/// Print a sheet of the summary: one page wide, `titles` on every page
/// ([`super::print`]).
fn print(
    ws: &mut rust_xlsxwriter::Worksheet,
    c: &Collected,
    lang: Lang,
    w: &Widths,
    titles: Option<(u32, u32)>,
) -> Result<()> {
    super::print::Print::new(&c.facts.period, lang).table(
        ws,
        &super::print::Table {
            widths: w.columns(),
            titles,
            gridlines: titles.is_some(),
        },
    )?;
    Ok(())
}
