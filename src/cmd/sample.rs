//! `appraise sample`: write the sample branch.

use crate::cli::SampleArgs;
use crate::Result;

pub fn run(args: SampleArgs) -> Result<()> {
    crate::sample::write(&args.out, args.employees, args.seed)?;
    Ok(())
}
