//! `textDocument/documentSymbol`: the policy, its statements and their elements.

#![allow(clippy::needless_pass_by_value)]

use iam_ide::{self as ide, Symbol, SymbolKind};
use tower_lsp_server::ls_types::{self as lsp, OneOf};

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<OneOf<bool, lsp::DocumentSymbolOptions>> {
    Some(OneOf::Left(true))
}

#[must_use]
pub fn kind(k: SymbolKind) -> lsp::SymbolKind {
    match k {
        SymbolKind::Policy => lsp::SymbolKind::MODULE,
        SymbolKind::Statement => lsp::SymbolKind::STRUCT,
        SymbolKind::Element => lsp::SymbolKind::PROPERTY,
        SymbolKind::Operator => lsp::SymbolKind::OPERATOR,
        SymbolKind::Key => lsp::SymbolKind::KEY,
    }
}

#[allow(deprecated)]
fn convert(s: &Snapshot, sym: Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: if sym.name.is_empty() {
            "\"\"".to_owned()
        } else {
            sym.name
        },
        detail: sym.detail,
        kind: kind(sym.kind),
        tags: None,
        deprecated: None,
        range: s.range(sym.range),
        selection_range: s.range(sym.selection_range),
        children: (!sym.children.is_empty())
            .then(|| sym.children.into_iter().map(|c| convert(s, c)).collect()),
    }
}

#[must_use]
pub fn document_symbol(
    s: &Snapshot,
    _params: lsp::DocumentSymbolParams,
) -> Option<lsp::DocumentSymbolResponse> {
    let syms = ide::document_symbols(&s.analysis.parse);
    Some(lsp::DocumentSymbolResponse::Nested(
        syms.into_iter().map(|x| convert(s, x)).collect(),
    ))
}

impl super::SnapshotRequest for lsp::request::DocumentSymbolRequest {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        document_symbol(s, p)
    }

    fn run_host(s: &crate::host::features::HostSnapshot, _: Self::Params) -> Self::Result {
        crate::host::features::document_symbol(s)
    }
}
