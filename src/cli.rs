//! The command line: one subcommand per module under `cmd/`.

pub use crate::lang::Lang;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "appraise",
    version,
    about = "Score quarterly performance appraisals from a TOML KPI scheme and Excel workbooks"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Language of the messages and of the workbooks written (zh or en).
    /// Default: the scheme's `lang`, else (messages only) the locale
    /// (LC_ALL, LC_MESSAGES, LANG starting with `zh` = Chinese, another
    /// language = English), else Chinese. This help text is English only.
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score every employee and write the appraisal workbooks.
    Run(RunArgs),
    /// Write a realistic, deterministic sample branch (workbooks and scheme).
    Sample(SampleArgs),
    /// Read the employees' returned feedback workbooks into feedback-summary.xlsx.
    Collect(CollectArgs),
    /// Validate the scheme and every input it names; write nothing.
    Check(CheckArgs),
    /// Show how one employee's scores came about, step by step.
    Explain(ExplainArgs),
    /// Score a draft scheme beside the base on the same inputs: whom it
    /// moves, and why (writes <DRAFT>-whatif.xlsx).
    Whatif(WhatifArgs),
    /// Print the JSON Schema of the scheme file (for editor completion).
    Schema,
}

#[derive(Debug, clap::Args)]
pub struct WhatifArgs {
    /// The scheme in force (TOML).
    pub base: PathBuf,
    /// The draft scheme to compare with it (TOML).
    pub draft: PathBuf,
    /// Where to write the comparison [default: <DRAFT>-whatif.xlsx beside the draft].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an existing comparison workbook.
    #[arg(long)]
    pub force: bool,
    /// Read the inputs again, neither using nor writing the input cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Say whether the input cache was used, and why not.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the time of each stage and the peak memory.
    #[arg(long, hide = true)]
    pub timings: bool,
    /// Language of the workbook labels (set from the global `--lang`).
    #[arg(skip)]
    pub lang: Lang,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The KPI scheme (TOML).
    pub config: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The KPI scheme (TOML).
    pub config: PathBuf,
    /// The employee's id (工号), as in the roster.
    pub employee: String,
    /// Only this KPI: its id in the scheme, or its name (e.g. 集团收入完成率).
    #[arg(long)]
    pub kpi: Option<String>,
    /// A draft scheme: show the person's numbers under it beside CONFIG's,
    /// KPI by KPI (the inputs read once).
    #[arg(long, value_name = "DRAFT")]
    pub scheme: Option<PathBuf>,
    /// Read the inputs again, neither using nor writing the input cache
    /// (with --scheme).
    #[arg(long)]
    pub no_cache: bool,
    /// Language of the explanation (set from the global `--lang`).
    #[arg(skip)]
    pub lang: Lang,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The KPI scheme (TOML).
    pub config: PathBuf,
    /// Output directory [default: out/<period id>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an earlier run's output directory (only one with appraise's
    /// manifest.json, nothing else, and none of the scheme's files).
    #[arg(long)]
    pub force: bool,
    /// Language of the workbook labels (set from the global `--lang`).
    #[arg(skip)]
    pub lang: Lang,
    /// Skip the per-employee and per-team feedback workbooks.
    #[arg(long)]
    pub no_feedback: bool,
    /// No progress and no summary line on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the time of each stage and the peak memory.
    #[arg(long, hide = true)]
    pub timings: bool,
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// Directory to write the sample into (created; must be empty or absent).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of employees: 10 account managers to 1 team leader and 2 project managers.
    #[arg(long, default_value_t = 130, conflicts_with = "example")]
    pub employees: usize,
    /// Seed of the deterministic generator.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Write this many consecutive quarters (1 to 4, ending with 2024Q4) of
    /// the same branch into <OUT>/<quarter>/, with joiners, leavers and team
    /// moves between them, each scheme naming the earlier runs ([history]),
    /// and the year's scheme in <OUT>/year/.
    #[arg(long)]
    pub quarters: Option<usize>,
    /// Rows per sheet (header included) before a table continues on
    /// `<sheet>2`, `<sheet>3`, …; smaller than Excel's limit for tests.
    #[arg(long, hide = true, default_value_t = crate::sample::EXCEL_ROWS)]
    pub rows_per_sheet: u32,
    /// Write an example department instead of the branch: `product`, the
    /// 政企产品部 of the manager's guide (docs/guide.md), with its scheme.
    #[arg(long, value_enum, conflicts_with = "quarters")]
    pub example: Option<crate::sample::Example>,
}

#[derive(Debug, clap::Args)]
pub struct CollectArgs {
    /// The output directory of the `appraise run` the workbooks came from.
    pub run_dir: PathBuf,
    /// The folder of returned workbooks (any names, any sub-folders).
    pub returned: PathBuf,
    /// Where to write the summary [default: <RUN_DIR>-feedback-summary.xlsx,
    /// beside the run directory, so that `run --force` never deletes it].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace a summary collect wrote earlier; the decisions HR typed into
    /// its 申诉 sheet are carried over.
    #[arg(long)]
    pub force: bool,
    /// Language of the summary's labels (set from the global `--lang`).
    #[arg(skip)]
    pub lang: Lang,
}
