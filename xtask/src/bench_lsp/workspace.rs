//! Workspace diagnostics: the 1,594 managed policies (`tests/corpus/managed/policies`) as the
//! only workspace folder of a fresh server; the time of the first full `workspace/diagnostic`
//! report, the second (every file `unchanged`), and the server's memory after them.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{Result, bail};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Instant;

use super::*;

/// One fresh server: (spawn -> first report, request -> first report, second report, files,
/// findings, unchanged in the second, VmRSS, VmHWM in KiB).
struct Run {
    from_spawn: f64,
    first: f64,
    second: f64,
    files: usize,
    findings: usize,
    unchanged: usize,
    rss: u64,
    hwm: u64,
    /// Server CPU (user + system) spent on the first report.
    cpu: f64,
}

/// User + system CPU milliseconds of process `pid` so far (`/proc/PID/stat`, ticks of 1/100 s).
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) * 10.0
}

fn one(server: &Path, folder: &Path) -> Result<Run> {
    let mut lsp = Lsp::spawn(Kind::Ours, server)?;
    let folder_uri = format!("file://{}", folder.display());
    lsp.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": folder_uri,
            "workspaceFolders": [{"uri": folder_uri, "name": "managed"}],
            "capabilities": {
                "textDocument": {"diagnostic": {"dynamicRegistration": false}},
                "workspace": {"diagnostics": {"refreshSupport": true}, "configuration": false}
            },
            "initializationOptions": {}
        }),
    )?;
    lsp.notify("initialized", json!({}))?;
    let cpu0 = cpu_ms(lsp.pid());
    let t0 = Instant::now();
    let (t1, first) = lsp.request("workspace/diagnostic", json!({"previousResultIds": []}))?;
    let cpu = cpu_ms(lsp.pid()) - cpu0;
    let items = first["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let findings = items
        .iter()
        .map(|i| i["items"].as_array().map_or(0, Vec::len))
        .sum();
    let previous: Vec<Value> = items
        .iter()
        .filter_map(|i| {
            i["resultId"]
                .as_str()
                .map(|id| json!({"uri": i["uri"], "value": id}))
        })
        .collect();
    let t2 = Instant::now();
    let (t3, second) = lsp.request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous}),
    )?;
    let unchanged = second["result"]["items"]
        .as_array()
        .map_or(0, |a| a.iter().filter(|i| i["kind"] == "unchanged").count());
    let (rss, hwm) = lsp.rss()?;
    let run = Run {
        from_spawn: ms(t1 - lsp.spawned),
        first: ms(t1 - t0),
        second: ms(t3 - t2),
        files: items.len(),
        findings,
        unchanged,
        rss,
        hwm,
        cpu,
    };
    lsp.shutdown()?;
    Ok(run)
}

pub(super) fn workspace(server: &Path) -> Result<()> {
    let folder = std::fs::canonicalize(root().join("tests/corpus/managed/policies"))?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "\n## Workspace diagnostics: the {} folder as the workspace ({threads} cores), 5 fresh servers",
        folder.display()
    );
    println!("load before: {}", load());
    let runs = (0..5)
        .map(|_| one(server, &folder))
        .collect::<Result<Vec<_>>>()?;
    let Some(last) = runs.last() else {
        bail!("no run");
    };
    if last.unchanged != last.files {
        bail!(
            "the second report has {} of {} files unchanged",
            last.unchanged,
            last.files
        );
    }
    let col = |f: &dyn Fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        let med = median(&mut v);
        let max = v.iter().copied().fold(0.0, f64::max);
        (med, max)
    };
    #[allow(clippy::cast_precision_loss)]
    let mib = |k: u64| k as f64 / 1024.0;
    let first = col(&|r| r.first);
    let spawn = col(&|r| r.from_spawn);
    let second = col(&|r| r.second);
    let cpu = col(&|r| r.cpu);
    let rss = col(&|r| mib(r.rss));
    let hwm = col(&|r| mib(r.hwm));
    println!("load after:  {}", load());
    println!();
    println!("| | median | max |");
    println!("|---|---|---|");
    println!(
        "| first full report ({} files, {} findings): request -> answer | {:.0} ms | {:.0} ms |",
        last.files, last.findings, first.0, first.1
    );
    println!(
        "| first full report: server CPU (user + system) | {:.0} ms | {:.0} ms |",
        cpu.0, cpu.1
    );
    println!(
        "| first full report: server start -> answer | {:.0} ms | {:.0} ms |",
        spawn.0, spawn.1
    );
    println!(
        "| second report (all {} `unchanged`) | {:.1} ms | {:.1} ms |",
        last.unchanged, second.0, second.1
    );
    println!(
        "| RSS after both: steady / peak | {:.1} / {:.1} MiB | {:.1} / {:.1} MiB |",
        rss.0, hwm.0, rss.1, hwm.1
    );
    Ok(())
}
