//! Command-line subcommands. Output goes to the writers passed in (stdout/stderr in `main`).

pub mod baseline;
pub mod catalog;
pub mod check;
pub mod check_stdin;
pub mod compare;
pub mod completions;
pub(crate) mod embedded;
pub mod explain;
pub mod fix;
pub mod fmt;
pub mod gitlab;
pub mod grants;
pub mod host;
pub mod public;
pub mod simulate;
pub mod test_cmd;
pub mod write;
