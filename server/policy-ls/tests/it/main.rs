//! The integration tests of the server and the command line, one binary (each test binary links
//! the whole catalog, so one binary links it once).

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod abuse;
mod catalog_update;
mod cli;
mod cli_fix;
mod cli_hosts;
mod cli_stdin;
mod common;
mod git_lens;
mod hosts_features;
mod hosts_keys;
mod hosts_lsp;
mod ide_e2e;
mod lifecycle;
mod pathological;
mod policy_tests_e2e;
mod stdio;
mod workspace_diagnostics;
mod workspace_folders;
