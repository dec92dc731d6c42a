//! `cargo xtask bench-lsp`: end-to-end latency, memory/startup and scale measurements of the
//! language server over stdio, side by side with `vscode-json-language-server` given our JSON
//! schema for IAM policies (`tests/bench/iam-policy.schema.json`). See `docs/performance.md` and
//! `tests/bench/README.md`.
//!
//! Everything here is std + serde_json: the client is a writer (this thread) and a reader
//! thread that timestamps every message as soon as its body is read.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

#[allow(dead_code)] // each user of the shared generator takes what it needs
use serde_json::Value;

pub const USAGE: &str = "\
usage: cargo xtask bench-lsp [--server PATH] [--peer PATH | --no-peer] [--edits N]
                             [--peer-push-edits N] [--doc PATH] [--latency] [--memory] [--scale]
                             [--workspace] [--template]
  --server PATH        our server binary (default: build and use target/release/iam-policy-ls)
  --peer PATH          vscode-json-language-server (default: on PATH, else npm-installed into
                       $TMPDIR/iam-policy-ls-bench-peer)
  --no-peer            measure our server only
  --edits N            keystrokes in the typing session (default 300)
  --peer-push-edits N  keystrokes for the peer's push measurement, ~0.5 s each (default 20)
  --doc PATH           the policy to edit (default tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json);
                       `synthetic:BYTES` generates one of about that size (as the did_change bench)
  --latency --memory --scale --workspace
                       which parts to run (default: all four; --workspace: workspace/diagnostic
                       over the managed policies as a workspace folder)
  --template           a keystroke in one policy of a generated 1 MB CloudFormation YAML
                       template with 1,000 roles (didChange -> publishDiagnostics, --edits N)";

const TIMEOUT: Duration = Duration::from_secs(30);
const OURS: &str = "iam-policy-ls";
const PEER: &str = "vscode-json-language-server";

/// What the harness was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub server: Option<PathBuf>,
    pub peer: Option<PathBuf>,
    pub no_peer: bool,
    pub edits: usize,
    pub peer_push_edits: usize,
    pub doc: Option<PathBuf>,
    pub latency: bool,
    pub memory: bool,
    pub scale: bool,
    pub workspace: bool,
    pub template: bool,
}

/// Parses the arguments after `bench-lsp`.
pub fn parse_args(args: &[String]) -> Result<Options> {
    let mut o = Options {
        server: None,
        peer: None,
        no_peer: false,
        edits: 300,
        peer_push_edits: 20,
        doc: None,
        latency: false,
        memory: false,
        scale: false,
        workspace: false,
        template: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| anyhow!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--server" => o.server = Some(value()?.into()),
            "--peer" => o.peer = Some(value()?.into()),
            "--no-peer" => o.no_peer = true,
            "--edits" => o.edits = value()?.parse().context("--edits")?,
            "--peer-push-edits" => {
                o.peer_push_edits = value()?.parse().context("--peer-push-edits")?
            }
            "--doc" => o.doc = Some(value()?.into()),
            "--latency" => o.latency = true,
            "--memory" => o.memory = true,
            "--scale" => o.scale = true,
            "--workspace" => o.workspace = true,
            "--template" => o.template = true,
            "-h" | "--help" => bail!("{USAGE}"),
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
    }
    if !(o.latency || o.memory || o.scale || o.workspace || o.template) {
        o.latency = true;
        o.memory = true;
        o.scale = true;
        o.workspace = true;
    }
    Ok(o)
}

/// The workspace root (xtask's parent directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs everything `opts` asks for and prints the report.
pub fn run(opts: &Options) -> Result<()> {
    let server = match &opts.server {
        Some(p) => p.clone(),
        None => build_server()?,
    };
    let peer = if opts.no_peer || !(opts.latency || opts.memory) {
        None
    } else {
        Some(match &opts.peer {
            Some(p) => p.clone(),
            None => find_or_install_peer()?,
        })
    };
    println!("# cargo xtask bench-lsp");
    println!("machine: {}", machine());
    println!("server: {}", server.display());
    if let Some(p) = &peer {
        println!("peer:   {} ({})", p.display(), peer_version(p));
    }
    if opts.latency {
        latency(opts, &server, peer.as_deref())?;
    }
    if opts.memory {
        memory(&server, peer.as_deref())?;
    }
    if opts.scale {
        scale(&server)?;
    }
    if opts.workspace {
        workspace::workspace(&server)?;
    }
    if opts.template {
        template_latency(&server, opts.edits)?;
    }
    println!("\nload after: {}", load());
    Ok(())
}

fn build_server() -> Result<PathBuf> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "iam-policy-ls"])
        .current_dir(root())
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release -p iam-policy-ls failed");
    }
    Ok(root().join("target/release/iam-policy-ls"))
}

fn find_or_install_peer() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(PEER);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let prefix = std::env::temp_dir().join("iam-policy-ls-bench-peer");
    let bin = prefix.join("node_modules/.bin").join(PEER);
    if !bin.is_file() {
        eprintln!(
            "installing vscode-langservers-extracted into {}",
            prefix.display()
        );
        let status = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg("vscode-langservers-extracted")
            .status()
            .context("running npm (needed for the peer; or pass --no-peer)")?;
        if !status.success() || !bin.is_file() {
            bail!(
                "npm install vscode-langservers-extracted failed (pass --peer PATH or --no-peer)"
            );
        }
    }
    Ok(bin)
}

fn peer_version(bin: &Path) -> String {
    // node_modules/.bin/<bin> -> node_modules/vscode-langservers-extracted/package.json
    let pkg = std::fs::canonicalize(bin)
        .ok()
        .and_then(|p| {
            p.ancestors()
                .find(|a| {
                    a.join("package.json").is_file() && a.ends_with("vscode-langservers-extracted")
                })
                .map(|a| a.join("package.json"))
        })
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str::<Value>(&t).ok());
    pkg.and_then(|v| {
        v["version"]
            .as_str()
            .map(|s| format!("vscode-langservers-extracted {s}"))
    })
    .unwrap_or_else(|| "version unknown".into())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let n = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    format!("{n} cores, {cpu}; load {}", load())
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

mod client;
mod host;
mod report;
mod session;
mod workspace;

pub use client::{Kind, Lsp};
use report::{latency, median, memory, scale};
pub use session::{Samples, findings, ms, pull_session, push_session, synthetic};

/// `--template`: keystrokes in one policy of the generated 1 MB template.
fn template_latency(server: &Path, edits: usize) -> Result<()> {
    println!("\n## Template: a keystroke in one policy of a 1 MB CloudFormation YAML template");
    println!("load before: {}", load());
    let (bytes, samples) = host::push_session(server, edits)?;
    println!("load after:  {}", load());
    let p = report::percentiles(&samples);
    println!(
        "{} roles, {bytes} bytes, {edits} keystrokes: didChange -> publishDiagnostics p50 / p95 / p99 = {}",
        host::ROLES,
        p.map_or_else(
            || "-".into(),
            |[a, b, c]| format!("{a:.3} / {b:.3} / {c:.3} ms")
        )
    );
    Ok(())
}
