//! Configuration and suppression: rules off and re-severitied, extra actions, quotas, sidecar and
//! `[[suppress]]` suppressions.

use iam_validate::config::{Config, parse_sidecar};
use iam_validate::{Options, Severity, analyze, analyze_with_config};

const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "New", "Effect": "Allow", "Action": "ecs:BrandNewAction", "Resource": "*"},
  {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}
]}"#;

fn codes(a: &iam_validate::Analysis) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.code()).collect()
}

#[test]
fn defaults_report_both() {
    let a = analyze(POLICY, &Options::default());
    assert!(codes(&a).contains(&"B002"), "{:?}", codes(&a));
    assert!(codes(&a).contains(&"G005"), "{:?}", codes(&a));
}

#[test]
fn extra_actions_and_rule_settings() {
    let c = Config::from_toml(
        "[catalog]\nextra-actions = [\"ecs:BrandNew*\"]\n[rules]\nfull-admin = \"error\"\n",
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let a = analyze_with_config(POLICY, &Options::default(), &c, &[]);
    assert!(!codes(&a).contains(&"B002"));
    let g = a
        .diagnostics
        .iter()
        .find(|d| d.code() == "G005")
        .expect("G005");
    assert_eq!(g.severity, Severity::Error);
    let off = Config::from_toml("[rules]\nG005 = \"off\"\n");
    assert!(!codes(&analyze_with_config(POLICY, &Options::default(), &off, &[])).contains(&"G005"));
}

/// The policy-test rules are in the registry, so the configuration can set them like any other.
#[test]
fn policy_test_rules_can_be_configured() {
    use iam_validate::config::RuleSetting;
    let c = Config::from_toml("[rules]\nT001 = \"off\"\npolicy-test-invalid = \"warning\"\n");
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let rules = &iam_policy::diagnostic::rules::ALL;
    let rule = |code: &str| *rules.iter().find(|r| r.code == code).expect(code);
    assert_eq!(c.rule_setting(rule("T001")), Some(RuleSetting::Off));
    assert_eq!(
        c.rule_setting(rule("T002")),
        Some(RuleSetting::Severity(Severity::Warning))
    );
}

#[test]
fn suppression_by_statement_with_reason() {
    let s = parse_sidecar(
        r#"{"suppress": [{"rule": "G005", "statement": "Admin", "reason": "break-glass"}]}"#,
    )
    .expect("sidecar");
    let a = analyze_with_config(POLICY, &Options::default(), &Config::default(), &s);
    assert!(!codes(&a).contains(&"G005"));
    assert_eq!(a.suppressed.len(), 1);
    assert_eq!(a.suppressed[0].1, "break-glass");
    // Another statement is not suppressed.
    let s2 =
        parse_sidecar(r#"{"suppress": [{"rule": "G005", "statement": "New", "reason": "x"}]}"#)
            .expect("sidecar");
    assert!(
        codes(&analyze_with_config(
            POLICY,
            &Options::default(),
            &Config::default(),
            &s2
        ))
        .contains(&"G005")
    );
}

#[test]
fn toml_suppress_with_path_and_quota() {
    let c = Config::from_toml(
        "[quotas]\nidentity = 10\n[[suppress]]\npath = \"roles/*.json\"\nrule = \"B002\"\ntext = \"BrandNew\"\nreason = \"newer than the catalog\"\n",
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.suppressions_for("roles/app.json").len(), 1);
    assert!(c.suppressions_for("other/app.json").is_empty());
    let a = analyze_with_config(
        POLICY,
        &Options::default(),
        &c,
        &c.suppressions_for("roles/app.json"),
    );
    assert!(!codes(&a).contains(&"B002"));
    assert!(
        codes(&a).contains(&"A017"),
        "quota of 10 characters applies"
    );
}
