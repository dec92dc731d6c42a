//! Byte offset <-> line/column conversion over a plain string. Line breaks are LF, CR and CRLF
//! only (as in LSP). Columns are counted in UTF-16 code units or in bytes. All conversions clamp.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 0-based line.
    pub line: u32,
    /// 0-based column (UTF-16 code units or bytes, as asked).
    pub col: u32,
}

#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
    /// Whether each line is pure ASCII (then a UTF-16 column is a byte difference: O(1) instead
    /// of a scan of the line, which matters for long one-line documents).
    ascii: Vec<bool>,
    len: u32,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let mut ascii = vec![true];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    line_starts.push(to_u32(i + 1));
                    ascii.push(true);
                }
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(to_u32(i + 1));
                    ascii.push(true);
                }
                b if b >= 0x80 => {
                    if let Some(last) = ascii.last_mut() {
                        *last = false;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Self {
            line_starts,
            ascii,
            len: to_u32(text.len()),
        }
    }

    #[must_use]
    pub fn line_count(&self) -> u32 {
        to_u32(self.line_starts.len())
    }

    /// Start of `line` (clamped to the last line).
    #[must_use]
    pub fn line_start(&self, line: u32) -> u32 {
        let i = (line as usize).min(self.line_starts.len() - 1);
        self.line_starts[i]
    }

    /// End of `line`'s content, before its line break.
    #[must_use]
    pub fn line_end(&self, line: u32, text: &str) -> u32 {
        let i = (line as usize).min(self.line_starts.len() - 1);
        let next = self.line_starts.get(i + 1).copied().unwrap_or(self.len);
        let mut end = next;
        let b = text.as_bytes();
        while end > self.line_starts[i] && matches!(b.get(end as usize - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        end
    }

    /// Line and UTF-16 column of `offset` (clamped to the text; rounded down to a char boundary).
    #[must_use]
    pub fn line_col_utf16(&self, text: &str, offset: u32) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize];
        if self.ascii.get(line as usize).copied().unwrap_or(false) {
            return LineCol {
                line,
                col: offset - start,
            };
        }
        let col = text[start as usize..offset as usize]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>();
        LineCol {
            line,
            col: to_u32(col),
        }
    }

    /// Line and byte column of `offset`.
    #[must_use]
    pub fn line_col_utf8(&self, text: &str, offset: u32) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        LineCol {
            line,
            col: offset - self.line_starts[line as usize],
        }
    }

    /// Byte offset of a UTF-16 line/column. A line past the end clamps to the end of the text, a
    /// column past the end of the line clamps to the line end, a column inside a surrogate pair
    /// rounds down to the start of that character.
    #[must_use]
    pub fn offset_utf16(&self, text: &str, lc: LineCol) -> u32 {
        if lc.line as usize >= self.line_starts.len() {
            return self.len;
        }
        let start = self.line_starts[lc.line as usize];
        let end = self.line_end(lc.line, text);
        let mut units = 0u32;
        for (i, c) in text[start as usize..end as usize].char_indices() {
            let next = units + to_u32(c.len_utf16());
            if next > lc.col {
                return start + to_u32(i);
            }
            units = next;
        }
        end
    }

    /// Byte offset of a UTF-8 line/column (clamped, rounded down to a char boundary).
    #[must_use]
    pub fn offset_utf8(&self, text: &str, lc: LineCol) -> u32 {
        if lc.line as usize >= self.line_starts.len() {
            return self.len;
        }
        let start = self.line_starts[lc.line as usize];
        let end = self.line_end(lc.line, text);
        floor_char_boundary(text, start.saturating_add(lc.col).min(end))
    }

    fn line_of(&self, offset: u32) -> u32 {
        let i = self.line_starts.partition_point(|&s| s <= offset);
        to_u32(i.saturating_sub(1))
    }
}

fn floor_char_boundary(text: &str, mut offset: u32) -> u32 {
    while offset > 0 && !text.is_char_boundary(offset as usize) {
        offset -= 1;
    }
    offset
}

#[allow(clippy::cast_possible_truncation)]
fn to_u32(n: usize) -> u32 {
    n.min(u32::MAX as usize) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_cr_lf_and_utf16() {
        let text = "a\r\nb😀c\rd\ne";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let c = text.find('c').unwrap_or(0) as u32;
        assert_eq!(idx.line_col_utf16(text, c), LineCol { line: 1, col: 3 });
        assert_eq!(idx.line_col_utf8(text, c), LineCol { line: 1, col: 5 });
        assert_eq!(idx.offset_utf16(text, LineCol { line: 1, col: 3 }), c);
        // Inside the surrogate pair: rounds down to the emoji's start.
        assert_eq!(idx.offset_utf16(text, LineCol { line: 1, col: 2 }), 4);
        // Past the end of the line clamps to the line end; past the last line to the text end.
        assert_eq!(idx.offset_utf16(text, LineCol { line: 0, col: 99 }), 1);
        assert_eq!(
            idx.offset_utf16(text, LineCol { line: 99, col: 0 }),
            text.len() as u32
        );
        assert_eq!(idx.line_col_utf16(text, 9999), LineCol { line: 3, col: 1 });
    }
}
