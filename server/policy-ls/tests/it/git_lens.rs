//! The "new access since HEAD" code lens (`compareWithGit`) on a policy in a temporary git
//! repository: computed on open and on save (not on edits), listed by its command, and off with
//! `compareWithGit: false`.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common;
use serde_json::{Value, json};

const OLD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
const NEW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"}]}"#;

fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iam-git-lens-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q"]);
    std::fs::write(dir.join("policy.json"), OLD).unwrap();
    git(&dir, &["add", "policy.json"]);
    git(&dir, &["commit", "-qm", "base"]);
    dir
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "git {args:?}");
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

async fn lens_titles<R, W>(c: &mut common::Client<R, W>, uri: &str) -> Vec<String>
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    let r = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    r["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["command"]["title"].as_str().map(str::to_owned))
        .collect()
}

async fn wait_refresh<R, W>(c: &mut common::Client<R, W>)
where
    R: tokio::io::AsyncRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    c.try_wait_for(
        |m| m["method"] == "workspace/codeLens/refresh",
        Duration::from_secs(60),
    )
    .await
    .expect("the server asks for a lens refresh when the comparison is done");
}

#[tokio::test]
async fn lens_says_what_is_new_since_head() {
    let dir = repo("main");
    let path = dir.join("policy.json");
    let uri = uri_of(&path);
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.open(&uri, OLD, 1).await;
    wait_refresh(&mut c).await;
    assert_eq!(
        lens_titles(&mut c, &uri).await,
        ["no new access since HEAD"]
    );

    // Edits alone change nothing; the saved file does.
    c.change(&uri, 2, common::full(NEW)).await;
    assert_eq!(
        lens_titles(&mut c, &uri).await,
        ["no new access since HEAD"]
    );
    std::fs::write(&path, NEW).unwrap();
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    wait_refresh(&mut c).await;
    assert_eq!(lens_titles(&mut c, &uri).await, ["1 new grant since HEAD"]);

    // The command lists the grant with its witness.
    let r = c
        .request(
            "workspace/executeCommand",
            json!({"command": "iam-policy-ls.showNewAccess", "arguments": [uri]}),
        )
        .await;
    let result: &Value = &r["result"];
    assert_eq!(result["result"], "fail", "{r}");
    assert_eq!(result["findings"][0]["witness"]["action"], "s3:PutObject");
    let msg = c.wait_for(|m| m["method"] == "window/showMessage").await;
    let text = msg["params"]["message"].as_str().unwrap_or_default();
    assert!(text.contains("+ s3:PutObject on arn:aws:s3:::b/"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn lens_follows_the_setting() {
    let dir = repo("setting");
    let path = dir.join("policy.json");
    std::fs::write(&path, NEW).unwrap();
    let uri = uri_of(&path);
    let mut c = common::in_process();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"compareWithGit": false}}),
    )
    .await;
    c.notify("initialized", json!({})).await;
    c.open(&uri, NEW, 1).await;
    let _ = c.diagnostics(&uri, 1).await;
    assert!(lens_titles(&mut c, &uri).await.is_empty());

    // A revision name changes the base; the root commit has the old policy.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"iamPolicy": {"compareWithGit": "HEAD~0"}}}),
    )
    .await;
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    )
    .await;
    wait_refresh(&mut c).await;
    assert_eq!(
        lens_titles(&mut c, &uri).await,
        ["1 new grant since HEAD~0"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

const TEMPLATE_OLD: &str = "AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  A:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::b/*
  B:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: \"*\"
";

/// In a template, each embedded policy gets its own lens, compared with the policy of the same
/// name at `HEAD`; the command names the policy.
#[tokio::test]
async fn each_embedded_policy_is_compared_with_its_version_at_head() {
    let dir = std::env::temp_dir().join(format!("iam-git-lens-host-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q"]);
    let path = dir.join("template.yaml");
    std::fs::write(&path, TEMPLATE_OLD).unwrap();
    git(&dir, &["add", "template.yaml"]);
    git(&dir, &["commit", "-qm", "base"]);
    let new = TEMPLATE_OLD.replace(
        "Action: s3:GetObject",
        "Action: [s3:GetObject, s3:PutObject]",
    );
    std::fs::write(&path, &new).unwrap();
    let uri = uri_of(&path);
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": new}}),
    )
    .await;
    wait_refresh(&mut c).await;
    assert_eq!(
        lens_titles(&mut c, &uri).await,
        ["1 new grant since HEAD", "no new access since HEAD"]
    );
    let r = c
        .request(
            "workspace/executeCommand",
            json!({"command": "iam-policy-ls.showNewAccess", "arguments": [uri, "A/PolicyDocument"]}),
        )
        .await;
    assert_eq!(
        r["result"]["findings"][0]["witness"]["action"], "s3:PutObject",
        "{r}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
