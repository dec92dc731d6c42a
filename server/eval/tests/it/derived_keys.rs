//! Keys the evaluator derives from the request principal (docs/evaluation.md, "Keys derived from
//! the principal"): which ones and from what, explicit context winning, and `deriveKeys: false`
//! evaluating with exactly the context given.

use iam_eval::{
    Decision, PolicySet, PolicyType, Request, derived_keys, evaluate, run_sidecar_tests_checked,
};

const ALICE: &str = "arn:aws:iam::111122223333:user/division/alice";

fn owned(v: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    v.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

#[test]
fn the_derived_keys_and_where_they_come_from() {
    assert_eq!(
        owned(derived_keys(ALICE)),
        [
            pair("aws:PrincipalArn", ALICE),
            pair("aws:PrincipalAccount", "111122223333"),
            pair("aws:username", "alice"),
        ]
    );
    assert_eq!(
        owned(derived_keys(
            "arn:aws:sts::111122223333:assumed-role/Admin/session-1"
        )),
        [
            pair("aws:PrincipalArn", "arn:aws:iam::111122223333:role/Admin"),
            pair("aws:PrincipalAccount", "111122223333"),
        ]
    );
    assert_eq!(
        owned(derived_keys("AWS:arn:aws:iam::111122223333:role/app")),
        [
            pair("aws:PrincipalArn", "arn:aws:iam::111122223333:role/app"),
            pair("aws:PrincipalAccount", "111122223333"),
        ]
    );
    for nothing in [
        "ecs-tasks.amazonaws.com",
        "cognito-identity.amazonaws.com",
        "arn:aws:iam::111122223333:saml-provider/idp",
        "111122223333",
        "not an arn",
        "",
    ] {
        assert!(derived_keys(nothing).is_empty(), "{nothing}");
    }
}

/// `Allow s3:GetObject` on the caller's home prefix, only when `aws:username` is present.
const HOME: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::b/home/${aws:username}/*", "Condition": {"Null": {"aws:username": "false"}}}]}"#;

fn decide(request: &Request) -> Decision {
    let policy = iam_policy::parse_policy(HOME).policy;
    evaluate(
        &PolicySet::new().with(PolicyType::Identity, "home.json", &policy),
        request,
    )
    .decision
}

#[test]
fn explicit_context_wins_and_derivation_can_be_turned_off() {
    let own = Request::new("s3:GetObject", "arn:aws:s3:::b/home/alice/f").with_principal(ALICE);
    assert!(own.derive_keys, "derivation is on by default");
    assert_eq!(decide(&own), Decision::Allow);

    // An explicit value wins over the derived one.
    let bob = own.clone().with_context("aws:username", "bob");
    assert_eq!(decide(&bob), Decision::ImplicitDeny);
    let bob_home = Request::new("s3:GetObject", "arn:aws:s3:::b/home/bob/f")
        .with_principal(ALICE)
        .with_context("AWS:UserName", "bob");
    assert_eq!(decide(&bob_home), Decision::Allow);

    // Without derivation the key is absent: "what if aws:username is missing?".
    let mut exact = own.clone();
    exact.derive_keys = false;
    assert_eq!(decide(&exact), Decision::ImplicitDeny);
    // ... and what the context gives is still used.
    let exact_bob = Request {
        derive_keys: false,
        ..bob_home
    };
    assert_eq!(decide(&exact_bob), Decision::Allow);
}

#[test]
fn request_files_and_policy_tests_take_derive_keys() {
    let r = Request::from_json(
        r#"{"action": "s3:GetObject", "resource": "*", "principal": "arn:aws:iam::111122223333:user/alice", "deriveKeys": false}"#,
    )
    .expect("valid request");
    assert!(!r.derive_keys);
    let r = Request::from_json(r#"{"action": "s3:GetObject", "resource": "*"}"#).expect("valid");
    assert!(r.derive_keys);
    let e =
        Request::from_json(r#"{"action": "s3:GetObject", "resource": "*", "deriveKeys": "no"}"#)
            .expect_err("not a boolean");
    assert!(
        e.message.contains("`deriveKeys` must be true or false"),
        "{e}"
    );

    let tests = r#"[
  {"name": "derived", "request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/home/alice/f",
     "principal": "arn:aws:iam::111122223333:user/alice"}, "expect": "Allow"},
  {"name": "exact context", "request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/home/alice/f",
     "principal": "arn:aws:iam::111122223333:user/alice", "deriveKeys": false}, "expect": "ImplicitDeny"}
]"#;
    let out = run_sidecar_tests_checked(HOME, tests).expect("valid files");
    assert_eq!(out.len(), 2);
    for o in &out {
        assert!(o.passed(), "{}: {:?} {}", o.name, o.error, o.explanation);
    }
}
