//! The simulate command, folding and selection ranges and the git code lens in templates and
//! Terraform files, end to end through the real server.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::hosts_lsp::open;

const TEMPLATE: &str = "AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal:
              Service: ecs-tasks.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: \"2012-10-17\"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub \"arn:${AWS::Partition}:s3:::${Bucket}/*\"
  Other:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Deny
            Action: s3:GetObject
            Resource: \"*\"
";

async fn simulate(c: &mut crate::hosts_lsp::C, args: Value) -> Value {
    c.request(
        "workspace/executeCommand",
        json!({"command": "iam-policy-ls.simulate", "arguments": [args]}),
    )
    .await
}

#[tokio::test]
async fn simulate_an_embedded_policy_by_name_and_by_cursor() {
    let uri = "file:///w/template.yaml";
    let (mut c, _) = open(uri, "yaml", TEMPLATE).await;
    let get = json!({"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"});
    // (arguments, expected decision): by name, by path, by cursor.
    let cases = [
        (
            json!({"uri": format!("{uri}#TaskRole"), "request": get}),
            "Allow",
        ),
        (
            json!({"uri": format!("{uri}#TaskRole/Policies/0"), "request": get}),
            "Allow",
        ),
        (
            json!({"uri": format!("{uri}#Other"), "request": get}),
            "ExplicitDeny",
        ),
        (
            json!({"uri": uri, "position": {"line": 27, "character": 20}, "request": get}),
            "ExplicitDeny",
        ),
        (
            json!({"uri": uri, "position": {"line": 18, "character": 24}, "request": get}),
            "Allow",
        ),
    ];
    for (args, decision) in cases {
        let r = simulate(&mut c, args.clone()).await;
        assert_eq!(r["result"]["decision"], decision, "{args}: {r}");
    }
    // The `!Sub` bucket is a value known at deploy time: the answer says so.
    let r = simulate(
        &mut c,
        json!({"uri": format!("{uri}#TaskRole/Policies/0"), "request": get}),
    )
    .await;
    assert_eq!(r["result"]["unknowns"], 1, "{r}");
    // Several policies and no name, or a name that matches none: an error listing the names.
    for args in [
        json!({"uri": uri, "request": get}),
        json!({"uri": format!("{uri}#Nope"), "request": get}),
    ] {
        let r = simulate(&mut c, args).await;
        assert_eq!(r["error"]["code"], -32602, "{r}");
        let m = r["error"]["message"].as_str().unwrap();
        assert!(m.contains("#TaskRole/Policies/0/PolicyDocument"), "{m}");
    }
    // A fragment on a plain policy file is an error.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///w/p.json", "languageId": "json", "version": 1,
               "text": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}}),
    )
    .await;
    let r = simulate(&mut c, json!({"uri": "file:///w/p.json#X", "request": get})).await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
}

const TF: &str = r#"data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}
"#;

#[tokio::test]
async fn simulate_a_terraform_policy_document() {
    let uri = "file:///w/main.tf";
    let (mut c, _) = open(uri, "terraform", TF).await;
    for (args, decision) in [
        (
            json!({"uri": format!("{uri}#data.aws_iam_policy_document.app"), "request": {"action": "sqs:SendMessage", "resource": "*"}}),
            "Allow",
        ),
        // One policy in the file: no name needed.
        (
            json!({"uri": uri, "request": {"action": "sqs:DeleteQueue", "resource": "*"}}),
            "ImplicitDeny",
        ),
    ] {
        let r = simulate(&mut c, args.clone()).await;
        assert_eq!(r["result"]["decision"], decision, "{args}: {r}");
    }
}

#[tokio::test]
async fn folding_and_selection_ranges_of_embedded_policies() {
    let uri = "file:///w/template.yaml";
    let (mut c, _) = open(uri, "yaml", TEMPLATE).await;
    let r = c
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let folds: Vec<(u64, u64)> = r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    // Each policy from its key (`AssumeRolePolicyDocument:`), each `Statement:` list, each
    // statement, the `Principal:` mapping.
    assert_eq!(
        folds,
        [
            (5, 11),
            (7, 11),
            (8, 11),
            (9, 10),
            (14, 19),
            (16, 19),
            (17, 19),
            (23, 28),
            (25, 28),
            (26, 28)
        ],
        "{r}"
    );
    let r = c
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": uri}, "positions": [{"line": 18, "character": 24}, {"line": 1, "character": 2}]}),
        )
        .await;
    let first = &r["result"][0];
    let mut chain = Vec::new();
    let mut cur = first;
    while !cur.is_null() {
        chain.push(cur["range"].clone());
        cur = &cur["parent"];
    }
    let text_of = |r: &Value| {
        let s = crate::hosts_lsp::offset(TEMPLATE, &r["start"]);
        let e = crate::hosts_lsp::offset(TEMPLATE, &r["end"]);
        &TEMPLATE[s..e]
    };
    assert!(chain.len() >= 4, "{r}");
    assert!(text_of(&chain[0]).starts_with("s3:GetObject"), "{r}");
    assert_eq!(text_of(chain.last().unwrap()), TEMPLATE);
    for w in chain.windows(2) {
        let (inner, outer) = (text_of(&w[0]), text_of(&w[1]));
        let (is, os) = (
            crate::hosts_lsp::offset(TEMPLATE, &w[0]["start"]),
            crate::hosts_lsp::offset(TEMPLATE, &w[1]["start"]),
        );
        assert!(
            os <= is && is + inner.len() <= os + outer.len() && inner.len() < outer.len(),
            "{r}"
        );
    }
    // Outside every policy: the position itself.
    assert_eq!(
        r["result"][1]["range"]["start"],
        json!({"line": 1, "character": 2})
    );
    assert!(r["result"][1]["parent"].is_null(), "{r}");
}

/// A JSON policy read by `file()` in a `.tf` file beside it gets the argument's policy type and
/// resource kind in the editor: a bucket policy granting an SQS action is F012 there, and not in
/// a file nothing reads.
#[tokio::test]
async fn a_policy_file_read_by_terraform_gets_the_arguments_kind() {
    let dir = std::env::temp_dir().join(format!("iam-tf-ref-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_s3_bucket_policy\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n  policy = file(\"${path.module}/policies/bucket.json\")\n}\n",
    )
    .unwrap();
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}"#;
    for (name, expect_f012) in [("bucket.json", true), ("other.json", false)] {
        let path = dir.join("policies").join(name);
        std::fs::write(&path, policy).unwrap();
        let uri = format!("file://{}", path.display());
        let (_, diags) = open(&uri, "json", policy).await;
        let codes = crate::common::codes(&diags);
        assert_eq!(
            codes.contains(&"F012".to_owned()),
            expect_f012,
            "{name}: {diags:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
