//! Formatting: consistent indentation, one member or item per line, key order preserved, comments
//! kept (lenient mode). The result is checked before it is returned: re-parsed, it must have the
//! same values and comments in the same order, or nothing is changed.

use iam_syntax::{Element, Node, NodeKind, Parse, ParseOptions, TextRange, Token, TokenKind};

use super::line_ending;
use iam_policy::diagnostic::TextEdit;

/// How to format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// One level of indentation: spaces or a tab.
    pub indent: String,
    /// Keep arrays of scalars on one line when they fit in `max_width` columns.
    pub compact_arrays: bool,
    pub max_width: usize,
    /// `Some(true)`: end with a newline; `Some(false)`: no newline at the end; `None`: as before.
    pub final_newline: Option<bool>,
}

impl Default for FormatOptions {
    fn default() -> Self {
        Self {
            indent: "    ".to_owned(),
            compact_arrays: false,
            max_width: 100,
            final_newline: None,
        }
    }
}

impl FormatOptions {
    /// `tab_size` spaces, or a tab.
    #[must_use]
    pub fn with_indent(tab_size: u32, insert_spaces: bool) -> Self {
        Self {
            indent: if insert_spaces {
                " ".repeat(tab_size.clamp(1, 16) as usize)
            } else {
                "\t".to_owned()
            },
            ..Self::default()
        }
    }
}

/// Formats the whole document. `None` when it has syntax errors (nothing is changed then); an
/// empty list when it is already formatted.
#[must_use]
pub fn format(parse: &Parse, options: &FormatOptions) -> Option<Vec<TextEdit>> {
    if !parse.errors().is_empty() {
        return None;
    }
    let text = parse.text();
    let mut p = Printer::new(text, options, String::new());
    p.root(parse.root());
    if p.failed {
        return None;
    }
    let mut out = p.out;
    let had_newline = text.ends_with('\n');
    if options.final_newline.unwrap_or(had_newline) {
        out.push_str(p.nl);
    }
    if !same_meaning(text, &out) {
        return None;
    }
    Some(minimal_edit(text, super::whole(text), &out))
}

/// Formats the smallest object or array that contains `range` (the whole document when none).
#[must_use]
pub fn format_range(
    parse: &Parse,
    range: TextRange,
    options: &FormatOptions,
) -> Option<Vec<TextEdit>> {
    if !parse.errors().is_empty() {
        return None;
    }
    let text = parse.text();
    let start = super::clamp(text, range.start);
    let end = super::clamp(text, range.end.max(range.start));
    let path = parse.path_at(start);
    let node = path
        .iter()
        .rev()
        .find(|n| {
            matches!(n.kind, NodeKind::Object | NodeKind::Array)
                && n.range.start <= start
                && end <= n.range.end
        })
        .copied();
    let Some(node) = node else {
        return format(parse, options);
    };
    if path
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Object | NodeKind::Array))
        .count()
        <= 1
    {
        // The top-level object: format everything.
        return format(parse, options);
    }
    let line_start = text[..node.range.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let base: String = text[line_start..node.range.start as usize]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let mut p = Printer::new(text, options, base);
    p.value(node, 0);
    if p.failed {
        return None;
    }
    let mut new_text = String::with_capacity(text.len() + p.out.len());
    new_text.push_str(&text[..node.range.start as usize]);
    new_text.push_str(&p.out);
    new_text.push_str(&text[node.range.end as usize..]);
    if !same_meaning(text, &new_text) {
        return None;
    }
    Some(minimal_edit(text, node.range, &p.out))
}

struct Printer<'a> {
    text: &'a str,
    opts: &'a FormatOptions,
    nl: &'static str,
    base: String,
    out: String,
    failed: bool,
}

/// An item of an object or array with the comments around it.
struct Entry<'a> {
    node: &'a Node,
    leading: Vec<Token>,
    trailing: Vec<Token>,
}

impl<'a> Printer<'a> {
    fn new(text: &'a str, opts: &'a FormatOptions, base: String) -> Self {
        Self {
            text,
            opts,
            nl: line_ending(text),
            base,
            out: String::with_capacity(text.len()),
            failed: false,
        }
    }

    fn tok(&self, t: &Token) -> &'a str {
        t.range.slice(self.text)
    }

    fn newline(&mut self, depth: usize) {
        self.out.push_str(self.nl);
        self.out.push_str(&self.base);
        for _ in 0..depth {
            self.out.push_str(&self.opts.indent);
        }
    }

    fn root(&mut self, root: &Node) {
        let mut first = true;
        let mut newline_seen = true;
        for c in &root.children {
            match c {
                Element::Token(t) if t.kind == TokenKind::Whitespace => {
                    if self.tok(t).contains('\n') {
                        newline_seen = true;
                    }
                }
                Element::Token(t) if t.kind.is_trivia() => {
                    if !first {
                        if newline_seen {
                            self.newline(0);
                        } else {
                            self.out.push(' ');
                        }
                    }
                    self.out.push_str(self.tok(t));
                    first = false;
                    newline_seen = t.kind == TokenKind::LineComment;
                }
                Element::Node(n) => {
                    if !first {
                        self.newline(0);
                    }
                    self.value(n, 0);
                    first = false;
                    newline_seen = false;
                }
                Element::Token(_) => self.failed = true,
            }
        }
    }

    fn value(&mut self, node: &Node, depth: usize) {
        match node.kind {
            NodeKind::Scalar => {
                let mut first = true;
                for t in node.child_tokens() {
                    if t.kind == TokenKind::Whitespace {
                        continue;
                    }
                    if !first {
                        self.out.push(' ');
                    }
                    self.out.push_str(self.tok(t));
                    first = false;
                }
            }
            NodeKind::Object | NodeKind::Array => self.container(node, depth),
            _ => self.failed = true,
        }
    }

    fn member(&mut self, node: &Node, depth: usize) {
        let mut after_colon = false;
        for c in &node.children {
            match c {
                Element::Token(t) => match t.kind {
                    TokenKind::Whitespace => {}
                    TokenKind::Colon => {
                        self.out.push_str(": ");
                        after_colon = true;
                    }
                    TokenKind::LineComment => {
                        if !after_colon {
                            self.out.push(' ');
                        }
                        self.out.push_str(self.tok(t));
                        self.newline(depth + 1);
                    }
                    TokenKind::BlockComment => {
                        if !after_colon {
                            self.out.push(' ');
                        }
                        self.out.push_str(self.tok(t));
                        self.out.push(' ');
                    }
                    _ => self.out.push_str(self.tok(t)),
                },
                Element::Node(n) => self.value(n, depth),
            }
        }
    }

    fn container(&mut self, node: &Node, depth: usize) {
        let (open, close) = if node.kind == NodeKind::Object {
            ("{", "}")
        } else {
            ("[", "]")
        };
        let mut entries: Vec<Entry<'_>> = Vec::new();
        let mut pending: Vec<Token> = Vec::new();
        let mut newline_seen = false;
        for c in &node.children {
            match c {
                Element::Token(t) => match t.kind {
                    TokenKind::Whitespace => {
                        if self.tok(t).contains('\n') {
                            newline_seen = true;
                        }
                    }
                    TokenKind::LineComment | TokenKind::BlockComment => {
                        match entries.last_mut() {
                            Some(e) if !newline_seen && pending.is_empty() => e.trailing.push(*t),
                            _ => pending.push(*t),
                        }
                        if t.kind == TokenKind::LineComment {
                            newline_seen = true;
                        }
                    }
                    TokenKind::Comma
                    | TokenKind::LBrace
                    | TokenKind::RBrace
                    | TokenKind::LBracket
                    | TokenKind::RBracket => {}
                    _ => self.failed = true,
                },
                Element::Node(n) => {
                    entries.push(Entry {
                        node: n,
                        leading: std::mem::take(&mut pending),
                        trailing: Vec::new(),
                    });
                    newline_seen = false;
                }
            }
        }
        if entries.is_empty() && pending.is_empty() {
            self.out.push_str(open);
            self.out.push_str(close);
            return;
        }
        if node.kind == NodeKind::Array && self.opts.compact_arrays && pending.is_empty() {
            let simple = entries.iter().all(|e| {
                e.leading.is_empty() && e.trailing.is_empty() && e.node.kind == NodeKind::Scalar
            });
            if simple {
                let items: Vec<&str> = entries
                    .iter()
                    .filter_map(|e| e.node.child_tokens().find(|t| !t.kind.is_trivia()))
                    .map(|t| self.tok(t))
                    .collect();
                let line = format!("[{}]", items.join(", "));
                let col = self
                    .out
                    .rsplit('\n')
                    .next()
                    .map_or(0, |l| l.chars().count());
                if col + line.chars().count() <= self.opts.max_width {
                    self.out.push_str(&line);
                    return;
                }
            }
        }
        self.out.push_str(open);
        let last = entries.len().saturating_sub(1);
        for (i, e) in entries.iter().enumerate() {
            for c in &e.leading {
                self.newline(depth + 1);
                self.out.push_str(self.tok(c));
            }
            self.newline(depth + 1);
            if e.node.kind == NodeKind::Member {
                self.member(e.node, depth + 1);
            } else {
                self.value(e.node, depth + 1);
            }
            if i < last {
                self.out.push(',');
            }
            for c in &e.trailing {
                self.out.push(' ');
                self.out.push_str(self.tok(c));
            }
        }
        for c in &pending {
            self.newline(depth + 1);
            self.out.push_str(self.tok(c));
        }
        self.newline(depth);
        self.out.push_str(close);
    }
}

/// The values and comments of a document, in order (whitespace and commas left out).
fn significant(text: &str) -> Option<Vec<(TokenKind, String)>> {
    let p = iam_syntax::parse(text, ParseOptions::LENIENT);
    if !p.errors().is_empty() {
        return None;
    }
    let mut v = Vec::new();
    p.root().for_each_token(|t| {
        if !matches!(t.kind, TokenKind::Whitespace | TokenKind::Comma) {
            v.push((t.kind, t.range.slice(text).to_owned()));
        }
    });
    Some(v)
}

fn same_meaning(before: &str, after: &str) -> bool {
    match (significant(before), significant(after)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// One edit that turns `text[range]` into `new`, trimmed to the part that changes.
fn minimal_edit(text: &str, range: TextRange, new: &str) -> Vec<TextEdit> {
    let old = range.slice(text);
    if old == new {
        return Vec::new();
    }
    let prefix: usize = old
        .char_indices()
        .zip(new.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, a), _)| i + a.len_utf8());
    let old_rest = &old[prefix..];
    let new_rest = &new[prefix..];
    let suffix: usize = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix = suffix.min(old_rest.len()).min(new_rest.len());
    let start = range.start as usize + prefix;
    let end = range.end as usize - suffix;
    let new_text = new_rest[..new_rest.len() - suffix].to_owned();
    vec![TextEdit {
        range: TextRange::new(
            u32::try_from(start).unwrap_or(range.start),
            u32::try_from(end).unwrap_or(range.end),
        ),
        new_text,
    }]
}
