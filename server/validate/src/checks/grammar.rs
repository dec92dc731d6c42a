//! Group A: syntax and grammar checks that need the whole policy (lowering reports the rest).

use std::collections::HashMap;

use iam_syntax::{TextRange, TokenKind};

use super::Context;
use iam_policy::diagnostic::{Diagnostic, Fix, Severity, TextEdit, rules};
use iam_policy::model::{Statement, StringList, Version};
use iam_policy::policy_type::PolicyType;

/// The checks of the policy as a whole (per-statement ones: [`check_statement`]).
pub(super) fn check_policy(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.parse.text();
    let Some(root) = cx.parse.value().and_then(|v| v.as_object()) else {
        return;
    };
    let open = root
        .node
        .token(TokenKind::LBrace)
        .map_or(TextRange::empty(0), |t| t.range);
    let policy = cx.policy;

    match &policy.version {
        None => {
            let d = Diagnostic::new(
                &rules::MISSING_VERSION,
                open,
                "the policy has no `Version`: add `\"Version\": \"2012-10-17\"` (without it, policy variables are not substituted)",
            )
            .with_fix(Fix {
                title: "Add `\"Version\": \"2012-10-17\"`".into(),
                edits: vec![TextEdit {
                    range: TextRange::empty(open.end),
                    new_text: if root.members().next().is_some() {
                        "\n  \"Version\": \"2012-10-17\",".into()
                    } else {
                        "\n  \"Version\": \"2012-10-17\"\n".into()
                    },
                }],
                preferred: true,
            });
            out.push(d);
        }
        Some(v) if v.value == Version::V2008_10_17 && !uses_variables(policy) => out.push(
            Diagnostic::new(
                &rules::OLD_VERSION,
                v.range,
                "version 2008-10-17 does not substitute policy variables: use `2012-10-17`",
            )
            .with_fix(Fix::replace(
                "Use version 2012-10-17",
                v.range,
                "\"2012-10-17\"",
            )),
        ),
        Some(_) => {}
    }

    match policy.statement_key {
        None => out.push(Diagnostic::new(
            &rules::MISSING_STATEMENT,
            open,
            "the policy has no `Statement`: add a `Statement` array with at least one statement",
        )),
        Some(key) if policy.statements.is_empty() => {
            // Only report when the value is an (empty) object/array, not when it is missing or of
            // the wrong type (reported elsewhere).
            let value_is_container = root
                .get("Statement")
                .and_then(|m| m.value())
                .is_some_and(|v| v.as_array().is_some_and(|a| a.items().next().is_none()));
            if value_is_container {
                out.push(Diagnostic::new(
                    &rules::MISSING_STATEMENT,
                    key,
                    "`Statement` is empty: add at least one statement",
                ));
            }
        }
        Some(_) => {}
    }

    let mut sids: HashMap<&str, TextRange, rustc_hash::FxBuildHasher> = HashMap::default();
    for st in &policy.statements {
        if let Some(sid) = &st.sid {
            if !sid.value.is_empty() {
                if sids.contains_key(sid.value.as_str()) {
                    let mut d = Diagnostic::new(
                        &rules::DUPLICATE_SID,
                        sid.range,
                        format!(
                            "another statement already has `Sid` `{}`: statement ids must be unique",
                            sid.value
                        ),
                    );
                    if !cx.policy_type.requires_unique_sids() {
                        // Access Analyzer: UNIQUE_SIDS_RECOMMENDED (a warning) where IAM accepts
                        // duplicates; UNIQUE_SIDS_REQUIRED (an error) elsewhere.
                        d.severity = Severity::Warning;
                        d.message = format!(
                            "another statement already has `Sid` `{}`: {} accepts it, but give every statement its own id so findings and logs can tell them apart",
                            sid.value,
                            capitalize(&cx.policy_type.with_article()),
                        );
                    }
                    out.push(d);
                } else {
                    sids.insert(&sid.value, sid.range);
                }
            }
        }
    }

    if let Some(quota) = cx.config.quota(cx.policy_type) {
        let size = non_whitespace_chars(text);
        if size > quota {
            let mut d = Diagnostic::new(
                &rules::POLICY_SIZE,
                open,
                format!(
                    "the policy is {size} characters without whitespace, over the {quota}-character quota of {}: split it into several policies or use wildcards",
                    cx.policy_type.with_article()
                ),
            );
            // Access Analyzer reports the quotas of identity-based and role trust policies as
            // warnings (where the policy goes decides the quota: an inline role policy may hold
            // 10,240 characters) and the quota of service control policies as an error.
            if cx.policy_type.size_quota_is_hard() {
                d.severity = Severity::Error;
            }
            out.push(d);
        }
    }
}

/// `an identity-based policy` -> `An identity-based policy`.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// Characters that are not whitespace (what the size quotas count).
pub(super) fn non_whitespace_chars(text: &str) -> usize {
    if text.is_ascii() {
        // `char::is_whitespace` on ASCII: space and `\t` `\n` `\x0B` `\x0C` `\r`.
        text.bytes()
            .filter(|b| *b != b' ' && !(b'\t'..=b'\r').contains(b))
            .count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
}

fn statement_open(cx: &Context<'_>, st: &Statement) -> TextRange {
    // The statement's `{`: a one-character range is precise and readable.
    let start = st.range.start;
    let end = (start + 1).min(st.range.end);
    if cx.parse.text().as_bytes().get(start as usize) == Some(&b'{') {
        TextRange::new(start, end)
    } else {
        st.range
    }
}

pub(super) fn check_statement(cx: &Context<'_>, st: &Statement, out: &mut Vec<Diagnostic>) {
    let open = statement_open(cx, st);
    let name = st.sid.as_ref().map_or_else(
        || format!("statement {}", st.index + 1),
        |s| format!("statement `{}`", s.value),
    );
    let has_effect_key = has_key(st, "Effect");
    if !has_effect_key {
        out.push(Diagnostic::new(
            &rules::MISSING_EFFECT,
            open,
            format!(
                "{name} has no `Effect`: add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"
            ),
        ));
    }
    if st.action.is_none()
        && st.not_action.is_none()
        && !has_key(st, "Action")
        && !has_key(st, "NotAction")
    {
        out.push(Diagnostic::new(
            &rules::MISSING_ACTION,
            open,
            format!(
                "{name} has neither `Action` nor `NotAction`: add the actions it allows or denies"
            ),
        ));
    }
    if cx.policy_type.requires_resource()
        && st.resource.is_none()
        && st.not_resource.is_none()
        && !has_key(st, "Resource")
        && !has_key(st, "NotResource")
    {
        out.push(Diagnostic::new(
            &rules::MISSING_RESOURCE,
            open,
            format!("{name} has neither `Resource` nor `NotResource`: add the resources it applies to (`\"*\"` for all)"),
        ));
    }
    for (a, b, an, bn) in [
        (
            st.action.as_ref().map(|l| l.key_range),
            st.not_action.as_ref().map(|l| l.key_range),
            "Action",
            "NotAction",
        ),
        (
            st.resource.as_ref().map(|l| l.key_range),
            st.not_resource.as_ref().map(|l| l.key_range),
            "Resource",
            "NotResource",
        ),
        (
            st.principal.as_ref().map(|p| p.key_range),
            st.not_principal.as_ref().map(|p| p.key_range),
            "Principal",
            "NotPrincipal",
        ),
    ] {
        if let (Some(ra), Some(rb)) = (a, b) {
            out.push(Diagnostic::new(
                &rules::CONFLICTING_ELEMENTS,
                ra.max(rb),
                format!("a statement cannot have both `{an}` and `{bn}`: keep one of them"),
            ));
        }
    }
    if let Some(sid) = &st.sid {
        let sid_rule_applies = cx.policy_type != PolicyType::Resource;
        if sid_rule_applies && !sid.value.chars().all(|c| c.is_ascii_alphanumeric()) {
            let cleaned: String = sid
                .value
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            let mut d = Diagnostic::new(
                &rules::INVALID_SID,
                sid.range,
                format!(
                    "`Sid` `{}` may contain only ASCII letters and digits",
                    sid.value
                ),
            );
            if !cleaned.is_empty() {
                d = d.with_fix(Fix::replace(
                    format!("Change to `{cleaned}`"),
                    sid.range,
                    format!("\"{cleaned}\""),
                ));
            }
            out.push(d);
        }
    }
    for (list, el) in [
        (&st.action, "Action"),
        (&st.not_action, "NotAction"),
        (&st.resource, "Resource"),
        (&st.not_resource, "NotResource"),
    ] {
        if let Some(list) = list {
            check_list(list, el, out);
        }
    }
    for p in [&st.principal, &st.not_principal].into_iter().flatten() {
        if let iam_policy::model::PrincipalValue::Map(entries) = &p.value {
            if entries.is_empty() {
                out.push(Diagnostic::new(
                    &rules::EMPTY_VALUE,
                    p.range,
                    "the principal object is empty: it matches no principal",
                ));
            }
            for e in entries {
                check_list(&e.values, &e.kind.value, out);
            }
        }
    }
}

fn check_list(list: &StringList, el: &str, out: &mut Vec<Diagnostic>) {
    if list.is_array && list.items.is_empty() && is_empty_array(list) {
        out.push(Diagnostic::new(
            &rules::EMPTY_VALUE,
            list.range,
            format!("`{el}` is an empty array, so the statement matches nothing: add a value or remove the statement"),
        ));
    }
    for item in &list.items {
        if item.value.is_empty() {
            out.push(Diagnostic::new(
                &rules::EMPTY_VALUE_STRING,
                item.range,
                format!("empty string in `{el}`: remove it or write a value"),
            ));
        }
    }
}

/// An array with no items at all (not one whose items were dropped as wrong types).
fn is_empty_array(list: &StringList) -> bool {
    list.range.len() <= 2 || list.items.is_empty()
}

/// Whether the statement has `key`, possibly with a missing or malformed value, or a misspelling
/// of it (already reported as an unknown element, whose fix is the real fix).
fn has_key(st: &Statement, key: &str) -> bool {
    st.keys.iter().any(|k| {
        let k = k.value.as_str();
        k == key
            || (!iam_policy::STATEMENT_ELEMENTS.contains(&k)
                && iam_policy::closest(k, iam_policy::STATEMENT_ELEMENTS.iter().copied())
                    == Some(key))
    })
}

/// Whether any `Resource` or condition value contains a policy variable (then D022 reports the
/// old version at each variable instead of A006).
fn uses_variables(policy: &iam_policy::model::Policy) -> bool {
    policy.statements.iter().any(|st| {
        [&st.resource, &st.not_resource]
            .into_iter()
            .flatten()
            .flat_map(|l| &l.items)
            .any(|i| i.value.contains("${"))
            || st.condition.as_ref().is_some_and(|c| {
                c.operators.iter().any(|o| {
                    o.entries
                        .iter()
                        .any(|e| e.values.iter().any(|v| v.value.text().contains("${")))
                })
            })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn size_counts_what_char_is_whitespace_counts() {
        for text in [
            "",
            " {\t\"a\" :\r\n 1\x0B\x0C}",
            "\x1C\x1F x",
            "{\"é\": \"\u{a0}\u{2028}😀 \"}",
        ] {
            let expected = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(super::non_whitespace_chars(text), expected, "{text:?}");
        }
    }
}
