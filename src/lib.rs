//! `appraise`: a performance-appraisal and KPI calculation engine.
//!
//! The order of the stages is said in one place, [`pipeline`]:
//! `config::load` → `ingest::read` (with `instruments::read` beside it, and
//! `reconcile::read` beside both) → `instruments::apply` → `reconcile::decide`
//! (with `feedback::read` beside it) → `feedback::apply` (appeals) →
//! `score::run` (a pass, weak spots, a second
//! pass) → provisional marks; then `cmd::run` writes `report::write` beside
//! `report::write_feedback`. Scoring is pure; only the commands under `cmd/`
//! touch the terminal.
//!
//! Layers, each importing only those below it (no import circle:
//! `python3 ../shared/tools/modcycles.py src` exits 0):
//! `lang`, `error`, `exact`, `formula`, `progress` at the bottom; `config`;
//! `ingest`; `instruments`, `reconcile` and `feedback` (appeals, returned
//! workbooks); `score`; `text` (words for people) and `whatif` (a draft
//! scheme beside the base); `report` and `sample`;
//! `pipeline`, `output` and `cache`; `cli` and `cmd`.

/// Print to stdout, ignoring a closed pipe (`appraise explain … | head`).
/// Text from the user's files is shown with its control characters
/// escaped ([`error::escape`]): a name cannot clear the terminal.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($t)*);
        let _ = write!(std::io::stdout().lock(), "{}", $crate::error::escape(&text));
    }};
}

/// Print a line to stderr, ignoring a closed pipe, control characters
/// escaped as by `say!`.
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($t)*);
        let _ = writeln!(std::io::stderr().lock(), "{}", $crate::error::escape(&text));
    }};
}

pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod exact;
pub mod feedback;
pub mod formula;
pub mod history;
pub mod ingest;
pub mod instruments;
pub mod lang;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod reconcile;
pub mod report;
pub mod sample;
pub mod score;
pub mod text;
pub mod whatif;

pub use error::{Error, Problem, Result};

use clap::Parser;

/// Parse `args`, run the chosen command, print any error, return the exit code.
pub fn main_with_args<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                error::exit::USAGE
            } else {
                error::exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    match error::catch_panics(|| cmd::dispatch(cli)) {
        Ok(()) => error::exit::OK,
        Err(e) => {
            let label = lang::in_lang(lang::messages(), "错误", "error");
            note!("{label}: {e}");
            e.exit_code()
        }
    }
}
