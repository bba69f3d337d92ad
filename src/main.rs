//! The `copydesk` command line: a thin shell over the library. Everything
//! but the exit lives in `cli`, so the exit code is decided in one place.
#![forbid(unsafe_code)]

mod cli;

fn main() {
    std::process::exit(cli::main());
}
