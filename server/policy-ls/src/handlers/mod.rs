//! Request handlers, one file per feature. Each is a plain function over a [`Snapshot`] (the
//! document at one version), called inside `server::guard` so a panic becomes an error answer.
//! Each feature also says what it contributes to the server capabilities, so `initialize`
//! advertises exactly what is implemented.

pub mod code_action;
pub mod code_lens;
pub mod commands;
pub mod completion;
pub mod folding;
pub mod formatting;
pub mod hover;
pub mod inlay_hint;
pub mod selection;
pub mod symbols;

use std::sync::Arc;

use iam_validate::Analysis;
use ropey::Rope;
use tower_lsp_server::ls_types::request::Request;
use tower_lsp_server::ls_types::{Position, Uri};

use crate::config::Settings;
use crate::encoding::{self, PositionEncoding};

/// A request answered from the snapshot of one document: the handler says which document the
/// request names and computes the answer; the server's generic dispatch does the rest (finding
/// the snapshot, the empty answer when there is none, the panic guard). Adding such a request
/// is one `impl` in the feature's file and one line in the server.
pub trait SnapshotRequest: Request<Result: Default> {
    /// The document the request is about.
    fn uri(params: &Self::Params) -> &Uri;
    /// The answer for the document at `snapshot`'s version.
    fn run(snapshot: &Snapshot, params: Self::Params) -> Self::Result;
    /// The answer for a host document (a template or a Terraform file, see `crate::host`):
    /// nothing unless the feature maps itself into hosts (formatting never rewrites a host).
    fn run_host(_: &crate::host::features::HostSnapshot, _: Self::Params) -> Self::Result {
        Self::Result::default()
    }
}

/// An open policy document at one version, with everything a handler needs.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
    pub analysis: Arc<Analysis>,
    pub encoding: PositionEncoding,
    pub settings: Arc<Settings>,
}

impl Snapshot {
    /// Byte offset of an LSP position (clamped).
    #[must_use]
    pub fn offset(&self, pos: Position) -> u32 {
        #[allow(clippy::cast_possible_truncation)]
        let off = encoding::offset(&self.rope, pos, self.encoding) as u32;
        off
    }

    #[must_use]
    pub fn range(&self, r: iam_syntax::TextRange) -> tower_lsp_server::ls_types::Range {
        encoding::range(&self.rope, r, self.encoding)
    }
}
