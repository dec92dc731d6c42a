//! Fixture helpers for the IDE tests: `$0` marks the cursor.

#![allow(dead_code, clippy::unwrap_used, clippy::missing_panics_doc)]

use iam_analysis::{Analysis, Options, TextEdit, analyze};

/// The text without its `$0` marker, and the marker's byte offset.
pub fn fixture(s: &str) -> (String, u32) {
    let at = s.find("$0").expect("fixture needs a $0 cursor");
    let text = format!("{}{}", &s[..at], &s[at + 2..]);
    (text, u32::try_from(at).unwrap())
}

pub fn analysed(s: &str) -> (Analysis, u32) {
    let (text, at) = fixture(s);
    (analyze(&text, &Options::default()), at)
}

pub fn lenient(s: &str) -> (Analysis, u32) {
    let (text, at) = fixture(s);
    (
        analyze(
            &text,
            &Options {
                lenient: true,
                ..Options::default()
            },
        ),
        at,
    )
}

/// Applies non-overlapping edits to `text`.
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start, e.range.end)));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(e.range.start as usize..e.range.end as usize, &e.new_text);
    }
    out
}
