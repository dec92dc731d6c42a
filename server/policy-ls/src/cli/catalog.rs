//! `iam-policy-ls catalog update` and `catalog status`. The download, the
//! conversion and the storage are `iam_catalog_gen::{fetch, update, cache}`;
//! this is the command line around them (arguments, progress, summary, exit codes).

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use iam_catalog::Catalog;
use iam_catalog_gen::cache::{self, Origin};
use iam_catalog_gen::fetch;

use crate::catalog_choice;

/// Hidden knob for tests and slow links: both timeouts, in milliseconds.
pub const TIMEOUT_ENV: &str = "IAM_POLICY_LS_UPDATE_TIMEOUT_MS";

#[derive(Subcommand, Debug)]
pub enum CatalogCommand {
    /// Download AWS's Service Reference into the catalog cache (the only command that uses the network).
    Update(UpdateArgs),
    /// Show the catalog in use, where it comes from and how it differs from the embedded one.
    Status,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// Base URL of the Service Reference or of a mirror with the same layout.
    #[arg(long, default_value = fetch::DEFAULT_SOURCE, value_name = "URL")]
    pub source: String,
    /// Downloads at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=32), hide = true)]
    pub jobs: u16,
    /// Connect and request timeout in milliseconds (default: 10 s connect, 30 s request).
    #[arg(long, hide = true)]
    pub timeout_ms: Option<u64>,
    /// How long to wait for another update to finish, in milliseconds.
    #[arg(long, hide = true, default_value_t = 300_000)]
    pub lock_wait_ms: u64,
}

/// Runs `catalog <command>`. Exit codes: 0 done, 1 failed (nothing changed), 2 usage.
pub fn run(
    cmd: &CatalogCommand,
    cache_dir: Option<PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match cmd {
        CatalogCommand::Update(a) => update(a, cache_dir, out, err),
        CatalogCommand::Status => status(cache_dir, out),
    }
}

fn update(
    a: &UpdateArgs,
    cache_dir: Option<PathBuf>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let source = a.source.trim().to_string();
    if !(source.starts_with("https://") || source.starts_with("http://")) {
        let _ = writeln!(
            err,
            "error: --source must be an http:// or https:// URL, got {source:?}"
        );
        return 2;
    }
    let Some(dir) = cache_dir else {
        let _ = writeln!(
            err,
            "error: no cache directory (no home directory): pass --cache-dir DIR or set {}",
            cache::CACHE_DIR_ENV
        );
        return 2;
    };
    let mut opts = fetch::Options::new(dir.clone(), env!("CARGO_PKG_VERSION"));
    opts.source = source;
    opts.parallelism = usize::from(a.jobs);
    opts.lock_wait = Duration::from_millis(a.lock_wait_ms);
    let env_ms = std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok());
    if let Some(ms) = a.timeout_ms.or(env_ms) {
        opts.connect_timeout = Duration::from_millis(ms);
        opts.request_timeout = Duration::from_millis(ms);
    }
    let tty = std::io::stderr().is_terminal();
    let mut last_line = 0;
    let mut progress = |p: fetch::Progress| match p {
        fetch::Progress::Listed { services } => {
            let _ = writeln!(err, "{services} services listed by {}", opts.source);
        }
        fetch::Progress::Document { done, total, .. } => {
            if tty {
                let _ = write!(err, "\rdownloading {done}/{total}");
                if done == total {
                    let _ = writeln!(err);
                }
            } else if done == total || done >= last_line + 50 {
                last_line = done;
                let _ = writeln!(err, "downloaded {done}/{total}");
            }
        }
    };
    let base = iam_catalog::embedded();
    match fetch::run(&opts, &base, &mut progress) {
        Ok(o) => {
            let s = &o.summary;
            let _ = writeln!(
                out,
                "catalog updated in {} from {}\n  date: {}\n  services: {} ({} added{})\n  actions: {} ({} added, {} removed)\n  documents: {} downloaded, {} unchanged",
                dir.display(),
                o.manifest.source,
                o.manifest.date,
                s.services,
                s.services_added.len(),
                list_some(&s.services_added),
                s.actions,
                s.actions_added.len(),
                s.actions_removed.len(),
                o.downloaded,
                o.unchanged
            );
            0
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "error: catalog update failed, the previous catalog stays in force: {e}"
            );
            1
        }
    }
}

fn list_some(v: &[String]) -> String {
    if v.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = v.iter().take(10).map(String::as_str).collect();
    let more = if v.len() > 10 { ", ..." } else { "" };
    format!(": {}{more}", shown.join(", "))
}

fn actions_of(c: &Catalog) -> BTreeSet<String> {
    c.services()
        .flat_map(|s| s.actions().map(|a| a.full_name().to_ascii_lowercase()))
        .collect()
}

fn status(cache_dir: Option<PathBuf>, out: &mut dyn Write) -> u8 {
    let used = catalog_choice::in_use();
    let cat = iam_catalog::catalog();
    let embedded = iam_catalog::embedded();
    let origin = match &used.origin {
        Origin::Embedded => "embedded".to_string(),
        Origin::Cache(d) => format!("updated copy in {}", d.display()),
        Origin::Forced(p) => format!("forced: {}", p.display()),
    };
    let in_use_actions = actions_of(cat);
    let mut text = format!(
        "catalog in use: {origin}\n  data: {}\n  services: {}, actions: {}\n",
        cat.metadata(),
        cat.services().len(),
        in_use_actions.len()
    );
    if let Some(m) = &used.manifest {
        let role = if matches!(used.origin, Origin::Embedded) {
            "not used: not newer than the embedded catalog"
        } else {
            "in use"
        };
        text.push_str(&format!(
            "cache: updated {} from {} by iam-policy-ls {} ({role})\n",
            m.date, m.source, m.binary_version
        ));
    } else if let Some(d) = cache_dir.filter(|_| matches!(used.origin, Origin::Embedded)) {
        text.push_str(&format!(
            "cache: none in {} (run `iam-policy-ls catalog update`)\n",
            d.display()
        ));
    }
    if let Some(p) = catalog_choice::take_problem() {
        text.push_str(&format!("problem: {p}\n"));
    }
    text.push_str(&format!(
        "embedded catalog: {}\n  services: {}\n",
        embedded.metadata(),
        embedded.services().len()
    ));
    if !matches!(used.origin, Origin::Embedded) {
        let emb_actions = actions_of(&embedded);
        let emb_services: BTreeSet<String> = embedded
            .services()
            .map(|s| s.prefix().to_ascii_lowercase())
            .collect();
        let new_services: Vec<String> = cat
            .services()
            .map(|s| s.prefix().to_string())
            .filter(|p| !emb_services.contains(&p.to_ascii_lowercase()))
            .collect();
        let added: Vec<String> = in_use_actions.difference(&emb_actions).cloned().collect();
        let removed: Vec<String> = emb_actions.difference(&in_use_actions).cloned().collect();
        text.push_str(&format!(
            "difference from the embedded catalog: {} services added{}, {} actions added{}, {} actions removed{}\n",
            new_services.len(),
            list_some(&new_services),
            added.len(),
            list_some(&added),
            removed.len(),
            list_some(&removed)
        ));
    }
    let _ = out.write_all(text.as_bytes());
    0
}
