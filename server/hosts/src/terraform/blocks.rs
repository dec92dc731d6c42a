//! Where a cursor is inside a `data "aws_iam_policy_document"` block, and the arguments and
//! blocks each level of it takes: what an editor completes there. The policy knowledge (what
//! `Effect` or `Condition` means) stays in the analysis; this is only Terraform's schema.

use tree_sitter::Node;

use super::{chunks, text_of};
use crate::value::Range;

/// One argument or nested block of an `aws_iam_policy_document` level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    pub name: &'static str,
    pub shape: Shape,
    /// The policy element it produces (`actions` -> `Action`), for its documentation.
    pub element: Option<&'static str>,
}

/// How an argument is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `name = "..."`.
    String,
    /// `name = ["..."]`.
    List,
    /// `name { ... }`.
    Block,
}

const fn arg(name: &'static str, shape: Shape, element: Option<&'static str>) -> Arg {
    Arg {
        name,
        shape,
        element,
    }
}

/// The data block's own arguments.
pub const DOCUMENT: &[Arg] = &[
    arg("version", Shape::String, Some("Version")),
    arg("policy_id", Shape::String, Some("Id")),
    arg("statement", Shape::Block, Some("Statement")),
    arg("source_policy_documents", Shape::List, None),
    arg("override_policy_documents", Shape::List, None),
];

/// A `statement` block's arguments and blocks.
pub const STATEMENT: &[Arg] = &[
    arg("sid", Shape::String, Some("Sid")),
    arg("effect", Shape::String, Some("Effect")),
    arg("actions", Shape::List, Some("Action")),
    arg("not_actions", Shape::List, Some("NotAction")),
    arg("resources", Shape::List, Some("Resource")),
    arg("not_resources", Shape::List, Some("NotResource")),
    arg("principals", Shape::Block, Some("Principal")),
    arg("not_principals", Shape::Block, Some("NotPrincipal")),
    arg("condition", Shape::Block, Some("Condition")),
];

/// A `principals`/`not_principals` block's arguments.
pub const PRINCIPALS: &[Arg] = &[
    arg("type", Shape::String, None),
    arg("identifiers", Shape::List, None),
];

/// A `condition` block's arguments.
pub const CONDITION: &[Arg] = &[
    arg("test", Shape::String, None),
    arg("variable", Shape::String, None),
    arg("values", Shape::List, None),
];

/// The arguments a level takes, by the nested block kinds below the data block (`[]`,
/// `["statement"]`, `["statement", "condition"]`).
#[must_use]
pub fn arguments(path: &[String]) -> &'static [Arg] {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    match p.as_slice() {
        [] => DOCUMENT,
        ["statement"] => STATEMENT,
        ["statement", "principals" | "not_principals"] => PRINCIPALS,
        ["statement", "condition"] => CONDITION,
        _ => &[],
    }
}

/// The cursor's place in an `aws_iam_policy_document` data block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockAt {
    /// Kinds of the nested blocks around the cursor, below the data block.
    pub path: Vec<String>,
    /// Arguments and blocks already written in the innermost block, except the one at the cursor.
    pub present: Vec<String>,
    /// The cursor is on this argument's name (`None`: between arguments, or in a value).
    pub on_name: Option<String>,
    /// The cursor is inside the quoted string value of this argument: its name and the string's
    /// range (quotes included).
    pub in_string_of: Option<(String, Range)>,
    /// The literal `actions` of the enclosing `statement` block.
    pub actions: Vec<String>,
    /// The literal `test` of the enclosing `condition` block.
    pub test: Option<String>,
}

/// Where `offset` is inside a `data "aws_iam_policy_document"` block of `text`, or `None` when
/// it is elsewhere (another block, a value that is not a string).
#[must_use]
pub fn document_block_at(text: &str, offset: u32) -> Option<BlockAt> {
    let offset = offset as usize;
    let (base, chunk) = chunks(text)
        .into_iter()
        .find(|(b, c)| *b <= offset && offset <= b + c.len())?;
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_hcl::LANGUAGE.into())
        .ok()?;
    let tree = parser.parse(chunk, None)?;
    let local = offset - base;
    let mut node = tree.root_node().descendant_for_byte_range(local, local)?;
    let mut at = BlockAt::default();
    let mut blocks: Vec<Node> = Vec::new();
    let mut attr: Option<Node> = None;
    let mut string: Option<Node> = None;
    loop {
        match node.kind() {
            "string_lit" | "template_literal" if attr.is_none() && string.is_none() => {
                string = Some(node);
            }
            "attribute" if blocks.is_empty() && attr.is_none() => attr = Some(node),
            "block" => blocks.push(node),
            "object" | "tuple" | "function_call" | "heredoc_template" | "for_expr"
                if blocks.is_empty() =>
            {
                // Inside an expression other than a plain string: not an argument's place.
                attr?;
                string = None;
            }
            _ => {}
        }
        match node.parent() {
            Some(p) => node = p,
            None => break,
        }
    }
    let kinds: Vec<(String, Vec<String>)> = blocks
        .iter()
        .rev()
        .map(|b| block_header(*b, chunk))
        .collect();
    let (first, labels) = kinds.first()?;
    if first != "data" || labels.first().map(String::as_str) != Some("aws_iam_policy_document") {
        return None;
    }
    at.path = kinds[1..].iter().map(|(k, _)| k.clone()).collect();
    let inner = *blocks.first()?;
    if let Some(a) = attr {
        let name = a
            .named_child(0)
            .map(|k| text_of(&k, chunk).to_owned())
            .unwrap_or_default();
        let on_name = a
            .named_child(0)
            .is_some_and(|k| k.start_byte() <= local && local <= k.end_byte());
        if on_name {
            at.on_name = Some(name.clone());
        } else {
            let s = string?;
            let lit = if s.kind() == "string_lit" {
                s
            } else {
                s.parent().filter(|p| p.kind() == "string_lit")?
            };
            let r = lit.byte_range();
            at.in_string_of = Some((name, super::ru(base + r.start, base + r.end)));
        }
    }
    for (name, value) in body_items(inner, chunk) {
        if at.on_name.as_deref() == Some(name.as_str())
            && attr.is_some_and(|a| a.named_child(0).is_some_and(|k| text_of(&k, chunk) == name))
        {
            continue;
        }
        if at.path.last().map(String::as_str) == Some("condition") && name == "test" {
            at.test = value.clone();
        }
        at.present.push(name);
    }
    // The statement's literal actions (for condition keys that fit them).
    if let Some(st) = blocks
        .iter()
        .find(|b| block_header(**b, chunk).0 == "statement")
    {
        for (name, node) in body_attrs(*st, chunk) {
            if name == "actions" {
                strings(node, chunk, &mut at.actions);
            }
        }
    }
    Some(at)
}

fn block_header(b: Node, text: &str) -> (String, Vec<String>) {
    let mut kind = String::new();
    let mut labels = Vec::new();
    let mut c = b.walk();
    for ch in b.named_children(&mut c) {
        match ch.kind() {
            "identifier" if kind.is_empty() => kind = text_of(&ch, text).to_owned(),
            "identifier" => labels.push(text_of(&ch, text).to_owned()),
            "string_lit" => labels.push(text_of(&ch, text).trim_matches('"').to_owned()),
            _ => {}
        }
    }
    (kind, labels)
}

/// The attributes of a block's body with their value nodes.
fn body_attrs<'t>(b: Node<'t>, text: &str) -> Vec<(String, Node<'t>)> {
    let mut out = Vec::new();
    let mut c = b.walk();
    for body in b.named_children(&mut c).filter(|n| n.kind() == "body") {
        let mut c2 = body.walk();
        for item in body.named_children(&mut c2) {
            if item.kind() == "attribute" {
                if let (Some(k), Some(v)) = (item.named_child(0), item.named_child(1)) {
                    out.push((text_of(&k, text).to_owned(), v));
                }
            }
        }
    }
    out
}

/// The names of a block's arguments and nested blocks, with the literal value of string
/// arguments.
fn body_items(b: Node, text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut c = b.walk();
    for body in b.named_children(&mut c).filter(|n| n.kind() == "body") {
        let mut c2 = body.walk();
        for item in body.named_children(&mut c2) {
            match item.kind() {
                "attribute" => {
                    if let Some(k) = item.named_child(0) {
                        let value = item.named_child(1).and_then(|v| {
                            let mut s = Vec::new();
                            strings(v, text, &mut s);
                            s.into_iter().next()
                        });
                        out.push((text_of(&k, text).to_owned(), value));
                    }
                }
                "block" => out.push((block_header(item, text).0, None)),
                _ => {}
            }
        }
    }
    out
}

/// The literal strings (without interpolation) under `n`.
fn strings(n: Node, text: &str, out: &mut Vec<String>) {
    if n.kind() == "string_lit" {
        let raw = text_of(&n, text);
        let inner = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'));
        if let Some(inner) = inner {
            if !inner.contains(['\\', '$', '%']) {
                out.push(inner.to_owned());
            }
        }
        return;
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        strings(ch, text, out);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<BlockAt> {
        let i = text.find('|').unwrap_or(0);
        let t = text.replacen('|', "", 1);
        document_block_at(&t, u32::try_from(i).unwrap_or(0))
    }

    #[test]
    fn levels_names_and_strings() {
        let doc = "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:GetObject\"]\n    eff| = null\n    condition {\n      test = \"StringEquals\"\n      variable = \"aws:So\"\n    }\n  }\n}\n";
        let a = at(doc).unwrap();
        assert_eq!(a.path, ["statement"]);
        assert_eq!(a.on_name.as_deref(), Some("eff"));
        assert_eq!(a.present, ["actions", "condition"]);
        assert_eq!(a.actions, ["s3:GetObject"]);
        let a = at(&doc.replace("|", "").replace("aws:So", "aws:S|o")).unwrap();
        assert_eq!(a.path, ["statement", "condition"]);
        assert_eq!(a.in_string_of.as_ref().unwrap().0, "variable");
        assert_eq!(a.test.as_deref(), Some("StringEquals"));
        // Between arguments.
        let a = at("data \"aws_iam_policy_document\" \"d\" {\n  |\n}\n").unwrap();
        assert!(a.path.is_empty() && a.on_name.is_none() && a.in_string_of.is_none());
        // Not a policy document, or inside another expression.
        assert!(at("resource \"aws_iam_policy\" \"p\" {\n  na|me = \"x\"\n}\n").is_none());
        assert!(at("data \"aws_iam_policy_document\" \"d\" {\n  x = {a = \"|\"}\n}\n").is_none());
        assert_eq!(arguments(&["statement".into()]).len(), 9);
    }
}
