//! Offline access analysis: does a policy change grant new access (`compare`), can a policy
//! allow given actions (`grants`), does a resource-based policy allow callers outside the
//! owner's account (`public`).
//!
//! Answers are three-valued. `pass` is proved over every request; `fail` comes with concrete
//! requests (witnesses) that the evaluator confirmed; `unknown` says why neither was reached.
//! See `docs/access-analysis.md` for what is decided and the engine in [`engine`].

pub mod engine;
pub use iam_policy::semantics::glob;

use iam_eval::{ContextValue, PolicyType, Request};
use iam_policy::model::Policy;
use serde_json::{Map, Value, json};

pub use engine::IDENTITY_KEYS;
use engine::{Input, Query, Role};

/// The answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No new access / not granted / not public.
    Pass,
    /// At least one confirmed witness.
    Fail,
    /// Neither proved nor witnessed; `reasons` say why.
    Unknown,
}

impl Verdict {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Unknown => "unknown",
        }
    }

    /// Process exit code: 0 pass, 1 fail, 3 unknown.
    #[must_use]
    pub const fn exit_code(self) -> u8 {
        match self {
            Self::Pass => 0,
            Self::Fail => 1,
            Self::Unknown => 3,
        }
    }
}

/// One confirmed grant.
#[derive(Clone, Debug)]
pub struct Finding {
    pub action: String,
    pub resource: String,
    pub summary: String,
    /// A request in the `simulate --request` format.
    pub witness: Request,
}

/// The result of a check.
#[derive(Clone, Debug)]
pub struct Report {
    pub verdict: Verdict,
    /// The confirmed findings, one per action, at most `Options::max_findings`.
    pub findings: Vec<Finding>,
    /// Further confirmed findings not listed (over `Options::max_findings`).
    pub omitted: usize,
    pub reasons: Vec<String>,
}

/// Options shared by the checks.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// `Identity` (default) or `Resource` (statements with `Principal`).
    pub kind: PolicyType,
    /// Findings listed at most; the others are confirmed too, and counted in
    /// [`Report::omitted`].
    pub max_findings: usize,
}

/// Findings listed by default: a review reads a hundred lines, not thousands.
pub const DEFAULT_MAX_FINDINGS: usize = 100;

impl Default for Options {
    fn default() -> Self {
        Self {
            kind: PolicyType::Identity,
            max_findings: DEFAULT_MAX_FINDINGS,
        }
    }
}

/// The evaluation kind for a comparison: the given policy type, else inferred from the
/// policies (resource-based when any of them names a principal). Trust policies and RCPs are
/// evaluated as resource-based policies, the other types as identity-based ones.
#[must_use]
pub fn comparison_kind(given: Option<PolicyType>, policies: &[&Policy]) -> PolicyType {
    let ty = given.unwrap_or_else(|| {
        if policies
            .iter()
            .any(|p| iam_policy::infer_policy_type(p).0 != PolicyType::Identity)
        {
            PolicyType::Resource
        } else {
            PolicyType::Identity
        }
    });
    kind_of(ty)
}

/// The empty policy (what a file new since the base revision is compared with).
#[must_use]
pub fn empty_policy() -> Policy {
    Policy::default()
}

fn kind_of(kind: PolicyType) -> PolicyType {
    if kind.matches_principal() {
        PolicyType::Resource
    } else {
        PolicyType::Identity
    }
}

/// The note that counts confirmed findings beyond the listing limit (one of `reasons`).
#[must_use]
pub fn omitted_note(omitted: usize) -> String {
    format!(
        "and {omitted} more confirmed finding{} not listed (raise the limit to list them)",
        if omitted == 1 { "" } else { "s" }
    )
}

fn finish(out: engine::Outcome, describe: impl Fn(&engine::Hit) -> String) -> Report {
    let mut reasons = out.reasons;
    if out.omitted > 0 {
        reasons.push(omitted_note(out.omitted));
    }
    let verdict = if !out.hits.is_empty() || out.omitted > 0 {
        Verdict::Fail
    } else if out.unconfirmed || !reasons.is_empty() {
        Verdict::Unknown
    } else {
        Verdict::Pass
    };
    let findings = out
        .hits
        .iter()
        .map(|h| Finding {
            action: h.request.action.clone(),
            resource: h.request.resource.clone(),
            summary: describe(h),
            witness: h.request.clone(),
        })
        .collect();
    Report {
        verdict,
        findings,
        omitted: out.omitted,
        reasons,
    }
}

/// Does `new` allow any request that `old` does not?
#[must_use]
pub fn compare(old: &Policy, new: &Policy, options: &Options) -> Report {
    let query = Query {
        kind: kind_of(options.kind),
        inputs: vec![
            Input {
                policy: new,
                role: Role::Allows,
                name: "NEW".into(),
            },
            Input {
                policy: old,
                role: Role::DoesNotAllow,
                name: "OLD".into(),
            },
        ],
        untrusted: false,
        max_findings: options.max_findings,
    };
    finish(engine::run(&query), |h| {
        let new = h.verdicts.first();
        let old = h.verdicts.get(1);
        let by = new
            .and_then(|v| v.1.clone())
            .map_or_else(String::new, |s| format!(" by {s}"));
        let old_why = match old.and_then(|v| v.2.clone()) {
            Some(d) => format!("OLD denies it explicitly ({d})"),
            None => "OLD does not allow it".to_owned(),
        };
        format!(
            "NEW allows {} on {}{by}; {old_why}",
            h.request.action, h.request.resource
        )
    })
}

/// Can `policy` allow any of `actions` (on any of `resources`, or any resource when empty)?
#[must_use]
pub fn grants(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
    options: &Options,
) -> Report {
    let kind = kind_of(options.kind);
    let access = engine::access_policy(actions, resources, kind);
    let query = Query {
        kind,
        inputs: vec![
            Input {
                policy,
                role: Role::Allows,
                name: "POLICY".into(),
            },
            Input {
                policy: &access,
                role: Role::Allows,
                name: "ACCESS".into(),
            },
        ],
        untrusted: false,
        max_findings: options.max_findings,
    };
    finish(engine::run(&query), |h| {
        let by = h
            .verdicts
            .first()
            .and_then(|v| v.1.clone())
            .map_or_else(String::new, |s| format!(" by {s}"));
        format!("allows {} on {}{by}", h.request.action, h.request.resource)
    })
}

/// Does the resource-based `policy` allow a caller outside the owner's zone of trust (anonymous,
/// or a principal of another account whose identity keys it does not pin)?
#[must_use]
pub fn public(policy: &Policy, options: &Options) -> Report {
    let query = Query {
        kind: PolicyType::Resource,
        inputs: vec![Input {
            policy,
            role: Role::Allows,
            name: "POLICY".into(),
        }],
        untrusted: true,
        max_findings: options.max_findings,
    };
    finish(engine::run(&query), |h| {
        let who = h
            .request
            .principal
            .as_deref()
            .unwrap_or("an anonymous caller");
        let by = h
            .verdicts
            .first()
            .and_then(|v| v.1.clone())
            .map_or_else(String::new, |s| format!(" by {s}"));
        format!(
            "allows {who} to call {} on {}{by}",
            h.request.action, h.request.resource
        )
    })
}

/// A request as the `simulate --request` file format.
#[must_use]
pub fn request_json(r: &Request) -> Value {
    let mut o = Map::new();
    o.insert("action".into(), json!(r.action));
    o.insert("resource".into(), json!(r.resource));
    if let Some(p) = &r.principal {
        o.insert("principal".into(), json!(p));
    }
    if !r.context.is_empty() {
        let mut ctx = Map::new();
        for (k, v) in &r.context {
            ctx.insert(
                k.clone(),
                match v {
                    ContextValue::Single(s) => json!(s),
                    ContextValue::Multi(m) => json!(m),
                },
            );
        }
        o.insert("context".into(), Value::Object(ctx));
    }
    Value::Object(o)
}

impl Report {
    /// `{"result", "findings": [{"action", "resource", "summary", "witness"}], "reasons"}`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "result": self.verdict.as_str(),
            "findings": self.findings.iter().map(|f| json!({
                "action": f.action,
                "resource": f.resource,
                "summary": f.summary,
                "witness": request_json(&f.witness),
            })).collect::<Vec<_>>(),
            "reasons": self.reasons,
        })
    }
}
