//! The measurements and their report: latency percentiles, memory and start-up, and `check`
//! at scale.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::*;

/// p50, p95, p99 (nearest rank) of `v`.
pub fn percentiles(v: &[f64]) -> Option<[f64; 3]> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let at = |p: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((p * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1;
        s[i]
    };
    Some([at(0.50), at(0.95), at(0.99)])
}

fn fmt3(p: Option<[f64; 3]>) -> String {
    p.map_or_else(
        || "-".into(),
        |[a, b, c]| format!("{a:.3} / {b:.3} / {c:.3}"),
    )
}

pub(super) fn latency(opts: &Options, server: &Path, peer: Option<&Path>) -> Result<()> {
    let doc_path = opts.doc.clone().unwrap_or_else(|| {
        root().join("tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json")
    });
    let doc = match doc_path.to_str().and_then(|p| p.strip_prefix("synthetic:")) {
        Some(n) => synthetic(n.parse().context("--doc synthetic:<bytes>")?),
        None => std::fs::read_to_string(&doc_path)
            .with_context(|| format!("reading {}", doc_path.display()))?,
    };
    println!(
        "\n## Latency: typing a statement into {} ({} bytes), {} keystrokes",
        doc_path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        doc.len(),
        opts.edits
    );
    println!("load before: {}", load());
    let mut ours = pull_session(Kind::Ours, server, &doc, opts.edits)?;
    ours.push = push_session(Kind::Ours, server, &doc, opts.edits)?;
    let theirs = match peer {
        Some(p) => {
            let mut t = pull_session(Kind::Peer, p, &doc, opts.edits)?;
            t.push = push_session(Kind::Peer, p, &doc, opts.peer_push_edits)?;
            Some(t)
        }
        None => None,
    };
    println!("load after:  {}", load());
    println!();
    println!("| ms, p50 / p95 / p99 | {OURS} | {PEER} | peer / ours (p50) |");
    println!("|---|---|---|---|");
    type Row = (&'static str, fn(&Samples) -> &Vec<f64>);
    let rows: [Row; 4] = [
        (
            "didChange -> publishDiagnostics (push; what the user sees)",
            |s| &s.push,
        ),
        ("didChange + diagnostic pull (compute cost)", |s| &s.pull),
        ("completion at the cursor", |s| &s.completion),
        ("hover (action / key)", |s| &s.hover),
    ];
    for (name, get) in rows {
        let a = percentiles(get(&ours));
        let b = theirs.as_ref().and_then(|t| percentiles(get(t)));
        let ratio = match (a, b) {
            (Some(a), Some(b)) if a[0] > 0.0 => format!("{:.1}x", b[0] / a[0]),
            _ => "-".into(),
        };
        println!("| {name} | {} | {} | {ratio} |", fmt3(a), fmt3(b));
    }
    println!(
        "\nsamples: ours {} push, {} pull/completion/hover; peer {} push (each waits out its \
         ~500 ms validation delay), {} pull/completion/hover.",
        ours.push.len(),
        ours.pull.len(),
        theirs.as_ref().map_or(0, |t| t.push.len()),
        theirs.as_ref().map_or(0, |t| t.pull.len()),
    );
    println!(
        "The peer delays push diagnostics by 500 ms on purpose (debounce): compare the pull row for \
         compute cost, the push row for what the user sees."
    );
    println!("\nWhat each finds in tests/bench/flawed-policy.json (line: message):");
    for (kind, bin) in std::iter::once((Kind::Ours, server)).chain(peer.map(|p| (Kind::Peer, p))) {
        let f = findings(kind, bin)?;
        println!("- {}: {} findings", kind.name(), f.len());
        for m in f {
            println!("  - {m}");
        }
    }
    Ok(())
}

// Memory and startup.

fn managed_policies() -> Result<Vec<PathBuf>> {
    let dir = root().join("tests/corpus/managed/policies");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    Ok(v)
}

pub(super) fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Startup (median of `runs`): spawn -> `initialize` answered, and spawn -> first diagnostics
/// of a document opened right after `initialized`.
fn startup(kind: Kind, bin: &Path, doc: &str, runs: usize) -> Result<(f64, f64)> {
    let (mut init, mut first) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut lsp = Lsp::spawn(kind, bin)?;
        let t = lsp.initialize(false)?;
        init.push(ms(t - lsp.spawned));
        lsp.open("file:///bench/startup.json", doc, 1)?;
        let (t, _) = lsp.diagnostics("file:///bench/startup.json", 1)?;
        first.push(ms(t - lsp.spawned));
        lsp.shutdown()?;
    }
    Ok((median(&mut init), median(&mut first)))
}

/// Resident memory (MiB): idle after `initialize`, then steady (`VmRSS`) and peak (`VmHWM`)
/// with 1, 50 and 500 open managed policies, each analysed (its diagnostics received).
fn resident(kind: Kind, bin: &Path, files: &[(String, String)]) -> Result<Vec<(String, f64, f64)>> {
    let mib = |k: u64| {
        #[allow(clippy::cast_precision_loss)]
        let v = k as f64 / 1024.0;
        v
    };
    let mut lsp = Lsp::spawn(kind, bin)?;
    lsp.initialize(false)?;
    std::thread::sleep(Duration::from_millis(300));
    let (rss, hwm) = lsp.rss()?;
    let mut out = vec![("idle".to_owned(), mib(rss), mib(hwm))];
    let mut opened = 0;
    for n in [1usize, 50, 500] {
        let batch = &files[opened..n.min(files.len())];
        for (uri, text) in batch {
            lsp.open(uri, text, 1)?;
        }
        for (uri, _) in batch {
            lsp.diagnostics(uri, 1)?;
        }
        opened = n.min(files.len());
        std::thread::sleep(Duration::from_millis(300));
        let (rss, hwm) = lsp.rss()?;
        out.push((format!("{opened} open"), mib(rss), mib(hwm)));
    }
    lsp.shutdown()?;
    Ok(out)
}

pub(super) fn memory(server: &Path, peer: Option<&Path>) -> Result<()> {
    let files: Vec<(String, String)> = managed_policies()?
        .iter()
        .take(500)
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((
                format!("file:///bench/mem/{name}"),
                std::fs::read_to_string(p)?,
            ))
        })
        .collect::<Result<_>>()?;
    let doc = std::fs::read_to_string(
        root().join("tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json"),
    )?;
    println!("\n## Startup and memory (open managed policies from tests/corpus/managed)");
    println!("load before: {}", load());
    let mut servers = vec![(Kind::Ours, server.to_path_buf())];
    if let Some(p) = peer {
        servers.push((Kind::Peer, p.to_path_buf()));
    }
    type Measured = (Kind, (f64, f64), Vec<(String, f64, f64)>);
    let mut rows: Vec<Measured> = Vec::new();
    for (kind, bin) in &servers {
        let s = startup(*kind, bin, &doc, 15)?;
        let m = resident(*kind, bin, &files)?;
        rows.push((*kind, s, m));
    }
    println!("load after:  {}", load());
    println!();
    print!("| | ");
    println!(
        "{} |",
        rows.iter()
            .map(|r| r.0.name())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}", "---|".repeat(rows.len()));
    let line = |name: &str, f: &dyn Fn(&Measured) -> String| {
        println!(
            "| {name} | {} |",
            rows.iter().map(f).collect::<Vec<_>>().join(" | ")
        );
    };
    line("start -> initialize answered (median of 15)", &|r| {
        format!("{:.1} ms", r.1.0)
    });
    line("start -> first diagnostics (median of 15)", &|r| {
        format!("{:.1} ms", r.1.1)
    });
    for i in 0..4 {
        let label = rows[0].2[i].0.clone();
        line(&format!("RSS {label}: steady / peak"), &|r| {
            format!("{:.1} / {:.1} MiB", r.2[i].1, r.2[i].2)
        });
    }
    if peer.is_some() {
        println!("\n(the peer's first diagnostics include its 500 ms validation delay)");
    }
    Ok(())
}

// Scale: `check` over directories of managed policies.

fn populate(dir: &Path, files: &[PathBuf], n: usize) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for i in 0..n {
        let src = &files[i % files.len()];
        let sub = dir.join(format!("copy{}", i / files.len()));
        if i % files.len() == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let dst = sub.join(src.file_name().context("file name")?);
        if std::fs::hard_link(src, &dst).is_err() {
            std::fs::copy(src, &dst)?;
        }
    }
    Ok(())
}

/// User + system CPU seconds of this process's waited-for children (`/proc/self/stat`
/// `cutime` + `cstime`, in clock ticks of 1/100 s).
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the `(comm)`: state is field 3; cutime and cstime are fields 16 and 17.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(13).copied().unwrap_or(0.0) + f.get(14).copied().unwrap_or(0.0)) / 100.0
}

/// Runs `check DIR`; returns (wall ms, CPU ms).
fn time_check(server: &Path, dir: &Path) -> Result<(f64, f64)> {
    let cpu0 = children_cpu();
    let t0 = Instant::now();
    let status = Command::new(server)
        .arg("check")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    let t = ms(t0.elapsed());
    let cpu = (children_cpu() - cpu0) * 1e3;
    // 0: clean, 1: findings; anything else is a failure.
    if !matches!(status.code(), Some(0 | 1)) {
        bail!("check {} failed: {status}", dir.display());
    }
    Ok((t, cpu))
}

pub(super) fn scale(server: &Path) -> Result<()> {
    let files = managed_policies()?;
    let tmp =
        std::env::temp_dir().join(format!("iam-policy-ls-bench-scale-{}", std::process::id()));
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "\n## Scale: `{} check DIR` ({} threads), median of 5 runs after a warm-up",
        server
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        threads
    );
    println!("load before: {}", load());
    let mut dirs = vec![(files.len(), root().join("tests/corpus/managed/policies"))];
    for n in [5_000, 10_000] {
        let d = tmp.join(n.to_string());
        populate(&d, &files, n)?;
        dirs.push((n, d));
    }
    let mut rows = Vec::new();
    for (n, d) in &dirs {
        time_check(server, d)?;
        let runs = (0..5)
            .map(|_| time_check(server, d))
            .collect::<Result<Vec<_>>>()?;
        let mut wall: Vec<f64> = runs.iter().map(|r| r.0).collect();
        let mut cpu: Vec<f64> = runs.iter().map(|r| r.1).collect();
        let min = wall.iter().copied().fold(f64::INFINITY, f64::min);
        rows.push((*n, median(&mut wall), min, median(&mut cpu), load()));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!();
    println!(
        "| policies | wall (median) | wall (min) | CPU user+sys (median) | CPU / {threads} cores | CPU per policy | load |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (n, med, min, cpu, load) in rows {
        #[allow(clippy::cast_precision_loss)]
        let per = cpu * 1e3 / n as f64;
        #[allow(clippy::cast_precision_loss)]
        let ideal = cpu / threads as f64;
        println!(
            "| {n} | {med:.0} ms | {min:.0} ms | {cpu:.0} ms | {ideal:.0} ms | {per:.0} µs | {load} |"
        );
    }
    println!(
        "\n`CPU / cores` is the wall time on an otherwise idle machine when the work splits evenly; \
         on a loaded machine the wall time is longer by the share of the CPUs others take."
    );
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentiles(&v), Some([50.0, 95.0, 99.0]));
    }

    /// Drives the release server for a few keystrokes in both modes. Needs
    /// `cargo build --release -p iam-policy-ls`; run with `cargo test -p xtask -- --ignored`.
    #[test]
    #[ignore = "needs the release binary"]
    fn drives_our_server() {
        let bin = root().join("target/release/iam-policy-ls");
        let doc = std::fs::read_to_string(
            root().join("tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json"),
        )
        .unwrap();
        let push = push_session(Kind::Ours, &bin, &doc, 5).unwrap();
        assert_eq!(push.len(), 5);
        let pull = pull_session(Kind::Ours, &bin, &doc, 5).unwrap();
        assert_eq!(pull.pull.len(), 5);
        assert_eq!(pull.hover.len(), 5);
    }
}
