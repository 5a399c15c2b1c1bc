//! The `appraise` binary: parse the command line, run, map the result to an
//! exit code. Everything else lives in the library.

fn main() {
    appraise::output::handle_interrupts();
    std::process::exit(appraise::main_with_args(std::env::args_os()));
}
