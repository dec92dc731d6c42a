//! Document symbols, folding ranges and selection ranges, from the tolerant tree (so they work
//! while the document is incomplete).

use iam_syntax::{Element, Node, NodeKind, Object, Parse, TextRange, TokenKind, Value};

use super::clamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// The whole policy.
    Policy,
    Statement,
    /// An element (`Action`, `Version`...) or any other member.
    Element,
    /// A condition operator block.
    Operator,
    /// A condition key or principal kind.
    Key,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// What to highlight (the key, or the statement's Sid).
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

/// The policy, its statements (named by Sid or `Statement N`, with their effect) and the
/// elements inside them.
#[must_use]
pub fn document_symbols(parse: &Parse) -> Vec<Symbol> {
    let Some(Value::Object(top)) = parse.value() else {
        return Vec::new();
    };
    let mut children = Vec::new();
    for m in top.members() {
        let Some(k) = m.key() else { continue };
        let name = k.value().into_owned();
        let value = m.value();
        let mut sym = Symbol {
            name: name.clone(),
            detail: value.map(summary),
            kind: SymbolKind::Element,
            range: m.range(),
            selection_range: k.range(),
            children: Vec::new(),
        };
        if name == "Statement" {
            match value {
                Some(Value::Object(o)) => sym.children.push(statement_symbol(o, 0)),
                Some(Value::Array(a)) => {
                    for (i, item) in a.items().enumerate() {
                        if let Some(o) = item.as_object() {
                            sym.children.push(statement_symbol(o, i));
                        }
                    }
                }
                _ => {}
            }
        }
        children.push(sym);
    }
    let version = top
        .get("Version")
        .and_then(|m| m.value())
        .and_then(|v| v.as_string())
        .map(|s| s.value().into_owned());
    let name = top
        .get("Id")
        .and_then(|m| m.value())
        .and_then(|v| v.as_string())
        .map_or_else(|| "Policy".to_owned(), |s| s.value().into_owned());
    vec![Symbol {
        name,
        detail: version.map(|v| format!("Version {v}")),
        kind: SymbolKind::Policy,
        range: top.range(),
        selection_range: TextRange::new(
            top.range().start,
            top.range().start.saturating_add(1).min(top.range().end),
        ),
        children,
    }]
}

fn statement_symbol(o: Object<'_>, index: usize) -> Symbol {
    let sid = o
        .get("Sid")
        .and_then(|m| m.value())
        .and_then(|v| v.as_string());
    let effect = o
        .get("Effect")
        .and_then(|m| m.value())
        .and_then(|v| v.as_string())
        .map(|s| s.value().into_owned());
    let name = sid
        .map(|s| s.value().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("Statement {}", index + 1));
    let start = o.range().start;
    let selection_range = sid.map_or(TextRange::new(start, (start + 1).min(o.range().end)), |s| {
        s.range()
    });
    let mut children = Vec::new();
    for m in o.members() {
        let Some(k) = m.key() else { continue };
        let key = k.value().into_owned();
        let value = m.value();
        let mut sym = Symbol {
            name: key.clone(),
            detail: value.map(summary),
            kind: SymbolKind::Element,
            range: m.range(),
            selection_range: k.range(),
            children: Vec::new(),
        };
        if matches!(key.as_str(), "Condition" | "Principal" | "NotPrincipal") {
            if let Some(obj) = value.and_then(|v| v.as_object()) {
                for inner in obj.members() {
                    let Some(ik) = inner.key() else { continue };
                    let mut isym = Symbol {
                        name: ik.value().into_owned(),
                        detail: inner.value().map(summary),
                        kind: if key == "Condition" {
                            SymbolKind::Operator
                        } else {
                            SymbolKind::Key
                        },
                        range: inner.range(),
                        selection_range: ik.range(),
                        children: Vec::new(),
                    };
                    if key == "Condition" {
                        if let Some(keys) = inner.value().and_then(|v| v.as_object()) {
                            for km in keys.members() {
                                let Some(kk) = km.key() else { continue };
                                isym.children.push(Symbol {
                                    name: kk.value().into_owned(),
                                    detail: km.value().map(summary),
                                    kind: SymbolKind::Key,
                                    range: km.range(),
                                    selection_range: kk.range(),
                                    children: Vec::new(),
                                });
                            }
                        }
                    }
                    sym.children.push(isym);
                }
            }
        }
        children.push(sym);
    }
    Symbol {
        name,
        detail: effect,
        kind: SymbolKind::Statement,
        range: o.range(),
        selection_range,
        children,
    }
}

/// A short description of a value: the string itself, or a count.
fn summary(v: Value<'_>) -> String {
    match v {
        Value::Scalar(s) => {
            let raw = s
                .as_string()
                .map_or_else(|| s.raw().to_owned(), |s| s.value().into_owned());
            truncate(&raw, 60)
        }
        Value::Array(a) => {
            let items: Vec<String> = a
                .items()
                .filter_map(|i| i.as_string().map(|s| s.value().into_owned()))
                .collect();
            let n = a.items().count();
            if n == 1 && items.len() == 1 {
                truncate(&items[0], 60)
            } else {
                format!("{n} items")
            }
        }
        Value::Object(o) => {
            let n = o.members().count();
            format!("{n} {}", if n == 1 { "entry" } else { "entries" })
        }
        Value::Error(_) => "invalid".to_owned(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

/// A foldable range: from an object's or array's opening bracket to its closing one, or a
/// multi-line block comment (only ranges that span several lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

#[must_use]
pub fn folding_ranges(parse: &Parse) -> Vec<Fold> {
    let text = parse.text();
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = vec![parse.root()];
    while let Some(n) = stack.pop() {
        if matches!(n.kind, NodeKind::Object | NodeKind::Array)
            && n.range.slice(text).contains('\n')
        {
            out.push(Fold {
                range: n.range,
                kind: FoldKind::Region,
            });
        }
        for c in &n.children {
            match c {
                Element::Node(child) => stack.push(child),
                Element::Token(t)
                    if t.kind == TokenKind::BlockComment && t.range.slice(text).contains('\n') =>
                {
                    out.push(Fold {
                        range: t.range,
                        kind: FoldKind::Comment,
                    });
                }
                Element::Token(_) => {}
            }
        }
    }
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out
}

/// For each offset, the ranges to grow the selection through, innermost first: the string's
/// content, the token, the member, the enclosing object or array, ... up to the whole document.
#[must_use]
pub fn selection_ranges(parse: &Parse, offsets: &[u32]) -> Vec<Vec<TextRange>> {
    let text = parse.text();
    offsets
        .iter()
        .map(|&o| {
            let o = clamp(text, o);
            let mut chain: Vec<TextRange> = Vec::new();
            let nodes = parse.path_at(o);
            if let Some(t) = parse.token_at(o) {
                if t.kind == TokenKind::String {
                    let raw = t.range.slice(text);
                    let terminated = raw.len() >= 2 && raw.ends_with('"');
                    let end = if terminated {
                        t.range.end - 1
                    } else {
                        t.range.end
                    };
                    let content = TextRange::new((t.range.start + 1).min(end), end);
                    if content.contains_inclusive(o) && !content.is_empty() {
                        chain.push(content);
                    }
                }
                chain.push(t.range);
            }
            for n in nodes.iter().rev() {
                chain.push(n.range);
            }
            chain.push(super::whole(text));
            // Keep a strictly growing chain.
            let mut out: Vec<TextRange> = Vec::new();
            for r in chain {
                if !r.contains_inclusive(o) {
                    continue;
                }
                match out.last() {
                    Some(last) if r == *last || !(r.start <= last.start && last.end <= r.end) => {}
                    _ => out.push(r),
                }
            }
            if out.is_empty() {
                out.push(TextRange::empty(o));
            }
            out
        })
        .collect()
}
