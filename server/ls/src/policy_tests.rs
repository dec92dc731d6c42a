//! Policy tests as you type (`<name>.tests.json` beside `<name>.json`): not implemented yet.

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::encoding::PositionEncoding;
use crate::workspace::Workspace;

/// Whether `uri` is a sidecar tests file.
#[must_use]
pub fn is_tests_file(uri: &Uri) -> bool {
    uri.as_str().ends_with(".tests.json")
}

/// The tests file beside a policy, or the policy beside a tests file.
#[must_use]
pub fn counterpart(uri: &Uri) -> Option<Uri> {
    let s = uri.as_str();
    let other = if let Some(base) = s.strip_suffix(".tests.json") {
        format!("{base}.json")
    } else {
        format!("{}.tests.json", s.strip_suffix(".json")?)
    };
    other.parse().ok()
}

/// Diagnostics for an open tests file (failing expectations), computed against its policy.
/// `None` when there is nothing to report for this document.
#[must_use]
pub fn diagnostics(_tests_uri: &Uri, _tests_text: &str, _ws: &dyn Workspace, _enc: PositionEncoding) -> Option<Vec<lsp::Diagnostic>> {
    None
}
