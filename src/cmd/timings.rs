//! Wall time of each stage and the peak memory, printed on stderr with the
//! hidden `--timings` of `run` and `whatif` (docs/scale.md measures with
//! them).

use std::time::{Duration, Instant};

/// Wall time of each stage and the peak memory, printed with `--timings`.
pub struct Stages {
    on: bool,
    current: Option<(&'static str, Instant)>,
    laps: Vec<(&'static str, f64)>,
}

impl Stages {
    pub fn new(on: bool) -> Stages {
        Stages {
            on,
            current: None,
            laps: Vec::new(),
        }
    }

    /// End the current stage (a stage met twice adds up) and begin `name`.
    pub fn start(&mut self, name: &'static str) {
        let now = Instant::now();
        if let Some((done, since)) = self.current.take() {
            let secs = (now - since).as_secs_f64();
            match self.laps.iter_mut().find(|(n, _)| *n == done) {
                Some((_, total)) => *total += secs,
                None => self.laps.push((done, secs)),
            }
            if self.on && std::env::var_os("APPRAISE_MEM_TRACE").is_some() {
                note!("memory after {done}: peak {} MiB", peak_memory_kib() / 1024);
            }
        }
        self.current = Some((name, now));
    }

    /// A stage that ran alongside another, timed by itself.
    pub fn record(&mut self, name: &'static str, took: Duration) {
        self.laps.push((name, took.as_secs_f64()));
    }

    /// Print the finished stages and the peak memory.
    pub fn report(&self) {
        if !self.on {
            return;
        }
        for (name, secs) in &self.laps {
            note!("timing {name}: {secs:.3}s");
        }
        note!("timing peak memory: {} MiB", peak_memory_kib() / 1024);
    }
}

/// Peak resident memory of this process (VmHWM), in KiB; 0 where unknown.
pub fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
