//! The year's appraisal (`[annual]`, issue 18): each person's annual total
//! graded like a quarter's (cut-offs, then forced distribution in each
//! calibration group, `score::grade`), written as summary.xlsx (全年汇总:
//! the quarters' totals, the annual total with its arithmetic, the grade;
//! 分布: each group against its quotas), scores.json and manifest.json.

use super::book::{self, Formats, Widths, in_lang, to_f64};
use crate::config::GroupBy;
use crate::config::annual::AnnualConfig;
use crate::error::{Error, Result};
use crate::history::annual::Year;
use crate::history::{Past, Scores};
use crate::lang::Lang;
use crate::score::grade::{self, Candidate, Graded, GroupReport};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Grade everyone with an annual total: one `Graded` per person of
/// `year.people` (None: not graded), and the calibration groups.
pub fn grade_year(config: &AnnualConfig, year: &Year) -> (Vec<Option<Graded>>, Vec<GroupReport>) {
    let g = &config.scheme.grades;
    let by = g.distribution.as_ref().map(|d| d.group);
    let candidates: Vec<Candidate> = year
        .people
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let total = p.total?;
            let group = match by {
                Some(GroupBy::Team) => format!("{} / {}", p.role, p.team),
                Some(GroupBy::Department) => format!("{} / {}", p.role, p.department),
                _ => format!("{} / 全公司", p.role),
            };
            Some(Candidate {
                emp: i,
                id: p.id.clone(),
                group,
                total,
                keys: Vec::new(),
            })
        })
        .collect();
    let (graded, groups) = grade::grade(g, &candidates);
    let mut out: Vec<Option<Graded>> = vec![None; year.people.len()];
    for (c, gr) in candidates.iter().zip(graded) {
        out[c.emp] = Some(gr);
    }
    (out, groups)
}

#[derive(Serialize)]
struct Manifest<'a> {
    engine: &'static str,
    engine_version: &'static str,
    period: &'a str,
    config: FileFact,
    quarters: Vec<Quarter<'a>>,
    outputs: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct FileFact {
    path: String,
    sha256: String,
}

#[derive(Serialize)]
struct Quarter<'a> {
    period: &'a str,
    dir: String,
}

/// Write summary.xlsx, scores.json and manifest.json into `dir`.
pub fn write(config: &AnnualConfig, year: &Year, lang: Lang, dir: &Path) -> Result<usize> {
    let (graded, groups) = grade_year(config, year);
    let path = dir.join("summary.xlsx");
    book::guarded(&path, || {
        summary(config, year, &graded, &groups, lang, &path)
    })?;
    let scale = &config.scheme.grades.scale;
    let scores = Scores {
        period: config.scheme.period.id.clone(),
        people: year
            .people
            .iter()
            .zip(&graded)
            .filter_map(|(p, g)| {
                Some(Past {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    team: p.team.clone(),
                    department: p.department.clone(),
                    role: p.role.clone(),
                    total: p.total?,
                    grade: scale[g.as_ref()?.grade].clone(),
                })
            })
            .collect(),
    };
    let json = |v: &dyn erased::Json| v.json();
    let scores_path = dir.join(crate::history::SCORES_FILE);
    std::fs::write(&scores_path, json(&scores)).map_err(|e| Error::io(&scores_path, e))?;
    let (outputs, _) = super::manifest::written_files(dir);
    let m = Manifest {
        engine: "appraise",
        engine_version: env!("CARGO_PKG_VERSION"),
        period: &config.scheme.period.id,
        config: FileFact {
            path: config.path.file_name().map_or_else(
                || config.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            sha256: config.sha256.clone(),
        },
        quarters: year
            .quarters
            .iter()
            .zip(&config.scheme.annual.quarters)
            .map(|(q, d)| Quarter {
                period: &q.period,
                dir: d.clone(),
            })
            .collect(),
        outputs,
    };
    let manifest = dir.join("manifest.json");
    std::fs::write(&manifest, json(&m)).map_err(|e| Error::io(&manifest, e))?;
    Ok(graded.iter().filter(|g| g.is_some()).count())
}

/// Pretty JSON of anything serialisable, with a final newline.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
        }
    }
}

fn summary(
    config: &AnnualConfig,
    year: &Year,
    graded: &[Option<Graded>],
    groups: &[GroupReport],
    lang: Lang,
    path: &Path,
) -> Result<()> {
    let s = &config.scheme;
    let title = in_lang(lang, "全年绩效考核汇总", "Annual appraisal summary");
    let mut wb = book::new_workbook((year_of(&s.period.id), 12, 31), title)?;
    let fm = Formats::new();
    let ws = wb.add_worksheet();
    ws.set_name(in_lang(lang, "全年汇总", "Annual"))?;
    let mut labels: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "部门", "Department"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    labels.extend(year.quarters.iter().map(|q| q.period.clone()));
    let q = year.quarters.len() as u16;
    labels.extend(
        [
            in_lang(lang, "季度数", "Quarters"),
            in_lang(lang, "全年总分", "Annual total"),
            in_lang(lang, "等级", "Grade"),
            in_lang(lang, "计算", "Arithmetic"),
            in_lang(lang, "备注", "Notes"),
        ]
        .iter()
        .map(|x| x.to_string()),
    );
    let mut w = Widths::new();
    book::header(ws, 0, &labels, &fm, &mut w)?;
    let (count, total, grade, arith, notes) = (5 + q, 6 + q, 7 + q, 8 + q, 9 + q);
    for (r, (p, g)) in year.people.iter().zip(graded).enumerate() {
        let row = r as u32 + 1;
        for (c, text) in [&p.id, &p.name, &p.role, &p.team, &p.department]
            .into_iter()
            .enumerate()
        {
            ws.write_string(row, c as u16, text)?;
            w.see(c as u16, text);
        }
        for (i, t) in p.quarters.iter().enumerate() {
            if let Some(t) = t {
                ws.write_number_with_format(row, 5 + i as u16, to_f64(*t), &fm.num)?;
            }
        }
        ws.write_number(row, count, p.quarters.iter().flatten().count() as f64)?;
        match (p.total, g) {
            (Some(t), Some(g)) => {
                ws.write_number_with_format(row, total, to_f64(t), &fm.num)?;
                ws.write_string_with_format(
                    row,
                    grade,
                    &s.grades.scale[g.grade],
                    fm.grade(g.grade),
                )?;
                let n: Vec<String> = g.notes.iter().map(|n| n.text(lang)).collect();
                if !n.is_empty() {
                    ws.write_string(row, notes, n.join(in_lang(lang, "；", "; ")))?;
                }
            }
            _ => {
                ws.write_string(row, grade, in_lang(lang, "未评级", "not graded"))?;
            }
        }
        let text = p.explain.get(lang);
        ws.write_string(row, arith, text)?;
        w.see(arith, text);
    }
    w.apply(ws)?;
    distribution(&mut wb, config, groups, lang, &fm)?;
    book::save(&mut wb, path)
}

/// 分布: each calibration group's head count per grade, and its quotas.
fn distribution(
    wb: &mut rust_xlsxwriter::Workbook,
    config: &AnnualConfig,
    groups: &[GroupReport],
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    let scale = &config.scheme.grades.scale;
    let ws = wb.add_worksheet();
    ws.set_name(in_lang(lang, "分布", "Distribution"))?;
    let mut labels = vec![
        in_lang(lang, "校准组", "Calibration group").to_string(),
        in_lang(lang, "人数", "People").to_string(),
        in_lang(lang, "限额执行", "Quotas enforced").to_string(),
    ];
    for g in scale {
        labels.push(g.clone());
        labels.push(format!("{g} {}", in_lang(lang, "限额", "quota")));
    }
    let mut w = Widths::new();
    book::header(ws, 0, &labels, fm, &mut w)?;
    for (r, g) in groups.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, &g.name)?;
        w.see(0, &g.name);
        ws.write_number(row, 1, g.size as f64)?;
        let enforced = if g.advisory {
            in_lang(lang, "否（人数不足，仅提示）", "no (too small: advisory)")
        } else {
            in_lang(lang, "是", "yes")
        };
        ws.write_string(row, 2, enforced)?;
        w.see(2, enforced);
        for i in 0..scale.len() {
            let c = 3 + 2 * i as u16;
            ws.write_number(row, c, g.counts.get(i).copied().unwrap_or(0) as f64)?;
            let quota = match (
                g.max.get(i).copied().flatten(),
                g.min.get(i).copied().flatten(),
            ) {
                (Some(m), _) => format!("≤ {m}"),
                (None, Some(m)) => format!("≥ {m}"),
                _ => String::new(),
            };
            if !quota.is_empty() {
                ws.write_string(row, c + 1, &quota)?;
            }
        }
    }
    w.apply(ws)?;
    Ok(())
}

/// The year of a period id such as `2024` (2000 if it has none), for the
/// workbook's fixed date.
fn year_of(id: &str) -> i32 {
    id.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000)
}
