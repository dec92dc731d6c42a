//! Typed views over the tree: `Value`, `Object`, `Member`, `Array`, `StringLit`.

use std::borrow::Cow;

use crate::{Node, NodeKind, TextRange, Token, TokenKind};

#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    Object(Object<'a>),
    Array(Array<'a>),
    Scalar(Scalar<'a>),
    /// Something that is not a value (stray characters, an unquoted word).
    Error(&'a Node),
}

impl<'a> Value<'a> {
    #[must_use]
    pub fn cast(node: &'a Node, text: &'a str) -> Option<Self> {
        match node.kind {
            NodeKind::Object => Some(Self::Object(Object { node, text })),
            NodeKind::Array => Some(Self::Array(Array { node, text })),
            NodeKind::Scalar => {
                let token = node.child_tokens().find(|t| !t.kind.is_trivia()).copied()?;
                Some(Self::Scalar(Scalar { token, text }))
            }
            NodeKind::Error => Some(Self::Error(node)),
            NodeKind::Root | NodeKind::Member => None,
        }
    }

    #[must_use]
    pub fn range(&self) -> TextRange {
        match self {
            Self::Object(o) => o.node.range,
            Self::Array(a) => a.node.range,
            Self::Scalar(s) => s.token.range,
            Self::Error(n) => n.range,
        }
    }

    #[must_use]
    pub fn as_string(&self) -> Option<StringLit<'a>> {
        match self {
            Self::Scalar(s) => s.as_string(),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_object(&self) -> Option<Object<'a>> {
        match self {
            Self::Object(o) => Some(*o),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_array(&self) -> Option<Array<'a>> {
        match self {
            Self::Array(a) => Some(*a),
            _ => None,
        }
    }

    /// A short name of the JSON type, for messages ("a string", "an array", ...).
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Object(_) => "an object",
            Self::Array(_) => "an array",
            Self::Scalar(s) => match s.token.kind {
                TokenKind::String => "a string",
                TokenKind::Number => "a number",
                TokenKind::True | TokenKind::False => "a boolean",
                TokenKind::Null => "null",
                _ => "an invalid value",
            },
            Self::Error(_) => "an invalid value",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Object<'a> {
    pub node: &'a Node,
    text: &'a str,
}

impl<'a> Object<'a> {
    #[must_use]
    pub fn range(&self) -> TextRange {
        self.node.range
    }

    pub fn members(&self) -> impl Iterator<Item = Member<'a>> + use<'a> {
        let text = self.text;
        self.node
            .child_nodes()
            .filter(|n| n.kind == NodeKind::Member)
            .map(move |node| Member { node, text })
    }

    /// The first member whose decoded key equals `key` exactly.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Member<'a>> {
        self.members()
            .find(|m| m.key().is_some_and(|k| k.value() == key))
    }

    /// True when the object's closing `}` is present.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.node.token(TokenKind::RBrace).is_some()
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Member<'a> {
    pub node: &'a Node,
    text: &'a str,
}

impl<'a> Member<'a> {
    #[must_use]
    pub fn range(&self) -> TextRange {
        self.node.range
    }

    /// The key, when it is a string token.
    #[must_use]
    pub fn key(&self) -> Option<StringLit<'a>> {
        let token = *self.node.token(TokenKind::String)?;
        // The key is the member's first token; a string after the colon belongs to the value node.
        Some(StringLit {
            token,
            text: self.text,
        })
    }

    /// The range of the key token, whatever kind it is (an unquoted key still has a range).
    #[must_use]
    pub fn key_range(&self) -> Option<TextRange> {
        self.node
            .child_tokens()
            .find(|t| !t.kind.is_trivia() && t.kind != TokenKind::Colon)
            .map(|t| t.range)
    }

    #[must_use]
    pub fn colon(&self) -> Option<TextRange> {
        self.node.token(TokenKind::Colon).map(|t| t.range)
    }

    #[must_use]
    pub fn value(&self) -> Option<Value<'a>> {
        self.node
            .child_nodes()
            .next()
            .and_then(|n| Value::cast(n, self.text))
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Array<'a> {
    pub node: &'a Node,
    text: &'a str,
}

impl<'a> Array<'a> {
    #[must_use]
    pub fn range(&self) -> TextRange {
        self.node.range
    }

    pub fn items(&self) -> impl Iterator<Item = Value<'a>> + use<'a> {
        let text = self.text;
        self.node
            .child_nodes()
            .filter_map(move |n| Value::cast(n, text))
    }

    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.node.token(TokenKind::RBracket).is_some()
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Scalar<'a> {
    pub token: Token,
    text: &'a str,
}

impl<'a> Scalar<'a> {
    #[must_use]
    pub fn kind(&self) -> TokenKind {
        self.token.kind
    }

    #[must_use]
    pub fn raw(&self) -> &'a str {
        self.token.range.slice(self.text)
    }

    #[must_use]
    pub fn as_string(&self) -> Option<StringLit<'a>> {
        (self.token.kind == TokenKind::String).then_some(StringLit {
            token: self.token,
            text: self.text,
        })
    }

    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.token.kind {
            TokenKind::True => Some(true),
            TokenKind::False => Some(false),
            _ => None,
        }
    }
}

/// A string literal token with access to its decoded value.
#[derive(Clone, Copy, Debug)]
pub struct StringLit<'a> {
    pub token: Token,
    text: &'a str,
}

impl<'a> StringLit<'a> {
    /// Range of the whole token, quotes included.
    #[must_use]
    pub fn range(&self) -> TextRange {
        self.token.range
    }

    /// The raw source text of the token, quotes included.
    #[must_use]
    pub fn raw(&self) -> &'a str {
        self.token.range.slice(self.text)
    }

    #[must_use]
    pub fn is_terminated(&self) -> bool {
        let raw = self.raw();
        raw.len() >= 2 && raw.ends_with('"') && !ends_with_escape(&raw[..raw.len() - 1])
    }

    /// Range of the content between the quotes (to the end of the token when unterminated).
    #[must_use]
    pub fn content_range(&self) -> TextRange {
        let r = self.token.range;
        let end = if self.is_terminated() {
            r.end - 1
        } else {
            r.end
        };
        TextRange::new((r.start + 1).min(end), end)
    }

    /// The raw content between the quotes, escapes not resolved.
    #[must_use]
    pub fn raw_content(&self) -> &'a str {
        self.content_range().slice(self.text)
    }

    /// The decoded string value.
    #[must_use]
    pub fn value(&self) -> Cow<'a, str> {
        decode_string(self.raw_content())
    }
}

fn ends_with_escape(s: &str) -> bool {
    s.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// Resolves JSON escapes in the content of a string literal. Invalid escapes are kept as written;
/// lone surrogates become U+FFFD.
#[must_use]
pub fn decode_string(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, '/')) => out.push('/'),
            Some((_, 'b')) => out.push('\u{8}'),
            Some((_, 'f')) => out.push('\u{c}'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, 't')) => out.push('\t'),
            Some((j, 'u')) => {
                let Some(hi) = hex4(raw, j + 1) else {
                    out.push_str(&raw[i..j + 1]);
                    continue;
                };
                for _ in 0..4 {
                    chars.next();
                }
                if (0xD800..0xDC00).contains(&hi) {
                    let lo = raw
                        .get(j + 5..j + 7)
                        .filter(|s| *s == "\\u")
                        .and_then(|_| hex4(raw, j + 7));
                    if let Some(lo) = lo.filter(|lo| (0xDC00..0xE000).contains(lo)) {
                        for _ in 0..6 {
                            chars.next();
                        }
                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        continue;
                    }
                }
                out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
            }
            Some((_, other)) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

fn hex4(s: &str, at: usize) -> Option<u32> {
    let h = s.get(at..at + 4)?;
    if h.bytes().all(|b| b.is_ascii_hexdigit()) {
        u32::from_str_radix(h, 16).ok()
    } else {
        None
    }
}
