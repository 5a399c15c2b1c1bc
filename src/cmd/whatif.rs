//! `appraise whatif BASE.toml DRAFT.toml`: the draft scheme scored beside
//! the base on the same inputs, read once (docs/run.md, What-if). Writes
//! `<draft>-whatif.xlsx` (report::whatif) and prints a short summary whose
//! last line says how many people change grade.

use super::timings::Stages;
use crate::cli::WhatifArgs;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::pipeline::{Inputs, Prepared, ScoredRun};
use crate::report::whatif::WhatifBook;
use crate::score::Outcome;
use crate::t;
use crate::whatif::compare::{Comparison, Scored};
use crate::whatif::{diff, impact, share};
use crate::{cache, config, output, pipeline};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// Both schemes, loaded and scored.
pub struct Both {
    pub base: Config,
    pub draft: Config,
    pub base_run: ScoredRun,
    /// The draft's own prepared data, or None where the draft was scored on
    /// the base's ([`share::prepare_key`]).
    pub draft_prepared: Option<Prepared>,
    pub draft_outcome: Outcome,
}

impl Both {
    /// The data the draft was scored on.
    pub fn draft_data(&self) -> &Dataset {
        self.draft_prepared
            .as_ref()
            .map_or(&self.base_run.data, |p| &p.data)
    }

    pub fn comparison(&self) -> Comparison<'_> {
        Comparison::new(
            Scored {
                config: &self.base,
                data: &self.base_run.data,
                outcome: &self.base_run.outcome,
            },
            Scored {
                config: &self.draft,
                data: self.draft_data(),
                outcome: &self.draft_outcome,
            },
        )
    }
}

/// Load both schemes (a mistake in either is reported as `check` would),
/// read the inputs once (through the cache unless `no_cache`) and score
/// both. A draft that reads other files, sheets or columns than the base
/// has its own inputs read; one that reads the same and prepares them the
/// same ([`share::prepare_key`]) is scored on the base's prepared data.
pub fn score_both(
    base: &Path,
    draft: &Path,
    no_cache: bool,
    verbose: bool,
    clock: &mut Stages,
) -> Result<Both> {
    clock.start("load schemes");
    let mut base = config::load(base)?;
    let mut draft = config::load(draft)?;
    let base_inputs = inputs(&base, no_cache, verbose, clock)?;
    let same_inputs = cache::read_key(&base)? == cache::read_key(&draft)?;
    if same_inputs && share::prepare_key(&base.path)? == share::prepare_key(&draft.path)? {
        if verbose {
            note!(
                "{}",
                t!(
                    "whatif：草案与基准读取、核对的数据相同，在同一份数据上评分",
                    "whatif: the draft reads and reconciles the same data as the base: both are scored on one copy"
                )
            );
        }
        clock.start("prepare");
        let prepared = pipeline::prepare(&mut base, base_inputs, &mut |next| clock.start(next))?;
        // What preparing did to the base's scheme (the appeal adjustment
        // section) it does to the draft's.
        let appeals: Vec<_> = prepared
            .feedback
            .appeals
            .values()
            .flatten()
            .cloned()
            .collect();
        crate::feedback::appeals::apply_to_scheme(&mut draft, &prepared.data, &appeals);
        // Both scored at once on the one data. A problem of the base is said first.
        clock.start("score both");
        let (b, d) = rayon::join(
            || pipeline::score_prepared(&base, &prepared),
            || pipeline::score_prepared(&draft, &prepared),
        );
        let (base_outcome, draft_outcome) = (b?, d?);
        return Ok(Both {
            base,
            draft,
            base_run: ScoredRun::from_prepared(prepared, base_outcome),
            draft_prepared: None,
            draft_outcome,
        });
    }
    let draft_inputs = if same_inputs {
        clock.start("clone inputs");
        base_inputs.clone()
    } else {
        if verbose {
            note!(
                "{}",
                t!(
                    "whatif：草案读取的输入与基准不同，另行读取",
                    "whatif: the draft reads other inputs than the base: read them too"
                )
            );
        }
        inputs(&draft, no_cache, verbose, clock)?
    };
    // The two schemes are prepared and scored at once, each on its own
    // copy: most of preparing runs on one core. A problem of the base is
    // said first.
    clock.start("score both");
    let (b, d) = rayon::join(
        || pipeline::prepare(&mut base, base_inputs, &mut |_| {}),
        || pipeline::prepare(&mut draft, draft_inputs, &mut |_| {}),
    );
    let (base_prepared, draft_prepared) = (b?, d?);
    let (b, d) = rayon::join(
        || pipeline::score_prepared(&base, &base_prepared),
        || pipeline::score_prepared(&draft, &draft_prepared),
    );
    let (base_outcome, draft_outcome) = (b?, d?);
    Ok(Both {
        base,
        draft,
        base_run: ScoredRun::from_prepared(base_prepared, base_outcome),
        draft_prepared: Some(draft_prepared),
        draft_outcome,
    })
}

/// The scheme's inputs: from the cache when it holds them for exactly
/// these files, else read (and the cache written).
fn inputs(config: &Config, no_cache: bool, verbose: bool, clock: &mut Stages) -> Result<Inputs> {
    if no_cache {
        clock.start("read inputs");
        return pipeline::read(config);
    }
    cache::inputs(config, verbose, &mut |next| clock.start(next))
}

/// `<draft stem>-whatif.xlsx` beside the draft.
pub fn default_out(draft: &Path) -> PathBuf {
    let stem = draft.file_stem().unwrap_or_default().to_string_lossy();
    draft.with_file_name(format!("{stem}-whatif.xlsx"))
}

pub fn run(args: WhatifArgs) -> Result<()> {
    let out = args.out.clone().unwrap_or_else(|| default_out(&args.draft));
    let exists = std::fs::symlink_metadata(&out).is_ok();
    if exists && !args.force {
        let out = out.display();
        return Err(Error::Usage(t!(
            "whatif：{out} 已存在；请换一个 --out，或加 --force 替换它",
            "whatif: {out} already exists; choose another --out, or pass --force to replace it"
        )));
    }
    if exists && std::fs::metadata(&out).is_ok_and(|m| m.is_dir()) {
        let out = out.display();
        return Err(Error::Usage(t!(
            "whatif：{out} 是文件夹；--out 须给出一个 .xlsx 文件名",
            "whatif: {out} is a folder; --out must name an .xlsx file"
        )));
    }
    let mut clock = Stages::new(args.timings);
    let both = score_both(
        &args.base,
        &args.draft,
        args.no_cache,
        args.verbose,
        &mut clock,
    )?;
    clock.start("compare");
    let base_src =
        std::fs::read_to_string(&both.base.path).map_err(|e| Error::io(&both.base.path, e))?;
    let draft_src =
        std::fs::read_to_string(&both.draft.path).map_err(|e| Error::io(&both.draft.path, e))?;
    let changes = diff::diff((&both.base.path, &base_src), (&both.draft.path, &draft_src));
    let cmp = both.comparison();
    let effects = impact::effects(&changes, &cmp);
    clock.start("write");
    let book = WhatifBook {
        base: &both.base,
        draft: &both.draft,
        changes: &changes,
        cmp: &cmp,
        effects: &effects,
        lang: args.lang,
    };
    output::write_file_atomically(&out, exists, "whatif", |tmp| {
        crate::report::whatif::write(&book, tmp)
    })?;
    say!("{}", summary(&both, &changes, &cmp, &out));
    clock.start("end");
    clock.report();
    // The command ends here: what it holds (about 2 GB at 100,000 people)
    // is left to the operating system, not freed piece by piece.
    std::mem::forget(cmp);
    std::mem::forget(both);
    Ok(())
}

/// The terminal summary: the keys changed, the people moved, the grades
/// before and after, the workbook; the last line how many change grade.
fn summary(both: &Both, changes: &[diff::Change], cmp: &Comparison, out: &Path) -> String {
    let lang = crate::lang::messages();
    let mut s = String::new();
    let (base, draft, n) = (
        both.base.path.display(),
        both.draft.path.display(),
        changes.len(),
    );
    s += t!(
        "whatif：基准 {base}，草案 {draft}：方案有 {n} 处差别\n",
        "whatif: base {base}, draft {draft}: {n} keys differ\n"
    )
    .get(lang);
    for c in changes.iter().take(8) {
        let v = |x: &Option<String>| x.clone().unwrap_or_else(|| "—".into());
        let l = |x: Option<usize>| x.map_or("—".into(), |l| l.to_string());
        s += &format!(
            "  {}: {} → {} ({} {} / {})\n",
            c.path,
            v(&c.base),
            v(&c.draft),
            crate::lang::in_lang(lang, "行", "lines"),
            l(c.base_line),
            l(c.draft_line)
        );
    }
    if changes.len() > 8 {
        let more = changes.len() - 8;
        s += t!("  …另有 {more} 处\n", "  … and {more} more\n").get(lang);
    }
    let people = cmp.people.iter().filter(|p| p.both().is_some()).count();
    let moved = cmp.total_moved();
    s += t!(
        "两份方案都评分的 {people} 人中，{moved} 人总分变化",
        "of {people} people scored under both, {moved} change total"
    )
    .get(lang);
    if let Some(p) = cmp.people.first().filter(|p| p.change() != Decimal::ZERO) {
        let (id, name, d) = (&p.id, &p.name, crate::report::book::points(p.change()));
        s += t!(
            "（变化最大：{id} {name} {d:+}）",
            " (largest: {id} {name} {d:+})"
        )
        .get(lang);
    }
    s += "\n";
    s += t!("等级分布：", "grades: ").get(lang);
    s += &grade_counts(cmp).join(", ");
    s += "\n";
    let out = out.display();
    s += t!("已写出 {out}\n", "wrote {out}\n").get(lang);
    let g = cmp.grade_moved();
    if cmp.identical() {
        s += t!(
            "没有变化：两份方案对每个人的评分完全相同，0 人等级变化\n",
            "no change: both schemes score everyone identically; 0 people change grade\n"
        )
        .get(lang);
    } else if g == 1 {
        s += t!("1 人等级变化\n", "1 person changes grade\n").get(lang);
    } else {
        s += t!("{g} 人等级变化\n", "{g} people change grade\n").get(lang);
    }
    s
}

/// `A 12 → 14` for each grade of either scale.
fn grade_counts(cmp: &Comparison) -> Vec<String> {
    let mut grades: Vec<&String> = cmp.base_scale.iter().collect();
    grades.extend(
        cmp.draft_scale
            .iter()
            .filter(|g| !cmp.base_scale.contains(g)),
    );
    grades
        .into_iter()
        .map(|g| {
            let b = cmp
                .people
                .iter()
                .filter(|p| p.base.as_ref().is_some_and(|s| s.grade == g))
                .count();
            let d = cmp
                .people
                .iter()
                .filter(|p| p.draft.as_ref().is_some_and(|s| s.grade == g))
                .count();
            format!("{g} {b} → {d}")
        })
        .collect()
}
