//! `document_symbol`: not implemented yet.

#![allow(clippy::needless_pass_by_value)]

use tower_lsp_server::ls_types as lsp;
#[allow(unused_imports)]
use tower_lsp_server::ls_types::OneOf;

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<OneOf<bool, lsp::DocumentSymbolOptions>> {
    None
}

#[must_use]
pub fn document_symbol(_s: &Snapshot, _params: lsp::DocumentSymbolParams) -> Option<lsp::DocumentSymbolResponse> {
    None
}
