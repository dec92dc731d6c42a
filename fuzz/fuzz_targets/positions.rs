//! LSP position <-> byte offset over a rope (`iam_policy_ls::encoding`), UTF-16 and UTF-8, against
//! a naive reference over a `&str`: surrogate pairs, multi-byte characters, CR, LF and CRLF, and
//! positions far past the end.
#![no_main]

#[path = "reference.rs"]
mod reference;

use arbitrary::Arbitrary;
use iam_policy_ls::encoding::{self, PositionEncoding};
use libfuzzer_sys::fuzz_target;
use reference::Enc;
use ropey::Rope;
use tower_lsp_server::ls_types::Position;

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    positions: Vec<(u32, u32)>,
}

fuzz_target!(|input: Input| {
    // Each check is linear (the reference scans the text; so does ropey for a rope of one leaf,
    // as every rope this short is), and slow under the sanitizer's comparison tracing: checking
    // every offset of a 512-byte seed took 17 s, close to the 20 s per-input timeout. So a long
    // text gets the offsets where the encodings differ (around line breaks and multi-byte
    // characters), its first and last ones, and an even sample of the rest: at most ~200.
    let mut cut = input.text.len().min(512);
    while !input.text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &input.text[..cut];
    let rope = Rope::from_str(text);
    let offsets = offsets_to_check(text);
    let nlines = reference::lines(text).len();
    assert_eq!(rope.len_lines(), nlines, "line count");
    for (enc, r) in [(PositionEncoding::Utf16, Enc::Utf16), (PositionEncoding::Utf8, Enc::Utf8)] {
        // Every character boundary round-trips (except between the CR and LF of a CRLF, which
        // is not a position of its own).
        for &off in &offsets {
            let pos = encoding::position(&rope, off, enc);
            assert_eq!((pos.line, pos.character), reference::position(text, off, r), "position({off})");
            let inside_crlf = off > 0 && text.as_bytes()[off - 1] == b'\r' && text.as_bytes().get(off) == Some(&b'\n');
            if !inside_crlf {
                assert_eq!(encoding::offset(&rope, pos, enc), off, "round trip at {off} {enc:?}");
            }
        }
        // Any position: clamped to a character boundary, same as the reference, idempotent.
        for &(l, c) in input.positions.iter().take(64) {
            for (line, col) in [(l, c), (l % (nlines as u32 + 1), c % 40)] {
                let off = encoding::offset(&rope, Position::new(line, col), enc);
                assert!(off <= text.len() && text.is_char_boundary(off));
                assert_eq!(off, reference::offset(text, line, col, r), "offset({line}:{col}) {enc:?}");
                let back = encoding::position(&rope, off, enc);
                assert_eq!(encoding::offset(&rope, back, enc), off, "idempotent");
            }
        }
    }
});

/// Every character boundary of a short text; of a longer one, those within two bytes of a line
/// break or of a multi-byte character, the first and last 16, and every 8th.
fn offsets_to_check(text: &str) -> Vec<usize> {
    let all: Vec<usize> = (0..=text.len()).filter(|&o| text.is_char_boundary(o)).collect();
    if all.len() <= 200 {
        return all;
    }
    let b = text.as_bytes();
    let special = |o: usize| {
        (o.saturating_sub(2)..(o + 2).min(b.len()))
            .any(|i| b[i] == b'\r' || b[i] == b'\n' || b[i] >= 0x80)
    };
    let n = all.len();
    let mut out: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|&(i, &o)| i < 16 || i + 16 >= n || i % 8 == 0 || special(o))
        .map(|(_, &o)| o)
        .collect();
    out.truncate(240);
    out.push(text.len());
    out
}
