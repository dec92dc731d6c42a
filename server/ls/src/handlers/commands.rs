//! `workspace/executeCommand`: not implemented yet.

#![allow(clippy::needless_pass_by_value)]

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types as lsp;

/// Commands the server executes (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<lsp::ExecuteCommandOptions> {
    None
}

/// Runs a command. Unknown commands are an `invalid_params` error.
pub fn execute(params: lsp::ExecuteCommandParams, _ws: &dyn crate::workspace::Workspace) -> Result<Option<serde_json::Value>> {
    Err(Error::invalid_params(format!("unknown command `{}`", params.command)))
}
