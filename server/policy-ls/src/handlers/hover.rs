//! `textDocument/hover`: converts `iam_ide::hover` to LSP.

#![allow(clippy::needless_pass_by_value)]

use tower_lsp_server::ls_types as lsp;

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<lsp::HoverProviderCapability> {
    Some(lsp::HoverProviderCapability::Simple(true))
}

#[must_use]
pub fn hover(s: &Snapshot, params: lsp::HoverParams) -> Option<lsp::Hover> {
    let offset = s.offset(params.text_document_position_params.position);
    let h = iam_ide::hover(&s.analysis, offset)?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(s.range(h.range)),
    })
}

impl super::SnapshotRequest for lsp::request::HoverRequest {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document_position_params.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        hover(s, p)
    }

    fn run_host(s: &crate::host::features::HostSnapshot, p: Self::Params) -> Self::Result {
        crate::host::features::hover(s, p.text_document_position_params.position)
    }
}
