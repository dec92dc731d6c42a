//! `textDocument/codeAction`: quick fixes from diagnostics and refactorings, from
//! `iam_ide::code_actions`.

#![allow(clippy::needless_pass_by_value)]

use std::collections::HashMap;

use iam_ide::{self as ide, CodeActionKind};
use tower_lsp_server::ls_types as lsp;

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<lsp::CodeActionProviderCapability> {
    Some(lsp::CodeActionProviderCapability::Options(
        lsp::CodeActionOptions {
            code_action_kinds: Some(vec![
                lsp::CodeActionKind::QUICKFIX,
                lsp::CodeActionKind::REFACTOR_REWRITE,
                lsp::CodeActionKind::REFACTOR_EXTRACT,
            ]),
            work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
            resolve_provider: Some(false),
        },
    ))
}

fn kind(k: CodeActionKind) -> lsp::CodeActionKind {
    match k {
        CodeActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        CodeActionKind::RefactorRewrite => lsp::CodeActionKind::REFACTOR_REWRITE,
        CodeActionKind::RefactorExtract => lsp::CodeActionKind::REFACTOR_EXTRACT,
    }
}

/// Whether the client asked for this kind (`only` filters by prefix).
fn wanted(only: Option<&Vec<lsp::CodeActionKind>>, k: &lsp::CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            k.as_str() == o || k.as_str().starts_with(&format!("{o}."))
        })
    })
}

#[must_use]
pub fn code_action(s: &Snapshot, params: lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
    let start = s.offset(params.range.start);
    let end = s.offset(params.range.end);
    let range = iam_syntax::TextRange::new(start.min(end), end.max(start));
    let only = params.context.only.as_ref();
    let actions = ide::code_actions(&s.analysis, range);
    let out: Vec<lsp::CodeActionOrCommand> = actions
        .into_iter()
        .filter(|a| {
            a.diagnostics.iter().all(|&i| {
                s.analysis
                    .diagnostics
                    .get(i)
                    .is_none_or(|d| !s.settings.is_disabled(d.rule))
            })
        })
        .filter(|a| wanted(only, &kind(a.kind)))
        .map(|a| {
            let edits = a
                .edits
                .into_iter()
                .map(|e| lsp::TextEdit {
                    range: s.range(e.range),
                    new_text: e.new_text,
                })
                .collect();
            let diagnostics: Vec<lsp::Diagnostic> = a
                .diagnostics
                .iter()
                .filter_map(|&i| s.analysis.diagnostics.get(i))
                .map(|d| crate::convert::diagnostic(&s.rope, d, s.encoding))
                .collect();
            lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: a.title,
                kind: Some(kind(a.kind)),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(s.uri.clone(), edits)])),
                    ..lsp::WorkspaceEdit::default()
                }),
                is_preferred: a.preferred.then_some(true),
                ..lsp::CodeAction::default()
            })
        })
        .collect();
    Some(out)
}

impl super::SnapshotRequest for lsp::request::CodeActionRequest {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        code_action(s, p)
    }

    fn run_host(s: &crate::host::features::HostSnapshot, p: Self::Params) -> Self::Result {
        crate::host::features::code_action(s, p)
    }
}
