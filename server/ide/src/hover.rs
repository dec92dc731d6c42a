//! Hover: actions, wildcard patterns, ARNs, condition keys and operators, policy variables and
//! element names.

use iam_catalog::{ActionRef, catalog};
use iam_syntax::TextRange;

use super::clamp;
use super::completion::statement_actions;
use super::docs;
use super::facts::{self, Style};
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
    facts::action(a).render(Style::Markdown)
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
    facts::pattern(catalog(), pattern, Some(MAX_LISTED)).render(Style::Markdown)
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
    let cat = catalog();
    let mut f = facts::arn(cat, arn);
    let matches = cat.match_arn(arn);
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
            if !yes.is_empty() {
                f.field("Accepted by", action_list(&yes));
            }
            if !no.is_empty() {
                f.field("Not accepted by", action_list(&no));
            }
        }
    }
    Some(f.render(Style::Markdown))
}

/// At most 15 action names as code spans, then how many more.
fn action_list(v: &[String]) -> String {
    let mut l: Vec<String> = v.iter().take(15).map(|a| format!("`{a}`")).collect();
    if v.len() > 15 {
        l.push(format!("and {} more", v.len() - 15));
    }
    l.join(", ")
}

/// Markdown for a condition key.
pub(crate) fn condition_key_markdown(key: &str, stmt: Option<&Statement>) -> Option<String> {
    let def = catalog().condition_key(key)?;
    let mut f = facts::condition_key(def, key);
    if let Some(st) = stmt {
        let acts = statement_actions(st, 200);
        if !acts.is_empty() && !def.is_global() {
            let (yes, no): (Vec<&ActionRef<'_>>, Vec<&ActionRef<'_>>) =
                acts.iter().partition(|a| a.supports_condition_key(key));
            let names = |v: &[&ActionRef<'_>]| v.iter().map(|a| a.full_name()).collect::<Vec<_>>();
            if !yes.is_empty() {
                f.field("Supported by", action_list(&names(&yes)));
            }
            if !no.is_empty() {
                f.field(
                    "Not supported by",
                    format!(
                        "{} (the condition is false for them: the key is absent)",
                        action_list(&names(&no))
                    ),
                );
            }
        }
    }
    Some(f.render(Style::Markdown))
}
