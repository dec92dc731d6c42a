//! Tokenizer. Total: every byte of the input ends up in exactly one token.

use crate::{SyntaxError, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    /// A string literal including its quotes; may be unterminated (see [`crate::Token::is_terminated`]).
    String,
    Number,
    True,
    False,
    Null,
    Whitespace,
    LineComment,
    BlockComment,
    /// A bare word that is not `true`/`false`/`null` (for example an unquoted key).
    Ident,
    /// Any other character.
    Error,
}

impl TokenKind {
    #[must_use]
    pub const fn is_trivia(self) -> bool {
        matches!(
            self,
            Self::Whitespace | Self::LineComment | Self::BlockComment
        )
    }

    /// A human name used in error messages.
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::LBrace => "`{`",
            Self::RBrace => "`}`",
            Self::LBracket => "`[`",
            Self::RBracket => "`]`",
            Self::Colon => "`:`",
            Self::Comma => "`,`",
            Self::String => "a string",
            Self::Number => "a number",
            Self::True | Self::False => "a boolean",
            Self::Null => "`null`",
            Self::Whitespace => "whitespace",
            Self::LineComment | Self::BlockComment => "a comment",
            Self::Ident => "an unquoted word",
            Self::Error => "an unexpected character",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// Splits `text` into tokens, reporting lexical errors (bad escapes, unterminated strings and
/// comments, malformed numbers, control characters). Comments are lexed as trivia; whether they
/// are allowed is the parser's decision.
pub(crate) fn tokenize(text: &str, errors: &mut Vec<SyntaxError>) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 4 + 1);
    let mut i = 0usize;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                TokenKind::Whitespace
            }
            b'{' => {
                i += 1;
                TokenKind::LBrace
            }
            b'}' => {
                i += 1;
                TokenKind::RBrace
            }
            b'[' => {
                i += 1;
                TokenKind::LBracket
            }
            b']' => {
                i += 1;
                TokenKind::RBracket
            }
            b':' => {
                i += 1;
                TokenKind::Colon
            }
            b',' => {
                i += 1;
                TokenKind::Comma
            }
            b'"' => {
                i = lex_string(text, i, errors);
                TokenKind::String
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                TokenKind::LineComment
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                loop {
                    if i + 1 >= bytes.len() {
                        i = bytes.len();
                        errors.push(SyntaxError::new(
                            range(start, i),
                            "unterminated block comment: add `*/`",
                        ));
                        break;
                    }
                    if bytes[i] == b'*' && bytes[i + 1] == b'/' {
                        i += 2;
                        break;
                    }
                    i += 1;
                }
                TokenKind::BlockComment
            }
            b'-' | b'0'..=b'9' => {
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                if !is_valid_number(&text[start..i]) {
                    errors.push(SyntaxError::new(
                        range(start, i),
                        format!("`{}` is not a valid JSON number", &text[start..i]),
                    ));
                }
                TokenKind::Number
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                match &text[start..i] {
                    "true" => TokenKind::True,
                    "false" => TokenKind::False,
                    "null" => TokenKind::Null,
                    _ => TokenKind::Ident,
                }
            }
            _ => {
                // One whole character, never splitting UTF-8.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Error
            }
        };
        tokens.push(Token {
            kind,
            range: range(start, i),
        });
    }
    tokens
}

#[allow(clippy::cast_possible_truncation)]
fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(start as u32, end as u32)
}

/// Lexes a string starting at the opening quote; returns the end offset. An unterminated string
/// stops before the end of its line, so the rest of the document stays usable while typing.
fn lex_string(text: &str, start: usize, errors: &mut Vec<SyntaxError>) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    loop {
        let Some(&b) = bytes.get(i) else {
            errors.push(SyntaxError::new(
                range(start, i),
                "unterminated string: add the closing `\"`",
            ));
            return i;
        };
        match b {
            b'"' => return i + 1,
            b'\n' | b'\r' => {
                errors.push(SyntaxError::new(
                    range(start, i),
                    "unterminated string: add the closing `\"`",
                ));
                return i;
            }
            b'\\' => {
                let esc_start = i;
                i += 1;
                match bytes.get(i) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 1,
                    Some(b'u') => {
                        i += 1;
                        let mut n = 0;
                        while n < 4 && bytes.get(i).is_some_and(u8::is_ascii_hexdigit) {
                            i += 1;
                            n += 1;
                        }
                        if n < 4 {
                            errors.push(SyntaxError::new(
                                range(esc_start, i),
                                "invalid unicode escape: `\\u` must be followed by four hex digits",
                            ));
                        }
                    }
                    Some(b'\n' | b'\r') | None => {}
                    Some(_) => {
                        let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
                        i += ch_len;
                        errors.push(SyntaxError::new(
                            range(esc_start, i),
                            format!(
                                "invalid escape `{}` in string: use `\\\\` for a backslash",
                                &text[esc_start..i]
                            ),
                        ));
                    }
                }
            }
            0x00..=0x1f => {
                errors.push(SyntaxError::new(
                    range(i, i + 1),
                    "control character in string: escape it (for a tab, write `\\t`)",
                ));
                i += 1;
            }
            _ => i += 1,
        }
    }
}

/// JSON number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_valid_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for ok in ["0", "-0", "1", "12.5", "1e5", "1E+5", "-1.5e-3"] {
            assert!(is_valid_number(ok), "{ok}");
        }
        for bad in ["01", "-", "1.", ".5", "1e", "1e+", "--1", "1.2.3"] {
            assert!(!is_valid_number(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_cover_input() {
        let text = "{\"a\": [1, true, null], // c\n /* x */ \"b\u{e9}\": \"\\u00e9\" é}";
        let mut errors = Vec::new();
        let tokens = tokenize(text, &mut errors);
        let mut pos = 0;
        for t in &tokens {
            assert_eq!(t.range.start, pos);
            pos = t.range.end;
        }
        assert_eq!(pos as usize, text.len());
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn unterminated_string_stops_at_line_end() {
        let text = "\"ecs:Run\n\"x\"";
        let mut errors = Vec::new();
        let tokens = tokenize(text, &mut errors);
        assert_eq!(tokens[0].range, TextRange::new(0, 8));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].range, TextRange::new(0, 8));
    }
}
