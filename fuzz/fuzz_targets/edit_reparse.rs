//! Random incremental edits through the server's own `Document::apply_changes` (ropey) give
//! exactly the text of the same edits applied to a `String` by a naive reference; parsing the
//! result gives the same tree as parsing the reference text from scratch; and analysing each
//! version from the last analysis (`analyze_incremental`, which reuses unchanged statements)
//! gives the same model and findings as a fresh analysis.
#![no_main]

#[path = "reference.rs"]
mod reference;

use arbitrary::Arbitrary;
use iam_policy_ls::document::Document;
use iam_policy_ls::encoding::PositionEncoding;
use iam_syntax::{ParseOptions, parse};
use libfuzzer_sys::fuzz_target;
use reference::Enc;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

#[derive(Arbitrary, Debug)]
struct Edit {
    start: (u16, u16),
    end: (u16, u16),
    text: String,
    /// A change without a range (full text replacement), rarely.
    full: u8,
}

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    utf8: bool,
    /// Edits sent in one `didChange` each (chunks of up to 3 per notification).
    edits: Vec<Edit>,
}

fuzz_target!(|input: Input| {
    let (enc, r) = if input.utf8 { (PositionEncoding::Utf8, Enc::Utf8) } else { (PositionEncoding::Utf16, Enc::Utf16) };
    let mut doc = Document::new(&input.text, 1, "json".to_owned());
    let mut expected = input.text.clone();
    let options = iam_validate::Options::default();
    let config = iam_validate::config::Config::default();
    let mut previous = iam_validate::analyze(&input.text, &options);
    for chunk in input.edits.chunks(3) {
        let mut changes = Vec::new();
        for e in chunk {
            // Keep most positions near the text so edits land in it; some go far past the end.
            let lines = u16::try_from(reference::lines(&expected).len()).unwrap_or(u16::MAX);
            let fold = |(l, c): (u16, u16)| -> (u32, u32) {
                if l > 60000 { (u32::from(l), u32::from(c)) } else { (u32::from(l % (lines + 1)), u32::from(c % 64)) }
            };
            let (s, en) = (fold(e.start), fold(e.end));
            if e.full == 255 {
                expected = e.text.clone();
                changes.push(TextDocumentContentChangeEvent { range: None, range_length: None, text: e.text.clone() });
            } else {
                reference::apply(&mut expected, s, en, &e.text, r);
                changes.push(TextDocumentContentChangeEvent {
                    range: Some(Range::new(Position::new(s.0, s.1), Position::new(en.0, en.1))),
                    range_length: None,
                    text: e.text.clone(),
                });
            }
        }
        doc.apply_changes(changes, enc);
        assert_eq!(doc.text(), expected, "rope text == String text");
        let inc = iam_validate::analyze_incremental(&expected, &options, &config, &[], Some(&previous));
        let fresh = iam_validate::analyze(&expected, &options);
        assert_eq!(inc.diagnostics, fresh.diagnostics, "incremental findings == fresh");
        assert_eq!(format!("{:?}", inc.policy), format!("{:?}", fresh.policy), "same model");
        previous = inc;
    }
    let text = doc.text();
    for options in [ParseOptions::STRICT, ParseOptions::LENIENT] {
        let incremental = parse(&text, options);
        let fresh = parse(&expected, options);
        assert_eq!(incremental.root(), fresh.root(), "same tree");
        assert_eq!(incremental.errors(), fresh.errors(), "same errors");
        assert_eq!(incremental.tree_text(), expected);
    }
});
