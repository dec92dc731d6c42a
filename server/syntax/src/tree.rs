//! The lossless syntax tree: nodes own their children; tokens are byte ranges into the text.

use crate::{TextRange, Token, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// The whole document: trivia, at most one value, and error nodes for anything after it.
    Root,
    Object,
    /// `key: value` inside an object. The key, colon or value may be missing.
    Member,
    Array,
    /// A scalar value: exactly one `String`, `Number`, `True`, `False` or `Null` token.
    Scalar,
    /// Tokens that could not be placed (stray characters, values nested too deep, ...).
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    Node(Node),
    Token(Token),
}

impl Element {
    #[must_use]
    pub fn range(&self) -> TextRange {
        match self {
            Self::Node(n) => n.range,
            Self::Token(t) => t.range,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub range: TextRange,
    pub children: Vec<Element>,
}

impl Node {
    pub(crate) fn new(kind: NodeKind, children: Vec<Element>, at: u32) -> Self {
        let range = match (children.first(), children.last()) {
            (Some(f), Some(l)) => TextRange::new(f.range().start, l.range().end),
            _ => TextRange::empty(at),
        };
        Self {
            kind,
            range,
            children,
        }
    }

    pub fn child_nodes(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter_map(|c| match c {
            Element::Node(n) => Some(n),
            Element::Token(_) => None,
        })
    }

    pub fn child_tokens(&self) -> impl Iterator<Item = &Token> {
        self.children.iter().filter_map(|c| match c {
            Element::Token(t) => Some(t),
            Element::Node(_) => None,
        })
    }

    /// The first non-trivia token directly inside this node, of `kind`.
    #[must_use]
    pub fn token(&self, kind: TokenKind) -> Option<&Token> {
        self.child_tokens().find(|t| t.kind == kind)
    }

    /// Calls `f` on every token of the subtree in document order (iteratively: no recursion).
    pub fn for_each_token(&self, mut f: impl FnMut(&Token)) {
        let mut stack: Vec<std::slice::Iter<'_, Element>> = vec![self.children.iter()];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                Some(Element::Token(t)) => f(t),
                Some(Element::Node(n)) => stack.push(n.children.iter()),
                None => {
                    stack.pop();
                }
            }
        }
    }
}
