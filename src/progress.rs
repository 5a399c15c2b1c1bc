//! Progress on stderr for stages that take more than a moment. Hidden when
//! stderr is not a terminal (CI, pipes, tests) or with `--quiet`, so output
//! that is captured stays clean.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Bars shown together (summary.xlsx and the feedback workbooks are written
/// at the same time) share one terminal area.
#[derive(Debug, Clone)]
pub struct Progress {
    bars: Option<MultiProgress>,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let shown = !quiet && std::io::stderr().is_terminal();
        Progress {
            bars: shown.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// No progress at all (library use, tests).
    pub fn hidden() -> Progress {
        Progress { bars: None }
    }

    /// A spinner for a stage of unknown length.
    pub fn spinner(&self, message: &'static str) -> ProgressBar {
        let Some(bars) = &self.bars else {
            return ProgressBar::hidden();
        };
        let pb = bars.add(ProgressBar::new_spinner());
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.set_message(message);
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }

    /// A bar for `len` items.
    pub fn bar(&self, len: u64, message: &'static str) -> ProgressBar {
        let Some(bars) = &self.bars else {
            return ProgressBar::hidden();
        };
        let pb = bars.add(ProgressBar::new(len));
        pb.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        pb.set_message(message);
        pb
    }
}
