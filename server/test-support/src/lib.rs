//! Test support shared by every crate's tests (dev-only): the fixture marker, applying edits,
//! and a small LSP client ([`lsp`]).
//!
//! One marker syntax everywhere: `$0`. A fixture with one `$0` has a cursor there
//! ([`cursor`]); pairs of `$0` mark ranges, first opening and second closing ([`ranges`]).

#![allow(clippy::missing_panics_doc, clippy::unwrap_used)]

pub mod lsp;
pub mod synthetic;

use iam_syntax::TextRange;

/// The marker: a cursor, or one end of a range.
pub const MARKER: &str = "$0";

/// The fixture's text without its markers, and the byte offsets where they stood.
fn strip(fixture: &str) -> (String, Vec<u32>) {
    let mut text = String::with_capacity(fixture.len());
    let mut marks = Vec::new();
    let mut rest = fixture;
    while let Some(at) = rest.find(MARKER) {
        text.push_str(&rest[..at]);
        marks.push(u32::try_from(text.len()).unwrap());
        rest = &rest[at + MARKER.len()..];
    }
    text.push_str(rest);
    (text, marks)
}

/// The text without its one `$0` marker, and the marker's byte offset.
#[must_use]
pub fn cursor(fixture: &str) -> (String, u32) {
    let (text, marks) = strip(fixture);
    assert_eq!(
        marks.len(),
        1,
        "a cursor fixture needs exactly one $0: {fixture}"
    );
    (text, marks[0])
}

/// The text without its markers, and the ranges they mark (pairs of `$0`, in order).
#[must_use]
pub fn ranges(fixture: &str) -> (String, Vec<TextRange>) {
    let (text, marks) = strip(fixture);
    assert!(
        marks.len() % 2 == 0,
        "range markers come in pairs of $0: {fixture}"
    );
    let ranges = marks
        .chunks(2)
        .map(|p| TextRange::new(p[0], p[1]))
        .collect();
    (text, ranges)
}

/// Applies non-overlapping edits (byte range and new text) to `text`.
#[must_use]
pub fn apply_edits<'a>(
    text: &str,
    edits: impl IntoIterator<Item = (TextRange, &'a str)>,
) -> String {
    let mut edits: Vec<_> = edits.into_iter().collect();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start, r.end)));
    let mut out = text.to_owned();
    for (r, new_text) in edits {
        out.replace_range(r.start as usize..r.end as usize, new_text);
    }
    out
}

/// `text` with `$0` inserted at each offset (the inverse of [`ranges`] and [`cursor`]), for
/// rendering expected ranges in snapshots.
#[must_use]
pub fn mark(text: &str, offsets: &[u32]) -> String {
    let mut offsets = offsets.to_vec();
    offsets.sort_unstable();
    let mut out = String::with_capacity(text.len() + offsets.len() * 2);
    let mut last = 0;
    for o in offsets {
        let o = (o as usize).min(text.len());
        out.push_str(&text[last..o]);
        out.push_str(MARKER);
        last = o;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(cursor("ab$0c"), ("abc".to_owned(), 2));
        let (t, r) = ranges("a$0bc$0d$0$0");
        assert_eq!(t, "abcd");
        assert_eq!(r, vec![TextRange::new(1, 3), TextRange::new(4, 4)]);
        assert_eq!(mark("abcd", &[3, 1]), "a$0bc$0d");
        assert_eq!(
            apply_edits(
                "abcd",
                [(TextRange::new(1, 2), "XY"), (TextRange::new(3, 4), "")]
            ),
            "aXYc"
        );
    }
}
