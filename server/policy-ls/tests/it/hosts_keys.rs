//! Completion of keys in YAML templates and Terraform files, through the real server: element
//! names, principal kinds, operators and condition keys typed where the host has no key yet, and
//! the arguments of `aws_iam_policy_document` blocks. Each case applies the item (snippets
//! expanded with their defaults) and checks the resulting host text, and every item offered at
//! a place must leave a host that still parses.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::hosts_lsp::{apply, fixture, open};

/// A snippet's text with its defaults (`${1:x}` -> `x`, `${1|a,b|}` -> `a`, `$1` -> ``).
fn expand(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                let inner: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let rest = inner.trim_start_matches(|c: char| c.is_ascii_digit());
                if let Some(d) = rest.strip_prefix(':') {
                    out.push_str(d);
                } else if let Some(ch) = rest.strip_prefix('|') {
                    out.push_str(ch.split([',', '|']).next().unwrap());
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The items at `$0`, and the text with the marker removed. The document is opened as `base`
/// (a complete host) and then edited into the fixture, as when typing: a half-typed key can
/// make the text unreadable as a template, and the document stays a host.
async fn items_at(
    uri: &str,
    language: &str,
    base: &str,
    fixture_text: &str,
) -> (String, Vec<Value>) {
    let (text, at) = fixture(fixture_text);
    let (mut c, _) = open(uri, language, base).await;
    c.change(uri, 2, json!([{"text": text}])).await;
    let _ = c.diagnostics(uri, 2).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .await;
    let items = r["result"]["items"].as_array().cloned().unwrap_or_default();
    (text, items)
}

/// `item` applied to `text`, its snippet expanded.
fn applied(text: &str, item: &Value) -> String {
    let mut edit = item["textEdit"].clone();
    if item["insertTextFormat"] == 2 {
        edit["newText"] = json!(expand(edit["newText"].as_str().unwrap()));
    }
    let mut edits = vec![edit];
    if let Some(more) = item["additionalTextEdits"].as_array() {
        edits.extend(more.iter().cloned());
    }
    apply(text, &edits)
}

fn kind(uri: &str) -> iam_hosts::HostKind {
    if uri.ends_with(".tf") {
        iam_hosts::HostKind::Terraform
    } else {
        iam_hosts::HostKind::Yaml
    }
}

/// Completes `label` at `$0` and checks the host text after it; every item offered there must
/// leave a host without syntax errors.
async fn check(uri: &str, language: &str, fixture_text: &str, label: &str, expected: &str) {
    let (text, items) = items_at(uri, language, expected, fixture_text).await;
    let item = items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} at {fixture_text}: {items:?}"));
    let out = applied(&text, item);
    assert_eq!(out, expected, "completing {label} in\n{fixture_text}");
    for i in &items {
        let out = applied(&text, i);
        let ex = iam_hosts::extract(kind(uri), &out);
        assert!(
            ex.syntax_errors.is_empty(),
            "item {} leaves a broken host:\n{out}",
            i["label"]
        );
    }
}

const YAML_HEAD: &str = "AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  Q:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
";

#[tokio::test]
async fn yaml_keys_typed_on_a_new_line() {
    let uri = "file:///w/template.yaml";
    let cases: &[(&str, &str, &str)] = &[
        // A statement element at the statement's key column.
        (
            "            Principal: \"*\"\n            Act$0\n",
            "Action",
            "            Principal: \"*\"\n            Action: \n",
        ),
        // On an empty line, every missing element.
        (
            "            Principal: \"*\"\n            $0\n",
            "Resource",
            "            Principal: \"*\"\n            Resource: \n",
        ),
        // A new statement in the block sequence.
        (
            "            Principal: \"*\"\n          - Eff$0\n",
            "Effect",
            "            Principal: \"*\"\n          - Effect: \n",
        ),
        // A principal kind.
        (
            "            Principal:\n              Serv$0\n",
            "Service",
            "            Principal:\n              Service: \n",
        ),
        // A condition operator, then a condition key under it.
        (
            "            Principal: \"*\"\n            Action: sqs:SendMessage\n            Condition:\n              StringEq$0\n",
            "StringEquals",
            "            Principal: \"*\"\n            Action: sqs:SendMessage\n            Condition:\n              StringEquals: \n",
        ),
        (
            "            Principal: \"*\"\n            Action: sqs:SendMessage\n            Condition:\n              StringEquals:\n                aws:SourceAcc$0\n",
            "aws:SourceAccount",
            "            Principal: \"*\"\n            Action: sqs:SendMessage\n            Condition:\n              StringEquals:\n                aws:SourceAccount: \n",
        ),
        // A new statement with no element yet: the whole statement.
        (
            "            Principal: \"*\"\n          - $0\n",
            "statement",
            "            Principal: \"*\"\n          - Effect: Allow\n            Action: \n            Resource: \"*\"\n",
        ),
        // A key that already has its colon: only the name is replaced.
        (
            "            Principal: \"*\"\n            Actio$0: sqs:SendMessage\n",
            "Action",
            "            Principal: \"*\"\n            Action: sqs:SendMessage\n",
        ),
    ];
    for (tail, label, expected) in cases {
        check(
            uri,
            "yaml",
            &format!("{YAML_HEAD}{tail}"),
            label,
            &format!("{YAML_HEAD}{expected}"),
        )
        .await;
    }
}

#[tokio::test]
async fn yaml_present_elements_are_not_offered_again() {
    let (_, items) = items_at(
        "file:///w/template.yaml",
        "yaml",
        &format!("{YAML_HEAD}            Principal: \"*\"\n            \n"),
        &format!("{YAML_HEAD}            Principal: \"*\"\n            $0\n"),
    )
    .await;
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"Action"), "{labels:?}");
    assert!(!labels.contains(&"Effect"), "{labels:?}");
    assert!(!labels.contains(&"Principal"), "{labels:?}");
    // A line outside any policy gets no keys.
    let bucket = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Buck$0\n";
    let (_, items) = items_at(
        "file:///w/template.yaml",
        "yaml",
        &bucket.replace("Buck$0", "BucketName: b"),
        bucket,
    )
    .await;
    assert!(items.is_empty(), "{items:?}");
}

const TF_HEAD: &str = "resource \"aws_iam_policy\" \"app\" {
  policy = jsonencode({
    Version = \"2012-10-17\"
    Statement = [{
      Effect = \"Allow\"
      Action = [\"s3:GetObject\"]
";

const TF_TAIL: &str = "    }]
  })
}
";

#[tokio::test]
async fn terraform_jsonencode_keys() {
    let uri = "file:///w/main.tf";
    let cases: &[(&str, &str, &str)] = &[
        ("      Reso$0\n", "Resource", "      Resource = [\"\"]\n"),
        (
            "      Resource = \"*\"\n      Condition = {\n        StringEq$0\n      }\n",
            "StringEquals",
            "      Resource = \"*\"\n      Condition = {\n        StringEquals = {\n          \n        }\n      }\n",
        ),
        (
            "      Resource = \"*\"\n      Condition = {\n        StringEquals = {\n          \"aws:SourceAcc$0\"\n        }\n      }\n",
            "aws:SourceAccount",
            "      Resource = \"*\"\n      Condition = {\n        StringEquals = {\n          \"aws:SourceAccount\" = \"\"\n        }\n      }\n",
        ),
    ];
    for (tail, label, expected) in cases {
        check(
            uri,
            "terraform",
            &format!("{TF_HEAD}{tail}{TF_TAIL}"),
            label,
            &format!("{TF_HEAD}{expected}{TF_TAIL}"),
        )
        .await;
    }
    // A statement with no element yet: the whole statement.
    let empty = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      $0\n    }]\n  })\n}\n";
    check(
        uri,
        "terraform",
        empty,
        "statement",
        &empty.replace(
            "$0",
            "Effect = \"Allow\"\n      Action = [\"\"]\n      Resource = \"*\"",
        ),
    )
    .await;
    // On one line: `[{ Eff| }]`.
    let one = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Eff$0 }] })\n}\n";
    let done = one.replace("Eff$0", "Effect = \"Allow\"");
    let (text, items) = items_at(uri, "terraform", &done, one).await;
    let item = items.iter().find(|i| i["label"] == "Effect").unwrap();
    assert_eq!(applied(&text, item), done);
}

const DOC: &str = "data \"aws_iam_policy_document\" \"d\" {
  statement {
    actions   = [\"s3:GetObject\"]
    resources = [\"*\"]
";

#[tokio::test]
async fn terraform_policy_document_arguments_and_condition_strings() {
    let uri = "file:///w/main.tf";
    let cases: &[(&str, &str, &str)] = &[
        (
            "    eff$0\n  }\n}\n",
            "effect",
            "    effect = \"Allow\"\n  }\n}\n",
        ),
        (
            "    $0\n  }\n}\n",
            "condition",
            "    condition {\n      test     = \"\"\n      variable = \"\"\n      values   = [\"\"]\n    }\n  }\n}\n",
        ),
        (
            "    condition {\n      test     = \"StringEq$0\"\n      variable = \"s3:prefix\"\n      values   = [\"a\"]\n    }\n  }\n}\n",
            "StringEquals",
            "    condition {\n      test     = \"StringEquals\"\n      variable = \"s3:prefix\"\n      values   = [\"a\"]\n    }\n  }\n}\n",
        ),
        // `values` not written yet: the condition is no policy element, still completed.
        (
            "    condition {\n      test     = \"StringEquals\"\n      variable = \"aws:SourceAcc$0\"\n    }\n  }\n}\n",
            "aws:SourceAccount",
            "    condition {\n      test     = \"StringEquals\"\n      variable = \"aws:SourceAccount\"\n    }\n  }\n}\n",
        ),
        (
            "    condition {\n      val$0\n    }\n  }\n}\n",
            "values",
            "    condition {\n      values = [\"\"]\n    }\n  }\n}\n",
        ),
        (
            "    principals {\n      type = \"Serv$0\"\n      identifiers = [\"x\"]\n    }\n  }\n}\n",
            "Service",
            "    principals {\n      type = \"Service\"\n      identifiers = [\"x\"]\n    }\n  }\n}\n",
        ),
    ];
    for (tail, label, expected) in cases {
        check(
            uri,
            "terraform",
            &format!("{DOC}{tail}"),
            label,
            &format!("{DOC}{expected}"),
        )
        .await;
    }
    // Arguments already written are not offered again; blocks may repeat.
    let (_, items) = items_at(
        uri,
        "terraform",
        &format!("{DOC}    \n  }}\n}}\n"),
        &format!("{DOC}    $0\n  }}\n}}\n"),
    )
    .await;
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(!labels.contains(&"actions"), "{labels:?}");
    assert!(
        labels.contains(&"not_actions") && labels.contains(&"principals"),
        "{labels:?}"
    );
    let doc = items.iter().find(|i| i["label"] == "effect").unwrap();
    assert!(
        doc["documentation"]["value"]
            .as_str()
            .is_some_and(|d| d.contains("Allow")),
        "{doc}"
    );
}

/// Typing a key makes the template unreadable for a moment; when the line is complete, every
/// policy is read again (none is lost to the moment the document had none).
#[tokio::test]
async fn a_half_typed_key_keeps_the_document_and_then_every_policy() {
    let uri = "file:///w/template.yaml";
    let text = "AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  A:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Action: s3:GetObjekt
            Resource: \"*\"
  B:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Resource: \"*\"
";
    let (mut c, diags) = open(uri, "yaml", text).await;
    assert!(
        crate::common::codes(&diags).contains(&"B002".to_owned()),
        "{diags:?}"
    );
    let half = text.to_owned() + "            Act\n";
    c.change(uri, 2, json!([{"text": half}])).await;
    let _ = c.diagnostics(uri, 2).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 19, "character": 15}}),
        )
        .await;
    let labels: Vec<&str> = r["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Action"), "{labels:?}");
    let done = text.to_owned() + "            Action: s3:PutObject\n";
    c.change(uri, 3, json!([{"text": done}])).await;
    let diags = c.diagnostics(uri, 3).await;
    let b002: Vec<&Value> = diags.iter().filter(|d| d["code"] == "B002").collect();
    assert_eq!(b002.len(), 1, "the policy of A is read again: {diags:?}");
    assert_eq!(b002[0]["range"]["start"]["line"], 9);
}

/// Completion at every position of half-typed YAML and HCL (and past each line's end) answers
/// without an error.
#[tokio::test]
async fn completion_anywhere_in_half_typed_hosts_answers() {
    let yaml = format!(
        "{YAML_HEAD}            Principal:\n              Serv\n          - \"Eff\n            Condition:\n              StringEq\n"
    );
    let tf = format!(
        "{DOC}    eff\n    condition {{\n      test = \"Str\n      variable = \"aws:\"\n    }}\n  }}\n}}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{ Statement = [{{ Eff, \"aws:\" }}] }})\n}}\n"
    );
    for (uri, language, text, base) in [
        (
            "file:///w/t.yaml",
            "yaml",
            yaml,
            format!("{YAML_HEAD}            Resource: \"*\"\n"),
        ),
        (
            "file:///w/main.tf",
            "terraform",
            tf,
            format!("{DOC}  }}\n}}\n"),
        ),
    ] {
        let (mut c, _) = open(uri, language, &base).await;
        c.change(uri, 2, json!([{"text": text}])).await;
        let _ = c.diagnostics(uri, 2).await;
        let lines = text.split('\n').count();
        for line in 0..lines {
            let len = text.split('\n').nth(line).unwrap().len();
            for character in (0..=len).chain([len + 5]) {
                let r = c
                    .request(
                        "textDocument/completion",
                        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
                    )
                    .await;
                assert!(r.get("error").is_none(), "{uri} {line}:{character}: {r}");
            }
        }
    }
}
