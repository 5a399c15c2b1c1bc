//! `appraise sample`: write the sample branch.

use crate::Result;
use crate::cli::SampleArgs;

pub fn run(args: SampleArgs) -> Result<()> {
    let summary = crate::sample::write(&args.out, args.employees, args.seed)?;
    say!("{summary}\n");
    Ok(())
}
