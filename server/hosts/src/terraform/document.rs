//! `data "aws_iam_policy_document"` blocks: the policy each produces, following
//! `source_policy_documents` and `override_policy_documents` to other blocks of the same file
//! and merging their statements as Terraform does: the block's own statements replace source
//! statements with the same `sid`, override statements replace statements with the same `sid`,
//! statements without a `sid` are appended. A reference to anything else (a variable, a
//! resource's policy, another module) stays an unknown statement.

use std::collections::{HashMap, HashSet};

use super::{Block, Item};
use crate::value::{Piece, Range, Str, Val};

/// The policy documents of a file's data blocks, each computed once.
pub(super) struct Resolver<'b> {
    blocks: HashMap<&'b str, &'b Block>,
    done: HashMap<String, Vec<Val>>,
    visiting: HashSet<String>,
}

impl<'b> Resolver<'b> {
    pub(super) fn new(blocks: &'b [Block]) -> Self {
        let mut by_name = HashMap::new();
        for b in blocks {
            if b.kind == "data"
                && b.labels.first().map(String::as_str) == Some("aws_iam_policy_document")
            {
                if let Some(name) = b.labels.get(1) {
                    by_name.entry(name.as_str()).or_insert(b);
                }
            }
        }
        Self {
            blocks: by_name,
            done: HashMap::new(),
            visiting: HashSet::new(),
        }
    }

    /// The merged statements of the data block `name`, or `None` when there is no such block
    /// in the file or the references form a cycle.
    fn statements(&mut self, name: &str) -> Option<Vec<Val>> {
        if let Some(s) = self.done.get(name) {
            return Some(s.clone());
        }
        if !self.visiting.insert(name.to_owned()) {
            return None;
        }
        let b = *self.blocks.get(name)?;
        let doc = self.document(b);
        self.visiting.remove(name);
        let statements = match doc.get("Statement") {
            Some(Val::Seq { items, .. }) => items.clone(),
            _ => Vec::new(),
        };
        self.done.insert(name.to_owned(), statements.clone());
        Some(statements)
    }

    /// The statements a `source_policy_documents`/`override_policy_documents` list brings in:
    /// the referenced blocks' statements, or an unknown statement per other item.
    fn referenced(&mut self, list: &Val, what: &str) -> Vec<Val> {
        let items: Vec<&Val> = match list {
            Val::Seq { items, .. } => items.iter().collect(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for item in items {
            let name = match item {
                Val::Hole { what, .. } => what
                    .strip_prefix("data.aws_iam_policy_document.")
                    .and_then(|r| r.strip_suffix(".json").or(r.strip_suffix(".minified_json")))
                    .map(str::to_owned),
                _ => None,
            };
            match name.and_then(|n| self.statements(&n)) {
                Some(statements) => out.extend(statements),
                None => out.push(Val::Hole {
                    range: item.range(),
                    what: what.to_owned(),
                }),
            }
        }
        out
    }

    /// The policy a `data "aws_iam_policy_document"` block produces, with every key mapped to the
    /// argument or block it comes from.
    pub(super) fn document(&mut self, b: &Block) -> Val {
        let key = |name: &str, host: Range| Str {
            pieces: vec![Piece::Text {
                text: name.to_owned(),
                host,
                exact: false,
            }],
            range: host,
        };
        let header = Range::new(b.range.start, b.range.start);
        let mut entries = Vec::new();
        let mut version = None;
        let mut statements = Vec::new();
        let (mut source, mut overrides) = (None, None);
        for item in &b.body {
            match item {
                Item::Attr {
                    name,
                    value,
                    key: k,
                    ..
                } => match name.as_str() {
                    "version" => version = Some((key("Version", *k), value.clone())),
                    "policy_id" => entries.push((key("Id", *k), value.clone())),
                    "source_policy_documents" => source = Some(value),
                    "override_policy_documents" => overrides = Some(value),
                    _ => {}
                },
                Item::Block(s) if s.kind == "statement" => statements.push(statement(s, &key)),
                Item::Block(s) if s.kind == "dynamic" => statements.push(Val::Hole {
                    range: s.range,
                    what: "dynamic \"statement\"".into(),
                }),
                Item::Block(_) => {}
            }
        }
        let mut merged =
            source.map_or_else(Vec::new, |v| self.referenced(v, "source_policy_documents"));
        for st in statements {
            put(&mut merged, st);
        }
        if let Some(v) = overrides {
            for st in self.referenced(v, "override_policy_documents") {
                put(&mut merged, st);
            }
        }
        let statements = merged;
        let version = version
            .unwrap_or_else(|| (key("Version", header), Val::Str(key("2012-10-17", header))));
        entries.insert(0, version);
        entries.push((
            key("Statement", header),
            Val::Seq {
                range: b.range,
                items: statements,
            },
        ));
        Val::Map {
            range: b.range,
            entries,
        }
    }
}

/// Adds `st`, replacing a statement with the same `sid`.
fn put(statements: &mut Vec<Val>, st: Val) {
    let sid = |v: &Val| v.get("Sid").and_then(Val::as_literal);
    if let Some(id) = sid(&st) {
        if let Some(slot) = statements
            .iter_mut()
            .find(|o| sid(o).as_deref() == Some(id.as_str()))
        {
            *slot = st;
            return;
        }
    }
    statements.push(st);
}

fn statement(s: &Block, key: &dyn Fn(&str, Range) -> Str) -> Val {
    let mut entries = Vec::new();
    let mut effect = None;
    let mut principals: Vec<(Str, Val)> = Vec::new();
    let mut not_principals: Vec<(Str, Val)> = Vec::new();
    let mut conditions: Vec<(Str, Val, Val, Range)> = Vec::new();
    for item in &s.body {
        match item {
            Item::Attr {
                name,
                value,
                key: k,
            } => {
                let element = match name.as_str() {
                    "sid" => "Sid",
                    "effect" => {
                        effect = Some((key("Effect", *k), value.clone()));
                        continue;
                    }
                    "actions" => "Action",
                    "not_actions" => "NotAction",
                    "resources" => "Resource",
                    "not_resources" => "NotResource",
                    _ => continue,
                };
                entries.push((key(element, *k), value.clone()));
            }
            Item::Block(inner) => {
                let get = |n: &str| {
                    inner.body.iter().find_map(|i| match i {
                        Item::Attr { name, value, .. } if name == n => Some(value.clone()),
                        _ => None,
                    })
                };
                match inner.kind.as_str() {
                    "principals" | "not_principals" => {
                        let (Some(Val::Str(t)), Some(ids)) = (get("type"), get("identifiers"))
                        else {
                            continue;
                        };
                        let target = if inner.kind == "principals" {
                            &mut principals
                        } else {
                            &mut not_principals
                        };
                        target.push((t, ids));
                    }
                    "condition" => {
                        if let (Some(Val::Str(t)), Some(Val::Str(var)), Some(vals)) =
                            (get("test"), get("variable"), get("values"))
                        {
                            conditions.push((t, Val::Str(var), vals, inner.range));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let header = Range::new(s.range.start, s.range.start);
    let effect = effect.unwrap_or_else(|| (key("Effect", header), Val::Str(key("Allow", header))));
    entries.insert(0, effect);
    for (name, list) in [("Principal", principals), ("NotPrincipal", not_principals)] {
        if list.is_empty() {
            continue;
        }
        // `type = "*"` with `identifiers = ["*"]` renders as `"Principal": "*"`.
        let star = list.len() == 1 && list[0].0.literal().as_deref() == Some("*");
        let value = if star {
            Val::Str(list[0].0.clone())
        } else {
            Val::Map {
                range: s.range,
                entries: list,
            }
        };
        entries.push((key(name, header), value));
    }
    if !conditions.is_empty() {
        let mut ops: Vec<(Str, Val)> = Vec::new();
        for (test, var, values, range) in conditions {
            let Val::Str(var) = var else { continue };
            match ops
                .iter_mut()
                .find(|(t, _)| t.literal().is_some() && t.literal() == test.literal())
            {
                Some((_, Val::Map { entries, .. })) => entries.push((var, values)),
                _ => ops.push((
                    test,
                    Val::Map {
                        range,
                        entries: vec![(var, values)],
                    },
                )),
            }
        }
        entries.push((
            key("Condition", header),
            Val::Map {
                range: s.range,
                entries: ops,
            },
        ));
    }
    Val::Map {
        range: s.range,
        entries,
    }
}
