//! `appraise sample`: write the sample branch (or several quarters of it).

use crate::Result;
use crate::cli::SampleArgs;

pub fn run(args: SampleArgs) -> Result<()> {
    if let Some(example) = args.example {
        let done =
            crate::sample::write_example(&args.out, example, args.seed, args.rows_per_sheet)?;
        say!("{done}\n");
        return Ok(());
    }
    if let Some(quarters) = args.quarters {
        let summary = crate::sample::write_quarters(
            &args.out,
            args.employees,
            args.seed,
            quarters,
            args.rows_per_sheet,
        )?;
        say!("{summary}\n");
        return Ok(());
    }
    let summary =
        crate::sample::write_split(&args.out, args.employees, args.seed, args.rows_per_sheet)?;
    say!("{summary}\n");
    Ok(())
}
