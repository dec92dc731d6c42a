//! SAM `Policies`: inline documents, policy templates (SAM's `policy_templates.json`, bundled)
//! and managed policy names.

use std::sync::OnceLock;

use iam_policy::diagnostic::rules;
use iam_validate::Diagnostic;

use crate::value::Val;
use crate::{Site, VirtualDoc, cfn};

/// Findings about SAM constructs (host ranges).
#[derive(Debug, Default)]
pub struct SamFindings {
    pub findings: Vec<Diagnostic>,
}

/// One SAM policy template: its name, description and parameter names.
#[derive(Debug)]
pub struct PolicyTemplate {
    pub name: String,
    pub description: String,
    pub parameters: Vec<String>,
    /// The `Definition` (a `{"Statement": ...}` fragment), as JSON text.
    pub definition: String,
}

/// The bundled SAM policy templates (Apache-2.0, see THIRD_PARTY_NOTICES).
pub fn templates() -> &'static [PolicyTemplate] {
    static T: OnceLock<Vec<PolicyTemplate>> = OnceLock::new();
    T.get_or_init(|| {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("../data/sam_policy_templates.json"))
                .unwrap_or_default();
        let mut out: Vec<PolicyTemplate> = data["Templates"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(name, t)| PolicyTemplate {
                        name: name.clone(),
                        description: t["Description"].as_str().unwrap_or("").to_owned(),
                        parameters: t["Parameters"]
                            .as_object()
                            .map(|p| p.keys().cloned().collect())
                            .unwrap_or_default(),
                        definition: serde_json::to_string_pretty(&t["Definition"])
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    })
}

/// The `Policies` property of a SAM function or state machine: one entry or a list of them.
pub fn policies(v: &Val, site: &Site, out: &mut Vec<VirtualDoc>, sam: &mut SamFindings) {
    match v {
        Val::Seq { items, .. } => {
            for (i, item) in items.iter().enumerate() {
                let site = Site {
                    path: format!("{}/{i}", site.path),
                    ..site.clone()
                };
                entry(item, &site, out, sam);
            }
        }
        other => entry(other, site, out, sam),
    }
}

fn entry(v: &Val, site: &Site, out: &mut Vec<VirtualDoc>, sam: &mut SamFindings) {
    match v {
        Val::Choice { branches, .. } => {
            for b in branches {
                entry(b, site, out, sam);
            }
        }
        Val::Map { .. } if v.get("Statement").is_some() => cfn::documents(v, site, out),
        Val::Map { entries, .. } if entries.len() == 1 => {
            let (name, params) = &entries[0];
            let Some(name_text) = name.literal() else {
                return;
            };
            let all = templates();
            let Some(t) = all.iter().find(|t| t.name == name_text) else {
                let hint = iam_policy::closest(&name_text, all.iter().map(|t| t.name.as_str()))
                    .map(|s| format!(": did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        ": use a SAM policy template name, an inline document with `Statement`, or an AWS managed policy name or ARN".into()
                    });
                sam.findings.push(Diagnostic::new(
                    &rules::SAM_UNKNOWN_POLICY_TEMPLATE,
                    name.range,
                    format!("`{name_text}` is not a SAM policy template{hint}"),
                ));
                return;
            };
            let given: Vec<(String, iam_syntax::TextRange)> = match params {
                Val::Map { entries, .. } => entries
                    .iter()
                    .filter_map(|(k, _)| k.literal().map(|l| (l, k.range)))
                    .collect(),
                // `!Ref`-built parameters and the like: not checked.
                Val::Hole { .. } | Val::Choice { .. } => return,
                _ => Vec::new(),
            };
            for (p, range) in &given {
                if !t.parameters.contains(p) {
                    let hint = iam_policy::closest(p, t.parameters.iter().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| parameter_list(t));
                    sam.findings.push(Diagnostic::new(
                        &rules::SAM_TEMPLATE_PARAMETERS,
                        *range,
                        format!("`{}` takes no parameter `{p}`: {hint}", t.name),
                    ));
                }
            }
            for p in &t.parameters {
                if !given.iter().any(|(g, _)| g == p) {
                    sam.findings.push(Diagnostic::new(
                        &rules::SAM_TEMPLATE_PARAMETERS,
                        name.range,
                        format!("`{}` needs the parameter `{p}`: add `{p}: ...`", t.name),
                    ));
                }
            }
        }
        _ => {}
    }
}

fn parameter_list(t: &PolicyTemplate) -> String {
    if t.parameters.is_empty() {
        "it takes none (write `{}`)".into()
    } else {
        format!("it takes {}", t.parameters.join(", "))
    }
}
