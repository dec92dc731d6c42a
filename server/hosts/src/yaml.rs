//! YAML front end: tree-sitter-yaml CST -> [`Val`], with exact pieces for every scalar.

use tree_sitter::Node;

use crate::value::{Piece, Range, Str, Val};

/// A parsed YAML document: its root value and its syntax errors (host ranges).
pub struct Parsed {
    pub root: Option<Val>,
    pub errors: Vec<Range>,
}

fn rng(n: &Node) -> Range {
    Range::new(
        u32::try_from(n.start_byte()).unwrap_or(u32::MAX),
        u32::try_from(n.end_byte()).unwrap_or(u32::MAX),
    )
}

fn ru(start: usize, end: usize) -> Range {
    Range::new(
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    )
}

/// Parses `text` with tree-sitter-yaml. Never fails: errors become ranges and `Val::Error`.
#[must_use]
pub fn parse(text: &str) -> Parsed {
    let mut parser = tree_sitter::Parser::new();
    if parser
        .set_language(&tree_sitter_yaml::LANGUAGE.into())
        .is_err()
    {
        return Parsed {
            root: None,
            errors: Vec::new(),
        };
    }
    let Some(tree) = parser.parse(text, None) else {
        return Parsed {
            root: None,
            errors: Vec::new(),
        };
    };
    let root = tree.root_node();
    let mut errors = Vec::new();
    collect_errors(root, &mut errors);
    // The first document of the stream.
    let mut c = root.walk();
    let doc = root.named_children(&mut c).find(|n| n.kind() == "document");
    let value = doc.and_then(|d| {
        let mut c = d.walk();
        let v = d
            .named_children(&mut c)
            .find(|n| matches!(n.kind(), "block_node" | "flow_node"));
        v.map(|n| node(n, text, 0))
    });
    Parsed {
        root: value,
        errors,
    }
}

fn collect_errors(n: Node, out: &mut Vec<Range>) {
    if n.is_error() || n.is_missing() {
        let mut r = rng(&n);
        if r.start == r.end {
            r.end = r.start;
        }
        out.push(r);
        return;
    }
    if !n.has_error() {
        return;
    }
    let mut c = n.walk();
    for ch in n.children(&mut c) {
        collect_errors(ch, out);
    }
}

const MAX_DEPTH: usize = 200;

fn node(n: Node, text: &str, depth: usize) -> Val {
    if depth > MAX_DEPTH {
        return Val::Error { range: rng(&n) };
    }
    match n.kind() {
        "block_node" | "flow_node" => {
            let mut c = n.walk();
            let mut tag = None;
            let mut content = None;
            for ch in n.named_children(&mut c) {
                match ch.kind() {
                    "tag" => tag = Some(ch),
                    "anchor" | "comment" => {}
                    _ => {
                        if content.is_none() {
                            content = Some(ch);
                        }
                    }
                }
            }
            let inner = match content {
                Some(ch) => node(ch, text, depth + 1),
                None => Val::Str(Str {
                    pieces: Vec::new(),
                    range: Range::new(rng(&n).end, rng(&n).end),
                }),
            };
            match tag {
                Some(t) => {
                    let tag_text = t.utf8_text(text.as_bytes()).unwrap_or("");
                    let name = tag_text.trim_start_matches('!');
                    match name {
                        "" | "!str" | "str" => inner,
                        "Ref" | "Condition" => Val::Fn {
                            range: rng(&n),
                            name: name.to_owned(),
                            arg: Box::new(inner),
                        },
                        _ => Val::Fn {
                            range: rng(&n),
                            name: format!("Fn::{name}"),
                            arg: Box::new(inner),
                        },
                    }
                }
                None => inner,
            }
        }
        "block_mapping" | "flow_mapping" => {
            let mut entries = Vec::new();
            let mut c = n.walk();
            for pair in n.named_children(&mut c) {
                match pair.kind() {
                    "block_mapping_pair" | "flow_pair" => {
                        let key = pair.child_by_field_name("key");
                        let value = pair.child_by_field_name("value");
                        let Some(key) = key else { continue };
                        let Val::Str(k) = node(key, text, depth + 1) else {
                            continue;
                        };
                        // A key without a value is mostly half-typed input: unknown, not null.
                        let v = match value {
                            Some(v) => node(v, text, depth + 1),
                            None => Val::Error {
                                range: Range::new(rng(&pair).end, rng(&pair).end),
                            },
                        };
                        entries.push((k, v));
                    }
                    "flow_node" => {
                        if let Val::Str(k) = node(pair, text, depth + 1) {
                            let end = rng(&pair).end;
                            entries.push((
                                k,
                                Val::Lit {
                                    range: Range::new(end, end),
                                    json: "null".into(),
                                },
                            ));
                        }
                    }
                    _ => {}
                }
            }
            Val::Map {
                range: rng(&n),
                entries,
            }
        }
        "block_sequence" => {
            let mut items = Vec::new();
            let mut c = n.walk();
            for item in n.named_children(&mut c) {
                if item.kind() != "block_sequence_item" {
                    continue;
                }
                let mut c2 = item.walk();
                let v = item
                    .named_children(&mut c2)
                    .find(|x| matches!(x.kind(), "block_node" | "flow_node"));
                items.push(match v {
                    Some(v) => node(v, text, depth + 1),
                    None => Val::Lit {
                        range: rng(&item),
                        json: "null".into(),
                    },
                });
            }
            Val::Seq {
                range: rng(&n),
                items,
            }
        }
        "flow_sequence" => {
            let mut items = Vec::new();
            let mut c = n.walk();
            for item in n.named_children(&mut c) {
                match item.kind() {
                    "flow_node" => items.push(node(item, text, depth + 1)),
                    "flow_pair" => {
                        // `[a: b]`: a single-pair mapping.
                        let key = item
                            .child_by_field_name("key")
                            .map(|k| node(k, text, depth + 1));
                        let value = item
                            .child_by_field_name("value")
                            .map_or(Val::Error { range: rng(&item) }, |v| {
                                node(v, text, depth + 1)
                            });
                        if let Some(Val::Str(k)) = key {
                            items.push(Val::Map {
                                range: rng(&item),
                                entries: vec![(k, value)],
                            });
                        }
                    }
                    _ => {}
                }
            }
            Val::Seq {
                range: rng(&n),
                items,
            }
        }
        "plain_scalar" => plain(n, text),
        "double_quote_scalar" => Val::Str(double_quoted(n, text)),
        "single_quote_scalar" => Val::Str(single_quoted(n, text)),
        "block_scalar" => Val::Str(block_scalar(n, text)),
        _ => Val::Error { range: rng(&n) },
    }
}

fn plain(n: Node, text: &str) -> Val {
    let range = rng(&n);
    let raw = text.get(n.byte_range()).unwrap_or("");
    let mut c = n.walk();
    let kind = n
        .named_children(&mut c)
        .next()
        .map_or("string_scalar", |k| k.kind());
    match kind {
        "null_scalar" => {
            return Val::Lit {
                range,
                json: "null".into(),
            };
        }
        "boolean_scalar" => {
            let l = raw.to_ascii_lowercase();
            return Val::Lit {
                range,
                json: if l == "true" { "true" } else { "false" }.into(),
            };
        }
        "integer_scalar" | "float_scalar"
            if raw.parse::<f64>().is_ok()
                && !raw.starts_with('0')
                && !raw.starts_with('+')
                && !raw.ends_with('.') =>
        {
            return Val::Lit {
                range,
                json: raw.to_owned(),
            };
        }
        _ => {}
    }
    // Multi-line plain scalars fold: lines trimmed and joined with a space.
    let mut pieces = Vec::new();
    let mut offset = n.start_byte();
    for (i, line) in raw.split('\n').enumerate() {
        let lead = line.len() - line.trim_start().len();
        let t = line.trim();
        let start = offset + lead;
        if !t.is_empty() {
            if i > 0 && !pieces.is_empty() {
                pieces.push(Piece::Text {
                    text: " ".into(),
                    host: ru(offset.saturating_sub(1), offset),
                    exact: false,
                });
            }
            pieces.push(Piece::Text {
                text: t.to_owned(),
                host: ru(start, start + t.len()),
                exact: true,
            });
        }
        offset += line.len() + 1;
    }
    Val::Str(Str { pieces, range })
}

fn push_text(pieces: &mut Vec<Piece>, text: &str, start: usize) {
    if !text.is_empty() {
        pieces.push(Piece::Text {
            text: text.to_owned(),
            host: ru(start, start + text.len()),
            exact: true,
        });
    }
}

fn single_quoted(n: Node, text: &str) -> Str {
    let range = rng(&n);
    let raw = text.get(n.byte_range()).unwrap_or("");
    let base = n.start_byte() + 1;
    let inner = raw
        .strip_prefix('\'')
        .map(|s| s.strip_suffix('\'').unwrap_or(s))
        .unwrap_or(raw);
    let mut pieces = Vec::new();
    let mut i = 0;
    let mut run = 0;
    let bytes = inner.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
            push_text(&mut pieces, &inner[run..i], base + run);
            pieces.push(Piece::Text {
                text: "'".into(),
                host: ru(base + i, base + i + 2),
                exact: false,
            });
            i += 2;
            run = i;
        } else {
            i += 1;
        }
    }
    push_text(&mut pieces, &inner[run..], base + run);
    Str { pieces, range }
}

fn double_quoted(n: Node, text: &str) -> Str {
    let range = rng(&n);
    let raw = text.get(n.byte_range()).unwrap_or("");
    let base = n.start_byte() + 1;
    let inner = raw
        .strip_prefix('"')
        .map(|s| {
            if s.ends_with('"') && !s.ends_with("\\\"") {
                &s[..s.len() - 1]
            } else {
                s
            }
        })
        .unwrap_or(raw);
    let mut pieces = Vec::new();
    let mut run = 0;
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        push_text(&mut pieces, &inner[run..i], base + run);
        let (decoded, len) = match chars.next() {
            Some((_, 'n')) => ("\n".to_owned(), 2),
            Some((_, 't')) => ("\t".to_owned(), 2),
            Some((_, 'r')) => ("\r".to_owned(), 2),
            Some((_, '0')) => ("\0".to_owned(), 2),
            Some((_, 'x')) => hex(inner.get(i + 2..i + 4), 4),
            Some((_, 'u')) => hex(inner.get(i + 2..i + 6), 6),
            Some((_, 'U')) => hex(inner.get(i + 2..i + 10), 10),
            Some((_, '\n')) => (String::new(), 2),
            Some((_, c)) => (c.to_string(), 1 + c.len_utf8()),
            None => (String::new(), 1),
        };
        // Skip the rest of a multi-character escape.
        while let Some(&(j, _)) = chars.peek() {
            if j < i + len {
                chars.next();
            } else {
                break;
            }
        }
        let end = (i + len).min(inner.len());
        pieces.push(Piece::Text {
            text: decoded,
            host: ru(base + i, base + end),
            exact: false,
        });
        run = end;
    }
    if run <= inner.len() {
        push_text(&mut pieces, &inner[run..], base + run);
    }
    Str { pieces, range }
}

fn hex(digits: Option<&str>, len: usize) -> (String, usize) {
    let c = digits
        .and_then(|d| u32::from_str_radix(d, 16).ok())
        .and_then(char::from_u32)
        .unwrap_or('\u{fffd}');
    (c.to_string(), len)
}

/// `|` and `>` block scalars: content lines with the common indentation removed.
fn block_scalar(n: Node, text: &str) -> Str {
    let range = rng(&n);
    let raw = text.get(n.byte_range()).unwrap_or("");
    let folded = raw.starts_with('>');
    let Some(nl) = raw.find('\n') else {
        return Str {
            pieces: Vec::new(),
            range,
        };
    };
    let body_start = n.start_byte() + nl + 1;
    let body = &raw[nl + 1..];
    let indent = body
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut pieces = Vec::new();
    let mut offset = body_start;
    let mut first = true;
    for line in body.split('\n') {
        let content_start = indent.min(line.len());
        let content = line.get(content_start..).unwrap_or("");
        let content = content.strip_suffix('\r').unwrap_or(content);
        if !first {
            pieces.push(Piece::Text {
                text: if folded { " " } else { "\n" }.into(),
                host: ru(offset.saturating_sub(1), offset),
                exact: !folded,
            });
        }
        first = false;
        push_text(&mut pieces, content, offset + content_start);
        offset += line.len() + 1;
    }
    Str { pieces, range }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn text_of(v: &Val) -> String {
        match v {
            Val::Str(s) => s.text(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn scalars_decode_with_exact_pieces() {
        let src = "a: \"x\\\"y\"\nb: 'p''q'\nc: |\n  {\"A\": 1}\n  [2]\nd: plain text\n";
        let p = parse(src);
        let root = p.root.unwrap();
        assert_eq!(text_of(root.get("a").unwrap()), "x\"y");
        assert_eq!(text_of(root.get("b").unwrap()), "p'q");
        assert!(text_of(root.get("c").unwrap()).starts_with("{\"A\": 1}\n[2]"));
        assert_eq!(text_of(root.get("d").unwrap()), "plain text");
        if let Val::Str(s) = root.get("c").unwrap() {
            for piece in &s.pieces {
                if let Piece::Text {
                    text,
                    host,
                    exact: true,
                } = piece
                {
                    assert_eq!(&src[host.start as usize..host.end as usize], text);
                }
            }
        }
        assert!(p.errors.is_empty());
    }
}
