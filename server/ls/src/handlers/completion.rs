//! `textDocument/completion`: converts `iam_analysis::ide::complete` to LSP.

#![allow(clippy::needless_pass_by_value)]

use iam_analysis::ide::{self, CompletionKind};
use tower_lsp_server::ls_types as lsp;

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<lsp::CompletionOptions> {
    Some(lsp::CompletionOptions {
        trigger_characters: Some(vec!["\"".to_owned(), ":".to_owned()]),
        resolve_provider: Some(false),
        ..lsp::CompletionOptions::default()
    })
}

fn kind(k: CompletionKind) -> lsp::CompletionItemKind {
    match k {
        CompletionKind::Property => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::Value => lsp::CompletionItemKind::VALUE,
        CompletionKind::Snippet => lsp::CompletionItemKind::SNIPPET,
        CompletionKind::Service => lsp::CompletionItemKind::MODULE,
        CompletionKind::Action => lsp::CompletionItemKind::FUNCTION,
        CompletionKind::Wildcard => lsp::CompletionItemKind::CONSTANT,
        CompletionKind::Resource => lsp::CompletionItemKind::REFERENCE,
        CompletionKind::Operator => lsp::CompletionItemKind::OPERATOR,
        CompletionKind::ConditionKey => lsp::CompletionItemKind::FIELD,
    }
}

#[must_use]
pub fn completion(s: &Snapshot, params: lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
    let offset = s.offset(params.text_document_position.position);
    let list = ide::complete(&s.analysis, offset);
    let items = list
        .items
        .into_iter()
        .map(|i| lsp::CompletionItem {
            label: i.label,
            kind: Some(kind(i.kind)),
            detail: i.detail,
            documentation: (!i.documentation.is_empty()).then_some(
                lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: i.documentation,
                }),
            ),
            preselect: i.preselect.then_some(true),
            sort_text: Some(i.sort_text),
            filter_text: Some(i.filter_text),
            insert_text_format: Some(if i.is_snippet {
                lsp::InsertTextFormat::SNIPPET
            } else {
                lsp::InsertTextFormat::PLAIN_TEXT
            }),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range: s.range(i.edit.range),
                new_text: i.edit.new_text,
            })),
            additional_text_edits: (!i.additional_edits.is_empty()).then(|| {
                i.additional_edits
                    .into_iter()
                    .map(|e| lsp::TextEdit {
                        range: s.range(e.range),
                        new_text: e.new_text,
                    })
                    .collect()
            }),
            command: i.retrigger.then(|| lsp::Command {
                title: "Suggest".to_owned(),
                command: "editor.action.triggerSuggest".to_owned(),
                arguments: None,
            }),
            ..lsp::CompletionItem::default()
        })
        .collect();
    Some(lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: list.is_incomplete,
        items,
    }))
}
