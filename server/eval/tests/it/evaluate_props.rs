//! Property tests for the evaluator (S11, S12, S14): an unconditional `Deny *` on `*` never
//! allows; removing an Allow statement never turns a deny into an allow; evaluation never panics.

use iam_eval::{Decision, PolicySet, PolicyType, Request, evaluate};
use iam_policy::model::Policy;
use proptest::prelude::*;
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "S3:getobject",
    "ec2:?escribe*",
    "iam:*",
    "s3:GetObject?",
    "kms:*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b*",
    "arn:aws:s3:::b/home/${aws:username}/*",
    "arn:aws:ec2:*",
    "arn:aws:s3:::b/${*}",
    "arn:aws:kms:us-east-1:111122223333:key/*",
];
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("StringEquals", "aws:PrincipalTag/team", "eng"),
    (
        "StringNotEqualsIfExists",
        "aws:RequestedRegion",
        "us-east-1",
    ),
    ("ForAnyValue:StringLike", "aws:TagKeys", "env*"),
    ("ForAllValues:StringEquals", "aws:TagKeys", "env"),
    ("NumericLessThan", "s3:max-keys", "10"),
    ("DateGreaterThan", "aws:CurrentTime", "2024-01-01T00:00:00Z"),
    ("Bool", "aws:SecureTransport", "true"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:user/*"),
    ("Null", "aws:TagKeys", "false"),
    ("BinaryEqualsIfExists", "x:blob", "YQ=="),
];
const PRINCIPALS: &[&str] = &[
    "*",
    "arn:aws:iam::111122223333:user/alice",
    "111122223333",
    "arn:aws:iam::444455556666:root",
];
const REQ_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "ec2:DescribeInstances",
    "iam:CreateUser",
    "kms:Decrypt",
];
const REQ_RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::b/home/alice/x",
    "*",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    "arn:aws:kms:us-east-1:111122223333:key/k",
    "arn:aws:s3:::other",
];

fn statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::sample::subsequence(ACTIONS, 1..3),
        any::<bool>(),
        prop::sample::subsequence(RESOURCES, 1..3),
        any::<bool>(),
        prop::option::of(prop::sample::select(CONDITIONS)),
        prop::sample::select(PRINCIPALS),
    )
        .prop_map(
            move |(allow, actions, not_action, resources, not_resource, cond, principal)| {
                let mut s = json!({ "Effect": if allow { "Allow" } else { "Deny" } });
                s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
                s[if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                }] = json!(resources);
                if let Some((op, key, value)) = cond {
                    s["Condition"] = json!({ op: { key: value } });
                }
                if with_principal {
                    s["Principal"] = if principal == "*" {
                        json!("*")
                    } else {
                        json!({ "AWS": principal })
                    };
                }
                s
            },
        )
}

fn policy(with_principal: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(with_principal), 0..5)
        .prop_map(|statements| json!({ "Version": "2012-10-17", "Statement": statements }))
}

fn request() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(REQ_ACTIONS),
        prop::sample::select(REQ_RESOURCES),
        prop::option::of(prop::sample::select(&["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::444455556666:user/carol"][..])),
        prop::option::of(prop::sample::select(&["eng", "ops"][..])),
        prop::option::of(prop::collection::vec(prop::sample::select(&["env", "team", ""][..]), 0..3)),
        prop::option::of(prop::sample::select(&["10.1.2.3", "192.168.0.1", "::1", "bad"][..])),
    )
        .prop_map(|(action, resource, principal, team, tags, ip)| {
            let mut ctx = json!({});
            if let Some(t) = team {
                ctx["aws:PrincipalTag/team"] = json!(t);
            }
            if let Some(t) = tags {
                ctx["aws:TagKeys"] = json!(t);
            }
            if let Some(ip) = ip {
                ctx["aws:SourceIp"] = json!(ip);
            }
            json!({ "action": action, "resource": resource, "principal": principal, "context": ctx })
        })
}

fn parse(doc: &Value) -> Policy {
    iam_policy::parse_policy(&doc.to_string()).policy
}

#[derive(Clone, Debug)]
struct Docs {
    identity: Value,
    resource: Option<Value>,
    boundary: Option<Value>,
}

fn decide(docs: &Docs, req: &Request) -> Decision {
    let identity = parse(&docs.identity);
    let resource = docs.resource.as_ref().map(parse);
    let boundary = docs.boundary.as_ref().map(parse);
    let mut set = PolicySet::new().with(PolicyType::Identity, "identity", &identity);
    if let Some(r) = &resource {
        set.push(PolicyType::Resource, "resource", r);
    }
    if let Some(b) = &boundary {
        set.push(PolicyType::Boundary, "boundary", b);
    }
    evaluate(&set, req).decision
}

fn docs() -> impl Strategy<Value = Docs> {
    (
        policy(false),
        prop::option::of(policy(true)),
        prop::option::of(policy(false)),
    )
        .prop_map(|(identity, resource, boundary)| Docs {
            identity,
            resource,
            boundary,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// S11/S12: an unconditional `Deny *` on `*` anywhere in the identity policy never allows.
    #[test]
    fn s12_deny_star_never_allows(mut d in docs(), req in request(), at in 0usize..6) {
        let req = Request::from_json_value(&req).expect("valid request");
        let statements = d.identity["Statement"].as_array_mut().expect("array");
        let at = at.min(statements.len());
        statements.insert(at, json!({ "Effect": "Deny", "Action": "*", "Resource": "*" }));
        prop_assert_eq!(decide(&d, &req), Decision::ExplicitDeny);
    }

    /// S11/S14: removing an Allow statement (from any policy) never turns a deny into an allow.
    #[test]
    fn s11_removing_allow_is_monotonic(d in docs(), req in request(), which in 0usize..3, idx in 0usize..5) {
        let req = Request::from_json_value(&req).expect("valid request");
        let before = decide(&d, &req);
        let mut after_docs = Docs { identity: d.identity.clone(), resource: d.resource.clone(), boundary: d.boundary.clone() };
        let target = match which {
            0 => Some(&mut after_docs.identity),
            1 => after_docs.resource.as_mut(),
            _ => after_docs.boundary.as_mut(),
        };
        if let Some(doc) = target {
            let statements = doc["Statement"].as_array_mut().expect("array");
            if let Some(pos) = statements.iter().enumerate().filter(|(_, s)| s["Effect"] == "Allow").map(|(i, _)| i).nth(idx % statements.len().max(1)) {
                statements.remove(pos);
            }
        }
        let after = decide(&after_docs, &req);
        if before != Decision::Allow {
            prop_assert_ne!(after, Decision::Allow);
        }
    }

    /// Evaluation never panics on arbitrary text the parser accepts (or recovers from).
    #[test]
    fn never_panics_on_arbitrary_text(text in "[\\[\\]{}:,\" a-zA-Z0-9*?$/._-]{0,200}", req in request()) {
        let req = Request::from_json_value(&req).expect("valid request");
        let p = iam_policy::parse_policy(&text).policy;
        for kind in PolicyType::ALL {
            let _ = evaluate(&PolicySet::new().with(kind, "p", &p), &req);
        }
    }

    /// ... and on structurally valid policies with arbitrary strings in every slot.
    #[test]
    fn never_panics_on_arbitrary_values(
        action in ".{0,20}", resource in ".{0,40}", op in ".{0,30}", key in ".{0,20}",
        value in ".{0,30}", principal in ".{0,30}", req_action in ".{0,20}", req_resource in ".{0,40}", ctx in ".{0,30}",
    ) {
        let doc = json!({ "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": action, "Resource": [resource.clone(), "*"], "NotResource": resource,
            "Principal": { "AWS": principal.clone() }, "Condition": { op.clone(): { key.clone(): [value.clone(), 5, true] } }
        }, {
            "Effect": "Deny", "NotAction": "x:*", "Resource": "*", "NotPrincipal": { "AWS": principal },
            "Condition": { format!("ForAllValues:{op}"): { key.clone(): value.clone() }, "StringLikeIfExists": { key.clone(): value } }
        }]});
        let p = parse(&doc);
        let mut r = Request::new(req_action, req_resource);
        r.push_context(key.clone(), ctx.clone());
        r.push_context(key, ctx.clone());
        r.principal = Some(ctx);
        for kind in PolicyType::ALL {
            let e = evaluate(&PolicySet::new().with(kind, "p", &p), &r);
            let _ = e.render_text();
            let _ = e.to_json();
        }
    }
}
