//! Policy tests as you type, code lenses, and the `iam-policy-ls.simulate` command, end to end.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::codes;
use serde_json::json;

const POLICY_URI: &str = "file:///work/p/run.json";
const TESTS_URI: &str = "file:///work/p/run.tests.json";

const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Run", "Effect": "Allow", "Action": "ecs:RunTask", "Resource": "*",
 "Condition": {"ArnEquals": {"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default"}}}]}"#;

const TESTS: &str = r#"[
  {"name": "default cluster", "request": {"action": "ecs:RunTask", "resource": "*", "context": {"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default"}}, "expect": "Allow"},
  {"name": "prod cluster", "request": {"action": "ecs:RunTask", "resource": "*", "context": {"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/prod"}}, "expect": "Allow"}
]"#;

#[tokio::test]
async fn failing_test_is_a_diagnostic_and_edits_of_the_policy_rerun_it() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.open(POLICY_URI, POLICY, 1).await;
    c.open(TESTS_URI, TESTS, 1).await;
    let d = c.diagnostics(TESTS_URI, 1).await;
    assert_eq!(codes(&d), ["T001"], "{d:?}");
    assert_eq!(common::range_of(&d[0]), [[2, 11], [2, 25]]);
    let msg = d[0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("expects Allow but the policy gives ImplicitDeny"),
        "{msg}"
    );

    // Widen the condition in the policy: the tests file is re-evaluated and its diagnostic goes.
    let widened = POLICY
        .replace("ArnEquals", "ArnLike")
        .replace("cluster/default", "cluster/*");
    c.change(POLICY_URI, 2, common::full(&widened)).await;
    assert!(c.diagnostics(TESTS_URI, 1).await.is_empty());

    // Code lenses show each test's decision.
    let r = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": TESTS_URI}}),
        )
        .await;
    let titles: Vec<&str> = r["result"]
        .as_array()
        .expect("lenses")
        .iter()
        .filter_map(|l| l["command"]["title"].as_str())
        .collect();
    assert_eq!(titles, ["✓ Allow", "✓ Allow"]);
}

/// `[rules] T001 = "off"` in the project configuration silences failing tests; a severity
/// setting changes theirs.
#[tokio::test]
async fn project_configuration_sets_the_policy_test_rules() {
    let dir = std::env::temp_dir().join(format!("iam-pt-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let uri = |name: &str| format!("file://{}/{name}", dir.display());
    for (setting, expected) in [("\"off\"", None), ("\"warning\"", Some(2))] {
        std::fs::write(
            dir.join(".iam-policy-ls.toml"),
            format!("[rules]\nT001 = {setting}\n"),
        )
        .unwrap();
        let mut c = common::in_process();
        c.initialize(json!({})).await;
        c.open(&uri("run.json"), POLICY, 1).await;
        c.open(&uri("run.tests.json"), TESTS, 1).await;
        let d = c.diagnostics(&uri("run.tests.json"), 1).await;
        match expected {
            None => assert!(d.is_empty(), "{d:?}"),
            Some(severity) => {
                assert_eq!(codes(&d), ["T001"], "{d:?}");
                assert_eq!(d[0]["severity"], severity);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn simulate_command() {
    let mut c = common::in_process();
    let init = c.initialize(json!({})).await;
    assert_eq!(
        init["result"]["capabilities"]["executeCommandProvider"]["commands"],
        json!(["iam-policy-ls.simulate", "iam-policy-ls.showNewAccess"])
    );
    c.open(POLICY_URI, POLICY, 1).await;
    let req = json!({"action": "ecs:RunTask", "resource": "*", "context": {"ecs:cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/default"}});
    let r = c
        .request("workspace/executeCommand", json!({"command": "iam-policy-ls.simulate", "arguments": [{"uri": POLICY_URI, "request": req}]}))
        .await;
    assert_eq!(r["result"]["decision"], "Allow", "{r}");
    let r = c
        .request("workspace/executeCommand", json!({"command": "iam-policy-ls.simulate", "arguments": [POLICY_URI, {"action": "ecs:StopTask", "resource": "*"}]}))
        .await;
    assert_eq!(r["result"]["decision"], "ImplicitDeny", "{r}");
    // Bad arguments are errors, not crashes.
    for args in [
        json!([]),
        json!([{"uri": POLICY_URI}]),
        json!([{"uri": "file:///missing.json", "request": req}]),
        json!([{"uri": POLICY_URI, "request": {"action": 1}}]),
    ] {
        let r = c
            .request(
                "workspace/executeCommand",
                json!({"command": "iam-policy-ls.simulate", "arguments": args}),
            )
            .await;
        assert_eq!(r["error"]["code"], -32602, "{r}");
    }
    let r = c
        .request(
            "workspace/executeCommand",
            json!({"command": "nope", "arguments": []}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
}
