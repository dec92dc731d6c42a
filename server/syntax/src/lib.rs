//! Error-tolerant, lossless JSON parser with byte ranges.
//!
//! [`parse`] never fails: it returns a [`Parse`] whose tree covers every byte of the input
//! (`parse.text()` is the input, and the tree's tokens tile it), plus every syntax error found.
//! It knows nothing about IAM. See `docs/architecture.md`.

mod ast;
mod escape;
mod lexer;
mod line_index;
mod parser;
mod text_range;
mod tree;

pub use ast::{Array, Member, Object, Scalar, StringLit, Value, decode_string};
pub use escape::{escape_string, quote_string};
pub use lexer::{Token, TokenKind};
pub use line_index::{LineCol, LineIndex};
pub use parser::MAX_DEPTH;
pub use text_range::TextRange;
pub use tree::{Element, Node, NodeKind};

/// What the parser accepts beyond strict JSON (RFC 8259).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept `//` and `/* */` comments without reporting them.
    pub allow_comments: bool,
    /// Accept a comma before `]` or `}` without reporting it.
    pub allow_trailing_commas: bool,
}

impl ParseOptions {
    /// Strict JSON: the default for policies.
    pub const STRICT: Self = Self {
        allow_comments: false,
        allow_trailing_commas: false,
    };
    /// JSON with comments and trailing commas.
    pub const LENIENT: Self = Self {
        allow_comments: true,
        allow_trailing_commas: true,
    };
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

impl SyntaxError {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self {
            range,
            message: message.into(),
        }
    }
}

/// The result of parsing: the text, the lossless tree and the syntax errors (sorted by position).
#[derive(Clone, Debug)]
pub struct Parse {
    text: String,
    root: Node,
    errors: Vec<SyntaxError>,
}

impl Parse {
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn root(&self) -> &Node {
        &self.root
    }

    #[must_use]
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// The top-level value, if the document has one.
    #[must_use]
    pub fn value(&self) -> Option<Value<'_>> {
        self.root
            .child_nodes()
            .next()
            .and_then(|n| Value::cast(n, &self.text))
    }

    /// Rebuilds the text from the tree's tokens (equals [`Parse::text`]: the tree is lossless).
    #[must_use]
    pub fn tree_text(&self) -> String {
        let mut s = String::with_capacity(self.text.len());
        self.root
            .for_each_token(|t| s.push_str(t.range.slice(&self.text)));
        s
    }

    /// The chain of nodes from the root to the deepest node whose range contains `offset`
    /// (end inclusive, so a cursor just after a token still belongs to it).
    #[must_use]
    pub fn path_at(&self, offset: u32) -> Vec<&Node> {
        let mut path = vec![&self.root];
        let mut node = &self.root;
        'descend: loop {
            for child in node.child_nodes() {
                if child.range.contains_inclusive(offset) && !child.range.is_empty() {
                    path.push(child);
                    node = child;
                    continue 'descend;
                }
            }
            return path;
        }
    }

    /// The non-trivia token that contains `offset` (end inclusive). When one token ends and
    /// another starts at `offset`, the one that ends there wins: a cursor at `"ab"|` is in the
    /// string. Iterative.
    #[must_use]
    pub fn token_at(&self, offset: u32) -> Option<Token> {
        let mut found: Option<Token> = None;
        let mut stack = vec![&self.root];
        while let Some(node) = stack.pop() {
            for child in &node.children {
                match child {
                    Element::Token(t)
                        if !t.kind.is_trivia() && t.range.contains_inclusive(offset) =>
                    {
                        let better =
                            found.is_none_or(|f| t.range.start < offset && f.range.start >= offset);
                        if better {
                            found = Some(*t);
                        }
                    }
                    Element::Node(n) if n.range.contains_inclusive(offset) => stack.push(n),
                    _ => {}
                }
            }
        }
        found
    }
}

/// Parses `text`. Never fails and never panics.
#[must_use]
pub fn parse(text: &str, options: ParseOptions) -> Parse {
    parser::parse(text, options)
}

impl Parse {
    /// An indented dump of the tree and the errors, for snapshot tests and debugging.
    #[must_use]
    pub fn debug_tree(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let mut stack: Vec<(usize, &Element)> = Vec::new();
        let _ = writeln!(
            out,
            "{:?}@{}..{}",
            self.root.kind, self.root.range.start, self.root.range.end
        );
        for c in self.root.children.iter().rev() {
            stack.push((1, c));
        }
        while let Some((depth, el)) = stack.pop() {
            let pad = "  ".repeat(depth);
            match el {
                Element::Node(n) => {
                    let _ = writeln!(out, "{pad}{:?}@{}..{}", n.kind, n.range.start, n.range.end);
                    for c in n.children.iter().rev() {
                        stack.push((depth + 1, c));
                    }
                }
                Element::Token(t) => {
                    let _ = writeln!(
                        out,
                        "{pad}{:?}@{}..{} {:?}",
                        t.kind,
                        t.range.start,
                        t.range.end,
                        t.range.slice(&self.text)
                    );
                }
            }
        }
        for e in &self.errors {
            let _ = writeln!(
                out,
                "error@{}..{}: {}",
                e.range.start, e.range.end, e.message
            );
        }
        out
    }
}
