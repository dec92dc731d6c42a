//! Unit tests on hand-built models (the data-driven suite lives in `tests/evaluate*.rs`).

use super::*;
use iam_policy::model::{
    ConditionBlock, ConditionEntry, ConditionOperatorBlock, ConditionValue, Spanned,
};

fn sp<T>(v: T) -> Spanned<T> {
    Spanned::new(v, TextRange::default())
}

fn list(items: &[&str]) -> StringList {
    StringList {
        items: items.iter().map(|s| sp((*s).to_owned())).collect(),
        ..StringList::default()
    }
}

fn stmt(effect: Effect, action: &[&str], resource: &[&str]) -> Statement {
    Statement {
        effect: Some(sp(effect)),
        action: Some(list(action)),
        resource: Some(list(resource)),
        ..Statement::default()
    }
}

fn policy(statements: Vec<Statement>) -> Policy {
    let statements = statements
        .into_iter()
        .enumerate()
        .map(|(i, s)| Statement { index: i, ..s })
        .collect();
    Policy {
        version: Some(sp(Version::V2012_10_17)),
        statements,
        ..Policy::default()
    }
}

fn cond(op: &str, key: &str, values: &[&str]) -> ConditionBlock {
    ConditionBlock {
        operators: vec![ConditionOperatorBlock {
            operator: sp(op.to_owned()),
            range: TextRange::default(),
            entries: vec![ConditionEntry {
                key: sp(key.to_owned()),
                range: TextRange::default(),
                is_array: true,
                values: values
                    .iter()
                    .map(|v| sp(ConditionValue::String((*v).to_owned())))
                    .collect(),
            }],
        }],
        ..ConditionBlock::default()
    }
}

fn decide_identity(p: &Policy, r: &Request) -> Evaluation {
    evaluate(&PolicySet::new().with(PolicyType::Identity, "p", p), r)
}

#[test]
fn s11_deny_beats_allow() {
    let p = policy(vec![
        stmt(Effect::Allow, &["s3:*"], &["*"]),
        stmt(Effect::Deny, &["s3:GetObject"], &["arn:aws:s3:::b/k"]),
    ]);
    let e = decide_identity(&p, &Request::new("s3:GetObject", "arn:aws:s3:::b/k"));
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(
        e.deciding,
        vec![StatementRef {
            policy: 0,
            statement: 1
        }]
    );
    let e = decide_identity(&p, &Request::new("s3:PutObject", "arn:aws:s3:::b/k"));
    assert_eq!(e.decision, Decision::Allow);
    let e = decide_identity(&p, &Request::new("ec2:RunInstances", "*"));
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(
        e.policies[0].statements[0].reason,
        Some(NotApplied::ActionNotMatched)
    );
}

#[test]
fn s13_condition_failure_explained() {
    let mut s = stmt(Effect::Allow, &["s3:GetObject"], &["*"]);
    s.condition = Some(cond("StringEquals", "aws:PrincipalTag/team", &["eng"]));
    let p = policy(vec![s]);
    let e = decide_identity(
        &p,
        &Request::new("s3:GetObject", "*").with_context("aws:principaltag/TEAM", "ops"),
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let Some(NotApplied::Condition(c)) = &e.policies[0].statements[0].reason else {
        panic!("{e:?}")
    };
    assert_eq!(c.reason, ConditionReason::NoValueMatched);
    assert_eq!(c.request_values, Some(vec!["ops".to_owned()]));
    let text = e.render_text();
    assert!(text.contains("\"ops\" matches none of [\"eng\"]"), "{text}");
    assert_eq!(e.to_json()["decision"], "ImplicitDeny");
}

#[test]
fn s14_resource_policy_alone_same_account() {
    let mut s = stmt(Effect::Allow, &["s3:GetObject"], &["arn:aws:s3:::b/*"]);
    s.principal = Some(PrincipalElement {
        key_range: TextRange::default(),
        range: TextRange::default(),
        value: PrincipalValue::Wildcard(sp("*".to_owned())),
    });
    let p = policy(vec![s]);
    let e = evaluate(
        &PolicySet::new().with(PolicyType::Resource, "bucket", &p),
        &Request::new("s3:GetObject", "arn:aws:s3:::b/k"),
    );
    assert_eq!(e.decision, Decision::Allow);
}
