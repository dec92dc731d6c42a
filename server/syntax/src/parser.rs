//! Recursive-descent parser with error recovery. Nesting deeper than [`MAX_DEPTH`] is not
//! descended into: it is kept as a flat error node, so no tree walk can overflow the stack.

use crate::lexer::tokenize;
use crate::tree::{Element, Node, NodeKind};
use crate::{Parse, ParseOptions, SyntaxError, TextRange, Token, TokenKind};

/// Deepest nesting of arrays and objects that is parsed into the tree. IAM policies need about 6.
pub const MAX_DEPTH: usize = 128;

pub(crate) fn parse(text: &str, options: ParseOptions) -> Parse {
    let mut errors = Vec::new();
    let tokens = tokenize(text, &mut errors);
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
        errors,
        options,
        text,
    };
    let root = p.root();
    let mut errors = p.errors;
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    Parse {
        text: text.to_owned(),
        root,
        errors,
    }
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    errors: Vec<SyntaxError>,
    options: ParseOptions,
    text: &'t str,
}

impl Parser<'_> {
    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError::new(range, message));
    }

    /// Moves trivia tokens into `out`, reporting comments in strict mode.
    fn trivia(&mut self, out: &mut Vec<Element>) {
        while let Some(t) = self.tokens.get(self.pos) {
            if !t.kind.is_trivia() {
                break;
            }
            if t.kind != TokenKind::Whitespace && !self.options.allow_comments {
                self.error(
                    t.range,
                    "comments are not allowed in JSON: remove the comment",
                );
            }
            out.push(Element::Token(*t));
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).copied()
    }

    fn bump(&mut self, out: &mut Vec<Element>) {
        if let Some(t) = self.tokens.get(self.pos) {
            out.push(Element::Token(*t));
            self.pos += 1;
        }
    }

    fn eof(&self) -> u32 {
        #[allow(clippy::cast_possible_truncation)]
        let len = self.text.len() as u32;
        len
    }

    /// End offset of the last non-trivia element in `out` (where a missing token belongs).
    fn end_of_last(out: &[Element], fallback: u32) -> u32 {
        out.iter()
            .rev()
            .find(|e| !matches!(e, Element::Token(t) if t.kind.is_trivia()))
            .map_or(fallback, |e| e.range().end)
    }

    fn root(&mut self) -> Node {
        let mut children = Vec::new();
        self.trivia(&mut children);
        match self.peek() {
            None => self.error(TextRange::empty(0), "empty document: expected a JSON value"),
            Some(_) => {
                if let Some(v) = self.value(0) {
                    children.push(Element::Node(v));
                }
            }
        }
        loop {
            self.trivia(&mut children);
            let Some(t) = self.peek() else { break };
            // Anything after the top-level value: collect it (balanced) into error nodes.
            self.error(
                t.range,
                format!(
                    "unexpected {} after the end of the document",
                    t.kind.describe()
                ),
            );
            let node = self.skip_balanced();
            children.push(Element::Node(node));
        }
        Node::new(NodeKind::Root, children, 0)
    }

    fn starts_value(kind: TokenKind) -> bool {
        matches!(
            kind,
            TokenKind::LBrace
                | TokenKind::LBracket
                | TokenKind::String
                | TokenKind::Number
                | TokenKind::True
                | TokenKind::False
                | TokenKind::Null
        )
    }

    /// Parses one value at the current (non-trivia) token. Returns `None` when the token cannot
    /// start a value (nothing is consumed then, except an `Ident`/`Error` token, wrapped in an
    /// error node).
    fn value(&mut self, depth: usize) -> Option<Node> {
        let t = self.peek()?;
        match t.kind {
            TokenKind::LBrace | TokenKind::LBracket if depth >= MAX_DEPTH => {
                self.error(
                    t.range,
                    format!("nesting deeper than {MAX_DEPTH} levels is not analysed"),
                );
                Some(self.skip_balanced())
            }
            TokenKind::LBrace => Some(self.object(depth + 1)),
            TokenKind::LBracket => Some(self.array(depth + 1)),
            TokenKind::String
            | TokenKind::Number
            | TokenKind::True
            | TokenKind::False
            | TokenKind::Null => {
                let mut c = Vec::with_capacity(1);
                self.bump(&mut c);
                Some(Node::new(NodeKind::Scalar, c, t.range.start))
            }
            TokenKind::Ident => {
                let word = t.range.slice(self.text);
                let msg = match word {
                    "True" | "TRUE" => "`True` is not JSON: write `true`".to_owned(),
                    "False" | "FALSE" => "`False` is not JSON: write `false`".to_owned(),
                    "None" | "NULL" | "Null" => format!("`{word}` is not JSON: write `null`"),
                    _ => format!("unexpected word `{word}`: strings must be in double quotes"),
                };
                self.error(t.range, msg);
                let mut c = Vec::new();
                self.bump(&mut c);
                Some(Node::new(NodeKind::Error, c, t.range.start))
            }
            TokenKind::Error => {
                self.error(
                    t.range,
                    format!("unexpected character `{}`", t.range.slice(self.text)),
                );
                let mut c = Vec::new();
                self.bump(&mut c);
                Some(Node::new(NodeKind::Error, c, t.range.start))
            }
            _ => None,
        }
    }

    /// Consumes one token, and when it opens a bracket, everything up to its matching closer,
    /// without building a nested tree. Iterative.
    fn skip_balanced(&mut self) -> Node {
        let mut c = Vec::new();
        let start = self.peek().map_or(self.eof(), |t| t.range.start);
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t.kind {
                TokenKind::LBrace | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace | TokenKind::RBracket => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump(&mut c);
            if depth == 0 {
                break;
            }
        }
        Node::new(NodeKind::Error, c, start)
    }

    fn object(&mut self, depth: usize) -> Node {
        let mut c = Vec::new();
        let open = self
            .peek()
            .map_or(TextRange::empty(self.eof()), |t| t.range);
        self.bump(&mut c); // `{`
        let mut expect_member = true; // after `{` or `,`
        let mut last_comma: Option<TextRange> = None;
        loop {
            self.trivia(&mut c);
            let Some(t) = self.peek() else {
                let at = Self::end_of_last(&c, self.eof());
                self.error(
                    TextRange::empty(at),
                    format!(
                        "unclosed object: add `}}` to close the `{{` at offset {}",
                        open.start
                    ),
                );
                break;
            };
            match t.kind {
                TokenKind::RBrace => {
                    if let (Some(comma), false) = (last_comma, self.options.allow_trailing_commas) {
                        self.error(comma, "trailing comma: remove it");
                    }
                    self.bump(&mut c);
                    break;
                }
                TokenKind::RBracket => {
                    // A mismatched closer: leave it for an enclosing array.
                    let at = Self::end_of_last(&c, t.range.start);
                    self.error(
                        TextRange::empty(at),
                        "unclosed object: expected `}` before `]`",
                    );
                    break;
                }
                TokenKind::Error => {
                    // A stray character: report it and keep the surrounding structure.
                    self.error(
                        t.range,
                        format!("unexpected character `{}`", t.range.slice(self.text)),
                    );
                    let mut e = Vec::new();
                    self.bump(&mut e);
                    c.push(Element::Node(Node::new(NodeKind::Error, e, t.range.start)));
                }
                TokenKind::Comma => {
                    if expect_member {
                        self.error(t.range, "unexpected `,`: expected a property name");
                    }
                    self.bump(&mut c);
                    last_comma = Some(t.range);
                    expect_member = true;
                }
                _ => {
                    if !expect_member {
                        let at = Self::end_of_last(&c, t.range.start);
                        self.error(TextRange::empty(at), "missing `,` between properties");
                    }
                    last_comma = None;
                    let member = self.member(depth);
                    c.push(Element::Node(member));
                    expect_member = false;
                }
            }
        }
        Node::new(NodeKind::Object, c, open.start)
    }

    fn member(&mut self, depth: usize) -> Node {
        // Key, colon, whitespace, value: sized once instead of growing 0 -> 4.
        let mut c = Vec::with_capacity(4);
        let Some(first) = self.peek() else {
            return Node::new(NodeKind::Member, c, self.eof());
        };
        match first.kind {
            TokenKind::String => self.bump(&mut c),
            TokenKind::Ident
            | TokenKind::Number
            | TokenKind::True
            | TokenKind::False
            | TokenKind::Null => {
                self.error(
                    first.range,
                    format!(
                        "property name `{}` must be a string in double quotes",
                        first.range.slice(self.text)
                    ),
                );
                self.bump(&mut c);
            }
            TokenKind::Colon => {
                self.error(
                    TextRange::empty(first.range.start),
                    "missing property name before `:`",
                );
            }
            TokenKind::LBrace | TokenKind::LBracket => {
                self.error(first.range, "expected a property name, found a value");
                if let Some(v) = self.value(depth) {
                    c.push(Element::Node(v));
                }
                return Node::new(NodeKind::Member, c, first.range.start);
            }
            _ => {
                self.error(
                    first.range,
                    format!("expected a property name, found {}", first.kind.describe()),
                );
                let mut e = Vec::new();
                self.bump(&mut e);
                c.push(Element::Node(Node::new(
                    NodeKind::Error,
                    e,
                    first.range.start,
                )));
                return Node::new(NodeKind::Member, c, first.range.start);
            }
        }
        // Colon.
        self.stray(&mut c);
        let mut lookahead = Vec::new();
        self.trivia(&mut lookahead);
        let next = self.peek();
        match next.map(|t| t.kind) {
            Some(TokenKind::Colon) => {
                c.append(&mut lookahead);
                self.bump(&mut c);
            }
            Some(k)
                if Self::starts_value(k)
                    && !matches!(k, TokenKind::String if Self::looks_like_next_key(self)) =>
            {
                let at = Self::end_of_last(&c, first.range.end);
                self.error(TextRange::empty(at), "missing `:` after the property name");
                c.append(&mut lookahead);
            }
            _ => {
                let at = Self::end_of_last(&c, first.range.end);
                self.error(
                    TextRange::empty(at),
                    "missing `:` and value after the property name",
                );
                c.append(&mut lookahead);
                return Node::new(NodeKind::Member, c, first.range.start);
            }
        }
        // Value.
        self.stray(&mut c);
        self.trivia(&mut c);
        match self.peek() {
            Some(t)
                if Self::starts_value(t.kind)
                    || matches!(t.kind, TokenKind::Ident | TokenKind::Error) =>
            {
                if let Some(v) = self.value(depth) {
                    c.push(Element::Node(v));
                }
            }
            _ => {
                let at = Self::end_of_last(&c, first.range.end);
                self.error(TextRange::empty(at), "missing value after `:`");
            }
        }
        Node::new(NodeKind::Member, c, first.range.start)
    }

    /// Consumes trivia and stray characters (reported, kept in error nodes) before a token.
    fn stray(&mut self, out: &mut Vec<Element>) {
        loop {
            let mut i = self.pos;
            while self.tokens.get(i).is_some_and(|t| t.kind.is_trivia()) {
                i += 1;
            }
            let Some(t) = self
                .tokens
                .get(i)
                .copied()
                .filter(|t| t.kind == TokenKind::Error)
            else {
                return;
            };
            self.trivia(out);
            self.error(
                t.range,
                format!("unexpected character `{}`", t.range.slice(self.text)),
            );
            let mut e = Vec::new();
            self.bump(&mut e);
            out.push(Element::Node(Node::new(NodeKind::Error, e, t.range.start)));
        }
    }

    /// After a key with no colon, a string followed by `:` is the next member's key, not a value.
    fn looks_like_next_key(&self) -> bool {
        let mut i = self.pos + 1;
        while let Some(t) = self.tokens.get(i) {
            if !t.kind.is_trivia() {
                return t.kind == TokenKind::Colon;
            }
            i += 1;
        }
        false
    }

    fn array(&mut self, depth: usize) -> Node {
        let mut c = Vec::new();
        let open = self
            .peek()
            .map_or(TextRange::empty(self.eof()), |t| t.range);
        self.bump(&mut c); // `[`
        let mut expect_value = true;
        let mut last_comma: Option<TextRange> = None;
        loop {
            self.trivia(&mut c);
            let Some(t) = self.peek() else {
                let at = Self::end_of_last(&c, self.eof());
                self.error(
                    TextRange::empty(at),
                    format!(
                        "unclosed array: add `]` to close the `[` at offset {}",
                        open.start
                    ),
                );
                break;
            };
            match t.kind {
                TokenKind::RBracket => {
                    if let (Some(comma), false) = (last_comma, self.options.allow_trailing_commas) {
                        self.error(comma, "trailing comma: remove it");
                    }
                    self.bump(&mut c);
                    break;
                }
                TokenKind::RBrace => {
                    let at = Self::end_of_last(&c, t.range.start);
                    self.error(
                        TextRange::empty(at),
                        "unclosed array: expected `]` before `}`",
                    );
                    break;
                }
                TokenKind::Comma => {
                    if expect_value {
                        self.error(t.range, "unexpected `,`: expected a value");
                    }
                    self.bump(&mut c);
                    last_comma = Some(t.range);
                    expect_value = true;
                }
                TokenKind::Error => {
                    self.error(
                        t.range,
                        format!("unexpected character `{}`", t.range.slice(self.text)),
                    );
                    let mut e = Vec::new();
                    self.bump(&mut e);
                    c.push(Element::Node(Node::new(NodeKind::Error, e, t.range.start)));
                }
                TokenKind::Colon => {
                    self.error(t.range, "unexpected `:` in an array");
                    let mut e = Vec::new();
                    self.bump(&mut e);
                    c.push(Element::Node(Node::new(NodeKind::Error, e, t.range.start)));
                }
                _ => {
                    if !expect_value {
                        let at = Self::end_of_last(&c, t.range.start);
                        self.error(TextRange::empty(at), "missing `,` between array items");
                    }
                    last_comma = None;
                    if let Some(v) = self.value(depth) {
                        c.push(Element::Node(v));
                    }
                    expect_value = false;
                }
            }
        }
        Node::new(NodeKind::Array, c, open.start)
    }
}
