//! `textDocument/selectionRange`: string content, token, member, object... up to the document.

#![allow(clippy::needless_pass_by_value)]

use tower_lsp_server::ls_types as lsp;

use super::Snapshot;

/// What this feature adds to the server capabilities (`None`: not advertised).
#[must_use]
pub fn capability() -> Option<lsp::SelectionRangeProviderCapability> {
    Some(lsp::SelectionRangeProviderCapability::Simple(true))
}

/// Longest chain of parents in one answer (each parent is one level of JSON nesting).
pub const MAX_CHAIN: usize = 48;

#[must_use]
pub fn selection_range(
    s: &Snapshot,
    params: lsp::SelectionRangeParams,
) -> Option<Vec<lsp::SelectionRange>> {
    let offsets: Vec<u32> = params.positions.iter().map(|p| s.offset(*p)).collect();
    let chains = iam_ide::selection_ranges(&s.analysis.parse, &offsets);
    Some(
        chains
            .into_iter()
            .map(|mut chain| {
                // Clients decode answers with JSON depth limits (serde_json's is 128): keep the
                // innermost ranges and the whole document, at most `MAX_CHAIN` in all.
                if chain.len() > MAX_CHAIN {
                    let outermost = chain[chain.len() - 1];
                    chain.truncate(MAX_CHAIN - 1);
                    chain.push(outermost);
                }
                let mut parent: Option<Box<lsp::SelectionRange>> = None;
                for r in chain.into_iter().rev() {
                    parent = Some(Box::new(lsp::SelectionRange {
                        range: s.range(r),
                        parent,
                    }));
                }
                parent.map_or_else(
                    || lsp::SelectionRange {
                        range: lsp::Range::default(),
                        parent: None,
                    },
                    |b| *b,
                )
            })
            .collect(),
    )
}

impl super::SnapshotRequest for lsp::request::SelectionRangeRequest {
    fn uri(p: &Self::Params) -> &tower_lsp_server::ls_types::Uri {
        &p.text_document.uri
    }

    fn run(s: &Snapshot, p: Self::Params) -> Self::Result {
        selection_range(s, p)
    }

    fn run_host(s: &crate::host::features::HostSnapshot, p: Self::Params) -> Self::Result {
        crate::host::navigation::selection_range(s, &p.positions)
    }
}
