//! Folding and selection ranges of the embedded policies, in host ranges: `iam-ide` computes them
//! on each virtual policy and they are mapped back. The rest of a template is left to the host's
//! own language server.

use iam_hosts::HostKind;
use iam_syntax::{Element, NodeKind, TextRange};
use tower_lsp_server::ls_types as lsp;

use super::HostDoc;
use super::features::HostSnapshot;

/// Whether `r` (a host range) ends with a closing bracket of its own (JSON, HCL) rather than with
/// its last value (a YAML block collection).
fn has_closer(h: &HostDoc, r: TextRange) -> bool {
    r.end > r.start
        && matches!(
            h.text.as_bytes().get(r.end as usize - 1),
            Some(b'}' | b']' | b')')
        )
}

/// The line of an offset (0-based).
fn line_of(text: &str, offset: u32) -> u32 {
    let o = (offset as usize).min(text.len());
    u32::try_from(text.as_bytes()[..o].iter().filter(|b| **b == b'\n').count()).unwrap_or(0)
}

/// Folds of the objects and arrays of every embedded policy. In YAML a block collection folds
/// from the line of the key that holds it (`Statement:`); a fold ending in a bracket keeps the
/// bracket's line visible.
#[must_use]
pub fn folding_range(s: &HostSnapshot) -> Option<Vec<lsp::FoldingRange>> {
    let h = &s.host;
    let mut folds: Vec<(u32, u32)> = Vec::new();
    for p in h.policies.iter().filter(|p| p.doc.variant == 0) {
        for virt in collections(&p.analysis.parse) {
            let r = p.to_host(virt, &h.text);
            if r.end <= r.start {
                continue;
            }
            let mut start = line_of(&h.text, r.start);
            let end = if has_closer(h, r) {
                line_of(&h.text, r.end).saturating_sub(1)
            } else {
                line_of(&h.text, r.end - 1)
            };
            if h.kind == HostKind::Yaml && key_line_above(&h.text, r.start) {
                start = start.saturating_sub(1);
            }
            if end > start {
                folds.push((start, end));
            }
        }
    }
    folds.sort_by_key(|(s, e)| (*s, std::cmp::Reverse(*e)));
    folds.dedup_by_key(|(s, _)| *s);
    Some(
        folds
            .into_iter()
            .map(|(start_line, end_line)| lsp::FoldingRange {
                start_line,
                start_character: None,
                end_line,
                end_character: None,
                kind: Some(lsp::FoldingRangeKind::Region),
                collapsed_text: None,
            })
            .collect(),
    )
}

/// The ranges of every object and array of a virtual policy (its text is one line, so the
/// policy folds of `iam-ide`, which need several lines, find none there).
fn collections(parse: &iam_syntax::Parse) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut stack = vec![parse.root()];
    while let Some(n) = stack.pop() {
        if matches!(n.kind, NodeKind::Object | NodeKind::Array) {
            out.push(n.range);
        }
        for c in &n.children {
            if let Element::Node(child) = c {
                stack.push(child);
            }
        }
    }
    out
}

/// A YAML block collection starting at `offset` is the value of the key on the line above
/// (`Statement:` then `  - Effect: ...` on the next line).
fn key_line_above(text: &str, offset: u32) -> bool {
    let o = (offset as usize).min(text.len());
    let line_start = text[..o].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..o].trim().is_empty() || line_start == 0 {
        return false;
    }
    let above = text[..line_start - 1].rsplit('\n').next().unwrap_or("");
    let above = above.split(" #").next().unwrap_or(above).trim_end();
    above.ends_with(':')
}

/// Selection ranges inside the embedded policies: the policy's own chain (string content, token,
/// member, object... up to the policy), mapped into the host, each range holding the one
/// before, then the whole host document. A position in no policy gets its empty range.
#[must_use]
pub fn selection_range(
    s: &HostSnapshot,
    positions: &[lsp::Position],
) -> Option<Vec<lsp::SelectionRange>> {
    let h = &s.host;
    let len = u32::try_from(h.text.len()).unwrap_or(u32::MAX);
    let out = positions
        .iter()
        .map(|pos| {
            let offset = s.offset(*pos);
            let mut chain: Vec<TextRange> = Vec::new();
            if let Some((p, voff)) = h.at(offset) {
                let virt = iam_ide::selection_ranges(&p.analysis.parse, &[voff]);
                for r in virt.into_iter().next().unwrap_or_default() {
                    let r = p.to_host(r, &h.text);
                    let holds = |a: TextRange, b: TextRange| a.start <= b.start && b.end <= a.end;
                    if holds(r, TextRange::empty(offset))
                        && chain
                            .last()
                            .is_none_or(|last| holds(r, *last) && r != *last)
                    {
                        chain.push(r);
                    }
                }
                let whole = TextRange::new(0, len);
                if chain.last() != Some(&whole) {
                    chain.push(whole);
                }
            } else {
                chain.push(TextRange::empty(offset));
            }
            let mut parent: Option<Box<lsp::SelectionRange>> = None;
            for r in chain
                .into_iter()
                .rev()
                .take(crate::handlers::selection::MAX_CHAIN)
            {
                parent = Some(Box::new(lsp::SelectionRange {
                    range: s.range(r),
                    parent,
                }));
            }
            parent.map_or_else(
                || lsp::SelectionRange {
                    range: s.range(TextRange::empty(offset)),
                    parent: None,
                },
                |b| *b,
            )
        })
        .collect();
    Some(out)
}
