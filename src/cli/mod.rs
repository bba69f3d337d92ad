//! Command-line definitions and subcommand dispatch (binary side only).

pub mod eval;
