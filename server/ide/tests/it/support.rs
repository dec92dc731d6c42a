//! Fixture helpers for the IDE tests: `$0` marks the cursor (see `iam-test-support`).

#![allow(dead_code)]

use iam_validate::{Analysis, Options, TextEdit, analyze};

pub use iam_test_support::cursor as fixture;

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
    iam_test_support::apply_edits(text, edits.iter().map(|e| (e.range, e.new_text.as_str())))
}
