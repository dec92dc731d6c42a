//! LSP positions <-> byte offsets over a rope. The only place that knows about UTF-16.
//! Every conversion clamps: out-of-range lines go to the end of the document, columns past the
//! end of a line go to the end of that line, columns inside a character round down to its start.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
}

/// Byte offset of `pos` in `rope`, clamped.
#[must_use]
pub fn offset(rope: &Rope, pos: Position, enc: PositionEncoding) -> usize {
    let lines = rope.len_lines();
    let line = pos.line as usize;
    if line >= lines {
        return rope.len_bytes();
    }
    let line_start_char = rope.line_to_char(line);
    let line_slice = rope.line(line);
    // Length of the line without its terminator (LF, CR or CRLF).
    let mut content_chars = line_slice.len_chars();
    while content_chars > 0 {
        let c = line_slice.char(content_chars - 1);
        if c == '\n' || c == '\r' {
            content_chars -= 1;
        } else {
            break;
        }
    }
    let col = pos.character as usize;
    let char_in_line = match enc {
        PositionEncoding::Utf16 => {
            let start_cu = rope.char_to_utf16_cu(line_start_char);
            let end_cu = rope.char_to_utf16_cu(line_start_char + content_chars);
            let target = (start_cu + col).min(end_cu);
            // utf16_cu_to_char rounds down inside a surrogate pair.
            rope.utf16_cu_to_char(target) - line_start_char
        }
        PositionEncoding::Utf8 => {
            let start_b = rope.char_to_byte(line_start_char);
            let end_b = rope.char_to_byte(line_start_char + content_chars);
            let target = (start_b + col).min(end_b);
            // byte_to_char rounds down inside a multi-byte character.
            rope.byte_to_char(target) - line_start_char
        }
    };
    rope.char_to_byte(line_start_char + char_in_line.min(content_chars))
}

/// Columns shorter than this (in bytes) are counted from the line's text; longer ones through
/// the rope's indexes, so that a long one-line document costs O(log n) per position.
const SHORT_COLUMN: usize = 512;

/// LSP position of byte offset `off`, clamped to the document (an offset inside a character
/// counts as its start).
#[must_use]
pub fn position(rope: &Rope, off: usize, enc: PositionEncoding) -> Position {
    let off = off.min(rope.len_bytes());
    let on_boundary = off == rope.len_bytes() || (rope.byte(off) & 0xC0) != 0x80;
    if on_boundary {
        // The common case, with two lookups: the line, its start, then the column from the text.
        let line = rope.byte_to_line(off);
        let line_start = rope.line_to_byte(line);
        if off - line_start < SHORT_COLUMN {
            let col = match enc {
                PositionEncoding::Utf8 => off - line_start,
                PositionEncoding::Utf16 => rope
                    .byte_slice(line_start..off)
                    .chunks()
                    .map(|c| {
                        if c.is_ascii() {
                            c.len()
                        } else {
                            c.encode_utf16().count()
                        }
                    })
                    .sum(),
            };
            return Position::new(to_u32(line), to_u32(col));
        }
    }
    position_by_chars(rope, off, enc)
}

/// [`position`] through the rope's char indexes (any offset, any line length).
fn position_by_chars(rope: &Rope, off: usize, enc: PositionEncoding) -> Position {
    let ch = rope.byte_to_char(off);
    let line = rope.char_to_line(ch);
    let line_start = rope.line_to_char(line);
    let col = match enc {
        PositionEncoding::Utf16 => rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(line_start),
        PositionEncoding::Utf8 => rope.char_to_byte(ch) - rope.line_to_byte(line),
    };
    Position::new(to_u32(line), to_u32(col))
}

#[must_use]
pub fn range(rope: &Rope, r: iam_syntax::TextRange, enc: PositionEncoding) -> Range {
    Range::new(
        position(rope, r.start as usize, enc),
        position(rope, r.end as usize, enc),
    )
}

/// Byte range of an LSP range (start and end clamped; end never before start).
#[must_use]
pub fn byte_range(rope: &Rope, r: Range, enc: PositionEncoding) -> std::ops::Range<usize> {
    let s = offset(rope, r.start, enc);
    let e = offset(rope, r.end, enc).max(s);
    s..e
}

#[allow(clippy::cast_possible_truncation)]
fn to_u32(n: usize) -> u32 {
    n.min(u32::MAX as usize) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn utf16_and_utf8_round_trip_with_emoji_and_crlf() {
        let text = "{\r\n  \"Sid\": \"😀é\",\r\n  \"x\": 1\r}\n";
        let rope = Rope::from_str(text);
        for enc in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
            for (i, _) in text.char_indices() {
                // An offset between CR and LF is not a position of its own: skip it.
                if i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes()[i] == b'\n' {
                    continue;
                }
                let pos = position(&rope, i, enc);
                assert_eq!(offset(&rope, pos, enc), i, "{enc:?} at {i}");
            }
        }
        let emoji = text.find('😀').unwrap_or(0);
        assert_eq!(position(&rope, emoji, PositionEncoding::Utf16), p(1, 10));
        assert_eq!(
            position(&rope, emoji + 4, PositionEncoding::Utf16),
            p(1, 12)
        );
        assert_eq!(position(&rope, emoji + 4, PositionEncoding::Utf8), p(1, 14));
        // Inside the surrogate pair: rounds down.
        assert_eq!(offset(&rope, p(1, 11), PositionEncoding::Utf16), emoji);
        // Inside the UTF-8 sequence: rounds down.
        assert_eq!(offset(&rope, p(1, 12), PositionEncoding::Utf8), emoji);
        // CR alone is a line break.
        assert_eq!(
            position(&rope, text.find('}').unwrap_or(0), PositionEncoding::Utf16),
            p(3, 0)
        );
    }

    #[test]
    fn short_column_path_agrees_with_char_indexes() {
        let long = "x".repeat(SHORT_COLUMN + 7);
        let text = format!("{{\r\n\"😀é\": 1,\r\"a\":\n[\"{long}😀\", \"é{long}\"]\r\n}}");
        let rope = Rope::from_str(&text);
        for enc in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
            for off in 0..=text.len() + 2 {
                assert_eq!(
                    position(&rope, off, enc),
                    position_by_chars(&rope, off.min(text.len()), enc),
                    "{enc:?} at {off}"
                );
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd";
        let rope = Rope::from_str(text);
        assert_eq!(offset(&rope, p(0, 99), PositionEncoding::Utf16), 2);
        assert_eq!(offset(&rope, p(99, 0), PositionEncoding::Utf16), 6);
        assert_eq!(
            offset(&rope, p(u32::MAX, u32::MAX), PositionEncoding::Utf8),
            6
        );
        assert_eq!(position(&rope, 999, PositionEncoding::Utf16), p(1, 2));
        // Inside CRLF: offset 3 is between CR and LF; it belongs to line 0's terminator.
        let pos = position(&rope, 3, PositionEncoding::Utf16);
        assert_eq!(pos.line, 0);
    }
}
