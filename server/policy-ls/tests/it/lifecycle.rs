//! End to end over an in-process transport: lifecycle, incremental sync, diagnostics, encodings.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{codes, edit, range_of};
use serde_json::{Value, json};

const URI: &str = "file:///work/policies/p.json";

const POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::bucket/*\"\n    }\n  ]\n}\n";

#[tokio::test]
async fn initialize_advertises_incremental_sync_and_encoding() {
    let mut c = common::in_process();
    let r = c.initialize(json!({})).await;
    let caps = &r["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "{caps}");
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["diagnosticProvider"]["identifier"], "iam-policy-ls");
    assert_eq!(r["result"]["serverInfo"]["name"], "iam-policy-ls");
    c.shutdown_and_exit().await;

    let mut c = common::in_process();
    let r = c
        .initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}))
        .await;
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-8");
}

#[tokio::test]
async fn diagnostics_on_open_and_after_incremental_edits() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.open(URI, POLICY, 1).await;
    assert!(c.diagnostics(URI, 1).await.is_empty());

    // `"Effect": "Allow"` -> `"Effect": "allow"` (line 4, the `A` at column 17).
    c.change(URI, 2, json!([edit(4, 17, 4, 18, "a")])).await;
    let d = c.diagnostics(URI, 2).await;
    assert_eq!(codes(&d), ["A009"]);
    assert_eq!(range_of(&d[0]), [[4, 16], [4, 23]]);
    assert_eq!(d[0]["source"], "iam-policy-ls");
    assert_eq!(d[0]["severity"], 1);

    // Two edits in one notification, applied in order: fix it back, then rename `Action`.
    c.change(
        URI,
        3,
        json!([edit(4, 17, 4, 18, "A"), edit(5, 7, 5, 13, "Actions")]),
    )
    .await;
    let d = c.diagnostics(URI, 3).await;
    assert_eq!(codes(&d), ["A003"], "{d:?}");
    assert_eq!(range_of(&d[0]), [[5, 6], [5, 15]]);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn emoji_and_crlf_positions_are_utf16() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    let text = "{\r\n\"Version\": \"2012-10-17\",\r\n\"Statement\": [{\"Sid\": \"😀\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"}]\r\n}\r\n";
    c.open(URI, text, 1).await;
    let d = c.diagnostics(URI, 1).await;
    // The emoji Sid is invalid: its range is the string token, in UTF-16 columns.
    assert_eq!(codes(&d), ["A013"]);
    assert_eq!(range_of(&d[0]), [[2, 22], [2, 26]]);
    // Insert after the emoji (UTF-16 column 25 = after `"😀`), making the Sid `😀x`.
    c.change(URI, 2, json!([edit(2, 25, 2, 25, "x")])).await;
    let d = c.diagnostics(URI, 2).await;
    assert_eq!(range_of(&d[0]), [[2, 22], [2, 27]]);
    assert!(
        d[0]["message"].as_str().unwrap_or_default().contains("😀x"),
        "{d:?}"
    );
}

#[tokio::test]
async fn utf8_encoding_when_negotiated() {
    let mut c = common::in_process();
    c.initialize(json!({"general": {"positionEncodings": ["utf-8"]}}))
        .await;
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"é\", \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"}]}";
    c.open(URI, text, 1).await;
    let d = c.diagnostics(URI, 1).await;
    let effect = d.iter().find(|d| d["code"] == "A009").expect("A009");
    // Byte columns: `é` is two bytes, so the `"allow"` starts at byte 64.
    assert_eq!(range_of(effect), [[0, 64], [0, 71]]);
}

#[tokio::test]
async fn out_of_range_and_stale_edits_do_not_crash() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.open(URI, POLICY, 5).await;
    c.diagnostics(URI, 5).await;
    // Past the end: clamped (appends at the end).
    c.change(URI, 6, json!([edit(999, 999, 1000, 0, "\n")]))
        .await;
    assert!(c.diagnostics(URI, 6).await.is_empty());
    // Stale version: ignored, nothing published for it.
    c.change(URI, 3, json!([edit(0, 0, 0, 1, "X")])).await;
    // A later valid edit still applies to the right text.
    c.change(URI, 7, json!([edit(4, 17, 4, 18, "a")])).await;
    assert_eq!(codes(&c.diagnostics(URI, 7).await), ["A009"]);
    // Unknown document: ignored.
    c.change("file:///nope.json", 2, json!([edit(0, 0, 0, 0, "x")]))
        .await;
    // Pull diagnostics still answer.
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(r["result"]["kind"], "full");
    assert_eq!(codes(r["result"]["items"].as_array().unwrap()), ["A009"]);
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn non_policy_json_is_left_alone() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    let uri = "file:///work/package.json";
    c.open(uri, "{\"name\": \"x\", \"version\": 1,}", 1).await;
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(r["result"]["items"], json!([]));
    let d = c.diagnostics(uri, 1).await;
    assert!(d.is_empty());
    // Becomes a policy once it has a Statement.
    c.change(uri, 2, common::full("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"}]}")).await;
    assert_eq!(codes(&c.diagnostics(uri, 2).await), ["A004"]);
    // A path matching a policy glob is a policy even without a Statement.
    let uri = "file:///work/a.policy.json";
    c.open(uri, "{}", 1).await;
    assert_eq!(codes(&c.diagnostics(uri, 1).await), ["A004", "A007"]);
}

#[tokio::test]
async fn pull_clients_get_no_push() {
    let mut c = common::in_process();
    c.initialize(json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}))
        .await;
    c.open(URI, "{\"Statement\": []}", 1).await;
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(
        codes(r["result"]["items"].as_array().unwrap()),
        ["A004", "A007"]
    );
    let pushed = c
        .try_wait_for(
            |m| m["method"] == "textDocument/publishDiagnostics",
            std::time::Duration::from_millis(300),
        )
        .await;
    assert!(pushed.is_none(), "{pushed:?}");
}

#[tokio::test]
async fn settings_change_reanalyses_open_documents() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.open(URI, "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\",}]}", 1).await;
    assert_eq!(codes(&c.diagnostics(URI, 1).await), ["A004", "A001"]);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"iamPolicy": {"lenient": true, "disabledRules": ["missing-version"]}}}),
    )
    .await;
    assert!(c.diagnostics(URI, 1).await.is_empty());
}

#[tokio::test]
async fn requests_on_unknown_documents_and_unknown_methods() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": "file:///none.json"}}),
        )
        .await;
    assert!(r.get("error").is_some(), "{r}");
    let r = c.request("iam/unknown", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.request("textDocument/hover", json!({"textDocument": {"uri": "file:///none.json"}, "position": {"line": 0, "character": 0}})).await;
    assert_eq!(r["result"], Value::Null, "{r}");
    c.shutdown_and_exit().await;
}

/// Typing fast: many incremental edits sent without waiting are applied in order (the server
/// processes messages one at a time), so the final diagnostics describe the editor's text.
#[tokio::test]
async fn burst_of_keystrokes_is_applied_in_order() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    let start = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
    c.open(URI, start, 1).await;
    let typed = "s3:GetObjectx";
    let col = start.find("\"\",").map_or(0, |i| i + 1) as u32;
    for (i, ch) in typed.chars().enumerate() {
        let at = col + i as u32;
        c.change(
            URI,
            2 + i as i64,
            json!([edit(0, at, 0, at, &ch.to_string())]),
        )
        .await;
    }
    let last = 1 + typed.len() as i64;
    let d = c.diagnostics(URI, last).await;
    // `s3:GetObjectx` is unknown: the message names exactly the typed text.
    assert!(
        d.iter().any(|d| d["message"]
            .as_str()
            .unwrap_or_default()
            .contains("GetObjectx")),
        "{d:?}"
    );
    assert!(!d.iter().any(|d| d["code"] == "A001"), "{d:?}");
}

/// The server honours `.iam-policy-ls.toml` (nearest parent) and `<name>.suppress.json`, like `check`.
#[tokio::test]
async fn project_configuration_applies_in_the_editor() {
    let dir = std::env::temp_dir().join(format!("iam-policy-ls-project-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).expect("dirs");
    std::fs::write(
        dir.join(".iam-policy-ls.toml"),
        "[rules]\nmissing-version = \"off\"\n",
    )
    .expect("config");
    let policy = dir.join("sub/p.json");
    let text = "{\"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
    std::fs::write(&policy, text).expect("policy");
    std::fs::write(
        dir.join("sub/p.suppress.json"),
        "{\"suppress\": [{\"rule\": \"A009\", \"reason\": \"testing suppression\"}]}",
    )
    .expect("sidecar");
    let uri = format!("file://{}", policy.display());
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    c.open(&uri, text, 1).await;
    let d = c.diagnostics(&uri, 1).await;
    assert!(d.is_empty(), "{d:?}");
    // Without the configuration files, both findings come back (after a settings change, which
    // drops cached configurations).
    std::fs::remove_file(dir.join(".iam-policy-ls.toml")).expect("rm");
    std::fs::remove_file(dir.join("sub/p.suppress.json")).expect("rm");
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}))
        .await;
    assert_eq!(codes(&c.diagnostics(&uri, 1).await), ["A004", "A009"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Inlay hints follow the `inlayHints` setting.
#[tokio::test]
async fn inlay_hints_are_configurable() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecs:Describe*\", \"Resource\": \"*\"}]}";
    c.open(URI, text, 1).await;
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}});
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": range}),
        )
        .await;
    let labels: Vec<String> = hints["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(labels.iter().any(|l| l.ends_with(" actions")), "{labels:?}");
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"iamPolicy": {"inlayHints": {"wildcardCounts": false}, "logLevel": "debug"}}}))
        .await;
    let hints = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": range}),
        )
        .await;
    assert_eq!(hints["result"], json!([]), "{hints}");
}

/// A selection range in a deeply nested document stays within clients' JSON depth limits.
#[tokio::test]
async fn selection_ranges_stay_shallow_in_deep_documents() {
    let mut c = common::in_process();
    c.initialize(json!({})).await;
    let depth = 120;
    let text = format!(
        "{{\"Statement\": [{{\"Effect\": \"Allow\", \"Action\": {}\"x\"{}}}]}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    c.open(URI, &text, 1).await;
    let col = text.find("\"x\"").unwrap() as u32 + 1;
    let r = c
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": URI}, "positions": [{"line": 0, "character": col}]}),
        )
        .await;
    let mut node = &r["result"][0];
    let mut n = 0;
    while !node.is_null() {
        n += 1;
        node = &node["parent"];
    }
    assert!((2..=48).contains(&n), "{n}: {r}");
}
