//! Access to other documents for features that span files (policy tests beside a policy).

use tower_lsp_server::ls_types::Uri;

pub trait Workspace {
    /// The text of `uri`: the open document's current text, else the file on disk (only `file:`
    /// URIs; never anything else). `None` when neither exists.
    fn text(&self, uri: &Uri) -> Option<String>;
}
