//! Severities that depend on the policy type (docs/diagnostics.md, "Severity choices"): the size
//! quota (A017) and duplicate statement ids (A014) are errors only where AWS rejects the policy,
//! as Access Analyzer reports them; and the messages name the policy type with the right article.

use iam_validate::{Options, PolicyType, Severity, analyze};

fn findings(text: &str, t: PolicyType, code: &str) -> Vec<(Severity, String)> {
    analyze(
        text,
        &Options {
            policy_type: Some(t),
            ..Options::default()
        },
    )
    .diagnostics
    .iter()
    .filter(|d| d.code() == code)
    .map(|d| (d.severity, d.message.clone()))
    .collect()
}

/// A policy of about 7,000 characters without whitespace: over every quota.
fn big_policy() -> String {
    let resources: Vec<String> = (0..160)
        .map(|i| format!("\"arn:aws:s3:::examplebucket/prefix{i:04}/*\""))
        .collect();
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": [{}]}}]}}"#,
        resources.join(", ")
    )
}

#[test]
fn size_quota_is_an_error_only_for_scps_and_rcps() {
    let text = big_policy();
    for t in PolicyType::ALL {
        let got = findings(&text, t, "A017");
        if t == PolicyType::Resource {
            assert!(
                got.is_empty(),
                "{t:?}: no quota for resource-based policies"
            );
            continue;
        }
        assert_eq!(got.len(), 1, "{t:?}: {got:?}");
        let want = if matches!(t, PolicyType::Scp | PolicyType::Rcp) {
            Severity::Error
        } else {
            Severity::Warning
        };
        assert_eq!(got[0].0, want, "{t:?}: {}", got[0].1);
        assert!(
            got[0]
                .1
                .contains(&format!("quota of {}:", t.with_article())),
            "{t:?}: {}",
            got[0].1
        );
    }
    let identity = findings(&text, PolicyType::Identity, "A017");
    assert!(
        identity[0].1.contains("quota of an identity-based policy:"),
        "{}",
        identity[0].1
    );
}

#[test]
fn duplicate_sids_are_errors_only_where_aws_rejects_them() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
      {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
      {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    for t in PolicyType::ALL {
        let got = findings(text, t, "A014");
        assert_eq!(got.len(), 1, "{t:?}: {got:?}");
        let want = if t.requires_unique_sids() {
            Severity::Error
        } else {
            Severity::Warning
        };
        assert_eq!(got[0].0, want, "{t:?}");
    }
    assert!(PolicyType::Resource.requires_unique_sids());
    assert!(PolicyType::Scp.requires_unique_sids());
    assert!(!PolicyType::Identity.requires_unique_sids());
    let identity = findings(text, PolicyType::Identity, "A014");
    assert!(
        identity[0]
            .1
            .contains("An identity-based policy accepts it"),
        "{}",
        identity[0].1
    );
}
