//! Workspace diagnostics: the findings of every policy file in the workspace folders, opened or
//! not. Pulled with `workspace/diagnostic` (result ids: a file whose findings did not change is
//! reported `unchanged`), or published when the `workspaceDiagnostics` setting is on (clients
//! that do not pull). Kept current through `workspace/didChangeWatchedFiles` (the watcher is
//! registered dynamically when the client can); without it every request looks at the files'
//! sizes and modification times again.
//!
//! The files are those `check DIR` reads ([`crate::discover::walk`]: `.git`, `node_modules`,
//! `target` and `.terraform` are skipped), told apart by the same rules as open documents (the
//! policy globs, a top-level `Statement`, templates with embedded policies), with the project's
//! `.iam-policy-ls.toml` and suppressions. Open documents keep their own, versioned diagnostics:
//! a pull reports them from the open text with their version, and pushing leaves them alone.
//! Only the LSP diagnostics are kept per file (never the analysis), so memory grows with the
//! findings, not with the text.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use ropey::Rope;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use iam_hosts::FileCheck;

use super::Backend;
use super::diagnostics::{analyze_document, diagnostics_of};
use crate::config::Settings;
use crate::convert;
use crate::encoding::PositionEncoding;

/// The id of the file watcher registration.
const WATCHER_ID: &str = "iam-policy-ls/watchedFiles";

/// What the server knows about the workspace's policy files.
#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    inner: Mutex<Index>,
}

#[derive(Debug, Default)]
struct Index {
    /// The client can register a file watcher dynamically.
    can_watch: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    can_refresh: bool,
    /// The watcher is registered: changes arrive as events, no walk per request.
    watching: bool,
    /// The entries describe the files under these settings; `None`: scan everything again.
    settings: Option<Arc<Settings>>,
    /// Files reported changed by the watcher since the last update.
    dirty: BTreeSet<PathBuf>,
    /// Every policy file found, by path.
    files: BTreeMap<PathBuf, Entry>,
    /// Push mode: the result id last published per URI.
    published: HashMap<Uri, String>,
}

#[derive(Debug, Clone)]
struct Entry {
    uri: Uri,
    stamp: Stamp,
    items: Vec<lsp::Diagnostic>,
    result_id: String,
}

/// Size and modification time: a file whose stamp is unchanged is not read again.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    m.is_file().then(|| (m.len(), m.modified().ok()))
}

/// What an update must look at.
enum Work {
    /// Everything under the roots, analysed afresh.
    Full,
    /// Walk the roots; analyse the files whose stamp changed (no watcher).
    Walk(HashMap<PathBuf, Stamp>),
    /// The files the watcher reported, and the known files (gone ones are dropped).
    Paths {
        dirty: Vec<PathBuf>,
        known: Vec<PathBuf>,
    },
}

/// The outcome of an update: analysed files (`None`: not a policy, unreadable or gone), and for
/// walks the complete list of candidates (entries not in it are dropped).
struct Update {
    analysed: Vec<(PathBuf, Option<Entry>)>,
    present: Option<BTreeSet<PathBuf>>,
    full: bool,
}

/// A stable id of a list of diagnostics: equal findings, equal ids (also across restarts).
fn result_id(items: &[lsp::Diagnostic]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_vec(items).unwrap_or_default().hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The deepest workspace folder holding `path`.
fn root_of<'a>(roots: &'a [PathBuf], path: &Path) -> Option<&'a PathBuf> {
    roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.as_os_str().len())
}

/// Analyses one file on disk: its LSP diagnostics when it is a policy or a template holding
/// policies, `None` otherwise (or when it cannot be read, is too large or not UTF-8).
fn analyze_file(
    path: &Path,
    root: &Path,
    settings: &Settings,
    enc: PositionEncoding,
) -> Option<Entry> {
    let stamp = stamp(path)?;
    if stamp.0 > crate::workspace::MAX_FILE_BYTES {
        return None;
    }
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    let uri = Uri::from_file_path(path)?;
    let project = crate::project::load(path, Some(root));
    let name = path.to_string_lossy();
    let found = match iam_hosts::check_file(&name, &text, &project.config, &project.suppressions) {
        FileCheck::Host { analysis, .. } => analysis.diagnostics,
        FileCheck::NoPolicy(_) => return None,
        FileCheck::NotHost => {
            analyze_document(settings, &project, &name, "json", &text, None)?.diagnostics
        }
    };
    let rope = Rope::from_str(&text);
    let items: Vec<lsp::Diagnostic> = found
        .iter()
        .filter(|d| !settings.is_disabled(d.rule))
        .map(|d| convert::diagnostic(&rope, d, enc))
        .collect();
    Some(Entry {
        uri,
        stamp,
        result_id: result_id(&items),
        items,
    })
}

/// Runs `work` (blocking: reads and analyses files on all cores).
fn run(work: Work, roots: &[PathBuf], settings: &Settings, enc: PositionEncoding) -> Update {
    let walk = || {
        let mut out = BTreeMap::new();
        for root in roots {
            let mut unreadable = Vec::new();
            for f in crate::discover::walk(root, &mut unreadable) {
                // Nested folders: a file belongs to its deepest folder.
                if let Some(r) = root_of(roots, &f) {
                    out.entry(f).or_insert_with(|| r.clone());
                }
            }
        }
        out
    };
    let (todo, present, full): (Vec<(PathBuf, PathBuf)>, _, _) = match work {
        Work::Full => {
            let all = walk();
            let present = all.keys().cloned().collect();
            (all.into_iter().collect(), Some(present), true)
        }
        Work::Walk(known) => {
            let all = walk();
            let present = all.keys().cloned().collect();
            let todo = all
                .into_iter()
                .filter(|(f, _)| known.get(f).is_none_or(|s| stamp(f).as_ref() != Some(s)))
                .collect();
            (todo, Some(present), false)
        }
        Work::Paths { dirty, known } => {
            let mut todo = Vec::new();
            for f in dirty {
                if let Some(r) = root_of(roots, &f)
                    && !crate::discover::in_skipped_dir(r, &f)
                    && crate::discover::is_candidate(&f)
                {
                    todo.push((f.clone(), r.clone()));
                }
            }
            // A deleted folder is not always reported file by file: drop what is gone.
            for f in known {
                if !f.exists()
                    && let Some(r) = root_of(roots, &f)
                {
                    todo.push((f.clone(), r.clone()));
                }
            }
            (todo, None, false)
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(todo.len().max(1));
    let next = AtomicUsize::new(0);
    let analysed = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some((f, root)) = todo.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let entry = super::guard("workspace diagnostics", || {
                            analyze_file(f, root, settings, enc)
                        })
                        .ok()
                        .flatten();
                        mine.push((f.clone(), entry));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    Update {
        analysed,
        present,
        full,
    }
}

impl Backend {
    /// Reads what the client can do (at `initialize`).
    pub(super) fn workspace_capabilities(&self, params: &lsp::InitializeParams) {
        let ws = params.capabilities.workspace.as_ref();
        if let Ok(mut ix) = self.workspace.inner.lock() {
            ix.can_watch = ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false);
            ix.can_refresh = ws
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
        }
    }

    /// After `initialized`: registers the file watcher, and publishes the workspace's findings
    /// when the `workspaceDiagnostics` setting asks for it.
    pub(super) async fn workspace_initialized(&self) {
        let can_watch = self
            .workspace
            .inner
            .lock()
            .map(|ix| ix.can_watch)
            .unwrap_or(false);
        if can_watch {
            let watchers: Vec<lsp::FileSystemWatcher> =
                ["**/*.{json,yaml,yml,template,tf}", "**/.iam-policy-ls.toml"]
                    .iter()
                    .map(|g| lsp::FileSystemWatcher {
                        glob_pattern: lsp::GlobPattern::String((*g).to_owned()),
                        kind: None,
                    })
                    .collect();
            let options =
                serde_json::to_value(lsp::DidChangeWatchedFilesRegistrationOptions { watchers })
                    .ok();
            let registered = self
                .client
                .register_capability(vec![lsp::Registration {
                    id: WATCHER_ID.to_owned(),
                    method: "workspace/didChangeWatchedFiles".to_owned(),
                    register_options: options,
                }])
                .await;
            if let Err(e) = &registered {
                tracing::warn!("file watcher not registered: {e}");
            }
            if let Ok(mut ix) = self.workspace.inner.lock() {
                ix.watching = registered.is_ok();
            }
        }
        self.workspace_push().await;
    }

    /// `workspace/didChangeWatchedFiles`: the files are analysed again at the next request (or
    /// now, when pushing); a changed configuration file re-analyses everything.
    pub(super) async fn workspace_files_changed(&self, params: lsp::DidChangeWatchedFilesParams) {
        let mut config = false;
        if let Ok(mut ix) = self.workspace.inner.lock() {
            for change in &params.changes {
                if crate::project::is_config_file(change.uri.as_str()) {
                    config = true;
                }
                if let Some(p) = change.uri.to_file_path() {
                    ix.dirty.insert(p.into_owned());
                }
            }
        }
        if config {
            // Open documents read their configuration again too.
            self.config_files_changed().await;
        }
        self.workspace_changed(config).await;
    }

    /// Something the workspace's findings depend on changed: with `invalidate`, the settings or
    /// a configuration file (everything is analysed again). Publishes or asks the client to pull.
    pub(super) async fn workspace_changed(&self, invalidate: bool) {
        let can_refresh = match self.workspace.inner.lock() {
            Ok(mut ix) => {
                if invalidate {
                    ix.settings = None;
                }
                ix.can_refresh
            }
            Err(_) => false,
        };
        self.workspace_push().await;
        if can_refresh
            && !self.settings().workspace_diagnostics
            && let Err(e) = self.client.workspace_diagnostic_refresh().await
        {
            tracing::debug!("workspace/diagnostic/refresh: {e}");
        }
    }

    /// A document was closed: with `workspaceDiagnostics` on, its findings on disk are
    /// published again (closing cleared its own).
    pub(super) async fn workspace_document_closed(&self, uri: &Uri) {
        if !self.settings().workspace_diagnostics {
            return;
        }
        if let Ok(mut ix) = self.workspace.inner.lock() {
            ix.published.remove(uri);
        }
        self.workspace_push().await;
    }

    /// Brings the index up to date with the files and the settings.
    async fn workspace_update(&self) {
        let settings = self.settings();
        let roots = self
            .state
            .read()
            .map(|s| s.roots.clone())
            .unwrap_or_default();
        let enc = self.encoding();
        let work = {
            let Ok(mut ix) = self.workspace.inner.lock() else {
                return;
            };
            if !ix
                .settings
                .as_ref()
                .is_some_and(|s| Arc::ptr_eq(s, &settings))
            {
                ix.dirty.clear();
                Work::Full
            } else if ix.watching {
                if ix.dirty.is_empty() && ix.files.is_empty() {
                    return;
                }
                Work::Paths {
                    dirty: std::mem::take(&mut ix.dirty).into_iter().collect(),
                    known: ix.files.keys().cloned().collect(),
                }
            } else {
                ix.dirty.clear();
                Work::Walk(ix.files.iter().map(|(p, e)| (p.clone(), e.stamp)).collect())
            }
        };
        let s = Arc::clone(&settings);
        let update = match tokio::task::spawn_blocking(move || run(work, &roots, &s, enc)).await {
            Ok(u) => u,
            Err(e) => {
                tracing::error!("workspace diagnostics failed: {e}");
                return;
            }
        };
        let Ok(mut ix) = self.workspace.inner.lock() else {
            return;
        };
        if update.full {
            ix.files.clear();
        }
        if let Some(present) = &update.present {
            ix.files.retain(|p, _| present.contains(p));
        }
        for (path, entry) in update.analysed {
            match entry {
                Some(e) => ix.files.insert(path, e),
                None => ix.files.remove(&path),
            };
        }
        ix.settings = Some(settings);
        tracing::debug!(files = ix.files.len(), "workspace index updated");
    }

    /// The diagnostics of an open policy document with its version, `None` if it is not one.
    fn open_report(&self, uri: &Uri) -> Option<(i64, Vec<lsp::Diagnostic>)> {
        let doc = self.docs.get(uri)?;
        doc.analysis.as_ref()?;
        let items = diagnostics_of(&doc, &self.settings(), self.encoding());
        Some((i64::from(doc.version), items))
    }

    /// `textDocument/diagnostic` for a workspace file that is not open: its findings on disk.
    pub(super) fn workspace_file_report(
        &self,
        uri: &Uri,
    ) -> Option<lsp::DocumentDiagnosticReportResult> {
        let path = uri.to_file_path()?;
        let ix = self.workspace.inner.lock().ok()?;
        let e = ix.files.get(&*path)?;
        Some(lsp::DocumentDiagnosticReportResult::Report(
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: Some(e.result_id.clone()),
                    items: e.items.clone(),
                },
            }),
        ))
    }

    /// `workspace/diagnostic`.
    pub(super) async fn workspace_report(
        &self,
        params: lsp::WorkspaceDiagnosticParams,
    ) -> Result<lsp::WorkspaceDiagnosticReportResult> {
        self.workspace_update().await;
        let previous: HashMap<&Uri, &str> = params
            .previous_result_ids
            .iter()
            .map(|p| (&p.uri, p.value.as_str()))
            .collect();
        let files: Vec<Entry> = match self.workspace.inner.lock() {
            Ok(ix) => ix.files.values().cloned().collect(),
            Err(_) => Vec::new(),
        };
        let mut items = Vec::with_capacity(files.len());
        let mut reported = BTreeSet::new();
        for e in files {
            let (version, diags, id) = match self.open_report(&e.uri) {
                Some((v, d)) => {
                    let id = format!("v{}", result_id(&d));
                    (Some(v), d, id)
                }
                None => (None, e.items, e.result_id),
            };
            reported.insert(e.uri.clone());
            items.push(if previous.get(&e.uri) == Some(&id.as_str()) {
                lsp::WorkspaceDocumentDiagnosticReport::Unchanged(
                    lsp::WorkspaceUnchangedDocumentDiagnosticReport {
                        uri: e.uri,
                        version,
                        unchanged_document_diagnostic_report:
                            lsp::UnchangedDocumentDiagnosticReport { result_id: id },
                    },
                )
            } else {
                full_report(e.uri, version, diags, Some(id))
            });
        }
        // Files the client has findings for that are gone or no longer policies: cleared.
        for p in &params.previous_result_ids {
            if !reported.contains(&p.uri) {
                items.push(full_report(p.uri.clone(), None, Vec::new(), None));
            }
        }
        Ok(lsp::WorkspaceDiagnosticReportResult::Report(
            lsp::WorkspaceDiagnosticReport { items },
        ))
    }

    /// Push mode (`workspaceDiagnostics`): publishes the findings of unopened policy files that
    /// changed since they were last published, and clears those of files that are gone. With
    /// the setting off, clears whatever was published.
    async fn workspace_push(&self) {
        let on = self.settings().workspace_diagnostics;
        if on {
            self.workspace_update().await;
        }
        let mut out: Vec<(Uri, Vec<lsp::Diagnostic>)> = Vec::new();
        if let Ok(mut ix) = self.workspace.inner.lock() {
            let mut current: HashMap<Uri, String> = HashMap::new();
            if on {
                for e in ix.files.values() {
                    if self.docs.contains_key(&e.uri) {
                        continue;
                    }
                    current.insert(e.uri.clone(), e.result_id.clone());
                    if ix.published.get(&e.uri) != Some(&e.result_id) {
                        out.push((e.uri.clone(), e.items.clone()));
                    }
                }
            }
            for uri in ix.published.keys() {
                if !current.contains_key(uri) && !self.docs.contains_key(uri) {
                    out.push((uri.clone(), Vec::new()));
                }
            }
            ix.published = current;
        }
        for (uri, items) in out {
            self.client.publish_diagnostics(uri, items, None).await;
        }
    }
}

fn full_report(
    uri: Uri,
    version: Option<i64>,
    items: Vec<lsp::Diagnostic>,
    result_id: Option<String>,
) -> lsp::WorkspaceDocumentDiagnosticReport {
    lsp::WorkspaceDocumentDiagnosticReport::Full(lsp::WorkspaceFullDocumentDiagnosticReport {
        uri,
        version,
        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id, items },
    })
}
