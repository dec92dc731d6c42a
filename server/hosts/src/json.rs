//! JSON front end (JSON CloudFormation templates): the project's tolerant parser -> [`Val`].

use iam_syntax::Value;
use iam_syntax::{ParseOptions, TextRange, TokenKind};

use crate::value::{Piece, Range, Str, Val};

pub struct Parsed {
    pub root: Option<Val>,
    pub errors: Vec<(Range, String)>,
}

#[must_use]
pub fn parse(text: &str) -> Parsed {
    let parse = iam_syntax::parse(text, ParseOptions::LENIENT);
    let errors = parse
        .errors()
        .iter()
        .map(|e| (e.range, e.message.clone()))
        .collect();
    let root = parse.value().map(|v| lower(v, 0));
    Parsed { root, errors }
}

fn lower(v: Value<'_>, depth: usize) -> Val {
    if depth > 200 {
        return Val::Error { range: v.range() };
    }
    match v {
        Value::Object(o) => {
            let entries: Vec<(Str, Val)> = o
                .members()
                .filter_map(|m| {
                    let k = m.key()?;
                    let key = string(k.range(), k.raw_content(), k.content_range().start);
                    let value = m.value().map_or_else(
                        || {
                            let end = m.range().end;
                            Val::Error {
                                range: TextRange::new(end, end),
                            }
                        },
                        |v| lower(v, depth + 1),
                    );
                    Some((key, value))
                })
                .collect();
            intrinsic(o.range(), entries)
        }
        Value::Array(a) => Val::Seq {
            range: a.range(),
            items: a.items().map(|v| lower(v, depth + 1)).collect(),
        },
        Value::Scalar(s) => match s.as_string() {
            Some(lit) => Val::Str(string(
                lit.range(),
                lit.raw_content(),
                lit.content_range().start,
            )),
            None => {
                let json = match s.kind() {
                    TokenKind::True => "true".to_owned(),
                    TokenKind::False => "false".to_owned(),
                    TokenKind::Null => "null".to_owned(),
                    _ => s.raw().to_owned(),
                };
                Val::Lit {
                    range: s.token.range,
                    json,
                }
            }
        },
        Value::Error(n) => Val::Error { range: n.range },
    }
}

/// `{"Ref": x}` and `{"Fn::X": y}` (a single member) are intrinsic functions.
fn intrinsic(range: Range, mut entries: Vec<(Str, Val)>) -> Val {
    if entries.len() == 1 {
        let name = entries[0].0.literal().unwrap_or_default();
        if name == "Ref" || name == "Condition" || name.starts_with("Fn::") {
            if let Some((_, arg)) = entries.pop() {
                return Val::Fn {
                    range,
                    name,
                    arg: Box::new(arg),
                };
            }
        }
    }
    Val::Map { range, entries }
}

/// A JSON string's content decoded, each escape its own piece.
#[must_use]
pub fn string(range: Range, raw: &str, base: u32) -> Str {
    let mut pieces = Vec::new();
    let mut run = 0usize;
    let mut chars = raw.char_indices();
    let at = |i: usize| base + u32::try_from(i).unwrap_or(u32::MAX);
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        if run < i {
            pieces.push(Piece::Text {
                text: raw[run..i].to_owned(),
                host: Range::new(at(run), at(i)),
                exact: true,
            });
        }
        let (decoded, len) = match chars.next() {
            Some((_, 'n')) => ('\n', 2),
            Some((_, 't')) => ('\t', 2),
            Some((_, 'r')) => ('\r', 2),
            Some((_, 'b')) => ('\u{8}', 2),
            Some((_, 'f')) => ('\u{c}', 2),
            Some((_, 'u')) => {
                let c = raw
                    .get(i + 2..i + 6)
                    .and_then(|d| u32::from_str_radix(d, 16).ok())
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                for _ in 0..4 {
                    chars.next();
                }
                (c, 6)
            }
            Some((_, c)) => (c, 1 + c.len_utf8()),
            None => ('\\', 1),
        };
        let end = (i + len).min(raw.len());
        pieces.push(Piece::Text {
            text: decoded.to_string(),
            host: Range::new(at(i), at(end)),
            exact: false,
        });
        run = end;
    }
    if run < raw.len() {
        pieces.push(Piece::Text {
            text: raw[run..].to_owned(),
            host: Range::new(at(run), at(raw.len())),
            exact: true,
        });
    }
    Str { pieces, range }
}
