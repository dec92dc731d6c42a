//! Completion of keys in YAML and HCL: element names (`Effect`), principal kinds, condition
//! operators and condition keys, and the arguments of `aws_iam_policy_document` blocks.
//!
//! A half-typed key (`Eff` on a new line of a statement mapping) is no value in the host tree, so
//! it has no place in the virtual policy. The host text is *probed*: the word at the cursor gets
//! a value (`Eff: null` in YAML, `Eff = null` in HCL), the probe is extracted, and the cursor
//! lands on a key of the enclosing mapping in the probe's virtual policy, where `iam-ide`
//! completes keys. Each item's key is then written in the host's syntax (a YAML plain or
//! double-quoted key, an HCL identifier or quoted key, followed by `: ` or ` = `).
//!
//! `aws_iam_policy_document` blocks take Terraform arguments (`effect`, `actions`,
//! `condition { test variable values }`), listed by `iam_hosts::terraform::blocks`; their
//! documentation and the condition keys and operators of `variable`/`test` strings come from
//! `iam-ide` run on a small policy made for the cursor's place.

use std::collections::HashMap;

use iam_hosts::HostKind;
use iam_hosts::terraform::blocks::{self, BlockAt, Shape};
use iam_ide::{CompletionItem, CompletionKind};
use iam_syntax::TextRange;
use iam_validate::{Options, TextEdit};
use tower_lsp_server::ls_types as lsp;

use super::features::HostSnapshot;
use super::{HostDoc, HostPolicy, edits};

/// Whether an `iam-ide` item completes a key (its edit is a JSON key string).
#[must_use]
pub fn is_key_kind(k: CompletionKind) -> bool {
    matches!(
        k,
        CompletionKind::Property | CompletionKind::Operator | CompletionKind::ConditionKey
    )
}

/// Where a key is written in the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    YamlKey,
    HclKey,
    /// An HCL string value standing for a key (`variable = "aws:SourceAccount"`).
    HclString,
}

/// The key an item writes, as snippet text (the content of its JSON key string).
fn key_snippet(i: &CompletionItem) -> Option<&str> {
    let t = i.edit.new_text.strip_prefix('"')?;
    let end = t.find('"')?;
    Some(&t[..end])
}

/// The text a snippet expands to with its defaults (`aws:ResourceTag/${1:TagKey}` ->
/// `aws:ResourceTag/TagKey`).
fn expand(snippet: &str) -> String {
    let mut out = String::new();
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                let inner: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let rest = inner.trim_start_matches(|c: char| c.is_ascii_digit());
                if let Some(d) = rest.strip_prefix(':') {
                    out.push_str(d);
                } else if let Some(choices) = rest.strip_prefix('|') {
                    out.push_str(choices.split([',', '|']).next().unwrap_or(""));
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A key as snippet text in the host's syntax, or `None` when it cannot be written validly.
fn spell(place: Place, snippet: &str) -> Option<String> {
    let plain = expand(snippet);
    if plain.is_empty() || plain.contains(['"', '\\', '\n', '\r']) {
        return None;
    }
    let quoted = format!("\"{snippet}\"");
    match place {
        Place::YamlKey if edits::plain_ok(&plain) => Some(snippet.to_owned()),
        Place::YamlKey => Some(quoted),
        Place::HclKey if is_identifier(&plain) => Some(snippet.to_owned()),
        // A literal `${` or `%{` would start an HCL template.
        _ if plain.contains("${") || plain.contains("%{") => None,
        Place::HclKey | Place::HclString => Some(quoted),
    }
}

/// An LSP item for a key written as `new_text` (a snippet) over `range`.
fn lsp_item(
    s: &HostSnapshot,
    i: &CompletionItem,
    range: TextRange,
    new_text: String,
    quoted_filter: bool,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: i.label.clone(),
        kind: Some(crate::handlers::completion::kind(i.kind)),
        detail: i.detail.clone(),
        documentation: (!i.documentation.is_empty()).then(|| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: i.documentation.clone(),
            })
        }),
        sort_text: Some(i.sort_text.clone()),
        filter_text: Some(if quoted_filter {
            format!("\"{}", i.label)
        } else {
            i.label.clone()
        }),
        insert_text_format: Some(lsp::InsertTextFormat::SNIPPET),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: s.range(range),
            new_text,
        })),
        ..lsp::CompletionItem::default()
    }
}

/// The host edit of a key item whose key already stands in the host (`Eff|: Allow`,
/// `variable = "aws:So|"`): the host token is replaced by the key in its syntax. `None`: the
/// key cannot be written there.
#[must_use]
pub fn existing_key_edit(h: &HostDoc, p: &HostPolicy, i: &CompletionItem) -> Option<TextEdit> {
    let snippet = key_snippet(i)?;
    let seg = p
        .doc
        .map
        .segments
        .iter()
        .find(|s| !s.exact && s.virt == i.edit.range)?;
    let host = iam_hosts::clamp(p.moved(seg.host), &h.text);
    let after = h
        .text
        .get(host.end as usize..)?
        .trim_start_matches([' ', '\t']);
    let place = match h.kind {
        HostKind::Yaml => Place::YamlKey,
        HostKind::Terraform if after.starts_with(['=', ':']) => Place::HclKey,
        HostKind::Terraform if h.text[host.start as usize..].starts_with('"') => Place::HclString,
        _ => return None,
    };
    Some(TextEdit {
        range: host,
        new_text: spell(place, snippet)?,
    })
}

/// A word typed where a key goes.
#[derive(Clone, Debug)]
struct Word {
    /// The whole token (its quotes included).
    range: TextRange,
    quoted: bool,
    /// A quoted token without its closing quote.
    open: bool,
}

/// The key-like word at `offset`, alone on its line (YAML, after `- ` markers) or after `{`/`,`
/// (HCL), with nothing but a closing bracket or a comment after it.
fn word_at(kind: HostKind, text: &str, offset: usize) -> Option<Word> {
    if !text.is_char_boundary(offset) {
        return None;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let before = &text[line_start..offset];
    let after = &text[offset..line_end];
    let stop: &[char] = match kind {
        HostKind::Yaml => &[' ', '\t', '\r'],
        _ => &[' ', '\t', '\r', '{', '}', '[', ']', '(', ')', ',', '='],
    };
    let ws = before.rfind(stop).map_or(0, |i| i + 1);
    let lead = before[..ws].trim_end();
    let lead_ok = match kind {
        HostKind::Yaml => lead.chars().all(|c| c == ' ' || c == '-'),
        _ => lead.is_empty() || lead.ends_with(['{', ',']),
    };
    if !lead_ok {
        return None;
    }
    let typed = &before[ws..];
    let quoted = kind == HostKind::Terraform && typed.starts_with('"');
    let (end, open) = if quoted {
        match after.find('"') {
            Some(i) => (offset + i + 1, false),
            None => (offset + after.find(stop).unwrap_or(after.len()), true),
        }
    } else {
        (offset + after.find(stop).unwrap_or(after.len()), false)
    };
    let word = &text[line_start + ws..end];
    let rest = text[end..line_end].trim();
    let rest_ok = match kind {
        HostKind::Yaml => rest.is_empty() || rest.starts_with('#'),
        _ => rest.is_empty() || rest.starts_with(['}', ',', '#']) || rest.starts_with("//"),
    };
    let inner = if quoted {
        word.trim_start_matches('"').trim_end_matches('"')
    } else {
        word
    };
    let bad_start: &[char] = &[
        '-', '#', '"', '\'', '{', '[', '!', '&', '*', '|', '>', '%', '@', '`', '?',
    ];
    if !rest_ok
        || inner.ends_with(':')
        || inner.contains(['"', '\\', '$'])
        || (!quoted && inner.starts_with(bad_start))
    {
        return None;
    }
    Some(Word {
        range: TextRange::new(
            u32::try_from(line_start + ws).ok()?,
            u32::try_from(end).ok()?,
        ),
        quoted,
        open,
    })
}

/// Key completion at `offset` of a YAML or Terraform host, or `None` when the cursor is not
/// where a key is typed.
#[must_use]
pub fn completion(s: &HostSnapshot, offset: u32) -> Option<Vec<lsp::CompletionItem>> {
    let h = &s.host;
    if h.kind == HostKind::Json || !h.text.is_char_boundary(offset as usize) {
        return None;
    }
    if h.kind == HostKind::Terraform {
        if let Some(items) = document_block(s, offset) {
            return Some(items);
        }
    }
    let w = word_at(h.kind, &h.text, offset as usize)?;
    let empty = w.range.start == w.range.end;
    let (key, value, place, suffix) = match h.kind {
        HostKind::Yaml => ("\"\"", ": null", Place::YamlKey, ": "),
        _ => ("\"\"", " = null", Place::HclKey, " = "),
    };
    let end = w.range.end as usize;
    let mut probe = String::with_capacity(h.text.len() + 12);
    probe.push_str(&h.text[..end]);
    if empty {
        probe.push_str(key);
    } else if w.open {
        probe.push('"');
    }
    probe.push_str(value);
    probe.push_str(&h.text[end..]);
    // The cursor in the probe: inside the key (after the opening quote of an added `""`).
    let cursor = if empty { offset + 1 } else { offset };
    let ex = iam_hosts::extract(h.kind, &probe);
    let doc = ex
        .docs
        .iter()
        .filter(|d| d.map.whole.start <= offset && offset <= d.map.whole.end)
        .min_by_key(|d| (d.map.whole.end - d.map.whole.start, d.variant))?;
    let voff = doc.map.to_virtual(cursor).or_else(|| {
        doc.map
            .segments
            .iter()
            .find(|sg| {
                !sg.exact
                    && sg.host.start < cursor
                    && cursor < sg.host.end
                    && sg.virt.end == sg.virt.start + 2
            })
            .map(|sg| sg.virt.start + 1)
    })?;
    let options = Options {
        policy_type: doc.site.policy_type,
        lenient: h.lenient,
    };
    let analysis = iam_validate::analyze_with_config(
        &doc.text,
        &options,
        &h.project.config,
        &h.project.suppressions,
    );
    let list = iam_ide::complete(&analysis, voff);
    let mut items: Vec<lsp::CompletionItem> = list
        .items
        .iter()
        .filter(|i| is_key_kind(i.kind))
        .filter_map(|i| {
            let mut text = spell(place, key_snippet(i)?)? + suffix;
            if place == Place::HclKey {
                text.push_str(&hcl_value(i, &indent_of(&h.text, w.range.start)));
            }
            Some(lsp_item(s, i, w.range, text, w.quoted))
        })
        .collect();
    // A statement with no element yet: the whole statement, in the host's syntax.
    let offered = |l: &str| items.iter().any(|i| i.label == l);
    if !w.quoted
        && [
            "Sid",
            "Effect",
            "Principal",
            "Action",
            "Resource",
            "Condition",
        ]
        .iter()
        .all(|l| offered(l))
    {
        items.push(statement_snippet(s, &w));
    }
    (!items.is_empty()).then_some(items)
}

/// The leading whitespace of the line holding `offset`.
fn indent_of(text: &str, offset: u32) -> String {
    let o = (offset as usize).min(text.len());
    let line_start = text[..o].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// The value written after a new HCL key (`Key = ` alone does not parse): the shape the
/// element takes, as a snippet.
fn hcl_value(i: &CompletionItem, indent: &str) -> String {
    let block = |open: &str, close: &str| format!("{open}\n{indent}  $1\n{indent}{close}");
    match (i.kind, i.label.as_str()) {
        (CompletionKind::Property, "Effect") => "\"${1|Allow,Deny|}\"".to_owned(),
        (CompletionKind::Property, "Version") => "\"${1:2012-10-17}\"".to_owned(),
        (CompletionKind::Property, "Action" | "NotAction" | "Resource" | "NotResource") => {
            "[\"$1\"]".to_owned()
        }
        (CompletionKind::Property, "Principal" | "NotPrincipal" | "Condition")
        | (CompletionKind::Operator, _) => block("{", "}"),
        (CompletionKind::Property, "Statement") => block("[{", "}]"),
        _ => "\"$1\"".to_owned(),
    }
}

/// A whole statement (`Effect`, `Action`, `Resource`) written where its first key goes, each
/// key at the column of the word.
fn statement_snippet(s: &HostSnapshot, w: &Word) -> lsp::CompletionItem {
    let text = &s.host.text;
    let start = w.range.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..start].chars().count();
    let nl = format!("\n{}", " ".repeat(col));
    let new_text = if s.host.kind == HostKind::Yaml {
        format!("Effect: ${{1|Allow,Deny|}}{nl}Action: $2{nl}Resource: \"${{3:*}}\"")
    } else {
        format!("Effect = \"${{1|Allow,Deny|}}\"{nl}Action = [\"$2\"]{nl}Resource = \"${{3:*}}\"")
    };
    let docs = element_docs(true);
    let item = CompletionItem {
        label: "statement".to_owned(),
        kind: CompletionKind::Snippet,
        detail: Some("a new statement".to_owned()),
        documentation: docs.get("Statement").cloned().unwrap_or_default(),
        edit: TextEdit {
            range: w.range,
            new_text: String::new(),
        },
        additional_edits: Vec::new(),
        is_snippet: true,
        sort_text: "000".to_owned(),
        filter_text: "statement".to_owned(),
        preselect: false,
        retrigger: false,
    };
    lsp_item(s, &item, w.range, new_text, false)
}

/// Completion inside a `data "aws_iam_policy_document"` block: argument and block names, and
/// the condition operators, condition keys and principal kinds of `test`, `variable` and `type`
/// strings.
fn document_block(s: &HostSnapshot, offset: u32) -> Option<Vec<lsp::CompletionItem>> {
    let h = &s.host;
    let text = &h.text;
    // A half-typed name is no attribute yet: probe it as `name = null`.
    let (at, range) = match word_at(HostKind::Terraform, text, offset as usize) {
        Some(w) if !w.quoted && w.range.start < w.range.end => {
            let end = w.range.end as usize;
            let probe = format!("{} = null{}", &text[..end], &text[end..]);
            (blocks::document_block_at(&probe, offset)?, w.range)
        }
        _ => (
            blocks::document_block_at(text, offset)?,
            TextRange::empty(offset),
        ),
    };
    if let Some((name, r)) = &at.in_string_of {
        return string_value(s, &at, name, *r, offset);
    }
    if at.on_name.is_none() && range.start != range.end {
        return None;
    }
    let docs = element_docs(at.path.is_empty());
    let line_start = text[..offset as usize].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let mut out = Vec::new();
    for (rank, a) in blocks::arguments(&at.path).iter().enumerate() {
        if a.shape != Shape::Block && at.present.iter().any(|p| p == a.name) {
            continue;
        }
        let new_text = argument_snippet(a.name, a.shape, &indent);
        let doc = a
            .element
            .and_then(|e| docs.get(e))
            .cloned()
            .unwrap_or_default();
        let item = CompletionItem {
            label: a.name.to_owned(),
            kind: CompletionKind::Property,
            detail: a.element.map(|e| format!("policy element {e}")),
            documentation: doc,
            edit: TextEdit {
                range,
                new_text: String::new(),
            },
            additional_edits: Vec::new(),
            is_snippet: true,
            sort_text: format!("{rank:03}"),
            filter_text: a.name.to_owned(),
            preselect: false,
            retrigger: false,
        };
        out.push(lsp_item(s, &item, range, new_text, false));
    }
    Some(out)
}

/// The snippet of an argument or block, its body indented under the line's `indent`.
fn argument_snippet(name: &str, shape: Shape, indent: &str) -> String {
    let nl = format!("\n{indent}  ");
    match (name, shape) {
        ("effect", _) => "effect = \"${1|Allow,Deny|}\"".to_owned(),
        (_, Shape::String) => format!("{name} = \"$1\""),
        (_, Shape::List) => format!("{name} = [\"$1\"]"),
        ("statement", _) => format!(
            "statement {{{nl}effect    = \"${{1|Allow,Deny|}}\"{nl}actions   = [\"$2\"]{nl}resources = [\"${{3:*}}\"]\n{indent}}}"
        ),
        ("condition", _) => format!(
            "condition {{{nl}test     = \"$1\"{nl}variable = \"$2\"{nl}values   = [\"$3\"]\n{indent}}}"
        ),
        (_, Shape::Block) => {
            format!("{name} {{{nl}type        = \"$1\"{nl}identifiers = [\"$2\"]\n{indent}}}")
        }
    }
}

/// The documentation `iam-ide` gives each top-level or statement element.
fn element_docs(top: bool) -> HashMap<String, String> {
    let text = if top {
        "{\"\": 0}"
    } else {
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"\": 0}]}"
    };
    let at = text.find("\"\"").map_or(0, |i| i + 1);
    synthetic(text, at)
        .into_iter()
        .map(|i| (i.label, i.documentation))
        .collect()
}

/// Completion in a small policy made for the cursor's place.
fn synthetic(text: &str, at: usize) -> Vec<CompletionItem> {
    let analysis = iam_validate::analyze_with_config(
        text,
        &Options::default(),
        &iam_validate::config::Config::default(),
        &[],
    );
    iam_ide::complete(&analysis, u32::try_from(at).unwrap_or(0)).items
}

/// `test = "..."`, `variable = "..."` (condition) and `type = "..."` (principals): the string
/// holds a policy key; `iam-ide` completes it in a policy with the statement's actions.
fn string_value(
    s: &HostSnapshot,
    at: &BlockAt,
    name: &str,
    r: TextRange,
    offset: u32,
) -> Option<Vec<lsp::CompletionItem>> {
    let text = &s.host.text;
    let raw = text.get(r.start as usize..r.end as usize)?;
    let inner = raw.strip_prefix('"')?;
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    if inner.contains(['\\', '"', '$', '%']) || offset <= r.start {
        return None;
    }
    let typed_len = (offset - r.start - 1) as usize;
    let actions = at
        .actions
        .iter()
        .map(|a| format!("\"{}\"", iam_hosts::value::escape(a)))
        .collect::<Vec<_>>()
        .join(", ");
    let head = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [{actions}], \"Resource\": \"*\", "
    );
    let (doc, key_at) = match (at.path.last().map(String::as_str), name) {
        (Some("condition"), "test") => {
            let d = format!("{head}\"Condition\": {{\"{inner}\": {{}}}}}}]}}");
            let k = head.len() + "\"Condition\": {\"".len();
            (d, k)
        }
        (Some("condition"), "variable") => {
            let op = at.test.as_deref().unwrap_or("StringEquals");
            if op.contains(['"', '\\']) {
                return None;
            }
            let pre = format!("{head}\"Condition\": {{\"{op}\": {{\"");
            (format!("{pre}{inner}\": \"\"}}}}}}]}}"), pre.len())
        }
        (Some("principals" | "not_principals"), "type") => {
            let pre = format!("{head}\"Principal\": {{\"");
            (format!("{pre}{inner}\": \"*\"}}}}]}}"), pre.len())
        }
        _ => return None,
    };
    let items: Vec<lsp::CompletionItem> = synthetic(&doc, key_at + typed_len.min(inner.len()))
        .iter()
        .filter(|i| is_key_kind(i.kind))
        .filter_map(|i| {
            let text = spell(Place::HclString, key_snippet(i)?)?;
            Some(lsp_item(s, i, r, text, true))
        })
        .collect();
    Some(items)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn snippets_expand_and_keys_are_spelled() {
        assert_eq!(
            expand("aws:ResourceTag/${1:TagKey}"),
            "aws:ResourceTag/TagKey"
        );
        assert_eq!(expand("${1|Allow,Deny|}"), "Allow");
        assert_eq!(expand("a\\$b$0"), "a$b");
        assert_eq!(spell(Place::YamlKey, "Effect").as_deref(), Some("Effect"));
        assert_eq!(
            spell(Place::YamlKey, "aws:SourceAccount").as_deref(),
            Some("aws:SourceAccount")
        );
        assert_eq!(spell(Place::HclKey, "Effect").as_deref(), Some("Effect"));
        assert_eq!(
            spell(Place::HclKey, "aws:SourceAccount").as_deref(),
            Some("\"aws:SourceAccount\"")
        );
        assert_eq!(spell(Place::HclKey, "a\\${b}"), None);
    }

    #[test]
    fn words_where_keys_go() {
        let w = |kind, text: &str| {
            let at = text.find('|').unwrap();
            let t = text.replacen('|', "", 1);
            word_at(kind, &t, at).map(|w| {
                (
                    t[w.range.start as usize..w.range.end as usize].to_owned(),
                    w.open,
                )
            })
        };
        assert_eq!(
            w(HostKind::Yaml, "a:\n  Eff|\n"),
            Some(("Eff".into(), false))
        );
        assert_eq!(
            w(HostKind::Yaml, "a:\n  - Eff|ect\n"),
            Some(("Effect".into(), false))
        );
        assert_eq!(w(HostKind::Yaml, "a:\n  |\n"), Some((String::new(), false)));
        assert_eq!(w(HostKind::Yaml, "a:\n  Eff|: x\n"), None);
        assert_eq!(w(HostKind::Yaml, "a: Eff|\n"), None);
        assert_eq!(
            w(HostKind::Terraform, "x = [{ Eff| }]\n"),
            Some(("Eff".into(), false))
        );
        assert_eq!(
            w(HostKind::Terraform, "  \"aws:So|\n"),
            Some(("\"aws:So".into(), true))
        );
        assert_eq!(w(HostKind::Terraform, "  Eff| = 1\n"), None);
        assert_eq!(w(HostKind::Terraform, "  x = Eff|\n"), None);
    }
}
