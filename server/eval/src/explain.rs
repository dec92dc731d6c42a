//! Rendering an [`Evaluation`] as text (CLI) and JSON (CLI `--format json`, LSP).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{ConditionFailure, Evaluation, NotApplied, StatementResult};
use iam_policy::model::Effect;

fn effect_name(e: Option<Effect>) -> &'static str {
    match e {
        Some(Effect::Allow) => "Allow",
        Some(Effect::Deny) => "Deny",
        None => "(invalid effect)",
    }
}

impl Evaluation {
    /// Why a statement did not apply, as one sentence.
    #[must_use]
    pub fn reason_message(&self, reason: &NotApplied) -> String {
        match reason {
            NotApplied::InvalidEffect => {
                "Effect is missing or not exactly \"Allow\"/\"Deny\"".into()
            }
            NotApplied::MissingAction => "the statement has neither Action nor NotAction".into(),
            NotApplied::ActionNotMatched => {
                format!("action `{}` matches no Action pattern", self.action)
            }
            NotApplied::NotActionExcluded { pattern } => {
                format!(
                    "action `{}` is excluded by NotAction `{pattern}`",
                    self.action
                )
            }
            NotApplied::MissingResource => {
                "the statement has neither Resource nor NotResource".into()
            }
            NotApplied::ResourceNotMatched => {
                format!("resource `{}` matches no Resource pattern", self.resource)
            }
            NotApplied::NotResourceExcluded { pattern } => {
                format!(
                    "resource `{}` is excluded by NotResource `{pattern}`",
                    self.resource
                )
            }
            NotApplied::MissingPrincipal => {
                "resource-based statement without Principal or NotPrincipal".into()
            }
            NotApplied::PrincipalNotMatched => match &self.principal {
                Some(p) => format!("principal `{p}` is not listed in Principal"),
                None => "anonymous request: Principal is not \"*\"".into(),
            },
            NotApplied::NotPrincipalExcluded => match &self.principal {
                Some(p) => format!("principal `{p}` is listed in NotPrincipal"),
                None => "the principal is listed in NotPrincipal".into(),
            },
            NotApplied::Condition(c) => c.to_string(),
        }
    }

    /// A human-readable report: the decision, the summary, the deciding statements and, per
    /// policy, each statement's outcome.
    #[must_use]
    pub fn render_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "Decision: {}", self.decision);
        let _ = writeln!(s, "  {}", self.summary);
        if self.cross_account {
            let _ = writeln!(s, "  (cross-account request)");
        }
        for r in &self.deciding {
            if let (Some(p), Some(st)) = (self.policies.get(r.policy), self.statement(*r)) {
                let _ = writeln!(
                    s,
                    "  decided by: {} `{}` {} ({})",
                    p.kind.as_str(),
                    p.name,
                    st.label(),
                    effect_name(st.effect)
                );
            }
        }
        for p in &self.policies {
            let _ = writeln!(s, "{} policy `{}`:", p.kind.as_str(), p.name);
            if p.statements.is_empty() {
                let _ = writeln!(s, "  (no statements)");
            }
            for st in &p.statements {
                match &st.reason {
                    None => {
                        let _ = writeln!(s, "  {} {}: applies", st.label(), effect_name(st.effect));
                    }
                    Some(r) => {
                        let _ = writeln!(
                            s,
                            "  {} {}: does not apply: {}",
                            st.label(),
                            effect_name(st.effect),
                            self.reason_message(r)
                        );
                    }
                }
            }
        }
        s
    }

    fn statement_json(&self, st: &StatementResult) -> Value {
        let reason = st.reason.as_ref().map(|r| {
            let mut v = json!({ "part": r.part(), "message": self.reason_message(r) });
            if let NotApplied::Condition(c) = r {
                v["condition"] = condition_json(c);
            }
            v
        });
        json!({
            "index": st.index,
            "sid": st.sid,
            "effect": st.effect.map(|e| effect_name(Some(e))),
            "range": [st.range.start, st.range.end],
            "applied": st.applied,
            "reason": reason,
        })
    }

    /// The JSON form: `{"decision": "Allow"|"ExplicitDeny"|"ImplicitDeny", "summary", "deciding",
    /// "crossAccount", "resourcePolicyRequired", "request", "policies": [...]}`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let deciding: Vec<Value> = self
            .deciding
            .iter()
            .filter_map(|r| {
                let p = self.policies.get(r.policy)?;
                let st = self.statement(*r)?;
                Some(json!({
                    "policy": p.name,
                    "kind": p.kind.as_str(),
                    "statement": st.index,
                    "sid": st.sid,
                    "effect": effect_name(st.effect),
                }))
            })
            .collect();
        let policies: Vec<Value> = self
            .policies
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "kind": p.kind.as_str(),
                    "allows": p.allows,
                    "denies": p.denies,
                    "statements": p.statements.iter().map(|st| self.statement_json(st)).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "decision": self.decision.as_str(),
            "summary": self.summary,
            "deciding": deciding,
            "crossAccount": self.cross_account,
            "resourcePolicyRequired": self.resource_policy_required,
            "request": { "action": self.action, "resource": self.resource, "principal": self.principal },
            "policies": policies,
        })
    }
}

fn condition_json(c: &ConditionFailure) -> Value {
    json!({
        "operator": c.operator,
        "key": c.key,
        "policyValues": c.policy_values,
        "requestValues": c.request_values,
        "requestMultivalued": c.request_multivalued,
        "operatorRange": [c.operator_range.start, c.operator_range.end],
        "keyRange": [c.key_range.start, c.key_range.end],
    })
}
