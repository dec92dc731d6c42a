//! The language server: lifecycle, document synchronisation and diagnostics.
//!
//! Invariants (see docs/architecture.md): edits are applied before the first `.await` of a
//! handler; no `DashMap` guard is held across an `.await`; diagnostics are published tagged with
//! the version they describe and dropped when a newer version has arrived meanwhile; every
//! computation runs inside `guard`, so a panic becomes an error answer and the server goes on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;
use iam_analysis::{Analysis, Options};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::{Client, LanguageServer};

use crate::config::{self, Settings};
use crate::convert;
use crate::document::Document;
use crate::encoding::PositionEncoding;
use crate::handlers::{self, Snapshot};
use crate::workspace::Workspace;

#[derive(Debug, Default)]
struct State {
    encoding: PositionEncoding,
    settings: Arc<Settings>,
    /// Push diagnostics (`textDocument/publishDiagnostics`). Off when the client pulls.
    push: bool,
    /// Workspace folders (canonical paths): configuration discovery does not look above them.
    roots: Vec<std::path::PathBuf>,
}

pub struct Backend {
    client: Client,
    docs: DashMap<Uri, Document>,
    state: RwLock<State>,
    /// Project configuration per document, read lazily (see [`Backend::project`]).
    projects: DashMap<Uri, Arc<crate::project::Project>>,
    /// Set by `shutdown`; decides the exit code.
    shutdown: Arc<std::sync::atomic::AtomicBool>,
}

/// Documents larger than this are not analysed (one warning diagnostic says so); the server
/// keeps their text for incremental sync only. See docs/reliability.md.
pub const MAX_DOCUMENT_BYTES: usize = 8 << 20;

/// Test-only switch (debug builds only): `IAM_POLICY_LS_TEST_PANIC=<name>` makes the guarded
/// computation called `<name>` (`hover`, `completion`, `didChange`, `analysis`, ...) panic, to
/// test isolation. Read once at startup; compiled out of release builds.
#[cfg(debug_assertions)]
fn test_panic(what: &str) {
    static TARGET: std::sync::LazyLock<Option<String>> =
        std::sync::LazyLock::new(|| std::env::var("IAM_POLICY_LS_TEST_PANIC").ok());
    if TARGET.as_deref() == Some(what) {
        panic!("deliberate test panic in {what} (IAM_POLICY_LS_TEST_PANIC)");
    }
}

/// Runs `f`, turning a panic into an internal error.
pub fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(|| {
        #[cfg(debug_assertions)]
        test_panic(what);
        f()
    }))
    .map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(request = what, panic = %msg, "handler panicked");
        let mut e = Error::internal_error();
        e.message = format!("internal error in {what}: {msg}").into();
        e
    })
}

impl Backend {
    #[must_use]
    pub fn new(client: Client, shutdown: Arc<std::sync::atomic::AtomicBool>) -> Self {
        Self {
            client,
            docs: DashMap::new(),
            projects: DashMap::new(),
            state: RwLock::new(State {
                push: true,
                ..State::default()
            }),
            shutdown,
        }
    }

    fn encoding(&self) -> PositionEncoding {
        self.state.read().map(|s| s.encoding).unwrap_or_default()
    }

    fn settings(&self) -> Arc<Settings> {
        self.state
            .read()
            .map(|s| Arc::clone(&s.settings))
            .unwrap_or_default()
    }

    fn push_enabled(&self) -> bool {
        self.state.read().map(|s| s.push).unwrap_or(true)
    }

    /// `iam-policy-ls/rejectedMessage`: what the framing layer (`crate::framing`) sends in place of
    /// a malformed message; answered with the JSON-RPC error it describes.
    pub async fn rejected_message(&self, params: Rejected) -> Result<()> {
        tracing::warn!(
            code = params.code,
            "answered a malformed message: {}",
            params.message
        );
        Err(Error {
            code: params.code.into(),
            message: params.message.into(),
            data: None,
        })
    }

    /// Re-analyses the document and returns what to publish. The text is copied out under a
    /// short guard, analysed without any guard held, and stored back only if no newer version
    /// arrived meanwhile.
    fn reanalyse(&self, uri: &Uri) -> Option<(i32, Vec<lsp::Diagnostic>)> {
        let settings = self.settings();
        let enc = self.encoding();
        let (text, version, language_id, last) = {
            let doc = self.docs.get(uri)?;
            if doc.rope.len_bytes() > MAX_DOCUMENT_BYTES {
                let version = doc.version;
                drop(doc);
                let mut doc = self.docs.get_mut(uri)?;
                if doc.version != version {
                    return None;
                }
                tracing::warn!(
                    uri = uri.as_str(),
                    bytes = doc.rope.len_bytes(),
                    "document larger than {MAX_DOCUMENT_BYTES} bytes: not analysed"
                );
                doc.analysis = None;
                return Some((version, diagnostics_of(&doc, &settings, enc)));
            }
            (
                doc.text(),
                doc.version,
                doc.language_id.clone(),
                doc.analysis.clone(),
            )
        };
        if crate::policy_tests::is_tests_file(uri) {
            let diags = guard("policy tests", || {
                crate::policy_tests::diagnostics(uri, &text, self, enc)
            })
            .ok()
            .flatten()
            .unwrap_or_default();
            return Some((version, diags));
        }
        let path = uri_path(uri);
        let project = self.project(uri);
        let analysis = guard("analysis", || {
            analyse(
                &settings,
                &project,
                &path,
                &language_id,
                &text,
                last.as_deref(),
            )
        })
        .ok()
        .flatten();
        // The document holds the last analysis too: freed below, off the request path if large.
        drop(last);
        let mut doc = self.docs.get_mut(uri)?;
        if doc.version != version {
            return None;
        }
        let previous = std::mem::replace(&mut doc.analysis, analysis.map(Arc::new));
        // A pulling client asks for the diagnostics itself (`diagnostic`): converting them
        // here too would be thrown away by `publish` (~8% of a 6 KB keystroke).
        let diags = if self.push_enabled() {
            diagnostics_of(&doc, &settings, enc)
        } else {
            Vec::new()
        };
        let version = doc.version;
        drop(doc);
        drop_later(previous, text.len());
        Some((version, diags))
    }

    /// Re-analyses `uri` and publishes, then refreshes its open counterpart (a policy's tests
    /// file, or a tests file's policy).
    async fn refresh(&self, uri: Uri) {
        if let Some((version, diags)) = self.reanalyse(&uri) {
            self.publish(uri.clone(), version, diags).await;
        }
        if let Some(other) = crate::policy_tests::counterpart(&uri) {
            if self.docs.contains_key(&other) && crate::policy_tests::is_tests_file(&other) {
                if let Some((version, diags)) = self.reanalyse(&other) {
                    self.publish(other, version, diags).await;
                }
            }
        }
    }

    /// The project configuration of a document (`.iam-policy-ls.toml`, `<name>.suppress.json`),
    /// read once per document and cached until a configuration file changes.
    fn project(&self, uri: &Uri) -> Arc<crate::project::Project> {
        if let Some(p) = self.projects.get(uri) {
            return Arc::clone(&p);
        }
        let roots = self
            .state
            .read()
            .map(|s| s.roots.clone())
            .unwrap_or_default();
        let project = Arc::new(
            uri.to_file_path()
                .map(|p| {
                    let canon = std::fs::canonicalize(&p).unwrap_or_else(|_| p.to_path_buf());
                    let root = roots
                        .iter()
                        .filter(|r| canon.starts_with(r))
                        .max_by_key(|r| r.as_os_str().len());
                    crate::project::load(&p, root.map(std::path::PathBuf::as_path))
                })
                .unwrap_or_default(),
        );
        for problem in &project.problems {
            tracing::warn!(uri = uri.as_str(), "configuration: {problem}");
        }
        self.projects.insert(uri.clone(), Arc::clone(&project));
        project
    }

    /// A configuration file changed: forget cached configurations and re-analyse everything.
    async fn config_files_changed(&self) {
        self.projects.clear();
        let uris: Vec<Uri> = self.docs.iter().map(|e| e.key().clone()).collect();
        for uri in uris {
            if let Some((version, diags)) = self.reanalyse(&uri) {
                self.publish(uri, version, diags).await;
            }
        }
    }

    /// The document at its current version, when it is an analysed policy.
    fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let doc = self.docs.get(uri)?;
        let analysis = Arc::clone(doc.analysis.as_ref()?);
        Some(Snapshot {
            uri: uri.clone(),
            version: doc.version,
            rope: doc.rope.clone(),
            analysis,
            encoding: self.encoding(),
            settings: self.settings(),
        })
    }

    /// Runs a read-only feature on the document's snapshot; `None` when it is not an open policy.
    fn with_snapshot<T>(
        &self,
        what: &str,
        uri: &Uri,
        f: impl FnOnce(&Snapshot) -> Option<T>,
    ) -> Result<Option<T>> {
        let Some(s) = self.snapshot(uri) else {
            return Ok(None);
        };
        guard(what, || f(&s))
    }

    async fn publish(&self, uri: Uri, version: i32, diags: Vec<lsp::Diagnostic>) {
        if !self.push_enabled() {
            return;
        }
        // Drop results that a newer edit has overtaken.
        let current = self.docs.get(&uri).map(|d| d.version);
        if current != Some(version) {
            return;
        }
        self.client
            .publish_diagnostics(uri, diags, Some(version))
            .await;
    }
}

/// Documents at least this large have their previous analysis freed off the request path.
const DROP_LATER_BYTES: usize = 128 << 10;

/// Frees a replaced analysis. Freeing the syntax tree and findings of a large document is a
/// tenth of its re-analysis time (9 ms of 95 ms for 1 MB, measured with `perf` on
/// `cargo bench -p iam-policy-ls --bench did_change`), so for large documents it is done on
/// tokio's blocking pool after the new diagnostics are computed, instead of before they are
/// published. Small analyses are dropped in place (a few microseconds).
fn drop_later(analysis: Option<Arc<Analysis>>, text_len: usize) {
    if text_len < DROP_LATER_BYTES {
        return;
    }
    if let (Some(a), Ok(rt)) = (analysis, tokio::runtime::Handle::try_current()) {
        rt.spawn_blocking(move || drop(a));
    }
}

fn uri_path(uri: &Uri) -> String {
    uri.to_file_path().map_or_else(
        || uri.as_str().to_owned(),
        |p| p.to_string_lossy().into_owned(),
    )
}

/// Analyses `text` when it is a policy. `previous` is the document's last analysis: the
/// findings of the statements it shares with `text` are reused (the result is the same).
#[must_use]
pub fn analyse(
    settings: &Settings,
    project: &crate::project::Project,
    path: &str,
    language_id: &str,
    text: &str,
    previous: Option<&Analysis>,
) -> Option<Analysis> {
    let options = Options {
        policy_type: settings.policy_type(path).or(project.policy_type),
        lenient: settings.lenient,
    };
    let analysis = iam_analysis::analyze_incremental(
        text,
        &options,
        &project.config,
        &project.suppressions,
        previous,
    );
    config::is_policy(settings, path, language_id, &analysis.parse).then_some(analysis)
}

/// Parameters of [`Backend::rejected_message`].
#[derive(Debug, serde::Deserialize)]
pub struct Rejected {
    pub code: i64,
    pub message: String,
}

/// Whether the rope contains the ASCII `needle`, without copying the text.
fn rope_contains(rope: &ropey::Rope, needle: &str) -> bool {
    let floor = |s: &str, mut i: usize| {
        i = i.min(s.len());
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    // The end of the text so far, to find a needle that spans two chunks.
    let mut carry = String::new();
    for chunk in rope.chunks() {
        let head = &chunk[..floor(chunk, needle.len())];
        carry.push_str(head);
        if chunk.contains(needle) || carry.contains(needle) {
            return true;
        }
        let tail_of = |s: &str| s[floor(s, s.len().saturating_sub(needle.len()))..].to_owned();
        carry = if head.len() < chunk.len() {
            tail_of(chunk)
        } else {
            tail_of(&carry)
        };
    }
    false
}

/// The single diagnostic of a document too large to analyse, when it looks like a policy.
fn too_large(doc: &Document) -> Option<lsp::Diagnostic> {
    let len = doc.rope.len_bytes();
    if len <= MAX_DOCUMENT_BYTES || !rope_contains(&doc.rope, "\"Statement\"") {
        return None;
    }
    Some(lsp::Diagnostic {
        range: lsp::Range::default(),
        severity: Some(lsp::DiagnosticSeverity::WARNING),
        source: Some(convert::SOURCE.to_owned()),
        message: format!(
            "this document is {len} bytes, larger than the {MAX_DOCUMENT_BYTES}-byte limit: it is not analysed"
        ),
        ..lsp::Diagnostic::default()
    })
}

fn diagnostics_of(
    doc: &Document,
    settings: &Settings,
    enc: PositionEncoding,
) -> Vec<lsp::Diagnostic> {
    if let Some(d) = too_large(doc) {
        return vec![d];
    }
    doc.analysis.as_ref().map_or_else(Vec::new, |a| {
        a.diagnostics
            .iter()
            .filter(|d| !settings.is_disabled(d.rule))
            .map(|d| convert::diagnostic(&doc.rope, d, enc))
            .collect()
    })
}

fn negotiate_encoding(params: &lsp::InitializeParams) -> PositionEncoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .map(|v| v.contains(&lsp::PositionEncodingKind::UTF8))
        .unwrap_or(false);
    if offered {
        PositionEncoding::Utf8
    } else {
        PositionEncoding::Utf16
    }
}

fn client_pulls(params: &lsp::InitializeParams) -> bool {
    params
        .capabilities
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some())
}

/// What the server implements, exactly.
#[must_use]
pub fn capabilities(enc: PositionEncoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(match enc {
            PositionEncoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                // Saves of `.iam-policy-ls.toml` and `*.suppress.json` reload the configuration.
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
            },
        )),
        diagnostic_provider: Some(lsp::DiagnosticServerCapabilities::Options(
            lsp::DiagnosticOptions {
                identifier: Some(convert::SOURCE.to_owned()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
            },
        )),
        completion_provider: handlers::completion::capability(),
        hover_provider: handlers::hover::capability(),
        code_action_provider: handlers::code_action::capability(),
        code_lens_provider: handlers::code_lens::capability(),
        document_symbol_provider: handlers::symbols::capability(),
        folding_range_provider: handlers::folding::capability(),
        selection_range_provider: handlers::selection::capability(),
        inlay_hint_provider: handlers::inlay_hint::capability(),
        document_formatting_provider: handlers::formatting::capability(),
        document_range_formatting_provider: handlers::formatting::range_capability(),
        execute_command_provider: handlers::commands::capability(),
        ..lsp::ServerCapabilities::default()
    }
}

impl Workspace for Backend {
    fn text(&self, uri: &Uri) -> Option<String> {
        if let Some(doc) = self.docs.get(uri) {
            return Some(doc.text());
        }
        let path = uri.to_file_path()?;
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > crate::cli::check::MAX_FILE_BYTES {
            return None;
        }
        std::fs::read_to_string(&path).ok()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        let enc = negotiate_encoding(&params);
        let settings = params
            .initialization_options
            .as_ref()
            .map(Settings::from_json)
            .unwrap_or_default();
        if let Some(level) = &settings.log_level {
            if let Err(e) = crate::logging::set_level(level) {
                tracing::warn!("{e}");
            }
        }
        let force_push = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("iamPolicy").unwrap_or(o).get("pushDiagnostics"))
            .and_then(serde_json::Value::as_bool);
        let push = force_push.unwrap_or(!client_pulls(&params));
        for p in &settings.problems {
            tracing::warn!("settings: {p}");
        }
        #[allow(deprecated)] // `rootUri` is deprecated but still the only root some clients send.
        let mut roots: Vec<std::path::PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .map(|f| &f.uri)
            .chain(params.root_uri.as_ref())
            .filter_map(|u| {
                u.to_file_path()
                    .map(|p| std::fs::canonicalize(&p).unwrap_or_else(|_| p.to_path_buf()))
            })
            .collect();
        roots.dedup();
        if let Some(p) = &settings.catalog_path {
            // Resolved against the first workspace folder when relative; loaded on first use.
            let path = std::path::PathBuf::from(p);
            let path = match roots.first() {
                Some(root) if path.is_relative() => root.join(path),
                _ => path,
            };
            if !crate::catalog_choice::install(Some(path), None) {
                tracing::warn!("catalogPath ignored: the catalog is already in use");
            }
        }
        if let Ok(mut s) = self.state.write() {
            s.roots = roots;
            s.encoding = enc;
            s.settings = Arc::new(settings);
            s.push = push;
        }
        tracing::info!(?enc, push, "initialized");
        Ok(lsp::InitializeResult {
            capabilities: capabilities(enc),
            server_info: Some(lsp::ServerInfo {
                name: "iam-policy-ls".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        // After the `initialize` answer, so start-up does not wait for the catalog to load.
        let warn_after = self
            .state
            .read()
            .map(|s| s.settings.catalog_warn_after_days)
            .unwrap_or(crate::config::DEFAULT_CATALOG_WARN_AFTER_DAYS);
        for (kind, text) in crate::catalog_choice::startup_messages(warn_after) {
            let kind = if kind {
                lsp::MessageType::WARNING
            } else {
                lsp::MessageType::INFO
            };
            self.client.show_message(kind, text).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown
            .store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let td = params.text_document;
        let uri = td.uri.clone();
        self.docs
            .insert(td.uri, Document::new(&td.text, td.version, td.language_id));
        if crate::project::is_config_file(uri.as_str()) {
            self.config_files_changed().await;
        }
        self.refresh(uri).await;
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let enc = self.encoding();
        {
            let Some(mut doc) = self.docs.get_mut(&uri) else {
                tracing::warn!(
                    uri = uri.as_str(),
                    "didChange for a document that is not open: ignored"
                );
                return;
            };
            if version <= doc.version {
                tracing::warn!(
                    uri = uri.as_str(),
                    version,
                    current = doc.version,
                    "stale didChange ignored"
                );
                return;
            }
            let changes = params.content_changes;
            if guard("didChange", || doc.apply_changes(changes, enc)).is_err() {
                // The text may be half-edited: forget the document rather than answer from a
                // text that is not the client's. Clear its diagnostics and tell the user.
                drop(doc);
                self.docs.remove(&uri);
                tracing::error!(
                    uri = uri.as_str(),
                    version,
                    "document dropped after a failed edit"
                );
                self.client
                    .publish_diagnostics(uri.clone(), Vec::new(), None)
                    .await;
                self.client
                    .show_message(
                        lsp::MessageType::ERROR,
                        format!(
                            "iam-policy-ls: internal error while editing {}; close and reopen it",
                            uri.as_str()
                        ),
                    )
                    .await;
                return;
            }
            doc.version = version;
        }
        if crate::project::is_config_file(uri.as_str()) {
            // The configuration is read from disk: drop the cached copies so the next analysis
            // reads the file again (an unsaved edit counts once it is saved).
            self.config_files_changed().await;
        }
        self.refresh(uri).await;
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let was_policy = self
            .docs
            .remove(&uri)
            .is_some_and(|(_, d)| d.analysis.is_some() || crate::policy_tests::is_tests_file(&uri));
        self.projects.remove(&uri);
        if was_policy && self.push_enabled() {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let settings = Settings::from_json(&params.settings);
        for p in &settings.problems {
            self.client
                .show_message(lsp::MessageType::WARNING, format!("iam-policy-ls: {p}"))
                .await;
        }
        if let Some(level) = &settings.log_level {
            if let Err(e) = crate::logging::set_level(level) {
                self.client
                    .show_message(lsp::MessageType::WARNING, format!("iam-policy-ls: {e}"))
                    .await;
            }
        }
        if let Ok(mut s) = self.state.write() {
            s.settings = Arc::new(settings);
        }
        self.config_files_changed().await;
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        if crate::project::is_config_file(params.text_document.uri.as_str()) {
            self.config_files_changed().await;
        }
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri.clone();
        self.with_snapshot("completion", &uri, |s| {
            handlers::completion::completion(s, params)
        })
    }

    async fn completion_resolve(&self, item: lsp::CompletionItem) -> Result<lsp::CompletionItem> {
        let Some(data) = item.data.as_ref().and_then(|d| {
            serde_json::from_value::<handlers::completion::ResolveData>(d.clone()).ok()
        }) else {
            return Ok(item);
        };
        let key = data.uri_key();
        let Some(uri) = self
            .docs
            .iter()
            .find(|d| handlers::completion::uri_key(d.key().as_str()) == key)
            .map(|d| d.key().clone())
        else {
            return Ok(item);
        };
        let Some(snapshot) = self.snapshot(&uri) else {
            return Ok(item);
        };
        guard("completionItem/resolve", || {
            handlers::completion::resolve(&snapshot, &data, item)
        })
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        self.with_snapshot("hover", &uri, |s| handlers::hover::hover(s, params))
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot("codeAction", &uri, |s| {
            handlers::code_action::code_action(s, params)
        })
    }

    async fn code_lens(&self, params: lsp::CodeLensParams) -> Result<Option<Vec<lsp::CodeLens>>> {
        let uri = params.text_document.uri.clone();
        if crate::policy_tests::is_tests_file(&uri) {
            let Some(text) = self.docs.get(&uri).map(|d| d.text()) else {
                return Ok(None);
            };
            let enc = self.encoding();
            return guard("codeLens", || {
                Some(crate::policy_tests::code_lenses(&uri, &text, self, enc))
            });
        }
        self.with_snapshot("codeLens", &uri, |s| {
            handlers::code_lens::code_lens(s, params, self)
        })
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot("documentSymbol", &uri, |s| {
            handlers::symbols::document_symbol(s, params)
        })
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> Result<Option<Vec<lsp::FoldingRange>>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot("foldingRange", &uri, |s| {
            handlers::folding::folding_range(s, params)
        })
    }

    async fn selection_range(
        &self,
        params: lsp::SelectionRangeParams,
    ) -> Result<Option<Vec<lsp::SelectionRange>>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot("selectionRange", &uri, |s| {
            handlers::selection::selection_range(s, params)
        })
    }

    async fn inlay_hint(
        &self,
        params: lsp::InlayHintParams,
    ) -> Result<Option<Vec<lsp::InlayHint>>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot("inlayHint", &uri, |s| {
            handlers::inlay_hint::inlay_hint(s, params)
        })
    }

    async fn formatting(
        &self,
        params: lsp::DocumentFormattingParams,
    ) -> Result<Option<Vec<lsp::TextEdit>>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot("formatting", &uri, |s| {
            handlers::formatting::formatting(s, params)
        })
    }

    async fn range_formatting(
        &self,
        params: lsp::DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<lsp::TextEdit>>> {
        let uri = params.text_document.uri.clone();
        self.with_snapshot("rangeFormatting", &uri, |s| {
            handlers::formatting::range_formatting(s, params)
        })
    }

    async fn execute_command(
        &self,
        params: lsp::ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        let what = params.command.clone();
        guard(&what, || handlers::commands::execute(params, self))?
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let settings = self.settings();
        let enc = self.encoding();
        let items = {
            let Some(doc) = self.docs.get(&uri) else {
                return Err(Error::invalid_params(format!(
                    "document not open: {}",
                    uri.as_str()
                )));
            };
            guard("diagnostic", || diagnostics_of(&doc, &settings, enc))?
        };
        Ok(lsp::DocumentDiagnosticReportResult::Report(
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }
}
