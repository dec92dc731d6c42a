//! Code actions: the quick fixes the checks attach to diagnostics, plus refactorings (expand a
//! wildcard, collapse actions into a wildcard when exact, sort and deduplicate actions, wrap a
//! string in an array, add a missing `Version`, move actions into a new statement).

use iam_syntax::escape_string;
use std::collections::HashSet;

use iam_catalog::catalog;
use iam_syntax::{Parse, TextRange, TokenKind};

use super::completion::verb;
use super::locate::{Role, Seg, locate, statement_at};
use super::{clamp, line_ending};
use iam_policy::diagnostic::{TextEdit, rules};
use iam_policy::model::{Statement, StringList};
use iam_validate::Analysis;

/// Most actions an expansion writes out.
pub const MAX_EXPANSION: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeActionKind {
    QuickFix,
    /// Rewrites in place (sort, expand, collapse, wrap).
    RefactorRewrite,
    /// Moves parts out (split a statement).
    RefactorExtract,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub kind: CodeActionKind,
    pub edits: Vec<TextEdit>,
    pub preferred: bool,
    /// Indices into `analysis.diagnostics` of the diagnostics this fixes.
    pub diagnostics: Vec<usize>,
}

/// Code actions for the selection `range`.
#[must_use]
pub fn code_actions(analysis: &Analysis, range: TextRange) -> Vec<CodeAction> {
    let text = analysis.parse.text();
    let range = TextRange::new(
        clamp(text, range.start),
        clamp(text, range.end.max(range.start)),
    );
    let mut out = Vec::new();
    for (i, d) in analysis.diagnostics.iter().enumerate() {
        if d.range.start > range.end || d.range.end < range.start {
            continue;
        }
        if std::ptr::eq(d.rule, &rules::MISSING_VERSION) {
            continue; // `add_version` below keeps the document's indentation and line endings
        }
        for f in &d.fixes {
            out.push(CodeAction {
                title: f.title.clone(),
                kind: CodeActionKind::QuickFix,
                edits: f.edits.clone(),
                preferred: f.preferred,
                diagnostics: vec![i],
            });
        }
    }
    add_version(analysis, range, &mut out);
    let offset = range.start;
    let loc = locate(&analysis.parse, offset);
    let Some(st) = statement_at(&analysis.policy, offset) else {
        return out;
    };
    let rest: Vec<String> = loc
        .statement_rest()
        .map(|r| {
            r.iter()
                .filter_map(|s| match s {
                    Seg::Key(k) => Some(k.clone()),
                    Seg::Index(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let cx = Cx {
        parse: &analysis.parse,
        text,
        nl: line_ending(text),
    };
    // The string element under the cursor.
    if loc.role == Role::Value {
        if let Some(s) = loc.string {
            let wrappable = matches!(
                rest.first().map(String::as_str),
                Some("Action" | "NotAction" | "Resource" | "NotResource")
            ) && rest.len() == 1
                || rest.first().is_some_and(|k| k == "Condition") && rest.len() == 3
                || rest
                    .first()
                    .is_some_and(|k| k == "Principal" || k == "NotPrincipal")
                    && rest.len() == 2;
            let in_array = matches!(loc.path.last(), Some(Seg::Index(_)));
            if wrappable && !in_array && s.is_terminated() {
                out.push(CodeAction {
                    title: "Wrap in an array".to_owned(),
                    kind: CodeActionKind::RefactorRewrite,
                    edits: vec![TextEdit {
                        range: s.range(),
                        new_text: format!("[{}]", s.raw()),
                    }],
                    preferred: false,
                    diagnostics: Vec::new(),
                });
            }
        }
    }
    for (list, name) in [(&st.action, "Action"), (&st.not_action, "NotAction")] {
        let Some(list) = list else { continue };
        if !list.range.cover(list.key_range).contains_inclusive(offset) {
            continue;
        }
        if cx.has_comments(list.range) {
            continue;
        }
        cx.expand_wildcard(list, offset, &mut out);
        cx.collapse(list, &mut out);
        cx.sort_dedupe(list, name, &mut out);
        if name == "Action" {
            cx.split(st, list, offset, &mut out);
        }
    }
    out
}

fn add_version(analysis: &Analysis, range: TextRange, out: &mut Vec<CodeAction>) {
    if analysis.policy.version_text.is_some() {
        return;
    }
    let Some(top) = analysis.parse.value().and_then(|v| v.as_object()) else {
        return;
    };
    if top.get("Version").is_some() {
        return;
    }
    let diag = analysis
        .diagnostics
        .iter()
        .position(|d| std::ptr::eq(d.rule, &rules::MISSING_VERSION));
    let text = analysis.parse.text();
    let nl = line_ending(text);
    let obj = top.range();
    let first = top.members().next();
    let new_text = match first {
        Some(m) => {
            let indent = indent_of(text, m.range().start);
            let same_line = !TextRange::new(obj.start, m.range().start)
                .slice(text)
                .contains('\n');
            if same_line {
                "\"Version\": \"2012-10-17\", ".to_owned()
            } else {
                format!("{nl}{indent}\"Version\": \"2012-10-17\",")
            }
        }
        None => "\"Version\": \"2012-10-17\"".to_owned(),
    };
    let at = match first {
        Some(m)
            if !TextRange::new(obj.start, m.range().start)
                .slice(text)
                .contains('\n') =>
        {
            m.range().start
        }
        _ => obj.start + 1,
    };
    let applies = diag.is_some_and(|i| {
        let d = &analysis.diagnostics[i];
        d.range.start <= range.end && range.start <= d.range.end
    }) || obj.contains_inclusive(range.start);
    if !applies {
        return;
    }
    out.push(CodeAction {
        title: "Add `\"Version\": \"2012-10-17\"`".to_owned(),
        kind: if diag.is_some() {
            CodeActionKind::QuickFix
        } else {
            CodeActionKind::RefactorRewrite
        },
        edits: vec![TextEdit {
            range: TextRange::empty(at),
            new_text,
        }],
        preferred: diag.is_some(),
        diagnostics: diag.into_iter().collect(),
    });
}

/// The indentation (spaces and tabs) of the line that contains `offset`.
fn indent_of(text: &str, offset: u32) -> String {
    let o = (offset as usize).min(text.len());
    let start = text
        .get(..o)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

struct Cx<'a> {
    parse: &'a Parse,
    text: &'a str,
    nl: &'static str,
}

impl Cx<'_> {
    fn has_comments(&self, range: TextRange) -> bool {
        let mut found = false;
        self.parse.root().for_each_token(|t| {
            if matches!(t.kind, TokenKind::LineComment | TokenKind::BlockComment)
                && range.start <= t.range.start
                && t.range.end <= range.end
            {
                found = true;
            }
        });
        found
    }

    /// The list rewritten with `items` (keeping its layout: one line, or one item per line).
    fn render(&self, list: &StringList, items: &[String]) -> String {
        let quoted: Vec<String> = items
            .iter()
            .map(|i| format!("\"{}\"", escape_string(i)))
            .collect();
        let raw = list.range.slice(self.text);
        let multi = if list.is_array {
            raw.contains('\n')
        } else {
            items.len() > 1
        };
        if !multi {
            return if list.is_array || items.len() != 1 {
                format!("[{}]", quoted.join(", "))
            } else {
                quoted.join("")
            };
        }
        let (item_indent, close_indent) = match (list.is_array, list.items.first()) {
            (true, Some(first)) => (
                indent_of(self.text, first.range.start),
                indent_of(self.text, list.range.end),
            ),
            _ => {
                let key = indent_of(self.text, list.key_range.start);
                let unit = if key.contains('\t') {
                    "\t".to_owned()
                } else {
                    "    ".to_owned()
                };
                (format!("{key}{unit}"), key)
            }
        };
        let sep = format!(",{}{item_indent}", self.nl);
        format!(
            "[{}{item_indent}{}{}{close_indent}]",
            self.nl,
            quoted.join(&sep),
            self.nl
        )
    }

    fn expand_wildcard(&self, list: &StringList, offset: u32, out: &mut Vec<CodeAction>) {
        let Some((idx, item)) = list
            .items
            .iter()
            .enumerate()
            .find(|(_, i)| i.range.contains_inclusive(offset))
        else {
            return;
        };
        if !iam_catalog::has_wildcard(&item.value) || item.value.trim() == "*" {
            return;
        }
        let expanded = catalog().expand(&item.value);
        if expanded.is_empty() || expanded.len() > MAX_EXPANSION {
            return;
        }
        let mut items: Vec<String> = Vec::new();
        for (i, it) in list.items.iter().enumerate() {
            if i == idx {
                items.extend(expanded.iter().map(|a| a.full_name()));
            } else {
                items.push(it.value.clone());
            }
        }
        out.push(CodeAction {
            title: format!("Expand `{}` into {} actions", item.value, expanded.len()),
            kind: CodeActionKind::RefactorRewrite,
            edits: vec![TextEdit {
                range: list.range,
                new_text: self.render(list, &items),
            }],
            preferred: false,
            diagnostics: Vec::new(),
        });
    }

    fn collapse(&self, list: &StringList, out: &mut Vec<CodeAction>) {
        let cat = catalog();
        // Canonical concrete actions of the list, by service.
        let mut by_service: std::collections::BTreeMap<String, Vec<(usize, String)>> =
            Default::default();
        for (i, it) in list.items.iter().enumerate() {
            if iam_catalog::has_wildcard(&it.value) {
                continue;
            }
            if let Some(a) = cat.action(&it.value) {
                by_service
                    .entry(a.prefix().to_owned())
                    .or_default()
                    .push((i, a.name().to_owned()));
            }
        }
        let mut offered: HashSet<String> = HashSet::new();
        for (svc, acts) in &by_service {
            if acts.len() < 2 {
                continue;
            }
            let mut prefixes: Vec<String> =
                vec![common_prefix(acts.iter().map(|(_, n)| n.as_str()))];
            for (_, n) in acts {
                prefixes.push(verb(n).to_owned());
            }
            prefixes.sort();
            prefixes.dedup();
            for p in prefixes {
                let subset: Vec<&(usize, String)> = acts
                    .iter()
                    .filter(|(_, n)| n.len() >= p.len() && n[..p.len()].eq_ignore_ascii_case(&p))
                    .collect();
                if subset.len() < 2 {
                    continue;
                }
                let pattern = format!("{svc}:{p}*");
                let expanded: HashSet<String> = cat
                    .expand(&pattern)
                    .iter()
                    .map(|a| a.name().to_ascii_lowercase())
                    .collect();
                let have: HashSet<String> =
                    subset.iter().map(|(_, n)| n.to_ascii_lowercase()).collect();
                if expanded != have || !offered.insert(pattern.clone()) {
                    continue;
                }
                let first = subset.iter().map(|(i, _)| *i).min().unwrap_or(0);
                let drop: HashSet<usize> = subset.iter().map(|(i, _)| *i).collect();
                let mut items = Vec::new();
                for (i, it) in list.items.iter().enumerate() {
                    if i == first {
                        items.push(pattern.clone());
                    } else if !drop.contains(&i) {
                        items.push(it.value.clone());
                    }
                }
                out.push(CodeAction {
                    title: format!("Collapse {} actions into `{pattern}`", subset.len()),
                    kind: CodeActionKind::RefactorRewrite,
                    edits: vec![TextEdit {
                        range: list.range,
                        new_text: self.render(list, &items),
                    }],
                    preferred: false,
                    diagnostics: Vec::new(),
                });
            }
        }
    }

    fn sort_dedupe(&self, list: &StringList, name: &str, out: &mut Vec<CodeAction>) {
        if !list.is_array || list.items.len() < 2 {
            return;
        }
        let values: Vec<String> = list.items.iter().map(|i| i.value.clone()).collect();
        let mut sorted = values.clone();
        sorted.sort_by_key(|v| v.to_ascii_lowercase());
        sorted.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        if sorted == values {
            return;
        }
        let title = if sorted.len() < values.len() {
            format!(
                "Sort and deduplicate `{name}` ({} duplicate{})",
                values.len() - sorted.len(),
                if values.len() - sorted.len() == 1 {
                    ""
                } else {
                    "s"
                }
            )
        } else {
            format!("Sort `{name}`")
        };
        out.push(CodeAction {
            title,
            kind: CodeActionKind::RefactorRewrite,
            edits: vec![TextEdit {
                range: list.range,
                new_text: self.render(list, &sorted),
            }],
            preferred: false,
            diagnostics: Vec::new(),
        });
    }

    /// Moves actions into a new statement (a copy of this one): the action under the cursor, or
    /// the actions that accept only `*` (with `Resource: "*"`).
    fn split(&self, st: &Statement, list: &StringList, offset: u32, out: &mut Vec<CodeAction>) {
        if !list.is_array || list.items.len() < 2 {
            return;
        }
        let in_array = self
            .parse
            .value()
            .and_then(|v| v.as_object())
            .and_then(|o| o.get("Statement"))
            .and_then(|m| m.value())
            .is_some_and(|v| v.as_array().is_some());
        if !in_array || self.has_comments(st.range) {
            return;
        }
        let cat = catalog();
        let mut groups: Vec<(String, Vec<usize>, bool)> = Vec::new();
        if let Some((i, it)) = list
            .items
            .iter()
            .enumerate()
            .find(|(_, i)| i.range.contains_inclusive(offset))
        {
            groups.push((
                format!("Move `{}` into a new statement", it.value),
                vec![i],
                false,
            ));
        }
        let star_only: Vec<usize> = list
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| {
                cat.action(&it.value)
                    .is_some_and(|a| a.accepts_only_wildcard_resource())
            })
            .map(|(i, _)| i)
            .collect();
        let resource_is_star = st
            .resource
            .as_ref()
            .is_some_and(|r| r.items.iter().all(|i| i.value == "*"));
        if !star_only.is_empty()
            && star_only.len() < list.items.len()
            && !resource_is_star
            && st.resource.is_some()
        {
            groups.push((
                format!("Split: move {} action{} without resource types into a statement with `\"Resource\": \"*\"`", star_only.len(), if star_only.len() == 1 { "" } else { "s" }),
                star_only,
                true,
            ));
        }
        for (title, moved, star) in groups {
            let keep: Vec<String> = list
                .items
                .iter()
                .enumerate()
                .filter(|(i, _)| !moved.contains(i))
                .map(|(_, it)| it.value.clone())
                .collect();
            let taken: Vec<String> = moved
                .iter()
                .filter_map(|i| list.items.get(*i))
                .map(|it| it.value.clone())
                .collect();
            // The copy: the statement's text with Action (and Resource, Sid) replaced.
            let mut replacements: Vec<(TextRange, String)> =
                vec![(list.range, self.render(list, &taken))];
            if star {
                if let Some(r) = &st.resource {
                    replacements.push((r.range, "\"*\"".to_owned()));
                }
            }
            if let Some(sid) = &st.sid {
                replacements.push((sid.range, format!("\"{}Split\"", escape_string(&sid.value))));
            }
            replacements.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
            let mut copy = st.range.slice(self.text).to_owned();
            for (r, t) in replacements {
                let (s, e) = (
                    (r.start - st.range.start) as usize,
                    (r.end - st.range.start) as usize,
                );
                if s <= e && e <= copy.len() && copy.is_char_boundary(s) && copy.is_char_boundary(e)
                {
                    copy.replace_range(s..e, &t);
                }
            }
            let indent = indent_of(self.text, st.range.start);
            out.push(CodeAction {
                title,
                kind: CodeActionKind::RefactorExtract,
                edits: vec![
                    TextEdit {
                        range: list.range,
                        new_text: self.render(list, &keep),
                    },
                    TextEdit {
                        range: TextRange::empty(st.range.end),
                        new_text: format!(",{}{indent}{copy}", self.nl),
                    },
                ],
                preferred: false,
                diagnostics: Vec::new(),
            });
        }
    }
}

fn common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut len = first.len();
    for n in names {
        len = first
            .bytes()
            .zip(n.bytes())
            .take(len)
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count();
    }
    first.get(..len).unwrap_or("").to_owned()
}
