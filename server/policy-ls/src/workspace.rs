//! Access to other documents for features that span files (policy tests beside a policy).

use tower_lsp_server::ls_types::Uri;

/// Largest file read from disk (by `check`, and by the server for a document that is not open);
/// larger ones are refused with a message.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

pub trait Workspace {
    /// The text of `uri`: the open document's current text, else the file on disk (only `file:`
    /// URIs; never anything else). `None` when neither exists.
    fn text(&self, uri: &Uri) -> Option<String>;
}
