//! `textDocument/inlayHint`: action counts after wildcard patterns and `NotAction`.

#![allow(clippy::needless_pass_by_value)]

use iam_ide as ide;
use tower_lsp_server::ls_types::{self as lsp, OneOf};

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<OneOf<bool, lsp::InlayHintServerCapabilities>> {
    Some(OneOf::Left(true))
}

#[must_use]
pub fn inlay_hint(s: &Snapshot, params: lsp::InlayHintParams) -> Option<Vec<lsp::InlayHint>> {
    let start = s.offset(params.range.start);
    let end = s.offset(params.range.end);
    let range = iam_syntax::TextRange::new(start.min(end), end.max(start));
    let hints = ide::inlay_hints(&s.analysis, range, s.settings.inlay_hints);
    Some(
        hints
            .into_iter()
            .map(|h| convert(s.range(iam_syntax::TextRange::empty(h.offset)).start, h))
            .collect(),
    )
}

/// One hint at `position`.
#[must_use]
pub fn convert(position: lsp::Position, h: ide::InlayHint) -> lsp::InlayHint {
    lsp::InlayHint {
        position,
        label: lsp::InlayHintLabel::String(h.label),
        kind: None,
        text_edits: None,
        tooltip: h.tooltip.map(|t| {
            lsp::InlayHintTooltip::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: t,
            })
        }),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

impl super::SnapshotRequest for lsp::request::InlayHintRequest {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        inlay_hint(s, p)
    }

    fn run_host(s: &crate::host::features::HostSnapshot, p: Self::Params) -> Self::Result {
        crate::host::features::inlay_hint(s, p)
    }
}
