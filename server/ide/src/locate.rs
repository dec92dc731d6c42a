//! Where a byte offset is in the policy: the JSON path of keys and indices, whether the cursor
//! is at a key or a value, and the string token under it. Works on incomplete documents.

use iam_syntax::{Element, Member, Node, NodeKind, Parse, StringLit, TextRange, Value};

use iam_policy::model::{Policy, Statement};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Where an object key goes (inside an object, or on a member's key).
    Key,
    /// Where a value goes (after a colon, in an array, or on a scalar).
    Value,
}

#[derive(Clone, Debug)]
pub(crate) struct Located<'a> {
    pub offset: u32,
    /// Keys and indices from the top-level object to the position.
    pub path: Vec<Seg>,
    pub role: Role,
    /// The string token at the position (the cursor is in it or touches it).
    pub string: Option<StringLit<'a>>,
    /// For `Role::Key`: the member whose key is at the cursor. For `Role::Value`: the member whose
    /// value holds the position.
    pub member: Option<Member<'a>>,
    /// The innermost object or array around the position (for separators).
    pub container: Option<&'a Node>,
    /// The member or value node at the position inside `container`, if any.
    pub element: Option<&'a Node>,
    /// The position touches a non-string value (an object's brace, a number...): nothing to
    /// complete there.
    pub on_other_value: bool,
}

impl<'a> Located<'a> {
    /// The cursor is strictly inside the string (after its opening quote, not after its closing one).
    pub fn in_string(&self) -> Option<StringLit<'a>> {
        let s = self.string?;
        let r = s.range();
        let inside = r.start < self.offset && (self.offset < r.end || !s.is_terminated());
        inside.then_some(s)
    }

    /// The raw text typed in the string before the cursor.
    pub fn typed(&self, text: &'a str) -> &'a str {
        match self.in_string() {
            Some(s) => {
                let c = s.content_range();
                TextRange::new(c.start, self.offset.min(c.end).max(c.start)).slice(text)
            }
            None => "",
        }
    }

    /// Keys of the path, as `&str` (indices are skipped), for matching.
    pub fn keys(&self) -> Vec<&str> {
        self.path
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect()
    }

    /// The path below the statement, when the position is inside the `Statement` element:
    /// `Some((rest, in_statement_object))`.
    pub fn statement_rest(&self) -> Option<&[Seg]> {
        match self.path.as_slice() {
            [Seg::Key(s), Seg::Index(_), rest @ ..] if s == "Statement" => Some(rest),
            [Seg::Key(s), rest @ ..] if s == "Statement" => Some(rest),
            _ => None,
        }
    }
}

fn member_of<'a>(parse: &'a Parse, obj: &'a Node, node: &'a Node) -> Option<Member<'a>> {
    let o = Value::cast(obj, parse.text())?.as_object()?;
    o.members().find(|m| std::ptr::eq(m.node, node))
}

/// Locates `offset` (already clamped) in the document.
pub(crate) fn locate(parse: &Parse, offset: u32) -> Located<'_> {
    let nodes = parse.path_at(offset);
    let text = parse.text();
    let mut loc = Located {
        offset,
        path: Vec::new(),
        role: Role::Value,
        string: None,
        member: None,
        container: None,
        element: None,
        on_other_value: false,
    };
    let mut i = 1;
    while let Some(&n) = nodes.get(i) {
        match n.kind {
            NodeKind::Object | NodeKind::Array => {
                let closed = n.children.last().is_some_and(|c| {
                    matches!(c, Element::Token(t) if matches!(t.kind, iam_syntax::TokenKind::RBrace | iam_syntax::TokenKind::RBracket))
                });
                if offset <= n.range.start || (closed && offset >= n.range.end) {
                    loc.on_other_value = true;
                    loc.element = Some(n);
                    return loc;
                }
                loc.container = Some(n);
                loc.element = None;
                loc.string = None;
                if n.kind == NodeKind::Object {
                    loc.role = Role::Key;
                    loc.member = None;
                } else {
                    loc.role = Role::Value;
                    let index = match nodes.get(i + 1) {
                        Some(next) => n.child_nodes().position(|c| std::ptr::eq(c, *next)),
                        None => None,
                    }
                    .unwrap_or_else(|| n.child_nodes().filter(|c| c.range.end <= offset).count());
                    loc.path.push(Seg::Index(index));
                }
            }
            NodeKind::Member => {
                let parent = nodes.get(i - 1).copied();
                let Some(m) = parent.and_then(|p| member_of(parse, p, n)) else {
                    return loc;
                };
                loc.element = Some(n);
                loc.member = Some(m);
                match m.colon() {
                    Some(c) if offset >= c.end => {
                        let key = m.key().map(|k| k.value().into_owned()).unwrap_or_default();
                        loc.path.push(Seg::Key(key));
                        loc.role = Role::Value;
                        loc.container = None;
                        loc.element = None;
                    }
                    _ => {
                        loc.role = Role::Key;
                        loc.string = m.key().filter(|k| k.range().contains_inclusive(offset));
                        return loc;
                    }
                }
            }
            NodeKind::Scalar => {
                loc.role = Role::Value;
                loc.element = Some(n);
                match Value::cast(n, text).and_then(|v| v.as_string()) {
                    Some(s) => loc.string = Some(s),
                    None => loc.on_other_value = true,
                }
                return loc;
            }
            NodeKind::Error => {
                loc.element = Some(n);
                loc.on_other_value = true;
                return loc;
            }
            NodeKind::Root => {}
        }
        i += 1;
    }
    loc
}

/// Whether a new element at `range` inside `container` needs a comma before it (after the
/// previous sibling) and after it (before the next sibling). Returns where to put the one before.
pub(crate) fn separators(container: &Node, range: TextRange) -> (Option<u32>, bool) {
    let mut prev: Option<&Element> = None;
    let mut next: Option<&Element> = None;
    for c in &container.children {
        let is_trivia = matches!(c, Element::Token(t) if t.kind.is_trivia());
        if is_trivia {
            continue;
        }
        let r = c.range();
        if r.end <= range.start && r != range {
            prev = Some(c);
        } else if r.start >= range.end && r != range && next.is_none() {
            next = Some(c);
        }
    }
    let before = match prev {
        Some(Element::Node(n)) => Some(n.range.end),
        _ => None,
    };
    let after = matches!(next, Some(Element::Node(_)));
    (before, after)
}

/// The statement whose object contains `offset`.
pub(crate) fn statement_at(policy: &Policy, offset: u32) -> Option<&Statement> {
    policy
        .statements
        .iter()
        .find(|s| s.range.start < offset && offset <= s.range.end)
}

/// Keys present in the object that is the container of the located position.
pub(crate) fn object_keys(parse: &Parse, obj: &Node) -> Vec<String> {
    Value::cast(obj, parse.text())
        .and_then(|v| v.as_object())
        .map(|o| {
            o.members()
                .filter_map(|m| m.key().map(|k| k.value().into_owned()))
                .collect()
        })
        .unwrap_or_default()
}
