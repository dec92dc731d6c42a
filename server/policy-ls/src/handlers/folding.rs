//! `textDocument/foldingRange`: objects, arrays and block comments that span several lines.

#![allow(clippy::needless_pass_by_value)]

use iam_ide::{self as ide, FoldKind};
use tower_lsp_server::ls_types as lsp;

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<lsp::FoldingRangeProviderCapability> {
    Some(lsp::FoldingRangeProviderCapability::Simple(true))
}

#[must_use]
pub fn folding_range(
    s: &Snapshot,
    _params: lsp::FoldingRangeParams,
) -> Option<Vec<lsp::FoldingRange>> {
    let folds = ide::folding_ranges(&s.analysis.parse);
    Some(
        folds
            .into_iter()
            .filter_map(|f| {
                let r = s.range(f.range);
                // Keep the closing bracket's line visible.
                let end_line = match f.kind {
                    FoldKind::Region => r.end.line.saturating_sub(1),
                    FoldKind::Comment => r.end.line,
                };
                (end_line > r.start.line).then_some(lsp::FoldingRange {
                    start_line: r.start.line,
                    start_character: None,
                    end_line,
                    end_character: None,
                    kind: Some(match f.kind {
                        FoldKind::Region => lsp::FoldingRangeKind::Region,
                        FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                    }),
                    collapsed_text: None,
                })
            })
            .collect(),
    )
}

impl super::SnapshotRequest for lsp::request::FoldingRangeRequest {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        folding_range(s, p)
    }

    fn run_host(s: &crate::host::features::HostSnapshot, _: Self::Params) -> Self::Result {
        crate::host::navigation::folding_range(s)
    }
}
