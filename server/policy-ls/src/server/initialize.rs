//! Initialisation: negotiating the position encoding and the diagnostics mode with the client,
//! reading the initial settings, and the capabilities the server advertises.

use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use super::Backend;
use crate::config::Settings;
use crate::convert;
use crate::encoding::PositionEncoding;
use crate::handlers;

impl Backend {
    /// Applies what `initialize` negotiates and says, and answers it.
    pub(super) fn initialize_state(&self, params: &lsp::InitializeParams) -> lsp::InitializeResult {
        let enc = negotiate_encoding(params);
        self.workspace_capabilities(params);
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
        let push = settings.push_diagnostics.unwrap_or(!client_pulls(params));
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
        lsp::InitializeResult {
            capabilities: capabilities(enc),
            server_info: Some(lsp::ServerInfo {
                name: "iam-policy-ls".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        }
    }
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
                // Every policy file of the workspace folders (`workspace_diagnostics.rs`).
                workspace_diagnostics: true,
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
        // Folders added or removed later are followed (`workspace_folders.rs`).
        workspace: Some(super::workspace_folders::capability()),
        ..lsp::ServerCapabilities::default()
    }
}
