//! Editor features inside CloudFormation/SAM templates (YAML, JSON) and Terraform files, end to
//! end through the real server: diagnostics at host positions, completion edits applied to the
//! host text, hover, quick fixes, symbols; a YAML file that is no template gets nothing.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use crate::common;

pub(crate) type C = common::Client<
    tokio::io::ReadHalf<tokio::io::DuplexStream>,
    tokio::io::WriteHalf<tokio::io::DuplexStream>,
>;

/// The text without its `$0` marker, and the marker's LSP position (ASCII fixtures).
pub(crate) fn fixture(s: &str) -> (String, Value) {
    let (text, at) = iam_test_support::cursor(s);
    (text.clone(), pos(&text, at as usize))
}

pub(crate) fn pos(text: &str, at: usize) -> Value {
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col = before.rsplit('\n').next().unwrap().len();
    json!({"line": line, "character": col})
}

pub(crate) fn offset(text: &str, p: &Value) -> usize {
    let line = usize::try_from(p["line"].as_u64().unwrap()).unwrap();
    let col = usize::try_from(p["character"].as_u64().unwrap()).unwrap();
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    start + col
}

/// Applies LSP text edits (non-overlapping) to `text`.
pub(crate) fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

pub(crate) async fn open(uri: &str, language: &str, text: &str) -> (C, Vec<Value>) {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    )
    .await;
    let diags = c.diagnostics(uri, 1).await;
    (c, diags)
}

/// The completion item labelled `label` at `$0`, applied to the text.
async fn complete(uri: &str, language: &str, fixture_text: &str, label: &str) -> String {
    let (text, at) = fixture(fixture_text);
    let (mut c, _) = open(uri, language, &text).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .await;
    let items = r["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"));
    let item = items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {r}"));
    let mut edits = vec![item["textEdit"].clone()];
    if let Some(more) = item["additionalTextEdits"].as_array() {
        edits.extend(more.iter().cloned());
    }
    apply(&text, &edits)
}

async fn hover(uri: &str, language: &str, fixture_text: &str) -> Value {
    let (text, at) = fixture(fixture_text);
    let (mut c, _) = open(uri, language, &text).await;
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": at}),
    )
    .await
}

/// The text the range of diagnostic `d` covers.
fn covered<'a>(text: &'a str, d: &Value) -> &'a str {
    &text[offset(text, &d["range"]["start"])..offset(text, &d["range"]["end"])]
}

/// Applies the first quick fix offered for the diagnostic with `code`.
async fn quick_fix(c: &mut C, uri: &str, text: &str, diags: &[Value], code: &str) -> String {
    let d = diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:?}"));
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        )
        .await;
    let action = r["result"]
        .as_array()
        .and_then(|a| a.first())
        .unwrap_or_else(|| panic!("no action: {r}"));
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    apply(text, edits)
}

const YAML: &str = "\
AWSTemplateFormatVersion: \"2010-09-09\"
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
                Action:
                  - s3:GetObjekt
                Resource: \"*\"
";

#[tokio::test]
async fn yaml_template_diagnostics_fix_and_symbols() {
    let uri = "file:///w/template.yaml";
    let (mut c, diags) = open(uri, "yaml", YAML).await;
    assert_eq!(common::codes(&diags), ["B002"], "{diags:?}");
    assert_eq!(covered(YAML, &diags[0]), "s3:GetObjekt");
    let fixed = quick_fix(&mut c, uri, YAML, &diags, "B002").await;
    assert_eq!(
        fixed,
        YAML.replace("- s3:GetObjekt", "- s3:GetObject"),
        "{fixed}"
    );
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let syms = r["result"].as_array().unwrap();
    assert_eq!(syms.len(), 1, "{r}");
    assert_eq!(syms[0]["name"], "TaskRole");
    assert_eq!(syms[0]["detail"], "AWS::IAM::Role");
    let names: Vec<&str> = syms[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["AssumeRolePolicyDocument", "Policies/0/PolicyDocument"]
    );
    // Formatting never rewrites a template.
    let r = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    assert!(r["result"].is_null() || r["result"] == json!([]), "{r}");
}

#[tokio::test]
async fn yaml_edits_are_republished_with_their_version() {
    let uri = "file:///w/template.yaml";
    let (mut c, _) = open(uri, "yaml", YAML).await;
    let at = YAML.find("GetObjekt").unwrap() + "GetObje".len();
    let p = pos(YAML, at);
    let l = u32::try_from(p["line"].as_u64().unwrap()).unwrap();
    let col = u32::try_from(p["character"].as_u64().unwrap()).unwrap();
    c.change(uri, 2, json!([common::edit(l, col, l, col + 2, "ct")]))
        .await;
    let diags = c.diagnostics(uri, 2).await;
    assert!(
        !common::codes(&diags).contains(&"B002".to_owned()),
        "{diags:?}"
    );
    // A mistake in the trust policy is found at its host position.
    let at = YAML.find("sts:AssumeRole").unwrap() + 4;
    let p = pos(YAML, at);
    let l = u32::try_from(p["line"].as_u64().unwrap()).unwrap();
    let col = u32::try_from(p["character"].as_u64().unwrap()).unwrap();
    c.change(uri, 3, json!([common::edit(l, col, l, col + 6, "Bssume")]))
        .await;
    let diags = c.diagnostics(uri, 3).await;
    let b002: Vec<&Value> = diags.iter().filter(|d| d["code"] == "B002").collect();
    assert_eq!(b002.len(), 1, "{diags:?}");
    assert_eq!(common::range_of(b002[0]), [[11, 20], [11, 34]]);
}

#[tokio::test]
async fn yaml_completion_in_plain_quoted_and_flow_scalars() {
    let uri = "file:///w/t.yaml";
    let head = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Resource: \"*\"\n";
    for (action, expected) in [
        ("Action: s3:GetObj$0", "Action: s3:GetObject"),
        ("Action: \"s3:GetObj$0\"", "Action: \"s3:GetObject\""),
        ("Action: 's3:GetObj$0'", "Action: 's3:GetObject'"),
        ("Action: [s3:GetObj$0]", "Action: [s3:GetObject]"),
        (
            "Action:\n              - s3:GetObj$0",
            "Action:\n              - s3:GetObject",
        ),
    ] {
        let text = format!("{head}            {action}\n");
        let out = complete(uri, "yaml", &text, "s3:GetObject").await;
        assert_eq!(
            out,
            format!("{head}            {expected}\n"),
            "completing {action}"
        );
    }
}

/// A long list in a template leaves the documentation out, as in a policy file, and
/// `completionItem/resolve` adds it from the policy under the host offset the item names.
#[tokio::test]
async fn long_host_lists_are_documented_on_resolve() {
    let uri = "file:///w/t.yaml";
    let text = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Resource: \"*\"\n            Action: \"s3:$0\"\n";
    let (text, at) = fixture(text);
    let (mut c, _) = open(uri, "yaml", &text).await;
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .await;
    let items = r["result"]["items"].as_array().unwrap();
    assert!(items.len() > 40, "{}", items.len());
    assert!(
        items
            .iter()
            .all(|i| i["documentation"].is_null() && i["data"].is_array())
    );
    let item = items
        .iter()
        .find(|i| i["label"] == "s3:GetObject")
        .unwrap()
        .clone();
    let resolved = c.request("completionItem/resolve", item.clone()).await;
    let doc = resolved["result"]["documentation"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{resolved}"));
    assert!(doc.contains("GetObject"), "{doc}");
    // After an edit, an item of the old list comes back as it was.
    c.change(uri, 2, json!([common::edit(0, 0, 0, 0, "\n")]))
        .await;
    let stale = c.request("completionItem/resolve", item).await;
    assert!(stale["result"]["documentation"].is_null(), "{stale}");
}

#[tokio::test]
async fn yaml_hover_on_an_action_and_a_sam_policy_template() {
    let h = hover(
        "file:///w/t.yaml",
        "yaml",
        &YAML.replace("sts:AssumeRole", "sts:Assume$0Role"),
    )
    .await;
    let md = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(md.contains("AssumeRole"), "{h}");
    assert_eq!(h["result"]["range"]["start"]["line"], 11);
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Policies:\n        - S3Read$0Policy:\n            BucketName: my-bucket\n";
    let h = hover("file:///w/sam.yaml", "yaml", sam).await;
    let md = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(md.contains("S3ReadPolicy"), "{md}");
    assert!(md.contains("s3:GetObject"), "{md}");
    assert!(md.contains("BucketName"), "{md}");
}

#[tokio::test]
async fn a_yaml_file_that_is_no_template_gets_nothing() {
    let uri = "file:///w/.github/workflows/ci.yml";
    let text = "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"Action: s3:GetObjekt\"\n";
    let (mut c, diags) = open(uri, "yaml", text).await;
    assert!(diags.is_empty(), "{diags:?}");
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 6, "character": 30}}),
        )
        .await;
    assert!(r["result"].is_null(), "{r}");
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 6, "character": 30}}),
        )
        .await;
    assert!(r["result"].is_null(), "{r}");
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert!(r["result"].is_null() || r["result"] == json!([]), "{r}");
}

const JSON_TEMPLATE: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Bucket": {"Type": "AWS::S3::Bucket"},
    "Policy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": {"Ref": "Bucket"},
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObjekt",
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}
          }]
        }
      }
    }
  }
}
"#;

#[tokio::test]
async fn json_template_diagnostics_completion_fix_and_symbols() {
    let uri = "file:///w/template.json";
    let (mut c, diags) = open(uri, "json", JSON_TEMPLATE).await;
    let b002: Vec<&Value> = diags.iter().filter(|d| d["code"] == "B002").collect();
    assert_eq!(b002.len(), 1, "{diags:?}");
    assert_eq!(covered(JSON_TEMPLATE, b002[0]), "\"s3:GetObjekt\"");
    let fixed = quick_fix(&mut c, uri, JSON_TEMPLATE, &diags, "B002").await;
    assert_eq!(fixed, JSON_TEMPLATE.replace("s3:GetObjekt", "s3:GetObject"));
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(r["result"][0]["name"], "Policy", "{r}");
    let out = complete(
        uri,
        "json",
        &JSON_TEMPLATE.replace("s3:GetObjekt", "s3:GetObj$0"),
        "s3:GetObject",
    )
    .await;
    assert_eq!(out, JSON_TEMPLATE.replace("s3:GetObjekt", "s3:GetObject"));
    // A plain JSON policy keeps the policy path.
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#;
    let (_, diags) = open("file:///w/p.json", "json", policy).await;
    assert_eq!(common::codes(&diags), ["B002"]);
}

const TF: &str = r#"resource "aws_iam_policy" "app" {
  name = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObjekt"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy" "inline" {
  role   = aws_iam_role.x.id
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "sqs:SendMesage", "Resource": "*"}]
    }
  EOF
}

data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["kms:Decrypto"]
    resources = ["*"]
  }
}
"#;

#[tokio::test]
async fn terraform_diagnostics_fixes_and_symbols() {
    let uri = "file:///w/main.tf";
    let (mut c, diags) = open(uri, "terraform", TF).await;
    let found: Vec<&str> = diags
        .iter()
        .filter(|d| d["code"] == "B002")
        .map(|d| covered(TF, d))
        .collect();
    assert_eq!(
        found,
        ["\"s3:GetObjekt\"", "\"sqs:SendMesage\"", "\"kms:Decrypto\""],
        "{diags:?}"
    );
    let fixed = quick_fix(&mut c, uri, TF, &diags, "B002").await;
    assert_eq!(fixed, TF.replace("s3:GetObjekt", "s3:GetObject"));
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let names: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "aws_iam_policy.app",
            "aws_iam_role_policy.inline",
            "data.aws_iam_policy_document.doc"
        ],
        "{r}"
    );
}

#[tokio::test]
async fn terraform_completion_in_jsonencode_heredoc_and_policy_document() {
    let uri = "file:///w/main.tf";
    for (from, to) in [
        ("\"s3:GetObjekt\"", "\"s3:GetObj$0\""),
        ("\"sqs:SendMesage\"", "\"sqs:SendMes$0\""),
        ("\"kms:Decrypto\"", "\"kms:Decr$0\""),
    ] {
        let label = match from {
            "\"s3:GetObjekt\"" => "s3:GetObject",
            "\"sqs:SendMesage\"" => "sqs:SendMessage",
            _ => "kms:Decrypt",
        };
        let out = complete(uri, "terraform", &TF.replace(from, to), label).await;
        assert_eq!(
            out,
            TF.replace(from, &format!("\"{label}\"")),
            "completing {to}"
        );
    }
    let h = hover(
        uri,
        "terraform",
        &TF.replace("kms:Decrypto", "kms:Dec$0rypt"),
    )
    .await;
    assert!(
        h["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Decrypt"),
        "{h}"
    );
}
