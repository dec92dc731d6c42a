//! Workspace folders added and removed after start-up (`workspace/didChangeWorkspaceFolders`),
//! and the `[format]` table of `.iam-policy-ls.toml` over the editor's formatting options.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common;

const BAD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "iam-policy-ls-folders-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    std::fs::canonicalize(&dir).unwrap()
}

fn folder_uri(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

fn uri(dir: &Path, rel: &str) -> String {
    format!("file://{}/{rel}", dir.display())
}

type TestClient = common::Client<
    tokio::io::ReadHalf<tokio::io::DuplexStream>,
    tokio::io::WriteHalf<tokio::io::DuplexStream>,
>;

async fn start(folders: &[&Path], options: Value, pull: bool) -> TestClient {
    let mut c = common::in_process();
    let caps = if pull {
        json!({"textDocument": {"diagnostic": {}}, "workspace": {"workspaceFolders": true}})
    } else {
        json!({"workspace": {"workspaceFolders": true}})
    };
    let folders: Vec<Value> = folders
        .iter()
        .map(|d| json!({"uri": folder_uri(d), "name": "f"}))
        .collect();
    let r = c
        .request(
            "initialize",
            json!({"processId": null, "rootUri": null, "workspaceFolders": folders,
                   "capabilities": caps, "initializationOptions": options}),
        )
        .await;
    assert_eq!(
        r["result"]["capabilities"]["workspace"]["workspaceFolders"],
        json!({"supported": true, "changeNotifications": true}),
        "{r}"
    );
    c.notify("initialized", json!({})).await;
    c
}

async fn change_folders(c: &mut TestClient, added: &[&Path], removed: &[&Path]) {
    let list = |v: &[&Path]| -> Vec<Value> {
        v.iter()
            .map(|d| json!({"uri": folder_uri(d), "name": "f"}))
            .collect()
    };
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": list(added), "removed": list(removed)}}),
    )
    .await;
}

/// `workspace/diagnostic` with previous result ids: (uri, kind, number of findings), sorted.
async fn pull(c: &mut TestClient, previous: &[(String, String)]) -> Vec<(String, String, usize)> {
    let ids: Vec<Value> = previous
        .iter()
        .map(|(u, id)| json!({"uri": u, "value": id}))
        .collect();
    let r = c
        .request("workspace/diagnostic", json!({"previousResultIds": ids}))
        .await;
    let mut out: Vec<(String, String, usize)> = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["uri"].as_str().unwrap().to_owned(),
                i["kind"].as_str().unwrap().to_owned(),
                i["items"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn added_folders_are_reported_and_removed_ones_cleared_when_pulling() {
    let a = folder("pull-a", &[("policies/a.json", BAD)]);
    let b = folder("pull-b", &[("policies/b.json", BAD)]);
    let mut c = start(&[&a], json!({}), true).await;
    let first = pull(&mut c, &[]).await;
    assert_eq!(first, vec![(uri(&a, "policies/a.json"), "full".into(), 1)]);
    let r = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let id_a = r["result"]["items"][0]["resultId"]
        .as_str()
        .unwrap()
        .to_owned();
    change_folders(&mut c, &[&b], &[&a]).await;
    // b's file is reported; a's, which the client holds findings for, is cleared.
    let second = pull(&mut c, &[(uri(&a, "policies/a.json"), id_a.clone())]).await;
    assert_eq!(
        second,
        vec![
            (uri(&a, "policies/a.json"), "full".into(), 0),
            (uri(&b, "policies/b.json"), "full".into(), 1),
        ]
    );
    // Both folders: both files, a's reported again.
    change_folders(&mut c, &[&a], &[]).await;
    let third = pull(&mut c, &[]).await;
    assert_eq!(
        third,
        vec![
            (uri(&a, "policies/a.json"), "full".into(), 1),
            (uri(&b, "policies/b.json"), "full".into(), 1),
        ]
    );
    // A folder that was never there: nothing changes.
    change_folders(&mut c, &[], &[Path::new("/nonexistent-folder")]).await;
    assert_eq!(pull(&mut c, &[]).await, third);
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[tokio::test]
async fn pushed_findings_follow_the_folders() {
    let a = folder("push-a", &[("policies/a.json", BAD)]);
    let b = folder("push-b", &[("policies/b.json", BAD)]);
    let mut c = start(
        &[&a],
        json!({"iamPolicy": {"workspaceDiagnostics": true}}),
        false,
    )
    .await;
    let published = |u: String, n: usize| {
        move |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u.as_str()
                && m["params"]["diagnostics"].as_array().map(Vec::len) == Some(n)
        }
    };
    c.wait_for(published(uri(&a, "policies/a.json"), 1)).await;
    change_folders(&mut c, &[&b], &[&a]).await;
    c.wait_for(published(uri(&b, "policies/b.json"), 1)).await;
    c.wait_for(published(uri(&a, "policies/a.json"), 0)).await;
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

/// The project's `[format]` wins over the editor's `tabSize`/`insertSpaces`; without it, the
/// editor's options apply.
#[tokio::test]
async fn formatting_follows_the_project_file() {
    let ugly = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let dir = folder(
        "format",
        &[
            (".iam-policy-ls.toml", "[format]\nindent-width = 2\n"),
            ("policies/p.json", ugly),
        ],
    );
    let other = folder("format-free", &[("policies/p.json", ugly)]);
    let mut c = start(&[&dir, &other], json!({}), true).await;
    for (u, want) in [
        (uri(&dir, "policies/p.json"), "{\n  \"Version\""),
        (uri(&other, "policies/p.json"), "{\n\t\"Version\""),
    ] {
        c.open(&u, ugly, 1).await;
        let r = c
            .request(
                "textDocument/formatting",
                json!({"textDocument": {"uri": u}, "options": {"tabSize": 8, "insertSpaces": false}}),
            )
            .await;
        // The document is one line: positions are byte offsets on line 0.
        let mut edits: Vec<(usize, usize, String)> = r["result"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"))
            .iter()
            .map(|e| {
                let at = |p: &Value| {
                    assert_eq!(p["line"], 0, "{r}");
                    usize::try_from(p["character"].as_u64().unwrap()).unwrap()
                };
                let text = e["newText"].as_str().unwrap().to_owned();
                (at(&e["range"]["start"]), at(&e["range"]["end"]), text)
            })
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut new = ugly.to_owned();
        for (s, e, text) in edits {
            new.replace_range(s..e, &text);
        }
        assert!(new.starts_with(want), "{u}:\n{new}");
    }
    c.shutdown_and_exit().await;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&other);
}
