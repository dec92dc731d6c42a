//! `cargo run --release -p iam-catalog --example explain -- ecs:RunTask`
//! Runs `server/ls/src/cli/explain.rs` standalone (also used to time process
//! start-up to the first answer; see docs/catalog.md).
#![allow(dead_code)]

#[path = "../../ls/src/cli/explain.rs"]
mod explain;

use std::io::Write;

fn main() -> std::process::ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut ok = true;
    for arg in std::env::args().skip(1) {
        ok &= explain::explain(&arg, &mut out).unwrap_or(false);
        let _ = writeln!(out);
    }
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
