//! H001 (statement contained in another) on cases that each path of the check decides: the
//! quick refutation by concrete instances, the quick pattern-in-pattern proof, and the exact
//! partition for the pairs the quick tests leave (a pattern covered only by a union).

use iam_validate::config::Config;
use iam_validate::{Options, PolicyType, analyze_with_config};

fn h001(statements: &str) -> Vec<String> {
    let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#);
    let options = Options {
        policy_type: Some(PolicyType::Identity),
        ..Options::default()
    };
    let mut out: Vec<String> = analyze_with_config(&text, &options, &Config::default(), &[])
        .diagnostics
        .iter()
        .filter(|d| d.code() == "H001")
        .map(|d| d.message.clone())
        .collect();
    out.sort();
    out
}

#[test]
fn contained_statements_by_each_path() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "pattern inside pattern",
            r#"{"Sid": "W", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"},
               {"Sid": "N", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/x/*"}"#,
            &[
                "statement `N` allows nothing that statement `W` does not already allow: remove it, or narrow statement `W`",
            ],
        ),
        (
            "instance refused: wider resource",
            r#"{"Sid": "W", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/x/*"},
               {"Sid": "N", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
            &[],
        ),
        (
            "union of two patterns covers one (partition)",
            r#"{"Sid": "U", "Effect": "Allow", "Action": ["s3:Get", "s3:Get?*"], "Resource": "*"},
               {"Sid": "P", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}"#,
            &["statement `P` allows exactly what statement `U` allows: remove one of them"],
        ),
        (
            "instances covered, a longer name is not (partition)",
            r#"{"Sid": "U", "Effect": "Allow", "Action": ["s3:Get", "s3:Get~*"], "Resource": "*"},
               {"Sid": "P", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}"#,
            &[
                "statement `U` allows nothing that statement `P` does not already allow: remove it, or narrow statement `P`",
            ],
        ),
        (
            "resource union (partition)",
            r#"{"Sid": "U", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/", "arn:aws:s3:::b/?*"]},
               {"Sid": "P", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
            &["statement `P` allows exactly what statement `U` allows: remove one of them"],
        ),
        (
            "NotAction: denies everything but s3 inside everything but s3:Get*",
            r#"{"Sid": "A", "Effect": "Deny", "NotAction": "s3:*", "Resource": "*"},
               {"Sid": "B", "Effect": "Deny", "NotAction": "s3:Get*", "Resource": "*"}"#,
            &[
                "statement `A` denies nothing that statement `B` does not already deny: remove it, or narrow statement `B`",
            ],
        ),
        (
            "condition only on the container",
            r#"{"Sid": "W", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
               {"Sid": "N", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
            &[],
        ),
        (
            "narrower condition on the contained one",
            r#"{"Sid": "W", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/team": "a*"}}},
               {"Sid": "N", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ab"}}}"#,
            &[
                "statement `N` allows nothing that statement `W` does not already allow: remove it, or narrow statement `W`",
            ],
        ),
    ];
    for (name, statements, want) in cases {
        assert_eq!(h001(statements), *want, "{name}");
    }
}
