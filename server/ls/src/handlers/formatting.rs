//! `textDocument/formatting` and `rangeFormatting`: not implemented yet.

#![allow(clippy::needless_pass_by_value)]

use tower_lsp_server::ls_types::{self as lsp, OneOf};

use super::Snapshot;

#[must_use]
pub fn capability() -> Option<OneOf<bool, lsp::DocumentFormattingOptions>> {
    None
}

#[must_use]
pub fn range_capability() -> Option<OneOf<bool, lsp::DocumentRangeFormattingOptions>> {
    None
}

#[must_use]
pub fn formatting(_s: &Snapshot, _params: lsp::DocumentFormattingParams) -> Option<Vec<lsp::TextEdit>> {
    None
}

#[must_use]
pub fn range_formatting(_s: &Snapshot, _params: lsp::DocumentRangeFormattingParams) -> Option<Vec<lsp::TextEdit>> {
    None
}
