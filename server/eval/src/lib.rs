//! The evaluator: decides whether a request is allowed by a set of policies, following AWS's
//! documented evaluation logic as `docs/evaluation.md` states it (rules S1–S73), and explains
//! why. Policy tests (`<name>.tests.json`) run on it.
//!
//! Entry point: [`evaluate`] with a [`PolicySet`] and a [`Request`]. The language's building
//! blocks (operators, typed values, policy variables, wildcard and ARN matching) live in
//! [`iam_policy::semantics`], shared with the validator and the IDE features.

mod condition;
mod explain;
pub mod policy_tests;
mod request;

use iam_syntax::TextRange;

pub use condition::{ConditionFailure, ConditionReason};
pub use policy_tests::{
    Resolve, SidecarError, TestOutcome, run_sidecar_tests, run_sidecar_tests_checked,
    run_sidecar_tests_resolved,
};
pub use request::{
    ContextValue, PrincipalKind, Request, RequestError, classify_principal, derived_keys,
};

use iam_policy::model::{
    Effect, Policy, PrincipalElement, PrincipalValue, Statement, StringList, Version,
};
use iam_policy::semantics::variables::{self, expand_pattern, may_contain_variables};
use iam_policy::semantics::wildcard::{Raw, Tok, arn_parts, match_action, match_resource};
use request::{EvalContext, is_account_id};

pub use iam_policy::PolicyType;

/// One policy with its kind and a display name (usually the file name).
#[derive(Clone, Debug)]
pub struct PolicyInput<'a> {
    pub kind: PolicyType,
    pub name: String,
    pub policy: &'a Policy,
}

/// The policies that take part in one evaluation.
#[derive(Clone, Debug, Default)]
pub struct PolicySet<'a> {
    pub policies: Vec<PolicyInput<'a>>,
    /// Whether the resource-based policy must grant access itself (KMS key policies, role trust
    /// policies; S14). `None` infers it from the request: `kms:*` actions on a KMS ARN, and
    /// `sts:AssumeRole*` / `sts:TagSession` / `sts:SetSourceIdentity`.
    pub resource_policy_required: Option<bool>,
}

impl<'a> PolicySet<'a> {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a policy (builder style).
    #[must_use]
    pub fn with(mut self, kind: PolicyType, name: impl Into<String>, policy: &'a Policy) -> Self {
        self.push(kind, name, policy);
        self
    }

    pub fn push(&mut self, kind: PolicyType, name: impl Into<String>, policy: &'a Policy) {
        self.policies.push(PolicyInput {
            kind,
            name: name.into(),
            policy,
        });
    }
}

/// The final decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::ExplicitDeny => "ExplicitDeny",
            Self::ImplicitDeny => "ImplicitDeny",
        }
    }

    /// Parses the exact names (also `Deny` is not accepted: say which deny).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Allow" => Some(Self::Allow),
            "ExplicitDeny" => Some(Self::ExplicitDeny),
            "ImplicitDeny" => Some(Self::ImplicitDeny),
            _ => None,
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a resource-based statement's principal matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalMatch {
    /// Not checked (identity-style policies) or not reached.
    NotChecked,
    /// The principal is named (ARN, service, `*`...): a direct grant.
    Direct,
    /// The principal's account is named: delegation; identities still need their own
    /// identity-policy permission (S34).
    Account,
}

/// Why a statement did not apply: the first failing part (S15).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotApplied {
    /// `Effect` missing or not exactly `Allow`/`Deny` (S5).
    InvalidEffect,
    /// Neither `Action` nor `NotAction`.
    MissingAction,
    /// The action matches none of `Action` (S21, S22).
    ActionNotMatched,
    /// The action matches this `NotAction` pattern (S23).
    NotActionExcluded { pattern: String },
    /// Neither `Resource` nor `NotResource` (identity-style policies).
    MissingResource,
    /// The resource matches none of `Resource` (S27–S29, S33).
    ResourceNotMatched,
    /// The resource matches this `NotResource` pattern (S31).
    NotResourceExcluded { pattern: String },
    /// Resource-based statement without `Principal`/`NotPrincipal` (S7).
    MissingPrincipal,
    /// The request principal is not listed in `Principal` (S34–S36).
    PrincipalNotMatched,
    /// The request principal is listed in `NotPrincipal` (S37).
    NotPrincipalExcluded,
    /// A condition is false (S50–S67).
    Condition(Box<ConditionFailure>),
}

impl NotApplied {
    /// A short machine-readable name: `effect`, `action`, `resource`, `principal`, `condition`.
    #[must_use]
    pub const fn part(&self) -> &'static str {
        match self {
            Self::InvalidEffect => "effect",
            Self::MissingAction | Self::ActionNotMatched | Self::NotActionExcluded { .. } => {
                "action"
            }
            Self::MissingResource | Self::ResourceNotMatched | Self::NotResourceExcluded { .. } => {
                "resource"
            }
            Self::MissingPrincipal | Self::PrincipalNotMatched | Self::NotPrincipalExcluded => {
                "principal"
            }
            Self::Condition(_) => "condition",
        }
    }
}

/// The result for one statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementResult {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Option<Effect>,
    /// Range of the statement object in its policy text.
    pub range: TextRange,
    pub applied: bool,
    pub principal_match: PrincipalMatch,
    /// `None` when applied.
    pub reason: Option<NotApplied>,
}

impl StatementResult {
    /// `#0 "Sid"` or `#0`.
    #[must_use]
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) => format!("statement #{} (Sid {s:?})", self.index),
            None => format!("statement #{}", self.index),
        }
    }
}

/// The result for one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyResult {
    pub name: String,
    pub kind: PolicyType,
    pub statements: Vec<StatementResult>,
    /// Some Allow statement applied.
    pub allows: bool,
    /// Some Deny statement applied.
    pub denies: bool,
}

/// A statement that decided, as indexes into [`Evaluation::policies`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementRef {
    pub policy: usize,
    pub statement: usize,
}

/// A decision with its explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    /// One sentence: what decided.
    pub summary: String,
    /// The applicable Deny statements for an explicit deny, otherwise the applicable Allow
    /// statements (S15). Empty for most implicit denies.
    pub deciding: Vec<StatementRef>,
    pub cross_account: bool,
    pub resource_policy_required: bool,
    pub policies: Vec<PolicyResult>,
    pub action: String,
    pub resource: String,
    pub principal: Option<String>,
}

impl Evaluation {
    #[must_use]
    pub fn statement(&self, r: StatementRef) -> Option<&StatementResult> {
        self.policies
            .get(r.policy)
            .and_then(|p| p.statements.get(r.statement))
    }
}

/// Evaluates `request` against `set`. Total: never panics on any model the parser produces.
#[must_use]
pub fn evaluate(set: &PolicySet<'_>, request: &Request) -> Evaluation {
    let ctx = EvalContext::new(request);
    let mut scratch = Vec::new();
    let policies: Vec<PolicyResult> = set
        .policies
        .iter()
        .map(|input| eval_policy(input, &ctx, &mut scratch))
        .collect();
    let required = set
        .resource_policy_required
        .unwrap_or_else(|| requires_resource_policy(request));
    let cross_account = ctx.cross_account();
    let (decision, summary, deciding) = decide(&policies, required, cross_account);
    Evaluation {
        decision,
        summary,
        deciding,
        cross_account,
        resource_policy_required: required,
        policies,
        action: request.action.clone(),
        resource: request.resource.clone(),
        principal: request.principal.clone(),
    }
}

/// KMS key policies and role trust policies must grant access themselves (S14).
fn requires_resource_policy(request: &Request) -> bool {
    let Some((service, name)) = request.action.split_once(':') else {
        return false;
    };
    if service.eq_ignore_ascii_case("kms") {
        return arn_parts(&request.resource).is_some_and(|p| p[2] == "kms");
    }
    service.eq_ignore_ascii_case("sts")
        && [
            "AssumeRole",
            "AssumeRoleWithSAML",
            "AssumeRoleWithWebIdentity",
            "TagSession",
            "SetSourceIdentity",
        ]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(name))
}

fn collect(
    policies: &[PolicyResult],
    effect: Effect,
    filter: impl Fn(&PolicyResult) -> bool,
) -> Vec<StatementRef> {
    let mut out = Vec::new();
    for (pi, p) in policies.iter().enumerate().filter(|(_, p)| filter(p)) {
        for (si, s) in p.statements.iter().enumerate() {
            if s.applied && s.effect == Some(effect) {
                out.push(StatementRef {
                    policy: pi,
                    statement: si,
                });
            }
        }
    }
    out
}

fn describe(policies: &[PolicyResult], r: StatementRef) -> String {
    match policies.get(r.policy) {
        Some(p) => {
            let label = p
                .statements
                .get(r.statement)
                .map(StatementResult::label)
                .unwrap_or_default();
            format!("{} policy `{}`, {label}", p.kind.as_str(), p.name)
        }
        None => String::new(),
    }
}

fn decide(
    policies: &[PolicyResult],
    required: bool,
    cross: bool,
) -> (Decision, String, Vec<StatementRef>) {
    let implicit = |msg: String| (Decision::ImplicitDeny, msg, Vec::new());
    // S11.1, S12, S14: an explicit deny anywhere wins.
    let denies = collect(policies, Effect::Deny, |_| true);
    if let Some(first) = denies.first() {
        let msg = format!("explicitly denied by {}", describe(policies, *first));
        return (Decision::ExplicitDeny, msg, denies);
    }
    if policies.is_empty() {
        return implicit("no policies: nothing allows the request".into());
    }
    // S14: each limiting policy present must allow.
    for p in policies.iter().filter(|p| p.kind.is_limit()) {
        if !p.allows {
            return implicit(format!(
                "{} policy `{}` does not allow the request",
                p.kind.as_str(),
                p.name
            ));
        }
    }
    let identity_allow = policies
        .iter()
        .any(|p| p.kind == PolicyType::Identity && p.allows);
    let resource_allow = policies
        .iter()
        .any(|p| p.kind.is_resource_based() && p.allows);
    let resource_direct = policies
        .iter()
        .filter(|p| p.kind.is_resource_based())
        .any(|p| {
            p.statements.iter().any(|s| {
                s.applied
                    && s.effect == Some(Effect::Allow)
                    && s.principal_match != PrincipalMatch::Account
            })
        });
    let has_resource_policy = policies.iter().any(|p| p.kind.is_resource_based());
    let allowed = if required {
        if !resource_allow {
            let msg = if has_resource_policy {
                "the resource-based policy (KMS key policy or role trust policy) does not allow the request; it must grant access itself or delegate to the account"
            } else {
                "this request needs a resource-based policy (KMS key policy or role trust policy) that grants access; none was given"
            };
            return implicit(msg.into());
        }
        if (cross || !resource_direct) && !identity_allow {
            return implicit(
                "the resource-based policy delegates to the account (or the request is cross-account); no identity-based policy allows the request"
                    .into(),
            );
        }
        true
    } else if cross {
        if !resource_allow {
            return implicit("cross-account request: no resource-based policy in the resource's account allows it".into());
        }
        if !identity_allow {
            return implicit("cross-account request: no identity-based policy in the principal's account allows it".into());
        }
        true
    } else {
        identity_allow || resource_direct
    };
    if !allowed {
        let msg = if resource_allow {
            "the resource-based policy grants only to the account (delegation); no identity-based policy allows the request"
        } else {
            "no identity-based or resource-based policy allows the request"
        };
        return implicit(msg.into());
    }
    let allows = collect(policies, Effect::Allow, |_| true);
    let grant = collect(policies, Effect::Allow, |p| !p.kind.is_limit());
    let msg = grant.first().map_or_else(
        || "allowed".to_owned(),
        |g| format!("allowed by {}", describe(policies, *g)),
    );
    (Decision::Allow, msg, allows)
}

fn eval_policy(
    input: &PolicyInput<'_>,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
) -> PolicyResult {
    let v2012 = input.policy.effective_version() == Version::V2012_10_17;
    let statements: Vec<StatementResult> = input
        .policy
        .statements
        .iter()
        .map(|s| eval_statement(s, input.kind, v2012, ctx, scratch))
        .collect();
    let allows = statements
        .iter()
        .any(|s| s.applied && s.effect == Some(Effect::Allow));
    let denies = statements
        .iter()
        .any(|s| s.applied && s.effect == Some(Effect::Deny));
    PolicyResult {
        name: input.name.clone(),
        kind: input.kind,
        statements,
        allows,
        denies,
    }
}

fn eval_statement(
    stmt: &Statement,
    kind: PolicyType,
    v2012: bool,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
) -> StatementResult {
    let effect = stmt.effect.as_ref().map(|e| e.value);
    let mut principal_match = PrincipalMatch::NotChecked;
    let reason = check_statement(stmt, kind, v2012, ctx, scratch, &mut principal_match);
    StatementResult {
        index: stmt.index,
        sid: stmt.sid.as_ref().map(|s| s.value.clone()),
        effect,
        range: stmt.range,
        applied: reason.is_none(),
        principal_match,
        reason,
    }
}

fn check_statement(
    stmt: &Statement,
    kind: PolicyType,
    v2012: bool,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
    principal_match: &mut PrincipalMatch,
) -> Option<NotApplied> {
    if stmt.effect.is_none() {
        return Some(NotApplied::InvalidEffect);
    }
    let request = ctx.request;
    // 1. Action (S20–S23). Variables are never substituted in actions (S41).
    if stmt.action.is_none() && stmt.not_action.is_none() {
        return Some(NotApplied::MissingAction);
    }
    if let Some(list) = &stmt.action {
        if !list
            .items
            .iter()
            .any(|p| match_action(&p.value, &request.action))
        {
            return Some(NotApplied::ActionNotMatched);
        }
    }
    if let Some(list) = &stmt.not_action {
        if let Some(p) = list
            .items
            .iter()
            .find(|p| match_action(&p.value, &request.action))
        {
            return Some(NotApplied::NotActionExcluded {
                pattern: p.value.clone(),
            });
        }
    }
    // 2. Resource (S24–S33). A resource-based policy without Resource (e.g. a trust policy)
    // covers the resource it is attached to.
    if stmt.resource.is_none() && stmt.not_resource.is_none() && !kind.matches_principal() {
        return Some(NotApplied::MissingResource);
    }
    if let Some(list) = &stmt.resource {
        if find_resource(list, v2012, ctx, scratch).is_none() {
            return Some(NotApplied::ResourceNotMatched);
        }
    }
    if let Some(list) = &stmt.not_resource {
        if let Some(p) = find_resource(list, v2012, ctx, scratch) {
            return Some(NotApplied::NotResourceExcluded {
                pattern: p.to_owned(),
            });
        }
    }
    // 3. Principal (S34–S37), resource-based policies only.
    if kind.matches_principal() {
        match (&stmt.principal, &stmt.not_principal) {
            (None, None) => return Some(NotApplied::MissingPrincipal),
            (Some(p), _) => match match_principal(p, ctx) {
                PrincipalMatch::NotChecked => return Some(NotApplied::PrincipalNotMatched),
                m => *principal_match = m,
            },
            (None, Some(np)) => {
                if match_principal(np, ctx) != PrincipalMatch::NotChecked {
                    return Some(NotApplied::NotPrincipalExcluded);
                }
                *principal_match = PrincipalMatch::Direct;
            }
        }
    }
    // 4. Conditions (S50–S67).
    if let Some(block) = &stmt.condition {
        if let Err(failure) = condition::eval_block(block, v2012, ctx, scratch) {
            return Some(NotApplied::Condition(failure));
        }
    }
    None
}

/// The first Resource/NotResource entry matching the request resource (S26–S33).
fn find_resource<'l>(
    list: &'l StringList,
    v2012: bool,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
) -> Option<&'l str> {
    let resource = ctx.request.resource.as_str();
    list.items
        .iter()
        .find(|p| {
            if v2012 && may_contain_variables(&p.value) {
                let t = variables::parse(&p.value);
                // S43: an unresolvable entry matches nothing.
                expand_pattern(&t, ctx, scratch) && match_resource(scratch.as_slice(), resource)
            } else {
                match_resource(&Raw(&p.value), resource)
            }
        })
        .map(|p| p.value.as_str())
}

/// Matches a Principal/NotPrincipal element against the request principal (S34–S36); returns
/// `NotChecked` for no match.
fn match_principal(el: &PrincipalElement, ctx: &EvalContext<'_>) -> PrincipalMatch {
    match &el.value {
        PrincipalValue::Wildcard(s) if s.value == "*" => PrincipalMatch::Direct,
        PrincipalValue::Wildcard(_) => PrincipalMatch::NotChecked,
        PrincipalValue::Map(entries) => {
            let mut best = PrincipalMatch::NotChecked;
            for entry in entries {
                let kind = match entry.kind.value.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    _ => continue,
                };
                for v in &entry.values.items {
                    match match_principal_value(kind, &v.value, ctx) {
                        PrincipalMatch::Direct => return PrincipalMatch::Direct,
                        PrincipalMatch::Account => best = PrincipalMatch::Account,
                        PrincipalMatch::NotChecked => {}
                    }
                }
            }
            best
        }
    }
}

fn match_principal_value(
    kind: PrincipalKind,
    value: &str,
    ctx: &EvalContext<'_>,
) -> PrincipalMatch {
    let Some((rkind, rid)) = ctx.principal else {
        // Anonymous: only the wildcard matches.
        return if value == "*" && kind == PrincipalKind::Aws {
            PrincipalMatch::Direct
        } else {
            PrincipalMatch::NotChecked
        };
    };
    if value == "*" {
        return if kind == PrincipalKind::Aws || kind == rkind {
            PrincipalMatch::Direct
        } else {
            PrincipalMatch::NotChecked
        };
    }
    if kind != rkind {
        return PrincipalMatch::NotChecked;
    }
    // S35, S36: exact, case-sensitive; no partial wildcards.
    if value == rid {
        return PrincipalMatch::Direct;
    }
    if kind != PrincipalKind::Aws {
        return PrincipalMatch::NotChecked;
    }
    // Account principal: `123456789012` or `arn:aws:iam::123456789012:root` (delegation).
    let account = if is_account_id(value) {
        Some(value)
    } else {
        arn_parts(value)
            .filter(|p| p[2] == "iam" && p[5] == "root")
            .map(|p| p[4])
    };
    if let Some(account) = account {
        return if ctx.principal_account == Some(account) {
            PrincipalMatch::Account
        } else {
            PrincipalMatch::NotChecked
        };
    }
    // A role ARN matches that role's sessions.
    if let (Some(policy), Some(req)) = (arn_parts(value), arn_parts(rid)) {
        if policy[2] == "iam" && req[2] == "sts" && policy[4] == req[4] && policy[1] == req[1] {
            let role = policy[5]
                .strip_prefix("role/")
                .and_then(|r| r.rsplit('/').next());
            let session_role = req[5]
                .strip_prefix("assumed-role/")
                .and_then(|r| r.split('/').next());
            if role.is_some() && role == session_role {
                return PrincipalMatch::Direct;
            }
        }
    }
    PrincipalMatch::NotChecked
}

#[cfg(test)]
mod tests;
