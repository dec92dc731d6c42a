//! Workspace diagnostics: `workspace/diagnostic` (pull, result ids), the file watcher, and the
//! `workspaceDiagnostics` setting (push), over a temporary workspace on disk.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common;

const BAD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
const GOOD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}"#;
const UNKNOWN_ACTION: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::bucket/*"}]}"#;

/// A workspace: two policies with findings, a clean one, one whose finding is suppressed, a
/// template, a non-policy JSON, and policies in `node_modules`, `.git` and `target`.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "iam-policy-ls-wsdiag-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["policies", "node_modules/dep", ".git", "target", "infra"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let files = [
        ("policies/bad.json", BAD),
        ("clean.policy.json", GOOD),
        ("unknown.json", UNKNOWN_ACTION),
        ("suppressed.json", BAD),
        (
            "suppressed.suppress.json",
            r#"{"suppress": [{"rule": "A009", "reason": "tested"}]}"#,
        ),
        ("package.json", r#"{"name": "app", "version": "1.0.0"}"#),
        ("node_modules/dep/policy.json", BAD),
        (".git/policy.json", BAD),
        ("target/policy.json", BAD),
    ];
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    let template =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hosts/template.yaml");
    std::fs::copy(template, dir.join("infra/template.yaml")).unwrap();
    std::fs::canonicalize(&dir).unwrap()
}

fn uri(dir: &Path, rel: &str) -> String {
    format!("file://{}/{rel}", dir.display())
}

type TestClient = common::Client<
    tokio::io::ReadHalf<tokio::io::DuplexStream>,
    tokio::io::WriteHalf<tokio::io::DuplexStream>,
>;

async fn start(dir: &Path, capabilities: Value, options: Value) -> TestClient {
    let mut c = common::in_process();
    let r = c
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "workspaceFolders": [{"uri": format!("file://{}", dir.display()), "name": "ws"}],
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        )
        .await;
    assert_eq!(
        r["result"]["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"], true,
        "{r}"
    );
    c.notify("initialized", json!({})).await;
    c
}

/// Sends `workspace/diagnostic` with the given previous result ids; returns the report per URI
/// (relative to `dir`): kind, result id, codes.
async fn pull(
    c: &mut TestClient,
    dir: &Path,
    previous: &BTreeMap<String, (String, Option<String>, Vec<String>)>,
) -> BTreeMap<String, (String, Option<String>, Vec<String>)> {
    let prefix = format!("file://{}/", dir.display());
    let ids: Vec<Value> = previous
        .iter()
        .filter_map(|(rel, (_, id, _))| {
            id.as_ref()
                .map(|id| json!({"uri": format!("{prefix}{rel}"), "value": id}))
        })
        .collect();
    let r = c
        .request("workspace/diagnostic", json!({"previousResultIds": ids}))
        .await;
    assert!(r.get("error").is_none(), "{r}");
    r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let rel = item["uri"].as_str().unwrap().trim_start_matches(&prefix);
            let codes = item["items"]
                .as_array()
                .map(|a| common::codes(a))
                .unwrap_or_default();
            (
                rel.to_owned(),
                (
                    item["kind"].as_str().unwrap().to_owned(),
                    item["resultId"].as_str().map(str::to_owned),
                    codes,
                ),
            )
        })
        .collect()
}

fn kinds(r: &BTreeMap<String, (String, Option<String>, Vec<String>)>) -> Vec<(&str, &str)> {
    r.iter().map(|(k, v)| (k.as_str(), v.0.as_str())).collect()
}

const PULL_CAPS: &str = r#"{
    "textDocument": {"diagnostic": {"dynamicRegistration": false}},
    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "diagnostics": {"refreshSupport": true}}
}"#;

#[tokio::test]
async fn pull_reports_every_policy_file_once_then_unchanged() {
    let dir = workspace("pull");
    let mut c = start(&dir, serde_json::from_str(PULL_CAPS).unwrap(), json!({})).await;
    // The server watches the policy files (dynamic registration).
    let reg = c
        .wait_for(|m| m["method"] == "client/registerCapability")
        .await;
    assert_eq!(
        reg["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles",
        "{reg}"
    );

    let first = pull(&mut c, &dir, &BTreeMap::new()).await;
    let files: Vec<&str> = first.keys().map(String::as_str).collect();
    // No package.json (not a policy), nothing under node_modules, .git or target.
    assert_eq!(
        files,
        [
            "clean.policy.json",
            "infra/template.yaml",
            "policies/bad.json",
            "suppressed.json",
            "unknown.json"
        ]
    );
    assert!(
        first
            .values()
            .all(|(kind, id, _)| kind == "full" && id.is_some())
    );
    assert_eq!(first["policies/bad.json"].2, ["A009"]);
    assert_eq!(first["unknown.json"].2, ["B002"]);
    assert_eq!(first["clean.policy.json"].2, Vec::<String>::new());
    // The sidecar suppression holds for an unopened file.
    assert!(!first["suppressed.json"].2.contains(&"A009".to_owned()));
    // The template's findings, at host positions.
    let tpl = &first["infra/template.yaml"].2;
    assert!(
        tpl.contains(&"B002".to_owned()) && tpl.contains(&"A009".to_owned()),
        "{tpl:?}"
    );

    // Nothing changed: every file is `unchanged`, with the same result id.
    let second = pull(&mut c, &dir, &first).await;
    assert!(
        second.values().all(|(kind, _, _)| kind == "unchanged"),
        "{second:?}"
    );
    for (f, (_, id, _)) in &second {
        assert_eq!(id, &first[f].1, "{f}");
    }

    // A file fixed on disk, another deleted, a new one created: the watcher says so.
    std::fs::write(dir.join("policies/bad.json"), GOOD).unwrap();
    std::fs::remove_file(dir.join("unknown.json")).unwrap();
    std::fs::write(dir.join("policies/new.json"), BAD).unwrap();
    std::fs::write(dir.join("node_modules/dep/policy.json"), UNKNOWN_ACTION).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": uri(&dir, "policies/bad.json"), "type": 2},
            {"uri": uri(&dir, "unknown.json"), "type": 3},
            {"uri": uri(&dir, "policies/new.json"), "type": 1},
            {"uri": uri(&dir, "node_modules/dep/policy.json"), "type": 2},
        ]}),
    )
    .await;
    // The server asks the client to pull again.
    c.wait_for(|m| m["method"] == "workspace/diagnostic/refresh")
        .await;
    let third = pull(&mut c, &dir, &second).await;
    assert_eq!(
        kinds(&third),
        [
            ("clean.policy.json", "unchanged"),
            ("infra/template.yaml", "unchanged"),
            ("policies/bad.json", "full"),
            ("policies/new.json", "full"),
            ("suppressed.json", "unchanged"),
            ("unknown.json", "full"),
        ]
    );
    assert!(third["policies/bad.json"].2.is_empty());
    assert_eq!(third["policies/new.json"].2, ["A009"]);
    // The deleted file is cleared.
    assert!(third["unknown.json"].2.is_empty() && third["unknown.json"].1.is_none());

    // An open document is reported from its text, with its version (pull mode: nothing is
    // published; the open is handled before the next request).
    c.open(&uri(&dir, "clean.policy.json"), BAD, 3).await;
    let r = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let open = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uri"] == uri(&dir, "clean.policy.json"))
        .unwrap()
        .clone();
    assert_eq!(open["version"], 3, "{open}");
    assert_eq!(common::codes(open["items"].as_array().unwrap()), ["A009"]);
    // A document pull for a workspace file that is not open (VS Code sends one after closing a
    // document) answers its findings on disk.
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri(&dir, "policies/new.json")}}),
        )
        .await;
    assert_eq!(r["result"]["kind"], "full", "{r}");
    assert_eq!(
        common::codes(r["result"]["items"].as_array().unwrap()),
        ["A009"]
    );

    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn configuration_changes_reanalyse_the_workspace() {
    let dir = workspace("config");
    let mut c = start(&dir, serde_json::from_str(PULL_CAPS).unwrap(), json!({})).await;
    let first = pull(&mut c, &dir, &BTreeMap::new()).await;
    assert_eq!(first["policies/bad.json"].2, ["A009"]);
    std::fs::write(dir.join(".iam-policy-ls.toml"), "[rules]\nA009 = \"off\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&dir, ".iam-policy-ls.toml"), "type": 1}]}),
    )
    .await;
    let second = pull(&mut c, &dir, &first).await;
    assert_eq!(second["policies/bad.json"].0, "full");
    assert!(second["policies/bad.json"].2.is_empty(), "{second:?}");
    assert_eq!(second["unknown.json"].0, "unchanged");
    // Settings: a rule disabled in the client's settings.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"iamPolicy": {"disabledRules": ["B002"]}}}),
    )
    .await;
    let third = pull(&mut c, &dir, &second).await;
    assert_eq!(third["unknown.json"].0, "full");
    assert!(third["unknown.json"].2.is_empty(), "{third:?}");
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn without_a_watcher_changes_on_disk_are_found_at_the_next_pull() {
    let dir = workspace("nowatch");
    let caps = json!({"textDocument": {"diagnostic": {}}});
    let mut c = start(&dir, caps, json!({})).await;
    let first = pull(&mut c, &dir, &BTreeMap::new()).await;
    assert_eq!(first["policies/bad.json"].2, ["A009"]);
    std::fs::write(dir.join("policies/bad.json"), format!("{GOOD}\n")).unwrap();
    std::fs::write(dir.join("more.policy.json"), BAD).unwrap();
    let second = pull(&mut c, &dir, &first).await;
    assert_eq!(second["policies/bad.json"].0, "full");
    assert!(second["policies/bad.json"].2.is_empty());
    assert_eq!(second["more.policy.json"].2, ["A009"]);
    assert_eq!(second["unknown.json"].0, "unchanged");
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The next `publishDiagnostics` for `u`: its version and codes.
async fn published(c: &mut TestClient, u: String) -> (Value, Vec<String>) {
    let m = c
        .wait_for(move |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u.as_str()
        })
        .await;
    (
        m["params"]["version"].clone(),
        common::codes(m["params"]["diagnostics"].as_array().unwrap()),
    )
}

#[tokio::test]
async fn the_setting_publishes_for_clients_that_do_not_pull() {
    let dir = workspace("push");
    let mut c = start(
        &dir,
        json!({}),
        json!({"iamPolicy": {"workspaceDiagnostics": true}}),
    )
    .await;
    let bad = uri(&dir, "policies/bad.json");
    assert_eq!(
        published(&mut c, bad.clone()).await,
        (Value::Null, vec!["A009".to_owned()])
    );
    assert_eq!(
        published(&mut c, uri(&dir, "unknown.json")).await,
        (Value::Null, vec!["B002".to_owned()])
    );
    // Opened: its own versioned diagnostics; closed: cleared, then its findings on disk again.
    c.open(&bad, GOOD, 1).await;
    assert!(c.diagnostics(&bad, 1).await.is_empty());
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": bad}}),
    )
    .await;
    assert_eq!(published(&mut c, bad.clone()).await, (Value::Null, vec![]));
    assert_eq!(
        published(&mut c, bad.clone()).await,
        (Value::Null, vec!["A009".to_owned()])
    );
    // Nothing was published for dependencies or build output, nor for the non-policy JSON:
    // everything the server sent before the shutdown answer is in the inbox by then.
    let r = c.request("shutdown", Value::Null).await;
    assert!(r.get("error").is_none());
    for rel in [
        "node_modules/dep/policy.json",
        ".git/policy.json",
        "target/policy.json",
        "package.json",
    ] {
        let u = uri(&dir, rel);
        let m = c
            .try_wait_for(
                move |m| m["params"]["uri"] == u.as_str(),
                std::time::Duration::ZERO,
            )
            .await;
        assert!(m.is_none(), "{rel}: {m:?}");
    }
    c.notify("exit", Value::Null).await;
    let _ = std::fs::remove_dir_all(&dir);
}
