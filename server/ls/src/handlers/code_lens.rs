//! `textDocument/codeLens`: the decision of each sidecar policy test, shown above the test in
//! `<name>.tests.json` (see `crate::policy_tests`). Policies themselves get no lenses.

#![allow(clippy::needless_pass_by_value)]

use tower_lsp_server::ls_types as lsp;

use super::Snapshot;

#[must_use]
pub fn capability() -> Option<lsp::CodeLensOptions> {
    Some(lsp::CodeLensOptions {
        resolve_provider: Some(false),
    })
}

/// Lenses for an analysed policy document: none (tests files are handled by the server directly,
/// since they are not policies and have no snapshot).
#[must_use]
pub fn code_lens(
    _s: &Snapshot,
    _params: lsp::CodeLensParams,
    _ws: &dyn crate::workspace::Workspace,
) -> Option<Vec<lsp::CodeLens>> {
    None
}
