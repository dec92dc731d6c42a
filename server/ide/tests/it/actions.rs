//! Code action fixtures: `$0` is the cursor.

#![allow(clippy::unwrap_used)]

use crate::support::{analysed, apply};
use iam_ide::{CodeAction, CodeActionKind, code_actions};
use iam_syntax::TextRange;

fn actions(s: &str) -> (String, Vec<CodeAction>) {
    let (a, at) = analysed(s);
    let text = a.parse.text().to_owned();
    (text, code_actions(&a, TextRange::empty(at)))
}

fn run(s: &str, title_start: &str) -> String {
    let (text, acts) = actions(s);
    let a = acts
        .iter()
        .find(|a| a.title.starts_with(title_start))
        .unwrap_or_else(|| {
            panic!(
                "no `{title_start}` in {:?}",
                acts.iter().map(|a| &a.title).collect::<Vec<_>>()
            )
        });
    apply(&text, &a.edits)
}

fn titles(s: &str) -> Vec<String> {
    actions(s).1.into_iter().map(|a| a.title).collect()
}

#[test]
fn quick_fixes_come_from_diagnostics() {
    let (_, acts) = actions(
        r#"{"Version": "2012-10-17", "Statement": [{"Efect$0": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    );
    let fix = acts
        .iter()
        .find(|a| a.kind == CodeActionKind::QuickFix)
        .expect("a quick fix");
    assert_eq!(fix.title, "Change to `Effect`");
    assert!(fix.preferred);
    assert_eq!(fix.diagnostics.len(), 1);
}

#[test]
fn add_missing_version() {
    let out = run(
        "{\n    \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]$0\n}",
        "Add `\"Version\"",
    );
    assert_eq!(
        out,
        "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}"
    );
    let out = run(r#"{"Statement": [$0]}"#, "Add `\"Version\"");
    assert_eq!(out, r#"{"Version": "2012-10-17", "Statement": []}"#);
    // CRLF documents get CRLF.
    let out = run("{\r\n  \"Statement\": []$0\r\n}", "Add `\"Version\"");
    assert_eq!(
        out,
        "{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Statement\": []\r\n}"
    );
    assert!(
        !titles(r#"{"Version": "2012-10-17", "Statement": [$0]}"#)
            .iter()
            .any(|t| t.contains("Version"))
    );
}

#[test]
fn wrap_a_string_in_an_array() {
    let out = run(
        r#"{"Statement": [{"Action": "s3:Get$0Object"}]}"#,
        "Wrap in an array",
    );
    assert_eq!(out, r#"{"Statement": [{"Action": ["s3:GetObject"]}]}"#);
    let out = run(
        r#"{"Statement": [{"Condition": {"StringEquals": {"aws:RequestedRegion": "us-$0east-1"}}}]}"#,
        "Wrap",
    );
    assert!(out.contains(r#""aws:RequestedRegion": ["us-east-1"]"#));
    assert!(
        !titles(r#"{"Statement": [{"Action": ["s3:Get$0Object"]}]}"#)
            .iter()
            .any(|t| t.starts_with("Wrap"))
    );
    assert!(
        !titles(r#"{"Statement": [{"Effect": "Al$0low"}]}"#)
            .iter()
            .any(|t| t.starts_with("Wrap"))
    );
}

#[test]
fn expand_a_wildcard() {
    let out = run(
        "{\"Statement\": [{\n  \"Action\": [\n    \"ecs:RunTask\",\n    \"ecs:List$0Tasks*\"\n  ]\n}]}",
        "Expand `ecs:ListTasks*`",
    );
    let list: Vec<String> = iam_catalog::catalog()
        .expand("ecs:ListTasks*")
        .iter()
        .map(|a| format!("    \"{}\"", a.full_name()))
        .collect();
    assert_eq!(
        out,
        format!(
            "{{\"Statement\": [{{\n  \"Action\": [\n    \"ecs:RunTask\",\n{}\n  ]\n}}]}}",
            list.join(",\n")
        )
    );
    // A single string becomes an array.
    let out = run(
        "{\"Statement\": [{\n  \"Action\": \"ecs:Describe$0*\"\n}]}",
        "Expand",
    );
    assert!(
        out.contains("\"Action\": [\n      \"ecs:DescribeCapacityProviders\",\n"),
        "{out}"
    );
    assert!(
        !titles(r#"{"Statement": [{"Action": "$0*"}]}"#)
            .iter()
            .any(|t| t.starts_with("Expand"))
    );
}

#[test]
fn collapse_when_exact() {
    let describe: Vec<String> = iam_catalog::catalog()
        .expand("ecs:Describe*")
        .iter()
        .map(|a| format!("\"{}\"", a.full_name()))
        .collect();
    let s = format!(
        r#"{{"Statement": [{{"Action": ["ecs:RunTask", {}$0]}}]}}"#,
        describe.join(", ")
    );
    let out = run(&s, "Collapse");
    assert_eq!(
        out,
        r#"{"Statement": [{"Action": ["ecs:RunTask", "ecs:Describe*"]}]}"#
    );
    // Not exact: no offer.
    let s = format!(
        r#"{{"Statement": [{{"Action": [{}$0]}}]}}"#,
        describe[1..].join(", ")
    );
    assert!(
        !titles(&s).iter().any(|t| t.starts_with("Collapse")),
        "{:?}",
        titles(&s)
    );
}

#[test]
fn sort_and_dedupe() {
    let out = run(
        r#"{"Statement": [{"Action": ["s3:PutObject", "ecs:RunTask", "S3:putobject", "ecs:$0DescribeClusters"]}]}"#,
        "Sort and deduplicate `Action` (1 duplicate)",
    );
    assert_eq!(
        out,
        r#"{"Statement": [{"Action": ["ecs:DescribeClusters", "ecs:RunTask", "s3:PutObject"]}]}"#
    );
    let out = run(
        "{\"Statement\": [{\n\t\"NotAction\": [\n\t\t\"b:B\",\n\t\t\"a:A\"$0\n\t]\n}]}",
        "Sort `NotAction`",
    );
    assert_eq!(
        out,
        "{\"Statement\": [{\n\t\"NotAction\": [\n\t\t\"a:A\",\n\t\t\"b:B\"\n\t]\n}]}"
    );
    assert!(
        !titles(r#"{"Statement": [{"Action": ["a:A", "b:$0B"]}]}"#)
            .iter()
            .any(|t| t.starts_with("Sort"))
    );
}

#[test]
fn split_a_statement() {
    let s = r#"{"Statement": [{"Sid": "Ecs", "Effect": "Allow", "Action": ["ecs:RunTask", "ecs:ListClus$0ters"], "Resource": "arn:aws:ecs:us-east-1:1:task-definition/web:*"}]}"#;
    let out = run(s, "Split: move 1 action");
    assert_eq!(
        out,
        "{\"Statement\": [{\"Sid\": \"Ecs\", \"Effect\": \"Allow\", \"Action\": [\"ecs:RunTask\"], \"Resource\": \"arn:aws:ecs:us-east-1:1:task-definition/web:*\"},\n{\"Sid\": \"EcsSplit\", \"Effect\": \"Allow\", \"Action\": [\"ecs:ListClusters\"], \"Resource\": \"*\"}]}"
    );
    let out = run(s, "Move `ecs:ListClusters` into a new statement");
    assert!(out.contains(r#"{"Sid": "EcsSplit", "Effect": "Allow", "Action": ["ecs:ListClusters"], "Resource": "arn:aws:ecs:us-east-1:1:task-definition/web:*"}"#), "{out}");
    let reparsed = iam_validate::analyze(&out, &Default::default());
    assert_eq!(reparsed.policy.statements.len(), 2);
}
