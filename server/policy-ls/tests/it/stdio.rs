//! The built binary over real stdio: initialize, diagnostics, shutdown and exit code.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::process::Stdio;

use serde_json::json;

#[tokio::test]
async fn binary_serves_over_stdio() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn iam-policy-ls");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let mut c = common::Client::new(stdout, stdin);
    let r = c.initialize(json!({})).await;
    assert_eq!(r["result"]["serverInfo"]["name"], "iam-policy-ls");
    let uri = "file:///tmp/x.json";
    c.open(uri, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Permit\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"}]}", 1)
        .await;
    let d = c.diagnostics(uri, 1).await;
    assert_eq!(common::codes(&d), ["A009"]);
    c.shutdown_and_exit().await;
    let status = tokio::time::timeout(common::TIMEOUT, child.wait())
        .await
        .expect("exit in time")
        .expect("status");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn exit_without_shutdown_exits_with_1() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let mut c = common::Client::new(stdout, stdin);
    c.initialize(json!({})).await;
    c.notify("exit", serde_json::Value::Null).await;
    let status = tokio::time::timeout(common::TIMEOUT, child.wait())
        .await
        .expect("exit in time")
        .expect("status");
    assert_eq!(status.code(), Some(1));
}
