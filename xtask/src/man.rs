//! `cargo xtask man [DIR]`: man pages from the command-line definition (`clap_mangen`), written by
//! the binary's hidden `manpages` command into `DIR` (default `target/man`).

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

pub const USAGE: &str = "\
usage: cargo xtask man [DIR]
  writes iam-policy-ls.1 and iam-policy-ls-<command>.1 into DIR (default: target/man);
  read one with `man target/man/iam-policy-ls.1`";

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let dir = match args {
        [] => crate::bench_lsp::root().join("target/man"),
        [d] if !d.starts_with('-') => PathBuf::from(d),
        _ => bail!("{USAGE}"),
    };
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "-p", "iam-policy-ls", "--", "manpages"])
        .arg(&dir)
        .current_dir(crate::bench_lsp::root())
        .status()
        .context("running cargo run -p iam-policy-ls")?;
    if !status.success() {
        bail!("iam-policy-ls manpages {} failed", dir.display());
    }
    Ok(())
}
