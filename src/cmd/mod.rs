//! The subcommands. Each module holds one; they are the only code that prints.

pub mod sample;

use crate::cli::{Cli, Command};
use crate::Result;

pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(_args) => Err(crate::Error::Other("run: not yet built".into())),
        Command::Sample(args) => sample::run(args),
    }
}
