//! `appraise sample`: write the sample branch.

use crate::Result;
use crate::cli::SampleArgs;

pub fn run(args: SampleArgs) -> Result<()> {
    let summary =
        crate::sample::write_split(&args.out, args.employees, args.seed, args.rows_per_sheet)?;
    say!("{summary}\n");
    Ok(())
}
