//! A deliberately naive reference for LSP positions over a `&str` (no rope): line breaks are
//! `\r\n`, `\n` and `\r`; columns count UTF-16 code units or UTF-8 bytes; everything clamps the way
//! `iam_policy_ls::encoding` documents (line past the end -> end of the document, column past the
//! end of the line -> end of the line, column inside a character -> start of that character).

#![allow(dead_code)]

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

/// `(content_start, content_end, next_line_start)` of every line.
pub fn lines(text: &str) -> Vec<(usize, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i, i + 1));
                start = i + 1;
            }
            b'\r' => {
                let next = if b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
                out.push((start, i, next));
                start = next;
                i = next - 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len(), b.len()));
    out
}

fn units(c: char, enc: Enc) -> usize {
    match enc {
        Enc::Utf8 => c.len_utf8(),
        Enc::Utf16 => c.len_utf16(),
    }
}

/// Byte offset of `(line, col)`, clamped.
pub fn offset(text: &str, line: u32, col: u32, enc: Enc) -> usize {
    let ls = lines(text);
    let Some(&(start, end, _)) = ls.get(line as usize) else {
        return text.len();
    };
    let mut acc = 0usize;
    for (i, c) in text[start..end].char_indices() {
        let u = units(c, enc);
        if acc + u > col as usize {
            return start + i;
        }
        acc += u;
    }
    end
}

/// `(line, col)` of byte offset `off` (clamped, rounded down to a character boundary).
pub fn position(text: &str, off: usize, enc: Enc) -> (u32, u32) {
    let mut off = off.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let ls = lines(text);
    // Every entry but the last ends with a line break; the offset is on the line after each
    // break that ends at or before it (so between CR and LF is still on the CR's line).
    let line = ls[..ls.len() - 1].iter().filter(|l| l.2 <= off).count();
    let start = ls[line].0;
    let col: usize = text[start..off].chars().map(|c| units(c, enc)).sum();
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
}

/// Applies an LSP edit (start/end positions, end never before start) to a `String`.
pub fn apply(text: &mut String, start: (u32, u32), end: (u32, u32), new: &str, enc: Enc) {
    let s = offset(text, start.0, start.1, enc);
    let e = offset(text, end.0, end.1, enc).max(s);
    text.replace_range(s..e, new);
}
