//! Hover: actions, wildcard patterns, ARNs, condition keys and operators, policy variables and
//! element names.

use std::fmt::Write as _;

use iam_catalog::{AccessLevel, ActionRef, catalog};
use iam_syntax::TextRange;

use super::clamp;
use super::completion::statement_actions;
use super::docs;
use super::locate::{Role, Seg, locate, statement_at};
use iam_policy::model::{Statement, Version};
use iam_validate::Analysis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// What the hover is about (a token, or a variable inside one).
    pub range: TextRange,
    pub markdown: String,
}

/// Most actions listed in a wildcard hover.
const MAX_LISTED: usize = 40;

/// Hover at `offset`.
#[must_use]
pub fn hover(analysis: &Analysis, offset: u32) -> Option<Hover> {
    let text = analysis.parse.text();
    let offset = clamp(text, offset);
    let loc = locate(&analysis.parse, offset);
    let s = loc.string?;
    let range = s.range();
    let value = s.value().into_owned();
    let stmt = statement_at(&analysis.policy, offset);
    let keys = loc.keys();
    let in_stmt = loc.statement_rest().is_some();
    let rest: Vec<&str> = loc
        .statement_rest()
        .map(|r| {
            r.iter()
                .filter_map(|s| match s {
                    Seg::Key(k) => Some(k.as_str()),
                    Seg::Index(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let md = match loc.role {
        Role::Key => {
            if keys.is_empty() {
                // Top-level elements also say how the whole document is checked.
                docs::element_doc(&value)
                    .map(|d| format!("{d}\n\n---\n{}", policy_type_line(analysis)))
            } else if in_stmt && rest.is_empty() {
                docs::element_doc(&value).map(str::to_owned)
            } else if rest == ["Condition"] {
                docs::operator_doc(&value)
            } else if rest.len() == 2 && rest[0] == "Condition" {
                condition_key_markdown(&value, stmt)
            } else if rest.len() == 1 && matches!(rest[0], "Principal" | "NotPrincipal") {
                Some(format!("**{value}** principal"))
            } else {
                None
            }
        }
        Role::Value => {
            // A policy variable under the cursor wins inside strings that allow them.
            if let Some((r, inner)) = variable_at(text, s.content_range(), offset) {
                let ok = analysis.policy.effective_version() == Version::V2012_10_17;
                return Some(Hover {
                    range: r,
                    markdown: docs::variable_doc(inner, ok),
                });
            }
            match (keys.as_slice(), rest.as_slice()) {
                (["Version"], _) => docs::element_doc("Version").map(str::to_owned),
                (_, ["Effect"]) => docs::element_doc("Effect").map(str::to_owned),
                (_, ["Action" | "NotAction"]) => action_or_pattern(&value, stmt),
                (_, ["Resource" | "NotResource"]) => arn_markdown(&value, stmt),
                (_, ["Principal" | "NotPrincipal", ..]) if value.starts_with("arn:") => {
                    arn_markdown(&value, None)
                }
                (_, ["Condition", _, key]) => {
                    if value.starts_with("arn:") {
                        arn_markdown(&value, None)
                    } else {
                        condition_key_markdown(key, stmt)
                    }
                }
                _ => None,
            }
        }
    }?;
    Some(Hover {
        range,
        markdown: md,
    })
}

/// The `${...}` around `offset` in the string content: its range and inner text.
fn variable_at(text: &str, content: TextRange, offset: u32) -> Option<(TextRange, &str)> {
    let raw = content.slice(text);
    let rel = usize::try_from(offset.checked_sub(content.start)?).ok()?;
    let mut from = 0;
    while let Some(start) = raw.get(from..)?.find("${") {
        let start = from + start;
        let end = start + raw.get(start..)?.find('}')? + 1;
        if start <= rel && rel <= end {
            let inner = raw.get(start + 2..end - 1)?;
            let s = content.start + u32::try_from(start).ok()?;
            let e = content.start + u32::try_from(end).ok()?;
            return Some((TextRange::new(s, e), inner));
        }
        from = end;
    }
    None
}

fn catalog_footer() -> String {
    let m = catalog().metadata();
    format!(
        "\n\n---\nCatalog: {} {} ({})",
        m.source,
        m.version,
        m.date.get(..10).unwrap_or(&m.date)
    )
}

/// Markdown for one action (also used as completion documentation).
/// How the document is checked: its policy type, and whether it was configured or inferred.
fn policy_type_line(analysis: &Analysis) -> String {
    match analysis.type_source {
        iam_validate::TypeSource::Configured => {
            format!(
                "Checked as {} (configured).",
                analysis.policy_type.with_article()
            )
        }
        iam_validate::TypeSource::Inferred(why) => format!(
            "Checked as {} (inferred: {why}; set `policyTypes` or `.iam-policy-ls.toml` to choose).",
            analysis.policy_type.with_article()
        ),
    }
}

pub(crate) fn action_markdown(a: ActionRef<'_>) -> String {
    let mut s = format!(
        "**{}** — {}\n\n*{}*",
        a.full_name(),
        a.service().name(),
        a.access_level()
    );
    if !a.description().is_empty() {
        let _ = write!(s, ": {}", a.description());
    }
    if a.accepts_only_wildcard_resource() {
        s.push_str("\n\n**Resource:** `*` only (no resource-level permissions).");
    } else {
        s.push_str("\n\n**Resource types:**");
        for r in a.resource_types() {
            let formats = r
                .resource_type()
                .map(|t| t.arn_formats().join("`, `"))
                .unwrap_or_default();
            let _ = write!(
                s,
                "\n- `{}`{}{}",
                r.name(),
                if r.is_required() { " (required)" } else { "" },
                if formats.is_empty() {
                    String::new()
                } else {
                    format!(": `{formats}`")
                }
            );
        }
    }
    let keys = a.all_condition_keys();
    if !keys.is_empty() {
        let _ = write!(
            s,
            "\n\n**Condition keys:** {}",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !a.dependent_actions().is_empty() {
        let _ = write!(
            s,
            "\n\n**Dependent actions:** {}",
            a.dependent_actions()
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let url = a.documentation_url();
    if !url.is_empty() {
        let _ = write!(s, "\n\n[Documentation]({url})");
    }
    s
}

fn action_or_pattern(value: &str, _stmt: Option<&Statement>) -> Option<String> {
    let cat = catalog();
    if !iam_catalog::has_wildcard(value) {
        return match cat.action(value) {
            Some(a) => Some(action_markdown(a) + &catalog_footer()),
            None => {
                let (p, _) = value.split_once(':')?;
                cat.service(p).map(|s| {
                    format!(
                        "`{value}` is not an action of {} (`{}`) in the catalog ({}).{}",
                        s.name(),
                        s.prefix(),
                        iam_validate::newer_action_note(cat, false),
                        catalog_footer()
                    )
                })
            }
        };
    }
    Some(pattern_markdown(value) + &catalog_footer())
}

/// Markdown for a wildcard action pattern: count, then the actions grouped by access level.
pub(crate) fn pattern_markdown(pattern: &str) -> String {
    let matched = catalog().expand(pattern);
    let n = matched.len();
    let mut s = format!(
        "`{pattern}` matches **{n}** action{}",
        if n == 1 { "" } else { "s" }
    );
    if n == 0 {
        return s;
    }
    let services: std::collections::BTreeSet<&str> = matched.iter().map(|a| a.prefix()).collect();
    if services.len() > 1 {
        let _ = write!(s, " in {} services", services.len());
    }
    s.push('.');
    let levels = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::Tagging,
        AccessLevel::PermissionsManagement,
    ];
    let per_level = if n > MAX_LISTED { 8 } else { MAX_LISTED };
    for level in levels {
        let group: Vec<&ActionRef<'_>> = matched
            .iter()
            .filter(|a| a.access_level() == level)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(s, "\n\n**{level}** ({})", group.len());
        for a in group.iter().take(per_level) {
            let _ = write!(s, "\n- `{}`", a.full_name());
        }
        if group.len() > per_level {
            let _ = write!(s, "\n- ... and {} more", group.len() - per_level);
        }
    }
    s
}

/// Markdown for an ARN: its parts, the resource types it matches, and which of the statement's
/// actions accept it.
pub(crate) fn arn_markdown(arn: &str, stmt: Option<&Statement>) -> Option<String> {
    if arn == "*" {
        return Some("`*`: every resource.".to_owned());
    }
    if !arn.starts_with("arn:") {
        return None;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let mut s = format!("**ARN** `{arn}`\n\n| part | value |\n|---|---|");
    for (name, v) in ["partition", "service", "region", "account", "resource"]
        .iter()
        .zip(parts.iter().skip(1))
    {
        let shown = if v.is_empty() {
            "*(empty)*".to_owned()
        } else {
            format!("`{v}`")
        };
        let _ = write!(s, "\n| {name} | {shown} |");
    }
    let matches = catalog().match_arn(arn);
    if matches.is_empty() {
        s.push_str("\n\nNo resource type of the catalog matches this ARN.");
    } else {
        s.push_str("\n\n**Resource type:**");
        for m in matches.iter().take(3) {
            let _ = write!(
                s,
                "\n- `{}` ({}): `{}`",
                m.resource_type.name(),
                m.resource_type.service().prefix(),
                m.format
            );
        }
    }
    if let Some(st) = stmt {
        let acts = statement_actions(st, 200);
        if !acts.is_empty() {
            let mut yes = Vec::new();
            let mut no = Vec::new();
            for a in &acts {
                let ok = a.resource_types().any(|r| {
                    matches.iter().any(|m| {
                        m.resource_type.service().prefix() == a.prefix()
                            && m.resource_type.name().eq_ignore_ascii_case(r.name())
                    })
                });
                if ok {
                    yes.push(a.full_name())
                } else {
                    no.push(a.full_name())
                }
            }
            let list = |v: &[String]| {
                let mut l: Vec<String> = v.iter().take(15).map(|a| format!("`{a}`")).collect();
                if v.len() > 15 {
                    l.push(format!("and {} more", v.len() - 15));
                }
                l.join(", ")
            };
            if !yes.is_empty() {
                let _ = write!(s, "\n\n**Accepted by:** {}", list(&yes));
            }
            if !no.is_empty() {
                let _ = write!(s, "\n\n**Not accepted by:** {}", list(&no));
            }
        }
    }
    Some(s)
}

/// Markdown for a condition key.
pub(crate) fn condition_key_markdown(key: &str, stmt: Option<&Statement>) -> Option<String> {
    let def = catalog().condition_key(key)?;
    let ty = def.value_type();
    let mut s = format!(
        "**{}** ({}, {})\n\n{}",
        def.name(),
        ty,
        if def.is_multivalued() {
            "multivalued: use `ForAnyValue:` or `ForAllValues:`"
        } else {
            "single-valued"
        },
        def.description()
    );
    if def.is_global() {
        s.push_str("\n\nGlobal condition key.");
    }
    if let Some(st) = stmt {
        let acts = statement_actions(st, 200);
        if !acts.is_empty() && !def.is_global() {
            let (yes, no): (Vec<&ActionRef<'_>>, Vec<&ActionRef<'_>>) =
                acts.iter().partition(|a| a.supports_condition_key(key));
            if !yes.is_empty() {
                let _ = write!(
                    s,
                    "\n\n**Supported by:** {}",
                    yes.iter()
                        .take(15)
                        .map(|a| format!("`{}`", a.full_name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if !no.is_empty() {
                let _ = write!(
                    s,
                    "\n\n**Not supported by:** {} (the condition is false for them: the key is absent)",
                    no.iter()
                        .take(15)
                        .map(|a| format!("`{}`", a.full_name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
    }
    Some(s)
}
