//! `textDocument/completion`: converts `iam_ide::complete` to LSP.
//!
//! Long lists (every service prefix, every action of a service) carry no documentation: each
//! item's Markdown is sent on `completionItem/resolve`, when the editor shows that item. This
//! keeps a 400-item answer small (about a tenth of the bytes) and fast to encode.

#![allow(clippy::needless_pass_by_value)]

use iam_ide::{self as ide, CompletionKind};
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

#[must_use]
pub fn kind(k: CompletionKind) -> lsp::CompletionItemKind {
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
    // Documentation is built for the items a short list sends; a longer list sends none.
    let list = ide::complete_with(
        &s.analysis,
        offset,
        ide::Docs::First(LAZY_DOCUMENTATION_ABOVE + 1),
    );
    let lazy = list.items.len() > LAZY_DOCUMENTATION_ABOVE;
    // The items of a list mostly replace the same range: each distinct range is converted to
    // LSP positions once (on a long list, converting per item was a tenth of the answer's time).
    let mut ranges: Vec<(iam_syntax::TextRange, lsp::Range)> = Vec::new();
    let mut range = |r: iam_syntax::TextRange| {
        if let Some((_, lsp)) = ranges.iter().find(|(t, _)| *t == r) {
            return *lsp;
        }
        let lsp = s.range(r);
        if ranges.len() < 8 {
            ranges.push((r, lsp));
        }
        lsp
    };
    let items = list
        .items
        .into_iter()
        .map(|i| lsp::CompletionItem {
            data: lazy.then(|| json!([uri_key(s.uri.as_str()), s.version, offset])),
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
            // Plain text is the default: left out, it saves 20 bytes an item on long lists.
            insert_text_format: i.is_snippet.then_some(lsp::InsertTextFormat::SNIPPET),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range: range(i.edit.range),
                new_text: i.edit.new_text,
            })),
            additional_text_edits: (!i.additional_edits.is_empty()).then(|| {
                i.additional_edits
                    .into_iter()
                    .map(|e| lsp::TextEdit {
                        range: range(e.range),
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

/// Where a lazily documented item came from (its `data`): `[uri key, version, offset]`. The
/// document is named by [`uri_key`] rather than by its URI, which repeated in each of ~200
/// items made a third of a long list's JSON.
#[derive(Debug, serde::Deserialize)]
pub struct ResolveData(pub u64, pub i32, pub u32);

impl ResolveData {
    #[must_use]
    pub const fn uri_key(&self) -> u64 {
        self.0
    }

    #[must_use]
    pub const fn version(&self) -> i32 {
        self.1
    }

    #[must_use]
    pub const fn offset(&self) -> u32 {
        self.2
    }
}

/// A short key for a document URI, exact in a JSON number (53 bits). `completionItem/resolve`
/// looks the document up among the open ones by it.
#[must_use]
pub fn uri_key(uri: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    uri.hash(&mut h);
    h.finish() & ((1 << 53) - 1)
}

/// Adds the documentation of `item`, computed again at the position it was offered for. An item
/// from an older version of the document is returned as it is.
#[must_use]
pub fn resolve(s: &Snapshot, data: &ResolveData, item: lsp::CompletionItem) -> lsp::CompletionItem {
    resolve_with(s.version, data, item, |label| {
        Some(ide::complete_with(
            &s.analysis,
            data.offset(),
            ide::Docs::Of(label),
        ))
    })
}

/// The resolve of policy files and of hosts: `item` with the documentation of the item of the
/// same label that `complete` lists with only that label documented, unless the document
/// changed since (`version`) or the item is documented already.
pub fn resolve_with(
    version: i32,
    data: &ResolveData,
    mut item: lsp::CompletionItem,
    complete: impl FnOnce(&str) -> Option<ide::CompletionList>,
) -> lsp::CompletionItem {
    if data.version() != version || item.documentation.is_some() {
        return item;
    }
    if let Some(found) = complete(&item.label)
        .into_iter()
        .flat_map(|l| l.items)
        .find(|i| i.label == item.label)
    {
        item.documentation = markdown(found.documentation);
    }
    item
}

impl super::SnapshotRequest for lsp::request::Completion {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document_position.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        completion(s, p)
    }

    fn run_host(s: &crate::host::features::HostSnapshot, p: Self::Params) -> Self::Result {
        crate::host::features::completion(s, p.text_document_position.position)
    }
}
