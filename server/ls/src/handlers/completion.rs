//! `textDocument/completion`: converts `iam_analysis::ide::complete` to LSP.
//!
//! Long lists (every service prefix, every action of a service) carry no documentation: each
//! item's Markdown is sent on `completionItem/resolve`, when the editor shows that item. This
//! keeps a 400-item answer small (about a tenth of the bytes) and fast to encode.

#![allow(clippy::needless_pass_by_value)]

use iam_analysis::ide::{self, CompletionKind};
use serde_json::json;
use tower_lsp_server::ls_types as lsp;

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<lsp::CompletionOptions> {
    Some(lsp::CompletionOptions {
        trigger_characters: Some(vec!["\"".to_owned(), ":".to_owned()]),
        resolve_provider: Some(true),
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

/// Lists longer than this send documentation on resolve only.
pub const LAZY_DOCUMENTATION_ABOVE: usize = 40;

fn markdown(value: String) -> Option<lsp::Documentation> {
    (!value.is_empty()).then_some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
        kind: lsp::MarkupKind::Markdown,
        value,
    }))
}

#[must_use]
pub fn completion(s: &Snapshot, params: lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
    let offset = s.offset(params.text_document_position.position);
    let list = ide::complete(&s.analysis, offset);
    let lazy = list.items.len() > LAZY_DOCUMENTATION_ABOVE;
    let items = list
        .items
        .into_iter()
        .map(|i| lsp::CompletionItem {
            data: lazy
                .then(|| json!({"uri": s.uri.as_str(), "version": s.version, "offset": offset})),
            documentation: if lazy {
                None
            } else {
                markdown(i.documentation)
            },
            label: i.label,
            kind: Some(kind(i.kind)),
            detail: i.detail,
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

/// Where a lazily documented item came from (its `data`).
#[derive(Debug, serde::Deserialize)]
pub struct ResolveData {
    pub uri: String,
    pub version: i32,
    pub offset: u32,
}

/// Adds the documentation of `item`, computed again at the position it was offered for. An item
/// from an older version of the document is returned as it is.
#[must_use]
pub fn resolve(
    s: &Snapshot,
    data: &ResolveData,
    mut item: lsp::CompletionItem,
) -> lsp::CompletionItem {
    if data.version != s.version || item.documentation.is_some() {
        return item;
    }
    if let Some(found) = ide::complete(&s.analysis, data.offset)
        .items
        .into_iter()
        .find(|i| i.label == item.label)
    {
        item.documentation = markdown(found.documentation);
    }
    item
}
