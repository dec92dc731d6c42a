//! Property tests against the evaluator: for random pairs of small policies, a `pass` from
//! `compare` means no random request is allowed by NEW and not by OLD, and a `fail` comes with
//! witnesses that hold. The same for `grants` and `public`.
#![allow(clippy::unwrap_used)]

use iam_compare::{Options, Verdict, compare, grants, public};
use iam_eval::{ContextValue, PolicySet, PolicyType, Request, evaluate};
use iam_policy::model::Policy;
use proptest::prelude::*;
use proptest::sample::select;

const ACTION_PATTERNS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "s3:?utObject",
    "s3:*Object",
    "iam:PassRole",
    "ec2:*Instances",
    "*:Get*",
    "S3:getobject",
];
const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:GetObjectAcl",
    "s3:GetZzzNew",
    "iam:PassRole",
    "iam:GetUser",
    "ec2:RunInstances",
    "ec2:DescribeInstances",
    "sqs:SendMessage",
];
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b*",
    "arn:aws:s3:::c/x",
    "arn:aws:s3:::b/a?",
    "arn:aws:s3:::*/x",
    "arn:aws:sqs:*:1:q",
    "arn:*:s3:::c/*",
];
const RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b2",
    "arn:aws:s3:::c/x",
    "arn:aws:s3:::b/ab",
    "arn:aws:s3:::b/a",
    "arn:aws:s3:::d/x",
    "*",
    "arn:aws:s3:::b/a/x",
    "arn:aws:sqs:us-east-1:1:q",
    "arn:aws-cn:s3:::c/y",
];
const CONDITIONS: &[&str] = &[
    r#""StringEquals": {"k:s": "a"}"#,
    r#""StringNotEquals": {"k:s": ["a", "b"]}"#,
    r#""StringLike": {"k:s": "a*"}"#,
    r#""StringEqualsIfExists": {"k:s": "b"}"#,
    r#""StringNotLikeIfExists": {"k:s": "*b"}"#,
    r#""StringEqualsIgnoreCase": {"k:s": "A"}"#,
    r#""Null": {"k:s": "true"}"#,
    r#""Null": {"k:s": "false"}"#,
    r#""NumericLessThan": {"k:n": "5"}"#,
    r#""NumericGreaterThanEquals": {"k:n": "5"}"#,
    r#""NumericNotEquals": {"k:n": "10"}"#,
    r#""IpAddress": {"aws:SourceIp": "10.0.0.0/8"}"#,
    r#""NotIpAddress": {"aws:SourceIp": "10.1.0.0/16"}"#,
    r#""Bool": {"aws:SecureTransport": "true"}"#,
    r#""BoolIfExists": {"aws:SecureTransport": "false"}"#,
    r#""ForAnyValue:StringEquals": {"aws:TagKeys": "a"}"#,
    r#""ForAllValues:StringLike": {"aws:TagKeys": ["a", "b*"]}"#,
    r#""DateGreaterThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}"#,
    r#""StringEquals": {"aws:PrincipalOrgID": "o-1"}"#,
    r#""StringNotEquals": {"aws:PrincipalAccount": "111122223333"}"#,
];
const PRINCIPALS: &[&str] = &[
    r#""Principal": "*""#,
    r#""Principal": {"AWS": "111122223333"}"#,
    r#""Principal": {"AWS": "arn:aws:iam::111122223333:role/R"}"#,
    r#""Principal": {"Service": "glue.amazonaws.com"}"#,
    r#""NotPrincipal": {"AWS": "111122223333"}"#,
];
const REQUEST_PRINCIPALS: &[Option<&str>] = &[
    None,
    Some("arn:aws:iam::111122223333:user/u"),
    Some("arn:aws:sts::111122223333:assumed-role/R/s"),
    Some("arn:aws:iam::444455556666:user/x"),
    Some("Service:glue.amazonaws.com"),
];

#[derive(Clone, Debug)]
struct Stmt {
    deny: bool,
    not_action: bool,
    actions: Vec<&'static str>,
    not_resource: bool,
    resources: Vec<&'static str>,
    conditions: Vec<&'static str>,
    principal: &'static str,
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::collection::vec(select(ACTION_PATTERNS), 1..3),
        prop::bool::weighted(0.2),
        prop::collection::vec(select(RESOURCE_PATTERNS), 1..3),
        prop::collection::vec(select(CONDITIONS), 0..3),
        select(PRINCIPALS),
    )
        .prop_map(
            |(deny, not_action, actions, not_resource, resources, conditions, principal)| Stmt {
                deny,
                not_action,
                actions,
                not_resource,
                resources,
                conditions,
                principal,
            },
        )
}

fn render(stmts: &[Stmt], principals: bool) -> Policy {
    let body: Vec<String> = stmts
        .iter()
        .map(|s| {
            let q = |v: &[&str]| {
                format!(
                    "[{}]",
                    v.iter()
                        .map(|x| format!("{x:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            // Several operators may repeat a name: merge them per operator by keeping the first.
            let mut seen = Vec::new();
            let conds: Vec<&str> = s
                .conditions
                .iter()
                .copied()
                .filter(|c| {
                    let op = c.split(':').next().unwrap_or("");
                    let fresh = !seen.contains(&op);
                    seen.push(op);
                    fresh
                })
                .collect();
            let cond = if conds.is_empty() {
                String::new()
            } else {
                format!(r#", "Condition": {{{}}}"#, conds.join(", "))
            };
            let principal = if principals {
                format!(", {}", s.principal)
            } else {
                String::new()
            };
            format!(
                r#"{{"Effect": "{}", "{}": {}, "{}": {}{principal}{cond}}}"#,
                if s.deny { "Deny" } else { "Allow" },
                if s.not_action { "NotAction" } else { "Action" },
                q(&s.actions),
                if s.not_resource {
                    "NotResource"
                } else {
                    "Resource"
                },
                q(&s.resources),
            )
        })
        .collect();
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        body.join(", ")
    );
    let p = iam_policy::parse_policy(&text);
    assert!(p.parse.errors().is_empty(), "{text}");
    p.policy
}

#[derive(Clone, Debug)]
struct Req {
    action: &'static str,
    resource: &'static str,
    principal: Option<&'static str>,
    s: Option<&'static str>,
    n: Option<&'static str>,
    ip: Option<&'static str>,
    secure: Option<&'static str>,
    tags: Option<Vec<&'static str>>,
    time: Option<&'static str>,
    org: Option<&'static str>,
}

fn req() -> impl Strategy<Value = Req> {
    (
        select(ACTIONS),
        select(RESOURCES),
        select(REQUEST_PRINCIPALS),
        prop::option::of(select(&["a", "b", "ab", "A", "x", "", "ba"][..])),
        prop::option::of(select(&["3", "5", "7", "10", "12.5", "x"][..])),
        prop::option::of(select(&["10.1.2.3", "10.2.0.1", "11.0.0.1", "::1"][..])),
        prop::option::of(select(&["true", "false"][..])),
        prop::option::of(prop::collection::vec(
            select(&["a", "b", "bc", "c", ""][..]),
            0..3,
        )),
        prop::option::of(select(
            &[
                "2024-06-01T00:00:00Z",
                "2025-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ][..],
        )),
        prop::option::of(select(&["o-1", "o-2"][..])),
    )
        .prop_map(
            |(action, resource, principal, s, n, ip, secure, tags, time, org)| Req {
                action,
                resource,
                principal,
                s,
                n,
                ip,
                secure,
                tags,
                time,
                org,
            },
        )
}

fn request(r: &Req) -> Request {
    let mut q = Request::new(r.action, r.resource);
    q.principal = r.principal.map(str::to_owned);
    for (k, v) in [
        ("k:s", r.s),
        ("k:n", r.n),
        ("aws:SourceIp", r.ip),
        ("aws:SecureTransport", r.secure),
        ("aws:CurrentTime", r.time),
        ("aws:PrincipalOrgID", r.org),
    ] {
        if let Some(v) = v {
            q.set_context(k.into(), ContextValue::Single(v.into()));
        }
    }
    if let Some(t) = &r.tags {
        q.set_context(
            "aws:TagKeys".into(),
            ContextValue::Multi(t.iter().map(|s| (*s).to_owned()).collect()),
        );
    }
    q
}

fn allowed(kind: PolicyType, p: &Policy, r: &Request) -> bool {
    let ev = evaluate(&PolicySet::new().with(kind, "p", p), r);
    ev.policies[0].allows && !ev.policies[0].denies
}

fn kind(resource: bool) -> PolicyType {
    if resource {
        PolicyType::Resource
    } else {
        PolicyType::Identity
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn compare_agrees_with_the_evaluator(
        old in prop::collection::vec(stmt(), 1..4),
        new in prop::collection::vec(stmt(), 1..4),
        resource_kind in prop::bool::weighted(0.3),
        requests in prop::collection::vec(req(), 400),
    ) {
        let k = kind(resource_kind);
        let (o, n) = (render(&old, resource_kind), render(&new, resource_kind));
        let report = compare(&o, &n, &Options { kind: k, ..Options::default() });
        match report.verdict {
            Verdict::Pass => {
                for r in &requests {
                    let q = request(r);
                    prop_assert!(
                        !allowed(k, &n, &q) || allowed(k, &o, &q),
                        "pass, but NEW allows and OLD does not: {q:?}"
                    );
                }
            }
            Verdict::Fail => {
                prop_assert!(!report.findings.is_empty());
                for f in &report.findings {
                    prop_assert!(allowed(k, &n, &f.witness) && !allowed(k, &o, &f.witness));
                }
            }
            Verdict::Unknown => {}
        }
        // A policy compared with itself never grants anything new.
        prop_assert_eq!(compare(&n, &n, &Options { kind: k, ..Options::default() }).verdict, Verdict::Pass);
    }

    #[test]
    fn grants_agrees_with_the_evaluator(
        p in prop::collection::vec(stmt(), 1..4),
        actions in prop::collection::vec(select(ACTION_PATTERNS), 1..3),
        resources in prop::collection::vec(select(RESOURCE_PATTERNS), 0..2),
        requests in prop::collection::vec(req(), 300),
    ) {
        let pol = render(&p, false);
        let a: Vec<String> = actions.iter().map(|s| (*s).to_owned()).collect();
        let rs: Vec<String> = resources.iter().map(|s| (*s).to_owned()).collect();
        let report = grants(&pol, &a, &rs, &Options::default());
        let access = iam_compare::engine::access_policy(&a, &rs, PolicyType::Identity);
        match report.verdict {
            Verdict::Pass => {
                for r in &requests {
                    let q = request(r);
                    prop_assert!(
                        !(allowed(PolicyType::Identity, &pol, &q) && allowed(PolicyType::Identity, &access, &q)),
                        "pass, but the policy grants {q:?}"
                    );
                }
            }
            Verdict::Fail => {
                for f in &report.findings {
                    prop_assert!(allowed(PolicyType::Identity, &pol, &f.witness));
                    prop_assert!(allowed(PolicyType::Identity, &access, &f.witness));
                }
            }
            Verdict::Unknown => {}
        }
    }

    #[test]
    fn public_agrees_with_the_evaluator(
        p in prop::collection::vec(stmt(), 1..4),
        requests in prop::collection::vec(req(), 300),
    ) {
        let pol = render(&p, true);
        let report = public(&pol, &Options::default());
        match report.verdict {
            Verdict::Pass => {
                // Anonymous callers without identity keys are never allowed.
                for r in &requests {
                    let mut r = r.clone();
                    r.principal = None;
                    r.org = None;
                    r.ip = None;
                    let q = request(&r);
                    prop_assert!(!allowed(PolicyType::Resource, &pol, &q), "pass, but allows {q:?}");
                }
            }
            Verdict::Fail => {
                for f in &report.findings {
                    prop_assert!(allowed(PolicyType::Resource, &pol, &f.witness));
                    let p = f.witness.principal.as_deref();
                    prop_assert!(p.is_none() || p.is_some_and(|p| !p.contains("111122223333")));
                }
            }
            Verdict::Unknown => {}
        }
    }
}
