//! The `copydesk` command line: a thin shell over the library.
mod cli;

fn main() {
    let _ = cli::eval::run;
}
