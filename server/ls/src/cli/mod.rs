//! Command-line subcommands. Output goes to the writers passed in (stdout/stderr in `main`).

pub mod check;
pub mod explain;
pub mod host;
pub mod simulate;
pub mod test_cmd;
