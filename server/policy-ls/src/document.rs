//! An open document: its text as a rope, its version, and its latest analysis.

use std::sync::Arc;

use iam_validate::Analysis;
use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use crate::encoding::{self, PositionEncoding};

#[derive(Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language_id: String,
    /// The analysis of the current text; `None` when the document is not a policy.
    pub analysis: Option<Arc<Analysis>>,
    /// The embedded policies when the document is a template or a Terraform file
    /// (`crate::host`); `None` otherwise.
    pub host: Option<Arc<crate::host::HostDoc>>,
}

impl Document {
    #[must_use]
    pub fn new(text: &str, version: i32, language_id: String) -> Self {
        Self {
            rope: Rope::from_str(text),
            version,
            language_id,
            analysis: None,
            host: None,
        }
    }

    /// Applies `changes` in order. A change without a range replaces the whole text. Ranges are
    /// clamped to the current text, so a stale or out-of-range edit never panics.
    pub fn apply_changes(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: PositionEncoding,
    ) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let bytes = encoding::byte_range(&self.rope, range, enc);
                    let start = self.rope.byte_to_char(bytes.start);
                    let end = self.rope.byte_to_char(bytes.end);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                }
            }
        }
    }

    #[must_use]
    pub fn text(&self) -> String {
        self.rope.to_string()
    }
}

/// Whether the rope contains the ASCII `needle`, without copying the text.
pub fn rope_contains(rope: &ropey::Rope, needle: &str) -> bool {
    let floor = |s: &str, mut i: usize| {
        i = i.min(s.len());
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    // The end of the text so far, to find a needle that spans two chunks.
    let mut carry = String::new();
    for chunk in rope.chunks() {
        let head = &chunk[..floor(chunk, needle.len())];
        carry.push_str(head);
        if chunk.contains(needle) || carry.contains(needle) {
            return true;
        }
        let tail_of = |s: &str| s[floor(s, s.len().saturating_sub(needle.len()))..].to_owned();
        carry = if head.len() < chunk.len() {
            tail_of(chunk)
        } else {
            tail_of(&carry)
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::{Position, Range};

    use super::*;

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_edits_with_emoji_crlf_and_out_of_range() {
        let mut d = Document::new("{\r\n\"a\": \"😀\"\r\n}", 1, "json".into());
        // Insert after the emoji (UTF-16 column 8 = after `"a": "` (6) + 2 units).
        d.apply_changes(vec![change(1, 8, 1, 8, "x")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "{\r\n\"a\": \"😀x\"\r\n}");
        // Past the end of everything: appended at the end.
        d.apply_changes(vec![change(99, 0, 99, 5, "\n")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "{\r\n\"a\": \"😀x\"\r\n}\n");
        // Reversed range: treated as empty at its start.
        d.apply_changes(vec![change(0, 1, 0, 0, "!")], PositionEncoding::Utf16);
        assert_eq!(d.text(), "{!\r\n\"a\": \"😀x\"\r\n}\n");
        // Full replacement.
        d.apply_changes(
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "{}".into(),
            }],
            PositionEncoding::Utf16,
        );
        assert_eq!(d.text(), "{}");
    }
}
