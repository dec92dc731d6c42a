//! Conditions: operators, condition keys that fit the operator, and values of a key.

use std::collections::BTreeMap;

use iam_catalog::{ConditionKeyType, catalog};

use crate::docs;
use crate::template_snippet;
use iam_policy::semantics::operator::{BaseOperator, OperatorFamily, ParsedOperator};

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn operators(&mut self) {
        // Types of the keys already written under the operator being edited.
        let key_types: Vec<ConditionKeyType> = self
            .loc
            .member
            .and_then(|m| m.value())
            .and_then(|v| v.as_object())
            .map(|o| {
                o.members()
                    .filter_map(|m| m.key())
                    .filter_map(|k| catalog().condition_key(&k.value()).map(|c| c.value_type()))
                    .collect()
            })
            .unwrap_or_default();
        let multi = key_types.iter().any(|t| t.is_array());
        let single = key_types.iter().any(|t| !t.is_array());
        let nl = "\n";
        let mut rank = 0usize;
        // As for action names: with something typed, only the operators it fuzzily matches,
        // and the list is incomplete (asked again as the text changes); the full list is 157
        // items and ~67 KB of JSON.
        let typed = self.typed();
        let filter = !typed.is_empty();
        self.out.is_incomplete |= filter;
        for q in ["", "ForAnyValue:", "ForAllValues:"] {
            if !key_types.is_empty() && ((q.is_empty() && multi) || (!q.is_empty() && single)) {
                continue;
            }
            for op in BaseOperator::ALL {
                let family = op.family();
                if !key_types.iter().all(|t| family.fits(*t)) {
                    continue;
                }
                if !q.is_empty() && family == OperatorFamily::Null {
                    continue;
                }
                for suffix in ["", "IfExists"] {
                    if family == OperatorFamily::Null && !suffix.is_empty() {
                        continue;
                    }
                    let name = format!("{q}{}{suffix}", op.name());
                    if filter && !fuzzy_match(&name, typed) {
                        rank += 1;
                        continue;
                    }
                    let doc = if self.wants_doc(&name) {
                        cached_operator_doc(&name)
                    } else {
                        String::new()
                    };
                    let snippet = format!("\"{name}\": {{{nl}\t\"$1\": \"$2\"{nl}}}");
                    let new_text = if self.has_colon() {
                        format!("\"{name}\"")
                    } else {
                        snippet
                    };
                    let retrigger = !self.has_colon();
                    let group = usize::from(!q.is_empty()) * 2 + usize::from(!suffix.is_empty());
                    self.push_key(
                        &name,
                        CompletionKind::Operator,
                        Some(format!("{family:?} operator")),
                        doc,
                        new_text,
                        true,
                        format!("{group}{rank:03}"),
                        retrigger,
                    );
                    rank += 1;
                }
            }
        }
    }

    pub(super) fn condition_keys(&mut self, op: &str) {
        let cat = catalog();
        let parsed = ParsedOperator::parse(op).ok();
        let acts = self.statement_actions(200);
        let typed = self.typed().to_ascii_lowercase();
        // name (lower) -> (group, key, supporting actions)
        let mut keys: BTreeMap<String, (u8, iam_catalog::ConditionKeyRef<'static>, Vec<String>)> =
            BTreeMap::new();
        for a in &acts {
            for k in a.all_condition_keys() {
                let Some(def) = cat.condition_key(k) else {
                    continue;
                };
                let e = keys
                    .entry(def.name().to_ascii_lowercase())
                    .or_insert((0, def, Vec::new()));
                if e.2.len() < 20 {
                    e.2.push(a.full_name());
                }
            }
        }
        for k in cat.global_condition_keys() {
            keys.entry(k.name().to_ascii_lowercase())
                .or_insert((1, k, Vec::new()));
        }
        if let Some((p, _)) = typed.split_once(':') {
            if let Some(s) = cat.service(p) {
                for k in s.condition_keys() {
                    keys.entry(k.name().to_ascii_lowercase())
                        .or_insert((2, k, Vec::new()));
                }
            }
        }
        let present = self.existing_keys();
        for (lower, (group, def, supporters)) in keys {
            if present.iter().any(|p| p.eq_ignore_ascii_case(def.name())) {
                continue;
            }
            let ty = def.value_type();
            // Only keys whose type the operator compares (the validator's table, rule D008);
            // among them, those whose arity fits the set qualifier come first.
            if parsed.is_some_and(|p| !p.base.family().fits(ty)) {
                continue;
            }
            let fits = parsed.is_none_or(|p| p.fits_key(ty));
            let is_aws = lower.starts_with("aws:");
            let sort = format!(
                "{group}{}{}{lower}",
                u8::from(!fits),
                u8::from(is_aws && group == 0)
            );
            let doc = if self.wants_doc(def.name()) {
                let mut doc = format!(
                    "**{}** ({}, {})\n\n{}",
                    def.name(),
                    ty,
                    if def.is_multivalued() {
                        "multivalued: use `ForAnyValue:`/`ForAllValues:`"
                    } else {
                        "single-valued"
                    },
                    def.description()
                );
                if !supporters.is_empty() {
                    doc.push_str(&format!(
                        "\n\nSupported by this statement's {}",
                        supporters
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                } else if group == 1 {
                    doc.push_str("\n\nGlobal key: available in every request where it applies.");
                }
                doc
            } else {
                String::new()
            };
            let key_snippet = template_snippet(def.name());
            let value = if ty.is_array() { "[\"$0\"]" } else { "\"$0\"" };
            let (new_text, retrigger) = if self.has_colon() {
                (format!("\"{key_snippet}\""), false)
            } else {
                (format!("\"{key_snippet}\": {value}"), true)
            };
            self.push_key(
                def.name(),
                CompletionKind::ConditionKey,
                Some(format!(
                    "{ty}{}",
                    match group {
                        0 => " — this statement's actions",
                        1 => " — global",
                        _ => "",
                    }
                )),
                doc,
                new_text,
                true,
                sort,
                retrigger,
            );
        }
    }

    pub(super) fn condition_values(&mut self, op: &str, key: &str) {
        let cat = catalog();
        let def = cat.condition_key(key);
        let family = ParsedOperator::parse(op).ok().map(|p| p.base.family());
        let ty = def.map(|d| d.value_type());
        let lkey = key.to_ascii_lowercase();
        if family == Some(OperatorFamily::Null) {
            self.value_item(
                "true",
                CompletionKind::Value,
                Some("the key is absent"),
                "`true`: the condition holds when the key is absent from the request.",
                "0",
                false,
            );
            self.value_item(
                "false",
                CompletionKind::Value,
                Some("the key is present"),
                "`false`: the condition holds when the key is present.",
                "1",
                false,
            );
            return;
        }
        if family == Some(OperatorFamily::Bool)
            || ty.is_some_and(|t| t.scalar() == ConditionKeyType::Bool)
        {
            self.value_item(
                "true",
                CompletionKind::Value,
                None,
                "Boolean `true`.",
                "0",
                false,
            );
            self.value_item(
                "false",
                CompletionKind::Value,
                None,
                "Boolean `false`.",
                "1",
                false,
            );
            return;
        }
        if lkey == "aws:requestedregion" || lkey.ends_with(":region") {
            for (i, (r, name)) in docs::REGIONS.iter().enumerate() {
                self.value_item(
                    r,
                    CompletionKind::Value,
                    Some(name),
                    &format!("`{r}`: {name}"),
                    &format!("{i:03}"),
                    false,
                );
            }
            return;
        }
        if lkey == "iam:passedtoservice"
            || lkey.starts_with("aws:calledvia")
            || lkey == "aws:principalservicename"
            || lkey == "aws:principalservicenameslist"
        {
            for (i, p) in docs::SERVICE_PRINCIPALS.iter().enumerate() {
                self.value_item(
                    p,
                    CompletionKind::Value,
                    Some("service principal"),
                    &format!("`{p}`"),
                    &format!("{i:03}"),
                    false,
                );
            }
            return;
        }
        if lkey == "aws:principaltype" {
            for (i, p) in docs::PRINCIPAL_TYPES.iter().enumerate() {
                self.value_item(
                    p,
                    CompletionKind::Value,
                    None,
                    &format!("`{p}`"),
                    &format!("{i:03}"),
                    false,
                );
            }
            return;
        }
        let arn_like = family == Some(OperatorFamily::Arn)
            || ty.is_some_and(|t| t.scalar() == ConditionKeyType::Arn);
        if arn_like {
            let mut formats: Vec<(String, String)> = Vec::new();
            if let Some((p, name)) = key.split_once(':') {
                if let Some(s) = cat.service(p).filter(|_| !p.eq_ignore_ascii_case("aws")) {
                    let lname = name.to_ascii_lowercase();
                    let singular = lname.trim_end_matches('s');
                    for rt in s.resource_types() {
                        let rn = rt.name().to_ascii_lowercase();
                        if rn == lname || rn == singular || lname.starts_with(&rn) {
                            for f in rt.arn_formats() {
                                formats
                                    .push((f.clone(), format!("{} ({})", rt.name(), s.prefix())));
                            }
                        }
                    }
                }
            }
            if lkey == "aws:principalarn" || lkey == "aws:sourcearn" && formats.is_empty() {
                formats.push((
                    "arn:${Partition}:iam::${Account}:role/${RoleName}".to_owned(),
                    "IAM role".to_owned(),
                ));
                formats.push((
                    "arn:${Partition}:iam::${Account}:user/${UserName}".to_owned(),
                    "IAM user".to_owned(),
                ));
            }
            formats.push((
                "arn:${Partition}:${Service}:${Region}:${Account}:${Resource}".to_owned(),
                "any ARN".to_owned(),
            ));
            for (i, (f, label)) in formats.into_iter().enumerate() {
                self.push_value(
                    &f,
                    CompletionKind::Resource,
                    Some(label.clone()),
                    format!("**{label}**\n\n`{f}`"),
                    Insert::StrSnippet(template_snippet(&f)),
                    format!("{i:03}"),
                    i == 0,
                    false,
                );
            }
            return;
        }
        if ty.is_some_and(|t| t.scalar() == ConditionKeyType::Date)
            || family == Some(OperatorFamily::Date)
        {
            self.push_value(
                "2025-01-01T00:00:00Z",
                CompletionKind::Value,
                Some("ISO 8601 date".to_owned()),
                "A date in ISO 8601 (`2025-01-01T00:00:00Z`) or epoch seconds.".to_owned(),
                Insert::StrSnippet("${1:2025-01-01T00:00:00Z}".to_owned()),
                "0".to_owned(),
                false,
                false,
            );
        }
    }
}
