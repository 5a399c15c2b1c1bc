//! The subcommands. Each module holds one; they are the only code that prints.

pub mod annual;
pub mod check;
pub mod collect;
pub mod explain;
pub mod run;
pub mod sample;
pub mod schema;
pub mod timings;
pub mod whatif;

use crate::Result;
use crate::cli::{Cli, Command};
use crate::lang;

/// Decide the languages (docs/run.md, Language), then run the command.
/// Messages: `--lang`, else the scheme's `lang`, else the locale, else
/// Chinese. Workbooks: `--lang`, else the scheme's `lang`, else Chinese.
pub fn dispatch(cli: Cli) -> Result<()> {
    let flag = cli.lang;
    let scheme = match &cli.command {
        Command::Run(a) => crate::config::stated_lang_of(&a.config),
        Command::Check(a) => crate::config::stated_lang_of(&a.config),
        Command::Explain(a) => crate::config::stated_lang_of(&a.config),
        Command::Whatif(a) => crate::config::stated_lang_of(&a.base),
        _ => None,
    };
    let messages = lang::choose(flag, scheme);
    lang::set_messages(messages);
    let books = lang::for_workbooks(flag, scheme);
    match cli.command {
        Command::Run(mut args) => {
            args.lang = books;
            // A scheme with [annual] makes the year's result (issue 18).
            if crate::config::annual::is_annual(&args.config) {
                annual::run(args)
            } else {
                run::run(args)
            }
        }
        Command::Sample(args) => sample::run(args),
        Command::Collect(mut args) => {
            args.lang = books;
            collect::run(args)
        }
        Command::Check(args) => {
            if crate::config::annual::is_annual(&args.config) {
                annual::check(args)
            } else {
                check::run(args)
            }
        }
        Command::Explain(mut args) => {
            // Printed on the terminal: in the language of the messages.
            args.lang = messages;
            if crate::config::annual::is_annual(&args.config) {
                annual::explain(args)
            } else {
                explain::run(args)
            }
        }
        Command::Whatif(mut args) => {
            args.lang = books;
            whatif::run(args)
        }
        Command::Schema => schema::run(),
    }
}
