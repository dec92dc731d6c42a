//! The language server: lifecycle, document synchronisation and diagnostics.
//!
//! Invariants (see docs/architecture.md): edits are applied before the first `.await` of a
//! handler; no `DashMap` guard is held across an `.await`; diagnostics are published tagged with
//! the version they describe and dropped when a newer version has arrived meanwhile; every
//! computation runs inside `guard`, so a panic becomes an error answer and the server goes on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::{Client, LanguageServer};

use crate::config::Settings;
use crate::document::Document;
use crate::encoding::PositionEncoding;
use crate::handlers::{self, Snapshot, SnapshotRequest};
use crate::workspace::Workspace;

mod diagnostics;
mod initialize;
mod workspace_diagnostics;
mod workspace_folders;

pub use diagnostics::{MAX_DOCUMENT_BYTES, analyze_document};
pub use initialize::capabilities;

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
    /// Workspace diagnostics: every policy file of the workspace folders.
    workspace: workspace_diagnostics::WorkspaceIndex,
    /// "New access since HEAD" per document, computed on open and save.
    git_lenses: Arc<handlers::code_lens::GitLenses>,
}

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
            workspace: workspace_diagnostics::WorkspaceIndex::default(),
            git_lenses: Arc::default(),
        }
    }

    /// Starts the comparison of a saved policy with git (the `compareWithGit` lens).
    fn schedule_git_lens(&self, uri: &Uri) {
        let is_policy = self.docs.get(uri).is_some_and(|d| d.analysis.is_some());
        let host = self
            .docs
            .get(uri)
            .and_then(|d| d.host.as_ref().map(|h| h.kind));
        if is_policy {
            let base = self.settings().compare_with_git.clone();
            handlers::code_lens::schedule(&self.git_lenses, &self.client, uri.clone(), base);
        } else if let Some(kind) = host {
            // A template or Terraform file: one lens per embedded policy.
            let base = self.settings().compare_with_git.clone();
            handlers::code_lens::schedule_host(
                &self.git_lenses,
                &self.client,
                uri.clone(),
                base,
                kind,
            );
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
                    let mut project =
                        crate::project::load(&p, root.map(std::path::PathBuf::as_path));
                    // A JSON policy read by a Terraform argument (`file(...)`): its type and kind.
                    let is_json = p.extension().is_some_and(|x| x == "json");
                    if is_json
                        && (project.policy_type.is_none() || project.config.resource_kind.is_none())
                    {
                        if let Some(r) = crate::host::references::referenced(&p) {
                            project.policy_type = project.policy_type.or(r.policy_type);
                            project.config.resource_kind =
                                project.config.resource_kind.or(r.resource_kind);
                        }
                    }
                    project
                })
                .unwrap_or_default(),
        );
        for problem in &project.problems {
            tracing::warn!(uri = uri.as_str(), "configuration: {problem}");
        }
        self.projects.insert(uri.clone(), Arc::clone(&project));
        project
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

    /// The host document at its current version, when it is a template or a Terraform file
    /// holding policies.
    fn host_snapshot(&self, uri: &Uri) -> Option<crate::host::features::HostSnapshot> {
        let doc = self.docs.get(uri)?;
        let host = Arc::clone(doc.host.as_ref()?);
        Some(crate::host::features::HostSnapshot {
            uri: uri.clone(),
            version: doc.version,
            rope: doc.rope.clone(),
            host,
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

    /// Answers request `R` from the snapshot of the document it names (see [`SnapshotRequest`]):
    /// the empty answer when the document is not an open policy, an internal error when the
    /// handler panics. The guard is named after the method (`hover`, `codeAction`, ...).
    fn dispatch<R: SnapshotRequest>(&self, params: R::Params) -> Result<R::Result> {
        let what = R::METHOD.rsplit('/').next().unwrap_or(R::METHOD);
        if let Some(h) = self.host_snapshot(R::uri(&params)) {
            return guard(what, || R::run_host(&h, params));
        }
        let Some(s) = self.snapshot(R::uri(&params)) else {
            return Ok(R::Result::default());
        };
        guard(what, || R::run(&s, params))
    }
}

/// Parameters of [`Backend::rejected_message`].
#[derive(Debug, serde::Deserialize)]
pub struct Rejected {
    pub code: i64,
    pub message: String,
}

impl Workspace for Backend {
    fn text(&self, uri: &Uri) -> Option<String> {
        if let Some(doc) = self.docs.get(uri) {
            return Some(doc.text());
        }
        let path = uri.to_file_path()?;
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > crate::workspace::MAX_FILE_BYTES {
            return None;
        }
        std::fs::read_to_string(&path).ok()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        Ok(self.initialize_state(&params))
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
        self.workspace_initialized().await;
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
        self.refresh(uri.clone()).await;
        self.schedule_git_lens(&uri);
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
        let was_policy = self.docs.remove(&uri).is_some_and(|(_, d)| {
            d.analysis.is_some() || d.host.is_some() || crate::policy_tests::is_tests_file(&uri)
        });
        self.projects.remove(&uri);
        self.git_lenses.forget(&uri);
        if was_policy && self.push_enabled() {
            self.client
                .publish_diagnostics(uri.clone(), Vec::new(), None)
                .await;
        }
        self.workspace_document_closed(&uri).await;
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
        self.workspace_changed(false).await;
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        if crate::project::is_config_file(params.text_document.uri.as_str()) {
            self.config_files_changed().await;
            self.workspace_changed(true).await;
        }
        self.schedule_git_lens(&params.text_document.uri);
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        self.dispatch::<lsp::request::Completion>(params)
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
        if let Some(h) = self.host_snapshot(&uri) {
            return guard("completionItem/resolve", || {
                crate::host::features::resolve(&h, &data, item)
            });
        }
        let Some(snapshot) = self.snapshot(&uri) else {
            return Ok(item);
        };
        guard("completionItem/resolve", || {
            handlers::completion::resolve(&snapshot, &data, item)
        })
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        self.dispatch::<lsp::request::HoverRequest>(params)
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        self.dispatch::<lsp::request::CodeActionRequest>(params)
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
        if let Some(h) = self.host_snapshot(&uri) {
            return guard("codeLens", || {
                handlers::code_lens::host_code_lens(&h, &self.git_lenses)
            });
        }
        self.with_snapshot("codeLens", &uri, |s| {
            handlers::code_lens::code_lens(s, params, &self.git_lenses)
        })
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        self.dispatch::<lsp::request::DocumentSymbolRequest>(params)
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> Result<Option<Vec<lsp::FoldingRange>>> {
        self.dispatch::<lsp::request::FoldingRangeRequest>(params)
    }

    async fn selection_range(
        &self,
        params: lsp::SelectionRangeParams,
    ) -> Result<Option<Vec<lsp::SelectionRange>>> {
        self.dispatch::<lsp::request::SelectionRangeRequest>(params)
    }

    async fn inlay_hint(
        &self,
        params: lsp::InlayHintParams,
    ) -> Result<Option<Vec<lsp::InlayHint>>> {
        self.dispatch::<lsp::request::InlayHintRequest>(params)
    }

    async fn formatting(
        &self,
        mut params: lsp::DocumentFormattingParams,
    ) -> Result<Option<Vec<lsp::TextEdit>>> {
        // `[format]` of `.iam-policy-ls.toml` wins over the editor's options.
        let project = self.project(&params.text_document.uri);
        crate::format_config::apply_lsp(&project.config.format, &mut params.options);
        self.dispatch::<lsp::request::Formatting>(params)
    }

    async fn range_formatting(
        &self,
        mut params: lsp::DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<lsp::TextEdit>>> {
        let project = self.project(&params.text_document.uri);
        crate::format_config::apply_lsp(&project.config.format, &mut params.options);
        self.dispatch::<lsp::request::RangeFormatting>(params)
    }

    async fn execute_command(
        &self,
        params: lsp::ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        let what = params.command.clone();
        if what == handlers::code_lens::SHOW_NEW_ACCESS {
            let lens = handlers::code_lens::command_uri(&params.arguments).and_then(|uri| {
                match handlers::code_lens::command_policy(&params.arguments) {
                    Some(name) => self.git_lenses.get_host(&uri, name),
                    None => self.git_lenses.get(&uri),
                }
            });
            let Some(lens) = lens else {
                return Err(Error::invalid_params(
                    "no comparison with git for this document (is it tracked? saved?)",
                ));
            };
            self.client
                .show_message(lsp::MessageType::INFO, lens.details)
                .await;
            return Ok(Some(lens.json));
        }
        guard(&what, || handlers::commands::execute(params, self))?
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        self.pull_diagnostics(params)
    }

    async fn workspace_diagnostic(
        &self,
        params: lsp::WorkspaceDiagnosticParams,
    ) -> Result<lsp::WorkspaceDiagnosticReportResult> {
        self.workspace_report(params).await
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        self.workspace_files_changed(params).await;
    }

    async fn did_change_workspace_folders(&self, params: lsp::DidChangeWorkspaceFoldersParams) {
        self.workspace_folders_changed(params).await;
    }
}
