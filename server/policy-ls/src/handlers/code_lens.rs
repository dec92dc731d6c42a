//! `textDocument/codeLens`. Sidecar policy tests get their decision above each test (handled by
//! the server directly, see `crate::policy_tests`). A policy in a file tracked by git gets one
//! lens on its first line: "no new access since HEAD" or "N new grants since HEAD" (access
//! analysis, `iam_compare::compare`, of the saved file against its version at the base
//! revision). Its command, [`SHOW_NEW_ACCESS`], lists the grants with their witnesses.
//!
//! The comparison runs when the document is opened or saved, never on a keystroke, on a
//! blocking thread (git is a subprocess with a timeout, see `crate::git`); its result is cached
//! per document until the next save. Setting `compareWithGit`: `true` (default, against `HEAD`),
//! `false` (no lens), or the name of the base revision.

#![allow(clippy::needless_pass_by_value)]

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::DashMap;
use iam_compare::{Options, Verdict, request_json};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::Snapshot;

/// The command of the lens: shows the new grants (a message) and returns them.
pub const SHOW_NEW_ACCESS: &str = "iam-policy-ls.showNewAccess";

#[must_use]
pub fn capability() -> Option<lsp::CodeLensOptions> {
    Some(lsp::CodeLensOptions {
        resolve_provider: Some(false),
    })
}

/// The comparison of a saved document with its base revision.
#[derive(Clone, Debug)]
pub struct GitLens {
    /// The lens title.
    pub title: String,
    /// One line per finding (action, resource, summary, witness) and note.
    pub details: String,
    /// The report as `compare --format json` prints it.
    pub json: serde_json::Value,
}

/// The cached lenses, by document. Results of an older computation never replace a newer one.
#[derive(Debug, Default)]
pub struct GitLenses {
    entries: DashMap<Uri, (u64, Option<GitLens>)>,
    /// Templates and Terraform files: one lens per embedded policy, by its name
    /// (`TaskRole/Policies/0/PolicyDocument`).
    hosts: DashMap<Uri, (u64, Vec<(String, GitLens)>)>,
    generation: AtomicU64,
}

impl GitLenses {
    /// The lens of a document, when computed.
    #[must_use]
    pub fn get(&self, uri: &Uri) -> Option<GitLens> {
        self.entries.get(uri).and_then(|e| e.1.clone())
    }

    /// The lens of the embedded policy `name` of a host document.
    #[must_use]
    pub fn get_host(&self, uri: &Uri, name: &str) -> Option<GitLens> {
        self.hosts
            .get(uri)
            .and_then(|e| e.1.iter().find(|(n, _)| n == name).map(|(_, l)| l.clone()))
    }

    /// Forgets a document (closed, or the setting turned off).
    pub fn forget(&self, uri: &Uri) {
        self.entries.remove(uri);
        self.hosts.remove(uri);
    }

    fn store_host(&self, uri: Uri, generation: u64, lenses: Vec<(String, GitLens)>) -> bool {
        store_newer(&self.hosts, uri, generation, lenses)
    }

    fn store(&self, uri: Uri, generation: u64, lens: Option<GitLens>) -> bool {
        store_newer(&self.entries, uri, generation, lens)
    }
}

/// Stores `value` for `uri` unless a newer generation is already there (an older result never
/// replaces a newer one); whether it was stored.
fn store_newer<V>(map: &DashMap<Uri, (u64, V)>, uri: Uri, generation: u64, value: V) -> bool {
    match map.entry(uri) {
        dashmap::Entry::Occupied(mut e) if e.get().0 <= generation => {
            e.insert((generation, value));
            true
        }
        dashmap::Entry::Occupied(_) => false,
        dashmap::Entry::Vacant(e) => {
            e.insert((generation, value));
            true
        }
    }
}

/// Starts the comparison of the saved file behind `uri` with `base` (`None`: the setting is
/// off); returns at once. When it finishes, the result is cached and the client asked to
/// refresh its lenses.
pub fn schedule(lenses: &Arc<GitLenses>, client: &Client, uri: Uri, base: Option<String>) {
    let Some(base) = base else {
        lenses.forget(&uri);
        return;
    };
    let Some(path) = uri.to_file_path().map(|p| p.to_path_buf()) else {
        return;
    };
    let generation = lenses.generation.fetch_add(1, Ordering::SeqCst) + 1;
    let lenses = Arc::clone(lenses);
    let client = client.clone();
    tokio::spawn(async move {
        let computed = tokio::task::spawn_blocking(move || compute(&path, &base)).await;
        let lens = computed.unwrap_or_else(|e| {
            tracing::error!("comparison with git failed: {e}");
            None
        });
        if lenses.store(uri, generation, lens) {
            // Clients without refresh support answer with an error or not at all.
            let _ = tokio::time::timeout(
                std::time::Duration::from_secs(2),
                client.code_lens_refresh(),
            )
            .await;
        }
    });
}

/// [`schedule`] for a template or Terraform file: each embedded policy is compared with the
/// policy of the same name in the file at `base`.
pub fn schedule_host(
    lenses: &Arc<GitLenses>,
    client: &Client,
    uri: Uri,
    base: Option<String>,
    kind: iam_hosts::HostKind,
) {
    let Some(base) = base else {
        lenses.forget(&uri);
        return;
    };
    let Some(path) = uri.to_file_path().map(|p| p.to_path_buf()) else {
        return;
    };
    let generation = lenses.generation.fetch_add(1, Ordering::SeqCst) + 1;
    let lenses = Arc::clone(lenses);
    let client = client.clone();
    tokio::spawn(async move {
        let computed = tokio::task::spawn_blocking(move || compute_host(&path, &base, kind)).await;
        let found = computed.unwrap_or_else(|e| {
            tracing::error!("comparison with git failed: {e}");
            Vec::new()
        });
        if lenses.store_host(uri, generation, found) {
            let _ = tokio::time::timeout(
                std::time::Duration::from_secs(2),
                client.code_lens_refresh(),
            )
            .await;
        }
    });
}

/// The embedded policies of a host text by name (the first `Fn::If` alternative), parsed.
fn host_policies(
    kind: iam_hosts::HostKind,
    text: &str,
) -> Vec<(String, iam_policy::model::Policy)> {
    iam_hosts::extract(kind, text)
        .docs
        .iter()
        .filter(|d| d.variant == 0)
        .filter_map(|d| {
            let parsed = iam_policy::parse_policy(&d.text);
            parsed
                .parse
                .errors()
                .is_empty()
                .then(|| (d.name(), parsed.policy))
        })
        .collect()
}

/// Compares each embedded policy of the host file on disk with the policy of the same name at
/// `base` (a policy new since `base` is compared with the empty policy).
#[must_use]
pub fn compute_host(path: &Path, base: &str, kind: iam_hosts::HostKind) -> Vec<(String, GitLens)> {
    if !crate::git::is_tracked(path, crate::git::TIMEOUT) {
        return Vec::new();
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let old = match crate::git::show(base, path, crate::git::TIMEOUT) {
        Ok(Some(old)) => host_policies(kind, &old),
        Ok(None) => Vec::new(),
        Err(e) => {
            tracing::warn!(path = %path.display(), "compareWithGit: {e}");
            return Vec::new();
        }
    };
    host_policies(kind, &text)
        .into_iter()
        .filter_map(|(name, new)| {
            let before = old
                .iter()
                .find(|(n, _)| *n == name)
                .map_or_else(iam_compare::empty_policy, |(_, p)| p.clone());
            Some((name, compare_lens(&before, &new, base)?))
        })
        .collect()
}

/// Compares the file on disk with its version at `base`; `None` when the file is not tracked
/// by git, not a policy, or cannot be read.
#[must_use]
pub fn compute(path: &Path, base: &str) -> Option<GitLens> {
    if !crate::git::is_tracked(path, crate::git::TIMEOUT) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let new = iam_policy::parse_policy(&text);
    if !new.parse.errors().is_empty() {
        return None;
    }
    let old = match crate::git::show(base, path, crate::git::TIMEOUT) {
        Ok(Some(old)) => {
            let parsed = iam_policy::parse_policy(&old);
            if !parsed.parse.errors().is_empty() {
                return Some(GitLens {
                    title: format!("new access since {base}: the old version does not parse"),
                    details: String::new(),
                    json: serde_json::Value::Null,
                });
            }
            parsed.policy
        }
        Ok(None) => iam_compare::empty_policy(),
        Err(e) => {
            tracing::warn!(path = %path.display(), "compareWithGit: {e}");
            return Some(GitLens {
                title: format!("new access since {base}: git failed"),
                details: e,
                json: serde_json::Value::Null,
            });
        }
    };
    compare_lens(&old, &new.policy, base)
}

/// The lens of the access `new` grants that `old` did not.
fn compare_lens(
    old: &iam_policy::model::Policy,
    new: &iam_policy::model::Policy,
    base: &str,
) -> Option<GitLens> {
    let kind = iam_compare::comparison_kind(None, &[old, new]);
    let report = iam_compare::compare(
        old,
        new,
        &Options {
            kind,
            ..Options::default()
        },
    );
    let count = report.findings.len() + report.omitted;
    let title = match report.verdict {
        Verdict::Pass => format!("no new access since {base}"),
        Verdict::Fail => format!(
            "{count} new grant{} since {base}",
            if count == 1 { "" } else { "s" }
        ),
        Verdict::Unknown => format!("new access since {base}: undecided"),
    };
    let mut details = format!("{title}\n");
    for f in &report.findings {
        let _ = writeln!(
            details,
            "+ {} on {}: {}\n  witness: {}",
            f.action,
            f.resource,
            f.summary,
            request_json(&f.witness)
        );
    }
    for r in &report.reasons {
        let _ = writeln!(details, "note: {r}");
    }
    Some(GitLens {
        title,
        details,
        json: report.to_json(),
    })
}

/// The lens of an analysed policy document: the cached comparison with git, on the policy's
/// first line.
#[must_use]
pub fn code_lens(
    s: &Snapshot,
    _params: lsp::CodeLensParams,
    lenses: &GitLenses,
) -> Option<Vec<lsp::CodeLens>> {
    s.settings.compare_with_git.as_ref()?;
    let lens = lenses.get(&s.uri)?;
    let start = s.range(iam_syntax::TextRange::new(
        s.analysis.policy.range.start,
        s.analysis.policy.range.start,
    ));
    Some(vec![lsp::CodeLens {
        range: start,
        command: Some(lsp::Command {
            title: lens.title,
            command: SHOW_NEW_ACCESS.to_owned(),
            arguments: Some(vec![serde_json::json!(s.uri.as_str())]),
        }),
        data: None,
    }])
}

/// The lenses of a template or Terraform file: one on the first line of each embedded policy
/// compared with git. The command's arguments are the URI and the policy's name.
#[must_use]
pub fn host_code_lens(
    s: &crate::host::features::HostSnapshot,
    lenses: &GitLenses,
) -> Option<Vec<lsp::CodeLens>> {
    s.settings.compare_with_git.as_ref()?;
    let mut out = Vec::new();
    for p in s.host.policies.iter().filter(|p| p.doc.variant == 0) {
        let name = p.doc.name();
        let Some(lens) = lenses.get_host(&s.uri, &name) else {
            continue;
        };
        let start = iam_hosts::clamp(
            iam_syntax::TextRange::empty(p.host_range().start),
            &s.host.text,
        );
        out.push(lsp::CodeLens {
            range: s.range(start),
            command: Some(lsp::Command {
                title: lens.title,
                command: SHOW_NEW_ACCESS.to_owned(),
                arguments: Some(vec![
                    serde_json::json!(s.uri.as_str()),
                    serde_json::json!(name),
                ]),
            }),
            data: None,
        });
    }
    Some(out)
}

/// The embedded policy a [`SHOW_NEW_ACCESS`] command names (second argument), if any.
#[must_use]
pub fn command_policy(args: &[serde_json::Value]) -> Option<&str> {
    args.get(1)?.as_str()
}

/// The document a [`SHOW_NEW_ACCESS`] command names (first argument, a URI string).
#[must_use]
pub fn command_uri(args: &[serde_json::Value]) -> Option<Uri> {
    args.first()?.as_str()?.parse().ok()
}
