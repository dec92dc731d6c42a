//! The tricky cases: each row is a comparison (or `grants` / `public` check) with the answer
//! AWS's documented semantics give. Every `fail` must come with a witness the evaluator
//! confirms (checked again here).
#![allow(clippy::unwrap_used)]

use iam_compare::{Options, Report, Verdict, compare, grants, public};
use iam_eval::{PolicySet, PolicyType, evaluate};
use iam_policy::model::Policy;

fn policy(statements: &str) -> Policy {
    let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#);
    let p = iam_policy::parse_policy(&text);
    assert!(p.parse.errors().is_empty(), "bad test policy: {text}");
    p.policy
}

fn allowed(kind: PolicyType, p: &Policy, r: &iam_eval::Request) -> bool {
    let ev = evaluate(&PolicySet::new().with(kind, "p", p), r);
    let res = &ev.policies[0];
    res.allows && !res.denies
}

fn kind(resource: bool) -> Options {
    Options {
        kind: if resource {
            PolicyType::Resource
        } else {
            PolicyType::Identity
        },
        ..Options::default()
    }
}

fn check_compare(name: &str, old: &str, new: &str, resource: bool, want: Verdict) {
    let (o, n) = (policy(old), policy(new));
    let opts = kind(resource);
    let r = compare(&o, &n, &opts);
    assert_eq!(r.verdict, want, "{name}: {:#}", r.to_json());
    for f in &r.findings {
        assert!(
            allowed(opts.kind, &n, &f.witness),
            "{name}: NEW must allow {f:?}"
        );
        assert!(
            !allowed(opts.kind, &o, &f.witness),
            "{name}: OLD must not allow {f:?}"
        );
    }
}

const ALLOW_ALL: &str = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#;

fn allow(action: &str, extra: &str) -> String {
    format!(r#"{{"Effect": "Allow", "Action": {action}, "Resource": "*"{extra}}}"#)
}

fn cond(c: &str) -> String {
    format!(r#", "Condition": {c}"#)
}

#[test]
fn actions() {
    use Verdict::{Fail, Pass};
    let t1 = allow(r#""iam:*AccessKey*""#, "");
    let rows: Vec<(&str, String, String, Verdict)> = vec![
        ("T1 mid-name wildcard", t1.clone(), allow(r#"["iam:CreateAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"]"#, ""), Pass),
        ("T2 wider wildcard", t1.clone(), allow(r#""iam:*Key*""#, ""), Fail),
        ("T3 ? vs *", allow(r#""ec2:Describe*""#, ""), allow(r#""ec2:Describe?nstances""#, ""), Pass),
        ("T3b", allow(r#""ec2:Describe*""#, ""), allow(r#""ec2:*Instances""#, ""), Fail),
        ("T4 case-insensitive", allow(r#""s3:GetObject""#, ""), allow(r#""S3:GETOBJECT""#, ""), Pass),
        ("T5 open world", allow(r#"["s3:GetObject", "s3:GetObjectAcl"]"#, ""), allow(r#""s3:GetObject*""#, ""), Fail),
        ("T6 NotAction narrows", r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#.into(), allow(r#""sts:AssumeRole""#, ""), Pass),
        ("T6b", r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#.into(), allow(r#""iam:PassRole""#, ""), Fail),
        ("T6c", r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#.into(), r#"{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}"#.into(), Pass),
        ("T7 Deny NotAction", format!(r#"{ALLOW_ALL}, {{"Effect": "Deny", "NotAction": ["s3:*", "kms:Decrypt"], "Resource": "*"}}"#), allow(r#"["s3:GetObject", "kms:Decrypt"]"#, ""), Pass),
        ("T7b", format!(r#"{ALLOW_ALL}, {{"Effect": "Deny", "NotAction": ["s3:*", "kms:Decrypt"], "Resource": "*"}}"#), allow(r#""kms:*""#, ""), Fail),
        ("T8 deny inside NEW", r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#.into(), r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}, {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}"#.into(), Pass),
        ("reordered lists", allow(r#"["s3:GetObject", "s3:PutObject"]"#, ""), allow(r#"["s3:PutObject", "s3:GetObject"]"#, ""), Pass),
        ("statements split", allow(r#"["s3:GetObject", "s3:PutObject"]"#, ""), format!("{}, {}", allow(r#""s3:PutObject""#, ""), allow(r#""s3:GetObject""#, "")), Pass),
        ("statements merged", format!("{}, {}", allow(r#""s3:PutObject""#, ""), allow(r#""s3:GetObject""#, "")), allow(r#"["s3:GetObject", "s3:PutObject"]"#, ""), Pass),
    ];
    for (name, old, new, want) in rows {
        check_compare(name, &old, &new, false, want);
    }
}

fn res(r: &str) -> String {
    format!(r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {r}}}"#)
}

#[test]
fn resources() {
    use Verdict::{Fail, Pass};
    let rows: Vec<(&str, String, String, Verdict)> = vec![
        (
            "T9 case-sensitive",
            res(r#""arn:aws:s3:::Bucket/*""#),
            res(r#""arn:aws:s3:::bucket/*""#),
            Fail,
        ),
        (
            "T10",
            res(r#""arn:aws:s3:::bucket*""#),
            res(r#""arn:aws:s3:::bucket/*""#),
            Pass,
        ),
        (
            "T10b",
            res(r#""arn:aws:s3:::bucket/*""#),
            res(r#""arn:aws:s3:::bucket*""#),
            Fail,
        ),
        (
            "T11 trailing star",
            res(r#""arn:aws:sqs:*:111122223333:*""#),
            res(r#""arn:aws:sqs:us-east-1:*""#),
            Fail,
        ),
        (
            "T11b",
            res(r#""arn:aws:sqs:*:111122223333:*""#),
            res(r#""arn:aws:sqs:us-east-1:111122223333:*""#),
            Pass,
        ),
        (
            "T12 wildcard account",
            res(r#""arn:aws:iam::111122223333:role/*""#),
            res(r#""arn:aws:iam::*:role/admin""#),
            Fail,
        ),
        (
            "T12b",
            res(r#""arn:aws:iam::*:role/admin""#),
            res(r#""arn:aws:iam::111122223333:role/*""#),
            Fail,
        ),
        (
            "T13 NotResource",
            r#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret*"}"#
                .into(),
            res(r#""arn:aws:s3:::se*""#),
            Fail,
        ),
        (
            "T13b",
            r#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret*"}"#
                .into(),
            res(r#""arn:aws:s3:::sf*""#),
            Pass,
        ),
        (
            "T14 union",
            res(r#"["arn:aws:s3:::logs/?*", "arn:aws:s3:::logs/"]"#),
            res(r#""arn:aws:s3:::logs/*""#),
            Pass,
        ),
        (
            "T15 separators stay",
            res(r#""arn:aws:s3:::b/*/public/*""#),
            res(r#""arn:aws:s3:::b/public/*""#),
            Fail,
        ),
        (
            "T15b",
            res(r#""arn:aws:s3:::b/*/public/*""#),
            res(r#""arn:aws:s3:::b/x/public/*""#),
            Pass,
        ),
        (
            "T16 ? lengths",
            res(r#""arn:aws:s3:::b/?*""#),
            res(r#""arn:aws:s3:::b/*""#),
            Fail,
        ),
        (
            "T16b",
            res(r#""arn:aws:s3:::b/??""#),
            res(r#""arn:aws:s3:::b/a?""#),
            Pass,
        ),
    ];
    for (name, old, new, want) in rows {
        check_compare(name, &old, &new, false, want);
    }
}

fn trust(principal: &str, extra: &str) -> String {
    format!(r#"{{"Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"{extra}}}"#)
}

#[test]
fn principals() {
    use Verdict::{Fail, Pass};
    let acct = trust(r#"{"AWS": "111111111111"}"#, "");
    let rows: Vec<(&str, String, String, Verdict)> = vec![
        ("T17 account covers role", acct.clone(), trust(r#"{"AWS": "arn:aws:iam::111111111111:role/MyRole"}"#, ""), Pass),
        ("T17b", trust(r#"{"AWS": "arn:aws:iam::111111111111:role/MyRole"}"#, ""), acct.clone(), Fail),
        ("T18 service", acct.clone(), trust(r#"{"Service": "glue.amazonaws.com"}"#, ""), Fail),
        ("T18b other account", acct.clone(), trust(r#"{"AWS": "333333333333"}"#, ""), Fail),
        ("T19 NotPrincipal", r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}"#.into(), r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "222233334444"}, "Action": "s3:GetObject", "Resource": "*"}"#.into(), Fail),
    ];
    for (name, old, new, want) in rows {
        check_compare(name, &old, &new, true, want);
    }
}

#[test]
fn conditions() {
    use Verdict::{Fail, Pass};
    let deny = |c: &str| {
        format!(
            r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {c}}}"#
        )
    };
    let rows: Vec<(&str, String, String, Verdict)> = vec![
        (
            "T21 negated op on missing key",
            deny(r#"{"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}"#),
            deny(r#"{"Null": {"aws:PrincipalOrgID": "false"}}"#),
            Fail,
        ),
        (
            "T22 NotIfExists redundant",
            deny(r#"{"StringNotEqualsIfExists": {"k:x": "v"}}"#),
            deny(r#"{"StringNotEquals": {"k:x": "v"}}"#),
            Pass,
        ),
        (
            "T22b",
            deny(r#"{"StringNotEquals": {"k:x": "v"}}"#),
            deny(r#"{"StringNotEqualsIfExists": {"k:x": "v"}}"#),
            Pass,
        ),
        (
            "T23 IfExists widens",
            allow(
                r#""s3:*""#,
                &cond(r#"{"StringEquals": {"aws:SourceVpce": "vpce-1"}}"#),
            ),
            allow(
                r#""s3:*""#,
                &cond(r#"{"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}"#),
            ),
            Fail,
        ),
        (
            "T24 BoolIfExists in Deny",
            deny(r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}"#),
            deny(r#"{"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#),
            Fail,
        ),
        (
            "T24b",
            deny(r#"{"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#),
            deny(r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}"#),
            Pass,
        ),
        (
            "T25 ForAll vs ForAny",
            allow(
                r#""ec2:CreateTags""#,
                &cond(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}}"#),
            ),
            allow(
                r#""ec2:CreateTags""#,
                &cond(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": "env"}}"#),
            ),
            Fail,
        ),
        (
            "T25b",
            allow(
                r#""ec2:CreateTags""#,
                &cond(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": "env"}}"#),
            ),
            allow(
                r#""ec2:CreateTags""#,
                &cond(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}}"#),
            ),
            Fail,
        ),
        (
            "T26",
            allow(
                r#""*""#,
                &cond(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b", "c"]}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#),
            ),
            Pass,
        ),
        (
            "T26b",
            allow(
                r#""*""#,
                &cond(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#),
            ),
            Fail,
        ),
        (
            "T27 Null",
            allow(
                r#""*""#,
                &cond(r#"{"Null": {"aws:TokenIssueTime": "false"}}"#),
            ),
            ALLOW_ALL.into(),
            Fail,
        ),
        (
            "T28 tag deny",
            format!(
                r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {{"Null": {{"aws:RequestTag/k": "true"}}}}}}"#
            ),
            format!(
                r#"{}, {{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {{"StringNotEquals": {{"aws:RequestTag/k": "v"}}}}}}"#,
                allow(r#""ec2:RunInstances""#, "")
            ),
            Pass,
        ),
        (
            "T28b",
            format!(
                r#"{ALLOW_ALL}, {{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {{"Null": {{"aws:RequestTag/k": "true"}}}}}}"#
            ),
            allow(r#""ec2:*""#, ""),
            Fail,
        ),
        (
            "T29 CIDR containment",
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}"#),
            ),
            Pass,
        ),
        (
            "T29b",
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/7"}}"#),
            ),
            Fail,
        ),
        (
            "T29c",
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/9", "10.128.0.0/9"]}}"#),
            ),
            Pass,
        ),
        (
            "T30 IPv4-only allowlist",
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#),
            ),
            ALLOW_ALL.into(),
            Fail,
        ),
        (
            "T31 NotIpAddress deny",
            deny(r#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#),
            allow(
                r#""*""#,
                &cond(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/25"}}"#),
            ),
            Pass,
        ),
        (
            "T31b",
            deny(r#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#),
            allow(
                r#""*""#,
                &cond(r#"{"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}"#),
            ),
            Fail,
        ),
        (
            "T32 date boundary",
            allow(
                r#""*""#,
                &cond(r#"{"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"DateLessThanEquals": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}"#),
            ),
            Fail,
        ),
        (
            "T32b epoch form",
            allow(
                r#""*""#,
                &cond(r#"{"DateLessThan": {"aws:CurrentTime": "2025-01-01T00:00:00Z"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"DateLessThan": {"aws:CurrentTime": "1735689600"}}"#),
            ),
            Pass,
        ),
        (
            "T33 decimals",
            allow(
                r#""*""#,
                &cond(r#"{"NumericLessThanEquals": {"s3:max-keys": "10"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"NumericLessThan": {"s3:max-keys": "11"}}"#),
            ),
            Fail,
        ),
        (
            "T34 NotEquals punches a point",
            allow(r#""*""#, &cond(r#"{"NumericGreaterThan": {"k:n": "5"}}"#)),
            allow(
                r#""*""#,
                &cond(
                    r#"{"NumericGreaterThanEquals": {"k:n": "5"}, "NumericNotEquals": {"k:n": "5"}}"#,
                ),
            ),
            Pass,
        ),
        (
            "T35 literal star",
            allow(
                r#""*""#,
                &cond(r#"{"StringEquals": {"s3:prefix": "home/*"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"StringLike": {"s3:prefix": "home/*"}}"#),
            ),
            Fail,
        ),
        (
            "T35b",
            allow(
                r#""*""#,
                &cond(r#"{"StringLike": {"s3:prefix": "home/*"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"StringEquals": {"s3:prefix": "home/*"}}"#),
            ),
            Pass,
        ),
        (
            "T36 IgnoreCase",
            allow(
                r#""*""#,
                &cond(r#"{"StringEqualsIgnoreCase": {"aws:username": "alice"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"StringEquals": {"aws:username": "Alice"}}"#),
            ),
            Pass,
        ),
        (
            "T36b",
            allow(
                r#""*""#,
                &cond(r#"{"StringEquals": {"aws:username": "Alice"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"StringEqualsIgnoreCase": {"aws:username": "alice"}}"#),
            ),
            Fail,
        ),
        (
            "T37 negated list is NOR",
            allow(
                r#""*""#,
                &cond(r#"{"StringNotEquals": {"k:s": ["x", "y"]}}"#),
            ),
            allow(r#""*""#, &cond(r#"{"StringNotEquals": {"k:s": "x"}}"#)),
            Fail,
        ),
        (
            "T37b",
            allow(r#""*""#, &cond(r#"{"StringNotEquals": {"k:s": "x"}}"#)),
            allow(
                r#""*""#,
                &cond(r#"{"StringNotEquals": {"k:s": ["x", "y"]}}"#),
            ),
            Pass,
        ),
        (
            "T38 values split",
            allow(
                r#""*""#,
                &cond(r#"{"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}"#),
            ),
            format!(
                "{}, {}",
                allow(
                    r#""*""#,
                    &cond(r#"{"StringEquals": {"aws:PrincipalTag/team": "a"}}"#)
                ),
                allow(
                    r#""*""#,
                    &cond(r#"{"StringEquals": {"aws:PrincipalTag/team": "b"}}"#)
                )
            ),
            Pass,
        ),
        (
            "T38b",
            allow(
                r#""*""#,
                &cond(r#"{"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}"#),
            ),
            allow(
                r#""*""#,
                &cond(
                    r#"{"StringEquals": {"aws:PrincipalTag/team": "a", "aws:PrincipalTag/env": "prod"}}"#,
                ),
            ),
            Pass,
        ),
        (
            "ArnLike",
            allow(
                r#""*""#,
                &cond(r#"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::b*"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::b1"}}"#),
            ),
            Pass,
        ),
        (
            "ArnLike b",
            allow(
                r#""*""#,
                &cond(r#"{"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::b1"}}"#),
            ),
            allow(
                r#""*""#,
                &cond(r#"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::b*"}}"#),
            ),
            Fail,
        ),
    ];
    for (name, old, new, want) in rows {
        check_compare(name, &old, &new, false, want);
    }
}

#[test]
fn variables() {
    use Verdict::{Fail, Pass, Unknown};
    let home = res(r#""arn:aws:s3:::home/${aws:username}/*""#);
    let rows: Vec<(&str, String, String, Verdict)> = vec![
        ("T39", home.clone(), res(r#""arn:aws:s3:::home/*""#), Fail),
        (
            "T39b",
            res(r#""arn:aws:s3:::home/*""#),
            home.clone(),
            Unknown,
        ),
        ("T39 identical", home.clone(), home.clone(), Pass),
    ];
    for (name, old, new, want) in rows {
        check_compare(name, &old, &new, false, want);
    }
}

fn bucket(principal: &str, extra: &str) -> Policy {
    policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {principal}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"{extra}}}"#
    ))
}

fn check_public(name: &str, p: &Policy, want: Verdict) {
    let r: Report = public(p, &Options::default());
    assert_eq!(r.verdict, want, "{name}: {:#}", r.to_json());
    for f in &r.findings {
        assert!(
            allowed(PolicyType::Resource, p, &f.witness),
            "{name}: {f:?}"
        );
    }
}

#[test]
fn public_access() {
    use Verdict::{Fail, Pass};
    let star = r#""*""#;
    check_public("P1", &bucket(star, ""), Fail);
    check_public(
        "P2",
        &bucket(
            star,
            &cond(r#"{"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}"#),
        ),
        Pass,
    );
    check_public(
        "P3",
        &bucket(
            star,
            &cond(r#"{"StringLike": {"aws:PrincipalOrgID": "o-*"}}"#),
        ),
        Fail,
    );
    check_public(
        "P4",
        &bucket(
            star,
            &cond(r#"{"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}"#),
        ),
        Fail,
    );
    check_public(
        "P5",
        &bucket(
            star,
            &cond(r#"{"StringEquals": {"aws:SourceVpce": "vpce-1"}}"#),
        ),
        Pass,
    );
    check_public(
        "P6",
        &bucket(
            star,
            &cond(r#"{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc"}}"#),
        ),
        Fail,
    );
    check_public(
        "P7",
        &bucket(
            star,
            &cond(r#"{"StringLike": {"aws:Referer": "https://example.com/*"}}"#),
        ),
        Fail,
    );
    check_public(
        "P8",
        &bucket(r#"{"AWS": "arn:aws:iam::111122223333:root"}"#, ""),
        Pass,
    );
    let p9 = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}"#,
    );
    check_public("P9", &p9, Pass);
    check_public(
        "P10",
        &bucket(
            star,
            &cond(r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#),
        ),
        Fail,
    );
    check_public(
        "P11",
        &bucket(
            star,
            &cond(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#),
        ),
        Pass,
    );
    check_public(
        "P11b",
        &bucket(
            star,
            &cond(r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#),
        ),
        Fail,
    );
    check_public(
        "P12",
        &bucket(
            star,
            &cond(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}}"#),
        ),
        Fail,
    );
    check_public(
        "P12b",
        &bucket(
            star,
            &cond(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}"#),
        ),
        Pass,
    );
    check_public(
        "P13",
        &bucket(star, &cond(r#"{"Bool": {"aws:SecureTransport": "true"}}"#)),
        Fail,
    );
    let p14 = policy(
        r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "*"}"#,
    );
    check_public("P14", &p14, Fail);
}

#[test]
fn access_not_granted() {
    use Verdict::{Fail, Pass};
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    let opts = Options::default();
    let a1 = policy(r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}"#);
    assert_eq!(grants(&a1, &s(&["s3:GetObject"]), &[], &opts).verdict, Fail);
    assert_eq!(grants(&a1, &s(&["s3:PutObject"]), &[], &opts).verdict, Pass);
    let a2 = policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}"#);
    assert_eq!(
        grants(&a2, &[], &s(&["arn:aws:s3:::other/*"]), &opts).verdict,
        Pass
    );
    assert_eq!(
        grants(&a2, &[], &s(&["arn:aws:s3:::b/secret/*"]), &opts).verdict,
        Fail
    );
    let a3 = policy(r#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::b/*"}"#);
    assert_eq!(
        grants(&a3, &s(&["s3:GetObject"]), &s(&["arn:aws:s3:::b/x"]), &opts).verdict,
        Pass
    );
    assert_eq!(
        grants(&a3, &s(&["s3:GetObject"]), &s(&["arn:aws:s3:::b*"]), &opts).verdict,
        Fail
    );
    let a4 = policy(
        r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}"#,
    );
    assert_eq!(grants(&a4, &s(&["iam:PassRole"]), &[], &opts).verdict, Fail);
    let a5 = policy(
        r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"NumericLessThan": {"k:n": "5"}, "NumericGreaterThan": {"k:n": "10"}}}"#,
    );
    assert_eq!(grants(&a5, &s(&["iam:PassRole"]), &[], &opts).verdict, Pass);
    let a6 = policy(
        r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}"#,
    );
    assert_eq!(
        grants(&a6, &s(&["iam:CreateUser"]), &[], &opts).verdict,
        Pass
    );
}
