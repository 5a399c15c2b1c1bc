//! The `appraise` binary: parse the command line, run, map the result to an
//! exit code. Everything else lives in the library.

/// mimalloc rather than the system allocator: glibc keeps the memory that
/// freed blocks leave in each thread's arena, about 200 MiB at 100,000
/// employees (README, Scale); mimalloc gives it back, for no more CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    appraise::output::handle_interrupts();
    std::process::exit(appraise::main_with_args(std::env::args_os()));
}
