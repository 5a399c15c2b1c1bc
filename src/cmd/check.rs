//! `appraise check`: the whole pipeline short of writing. The scheme is
//! validated, every input it names is read and typed, and everyone is
//! scored (which finds run-time problems such as a division by zero or a
//! missing actual); every problem of a stage is reported at once. Nothing is
//! written: exit 0 when a `run` would succeed, 78 for the scheme, 65 for data.

use crate::cli::CheckArgs;
use crate::{Result, config, ingest, score};

pub fn run(args: CheckArgs) -> Result<()> {
    let config = config::load(&args.config)?;
    let data = ingest::load(&config)?;
    let outcome = score::run(&config, &data)?;
    let kpis: usize = outcome.people.iter().map(|p| p.kpis.len()).sum();
    let sheets: usize = data.files.iter().map(|f| f.sheets.len()).sum();
    println!(
        "{}: ok: {} roles, {} employees, {} KPI scores, from {} sheets of {} files",
        args.config.display(),
        config.scheme.roles.len(),
        data.employees.len(),
        kpis,
        sheets,
        data.files.len()
    );
    Ok(())
}
