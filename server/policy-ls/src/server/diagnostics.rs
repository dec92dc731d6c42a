//! Diagnostics: analysis of a document after each change, publishing (push) and answering
//! `textDocument/diagnostic` (pull), and the limit on the size of an analysed document.

use std::sync::Arc;

use iam_validate::{Analysis, Options};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::{Backend, guard};
use crate::config::{self, Settings};
use crate::convert;
use crate::document::{Document, rope_contains};
use crate::encoding::PositionEncoding;

/// Documents larger than this are not analysed (one warning diagnostic says so); the server
/// keeps their text for incremental sync only. See docs/reliability.md.
pub const MAX_DOCUMENT_BYTES: usize = 8 << 20;

impl Backend {
    /// Re-analyses the document and returns what to publish. The text is copied out under a
    /// short guard, analysed without any guard held, and stored back only if no newer version
    /// arrived meanwhile.
    pub(super) fn reanalyze(&self, uri: &Uri) -> Option<(i32, Vec<lsp::Diagnostic>)> {
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
                doc.host = None;
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
            let project = self.project(uri);
            let diags = guard("policy tests", || {
                crate::policy_tests::diagnostics(uri, &text, self, enc, &project.config)
            })
            .ok()
            .flatten()
            .unwrap_or_default();
            return Some((version, diags));
        }
        let path = uri_path(uri);
        if !settings.path_is_policy(&path) {
            if let crate::host::Route::Host(kind) = crate::host::route(&path, &language_id, &text) {
                // A JSON document that is no template after all is analysed as a policy.
                let text = match self.reanalyze_host(uri, kind, text, version) {
                    Ok(answer) => return answer,
                    Err(text) => text,
                };
                return self.reanalyze_policy(uri, &path, &language_id, text, version, last);
            }
        }
        self.reanalyze_policy(uri, &path, &language_id, text, version, last)
    }

    /// [`Self::reanalyze`] for a policy document.
    fn reanalyze_policy(
        &self,
        uri: &Uri,
        path: &str,
        language_id: &str,
        text: String,
        version: i32,
        last: Option<Arc<Analysis>>,
    ) -> Option<(i32, Vec<lsp::Diagnostic>)> {
        let settings = self.settings();
        let enc = self.encoding();
        let project = self.project(uri);
        let analysis = guard("analysis", || {
            analyze_document(
                &settings,
                &project,
                path,
                language_id,
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
        doc.host = None;
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

    /// [`Self::reanalyze`] for a template or Terraform file (see `crate::host`): the policies
    /// whose virtual text did not change keep their analysis. `Err(text)`: a JSON document that
    /// is no template, to analyse as a policy.
    fn reanalyze_host(
        &self,
        uri: &Uri,
        kind: iam_hosts::HostKind,
        text: String,
        version: i32,
    ) -> std::result::Result<Option<(i32, Vec<lsp::Diagnostic>)>, String> {
        let settings = self.settings();
        let enc = self.encoding();
        let project = self.project(uri);
        let previous = self.docs.get(uri).and_then(|d| d.host.clone());
        let len = text.len();
        // A JSON text is kept for the policy path in case it is no template.
        let json_text = (kind == iam_hosts::HostKind::Json).then(|| text.clone());
        let host = guard("analysis", || {
            crate::host::analyze(kind, text, &project, settings.lenient, previous.as_deref())
        })
        .ok()
        .flatten();
        drop(previous);
        if host.is_none() {
            if let Some(text) = json_text {
                return Err(text);
            }
        }
        let Some(mut doc) = self.docs.get_mut(uri) else {
            return Ok(None);
        };
        if doc.version != version {
            return Ok(None);
        }
        doc.analysis = None;
        let old = std::mem::replace(&mut doc.host, host.map(Arc::new));
        let diags = if self.push_enabled() {
            diagnostics_of(&doc, &settings, enc)
        } else {
            Vec::new()
        };
        drop(doc);
        if len >= DROP_LATER_BYTES {
            if let (Some(h), Ok(rt)) = (old, tokio::runtime::Handle::try_current()) {
                rt.spawn_blocking(move || drop(h));
            }
        }
        Ok(Some((version, diags)))
    }

    /// Re-analyses `uri` and publishes, then refreshes its open counterpart (a policy's tests
    /// file, or a tests file's policy).
    pub(super) async fn refresh(&self, uri: Uri) {
        if let Some((version, diags)) = self.reanalyze(&uri) {
            self.publish(uri.clone(), version, diags).await;
        }
        if let Some(other) = crate::policy_tests::counterpart(&uri) {
            if self.docs.contains_key(&other) && crate::policy_tests::is_tests_file(&other) {
                if let Some((version, diags)) = self.reanalyze(&other) {
                    self.publish(other, version, diags).await;
                }
            }
        }
    }

    /// A configuration file changed: forget cached configurations and re-analyse everything.
    pub(super) async fn config_files_changed(&self) {
        self.projects.clear();
        let uris: Vec<Uri> = self.docs.iter().map(|e| e.key().clone()).collect();
        for uri in uris {
            if let Some((version, diags)) = self.reanalyze(&uri) {
                self.publish(uri, version, diags).await;
            }
        }
    }

    pub(super) async fn publish(&self, uri: Uri, version: i32, diags: Vec<lsp::Diagnostic>) {
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

    /// `textDocument/diagnostic`: the findings of an open document.
    pub(super) fn pull_diagnostics(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let settings = self.settings();
        let enc = self.encoding();
        let items = {
            let Some(doc) = self.docs.get(&uri) else {
                // A file of the workspace that is not open (VS Code asks once after closing).
                if let Some(report) = self.workspace_file_report(&uri) {
                    return Ok(report);
                }
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

pub(super) fn uri_path(uri: &Uri) -> String {
    uri.to_file_path().map_or_else(
        || uri.as_str().to_owned(),
        |p| p.to_string_lossy().into_owned(),
    )
}

/// Analyses `text` when it is a policy. `previous` is the document's last analysis: the
/// findings of the statements it shares with `text` are reused (the result is the same).
#[must_use]
pub fn analyze_document(
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
    // `resourceKinds` of the settings, else `[resource-kinds]` of the project file.
    let config = project.config.with_resource_kind(
        settings
            .resource_kind(path)
            .or(project.config.resource_kind),
    );
    let analysis =
        iam_validate::analyze_incremental(text, &options, &config, &project.suppressions, previous);
    config::is_policy(settings, path, language_id, &analysis.parse).then_some(analysis)
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

pub(super) fn diagnostics_of(
    doc: &Document,
    settings: &Settings,
    enc: PositionEncoding,
) -> Vec<lsp::Diagnostic> {
    if let Some(d) = too_large(doc) {
        return vec![d];
    }
    if let Some(h) = &doc.host {
        return h
            .diagnostics
            .iter()
            .filter(|d| !settings.is_disabled(d.rule))
            .map(|d| convert::diagnostic(&doc.rope, d, enc))
            .collect();
    }
    doc.analysis.as_ref().map_or_else(Vec::new, |a| {
        a.diagnostics
            .iter()
            .filter(|d| !settings.is_disabled(d.rule))
            .map(|d| convert::diagnostic(&doc.rope, d, enc))
            .collect()
    })
}
