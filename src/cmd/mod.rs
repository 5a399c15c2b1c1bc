//! The subcommands. Each module holds one; they are the only code that prints.

pub mod check;
pub mod collect;
pub mod explain;
pub mod run;
pub mod sample;
pub mod schema;

use crate::Result;
use crate::cli::{Cli, Command};

pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Schema => schema::run(),
    }
}
