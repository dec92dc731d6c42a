//! Protocol abuse over REAL stdio (the built binary): malformed frames, invalid JSON, JSON that is
//! not JSON-RPC, unknown methods, requests before `initialize`, notifications for unknown
//! documents, stale versions, odd ranges, a burst of edits, cancellation, requests after
//! `shutdown`, `exit` without `shutdown`, and a deliberately panicking handler. After each, the
//! server still answers a normal request (and its document text is still right), or exits as the
//! specification says. Every case is listed in docs/reliability.md.

use crate::common;

use std::process::Stdio;

use common::edit;
use serde_json::{Value, json};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWriteExt;
use tokio::process::{Child, ChildStdin, ChildStdout};

type StdioClient = common::Client<ChildStdout, ChannelWriter>;

const URI: &str = "file:///work/policies/p.json";

/// A valid policy; line 4 is `      "Effect": "Allow",` (the `A` at UTF-16 column 17).
const POLICY: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::bucket/*\"\n    }\n  ]\n}\n";

/// The client's writer: an unbounded channel drained into the server's stdin by a task, so that
/// sending never blocks reading (a real editor reads and writes concurrently; a test that writes
/// 10,000 edits without reading would otherwise deadlock on full pipes).
struct ChannelWriter(tokio::sync::mpsc::UnboundedSender<Vec<u8>>);

impl tokio::io::AsyncWrite for ChannelWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(
            self.0
                .send(buf.to_vec())
                .map(|()| buf.len())
                .map_err(|_| std::io::ErrorKind::BrokenPipe.into()),
        )
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

fn spawn_with(env: &[(&str, &str)]) -> (Child, StdioClient) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"));
    cmd.arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn iam-policy-ls");
    let mut stdin: ChildStdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(async move {
        // Ends (closing stdin) when the client is dropped or the server has gone.
        while let Some(bytes) = rx.recv().await {
            if stdin.write_all(&bytes).await.is_err() || stdin.flush().await.is_err() {
                break;
            }
        }
    });
    (child, common::Client::new(stdout, ChannelWriter(tx)))
}

fn spawn() -> (Child, StdioClient) {
    spawn_with(&[])
}

/// Codes of the errors and warnings (hints and information notes are left out, so that new
/// advisory rules do not change these tests).
fn significant(diags: &[Value]) -> Vec<String> {
    let kept: Vec<Value> = diags
        .iter()
        .filter(|d| d["severity"].as_u64().is_some_and(|s| s <= 2))
        .cloned()
        .collect();
    common::codes(&kept)
}

/// The A013 (invalid Sid) diagnostic.
fn a013(diags: &[Value]) -> &Value {
    diags
        .iter()
        .find(|d| d["code"] == "A013")
        .expect("an A013 diagnostic")
}

/// Frames `body` with a correct Content-Length.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The server is alive: a pull diagnostic on the open policy answers with `expected` codes.
async fn assert_alive(c: &mut StdioClient, expected: &[&str]) {
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(r["result"]["kind"], "full", "{r}");
    assert_eq!(
        significant(r["result"]["items"].as_array().expect("items")),
        expected,
        "{r}"
    );
}

/// Initialized server with [`POLICY`] open at version 1.
async fn ready() -> (Child, StdioClient) {
    let (child, mut c) = spawn();
    let r = c.initialize(json!({})).await;
    assert!(r.get("result").is_some(), "{r}");
    c.open(URI, POLICY, 1).await;
    assert!(significant(&c.diagnostics(URI, 1).await).is_empty());
    (child, c)
}

async fn wait_exit(mut child: Child) -> Option<i32> {
    tokio::time::timeout(common::TIMEOUT, child.wait())
        .await
        .expect("exit in time")
        .expect("status")
        .code()
}

/// An error response with id `null` and `code`.
async fn null_id_error(c: &mut StdioClient, code: i64) -> Value {
    c.wait_for(move |m| m.get("id") == Some(&Value::Null) && m["error"]["code"] == code)
        .await
}

#[tokio::test]
async fn invalid_json_is_answered_with_a_parse_error_and_the_server_goes_on() {
    let (child, mut c) = ready().await;
    c.send_raw(&frame(b"{not json")).await;
    let e = null_id_error(&mut c, -32700).await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("parse error"),
        "{e}"
    );
    // Invalid UTF-8 inside a string, and an empty body.
    c.send_raw(&frame(b"{\"jsonrpc\": \"2.0\", \"method\": \"\xff\xfe\"}"))
        .await;
    null_id_error(&mut c, -32700).await;
    c.send_raw(&frame(b"")).await;
    null_id_error(&mut c, -32700).await;
    assert_alive(&mut c, &[]).await;
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn json_that_is_not_json_rpc_is_an_invalid_request() {
    let (child, mut c) = ready().await;
    // With a usable id: the error carries it.
    c.send_raw(&frame(br#"{"id": 77, "foo": 1}"#)).await;
    let e = c.response(77).await;
    assert_eq!(e["error"]["code"], -32600, "{e}");
    // Wrong version, a batch, a scalar, a method that is not a string: id null.
    for body in [
        &br#"{"jsonrpc": "1.0", "method": "initialized"}"#[..],
        b"[1, 2]",
        b"42",
        br#"{"jsonrpc": "2.0", "method": 5}"#,
    ] {
        c.send_raw(&frame(body)).await;
        null_id_error(&mut c, -32600).await;
    }
    // An id of the wrong type is not echoed.
    c.send_raw(&frame(br#"{"id": [1], "method": "x"}"#)).await;
    null_id_error(&mut c, -32600).await;
    assert_alive(&mut c, &[]).await;
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn malformed_headers_are_skipped_and_the_stream_resynchronises() {
    let (child, mut c) = ready().await;
    // Non-numeric, negative and absurd Content-Length values.
    for bad in ["abc", "-1", "99999999999999999999999", ""] {
        c.send_raw(format!("Content-Length: {bad}\r\n\r\n").as_bytes())
            .await;
        null_id_error(&mut c, -32700).await;
    }
    // A header block without Content-Length.
    c.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n")
        .await;
    null_id_error(&mut c, -32700).await;
    // Garbage glued in front of a valid message: skipped, the message is served.
    let mut bytes = b"garbage garbage garbage".to_vec();
    bytes.extend(frame(br#"{"jsonrpc": "2.0", "id": 500, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": "file:///work/policies/p.json"}}}"#));
    c.send_raw(&bytes).await;
    let r = c.response(500).await;
    assert_eq!(r["result"]["kind"], "full", "{r}");
    // Lower-case header name and an unsupported charset are accepted (the body is UTF-8 JSON).
    c.send_raw(b"content-length: 60\r\nContent-Type: application/json; charset=latin1\r\n\r\n")
        .await;
    c.send_raw(br#"{"jsonrpc": "2.0", "id": 501, "method": "shutdown", "x": 12}"#)
        .await;
    let r = c.response(501).await;
    assert!(r.get("error").is_none(), "{r}");
    c.notify("exit", Value::Null).await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn a_truncated_body_is_reported_and_the_next_message_still_served() {
    let (child, mut c) = ready().await;
    // Claims 400 bytes, sends 20: the next message completes it. The broken message gets a parse
    // error; the server resynchronises on the next header inside it and serves that request.
    c.send_raw(b"Content-Length: 400\r\n\r\n{\"jsonrpc\": \"2.0\", ")
        .await;
    let next = frame(br#"{"jsonrpc": "2.0", "id": 600, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": "file:///work/policies/p.json"}}}"#);
    c.send_raw(&next).await;
    // Pad so that the 400 bytes are complete.
    c.send_raw(&[b' '; 400]).await;
    null_id_error(&mut c, -32700).await;
    let r = c.response(600).await;
    assert_eq!(r["result"]["kind"], "full", "{r}");
    assert_alive(&mut c, &[]).await;
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn input_ending_inside_a_body_ends_the_server_with_1() {
    let (child, mut c) = ready().await;
    c.send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"").await;
    drop(c); // closes stdin
    assert_eq!(wait_exit(child).await, Some(1));
}

#[tokio::test]
async fn unknown_methods_and_requests_before_initialize() {
    let (child, mut c) = spawn();
    // Before initialize: requests are refused with ServerNotInitialized (-32002), notifications
    // are dropped.
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.open(URI, "{\"Statement\": []}", 1).await;
    let r = c.request("shutdown", Value::Null).await;
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let r = c.initialize(json!({})).await;
    assert!(r.get("result").is_some(), "{r}");
    // The didOpen before initialize was dropped: the document is not open.
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(r.get("error").is_some(), "{r}");
    // A second initialize is an error; the server goes on.
    let r = c.request("initialize", json!({"capabilities": {}})).await;
    assert!(r.get("error").is_some(), "{r}");
    // Unknown methods: MethodNotFound for requests; unknown notifications (also `$/` ones) ignored.
    let r = c.request("iam/unknown", json!({})).await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify("iam/unknownNotification", json!({})).await;
    c.notify("$/unknownNotification", json!({})).await;
    // Wrong params for a known method: InvalidParams.
    let r = c.request("textDocument/hover", json!({"nope": 1})).await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    c.open(URI, POLICY, 1).await;
    assert!(significant(&c.diagnostics(URI, 1).await).is_empty());
    assert_alive(&mut c, &[]).await;
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn notifications_for_documents_never_opened_are_ignored() {
    let (child, mut c) = ready().await;
    let other = "file:///work/policies/never.json";
    c.change(other, 2, json!([edit(0, 0, 0, 0, "x")])).await;
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": other}}),
    )
    .await;
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": other}}),
    )
    .await;
    // Requests on it: null results or an error, never a crash.
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": other}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(r["result"], Value::Null, "{r}");
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": other}}),
        )
        .await;
    assert!(r.get("error").is_some(), "{r}");
    // Not even a valid URI.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "::not a uri::", "version": 3}, "contentChanges": []}),
    )
    .await;
    assert_alive(&mut c, &[]).await;
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn versions_going_backwards_are_ignored_and_the_text_stays_right() {
    let (child, mut c) = ready().await;
    c.change(URI, 5, json!([edit(4, 17, 4, 18, "a")])).await; // Allow -> allow
    assert_eq!(significant(&c.diagnostics(URI, 5).await), ["A009"]);
    // Older and equal versions: ignored (no edit applied, nothing published).
    c.change(URI, 4, json!([edit(4, 17, 4, 18, "X")])).await;
    c.change(URI, 5, json!([edit(4, 17, 4, 18, "Y")])).await;
    c.change(URI, -3, json!([edit(0, 0, 0, 0, "garbage")]))
        .await;
    assert_alive(&mut c, &["A009"]).await;
    // The next newer version applies to the right text: fixing the `a` gives a clean policy.
    c.change(URI, 6, json!([edit(4, 17, 4, 18, "A")])).await;
    assert!(significant(&c.diagnostics(URI, 6).await).is_empty());
    // Reopening resets the version.
    c.open(URI, POLICY, 1).await;
    assert!(significant(&c.diagnostics(URI, 1).await).is_empty());
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn ranges_past_the_end_reversed_or_inside_a_surrogate_pair_are_clamped() {
    let (child, mut c) = spawn();
    c.initialize(json!({})).await;
    // Line 1: `"Statement": [{"Sid": "😀", ...` — the emoji is UTF-16 columns 23..25.
    let text = "{\"Version\": \"2012-10-17\",\n\"Statement\": [{\"Sid\": \"😀\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"}]}\n";
    c.open(URI, text, 1).await;
    assert_eq!(significant(&c.diagnostics(URI, 1).await), ["A013"]);
    // Insert inside the surrogate pair (column 24): rounds down to before the emoji.
    c.change(URI, 2, json!([edit(1, 24, 1, 24, "x")])).await;
    let d = c.diagnostics(URI, 2).await;
    assert!(
        a013(&d)["message"]
            .as_str()
            .unwrap_or_default()
            .contains("x😀"),
        "{d:?}"
    );
    // Delete from inside the pair to inside the pair: empty range, nothing happens... but the
    // version moves on.
    c.change(URI, 3, json!([edit(1, 25, 1, 25, "")])).await;
    let d = c.diagnostics(URI, 3).await;
    assert!(
        a013(&d)["message"]
            .as_str()
            .unwrap_or_default()
            .contains("x😀"),
        "{d:?}"
    );
    // Reversed range: empty at its start. Far past the end: appended.
    c.change(
        URI,
        4,
        json!([
            edit(1, 30, 1, 0, ""),
            edit(u32::MAX, u32::MAX, u32::MAX, u32::MAX, " ")
        ]),
    )
    .await;
    c.diagnostics(URI, 4).await;
    // A column past the end of line 0 stops at the line end (the line break stays): replaces the
    // final `,` of line 0 by itself.
    c.change(URI, 5, json!([edit(0, 24, 0, 9999, ",")])).await;
    c.diagnostics(URI, 5).await;
    // Replace the Sid value (after the surrogate-pair edits the columns are: `"x😀"` at 22..27).
    c.change(URI, 6, json!([edit(1, 22, 1, 27, "\"ok\"")]))
        .await;
    assert!(
        significant(&c.diagnostics(URI, 6).await).is_empty(),
        "the text is exactly what the client has"
    );
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn a_burst_of_10000_edits_leaves_the_right_text() {
    let (child, mut c) = ready().await;
    // 10,000 single-character edits at `"Effect": "Allow"` (line 4, column 17), alternating
    // `a`/`A`, sent without waiting; then one that makes it `Deny`. Only the result of the last
    // is right: any lost or misapplied edit changes the diagnostics or the hover below.
    let mut bytes = Vec::new();
    for i in 0..10_000 {
        let ch = if i % 2 == 0 { "a" } else { "A" };
        let msg = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": 2 + i},
            "contentChanges": [edit(4, 17, 4, 18, ch)]}});
        bytes.extend(frame(msg.to_string().as_bytes()));
    }
    c.send_raw(&bytes).await;
    // Last version 10001 wrote `A` (i = 9999 is odd): `Allow`. Now insert text that grows the
    // document, then check both diagnostics and a position-dependent answer.
    c.change(
        URI,
        10_002,
        json!([
            edit(4, 16, 4, 23, "\"Deny\""),
            edit(5, 17, 5, 29, "s3:PutObject")
        ]),
    )
    .await;
    let d = c.diagnostics(URI, 10_002).await;
    assert!(significant(&d).is_empty(), "{d:?}");
    c.change(URI, 10_003, json!([edit(4, 17, 4, 18, "d")]))
        .await;
    let d = c.diagnostics(URI, 10_003).await;
    assert_eq!(significant(&d), ["A009"]);
    let effect = d.iter().find(|d| d["code"] == "A009").expect("A009");
    assert!(
        effect["message"]
            .as_str()
            .unwrap_or_default()
            .contains("`deny`"),
        "{d:?}"
    );
    assert_eq!(common::range_of(effect), [[4, 16], [4, 22]]);
    // A position-dependent answer: hover on the action at line 5 names `PutObject`.
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 5, "character": 22}}),
        )
        .await;
    assert!(r.to_string().contains("PutObject"), "{r}");
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn cancel_requests_pending_unknown_and_finished() {
    let (child, mut c) = ready().await;
    // Cancel right after sending: answered (result or RequestCancelled), never dropped.
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for _ in 0..20 {
            let id = c
                .request_async(
                    "textDocument/diagnostic",
                    json!({"textDocument": {"uri": URI}}),
                )
                .await;
            c.notify("$/cancelRequest", json!({"id": id})).await;
            ids.push(id);
        }
        ids
    };
    for id in ids {
        let r = c.response(id).await;
        assert!(
            r.get("result").is_some() || r["error"]["code"] == -32800,
            "{r}"
        );
    }
    // Unknown id, string id, malformed params: ignored.
    c.notify("$/cancelRequest", json!({"id": 123_456})).await;
    c.notify("$/cancelRequest", json!({"id": "nope"})).await;
    c.notify("$/cancelRequest", json!({"wrong": true})).await;
    assert_alive(&mut c, &[]).await;
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn requests_after_shutdown_are_invalid_and_exit_gives_0() {
    let (child, mut c) = ready().await;
    let r = c.request("shutdown", Value::Null).await;
    assert!(r.get("error").is_none(), "{r}");
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let r = c.request("shutdown", Value::Null).await;
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // Notifications after shutdown are dropped; exit ends the process with 0.
    c.change(URI, 2, json!([edit(0, 0, 0, 0, "x")])).await;
    c.notify("exit", Value::Null).await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn exit_without_shutdown_and_end_of_input_give_1() {
    let (child, mut c) = ready().await;
    c.notify("exit", Value::Null).await;
    assert_eq!(wait_exit(child).await, Some(1));
    // The client goes away without a word.
    let (child, c) = ready().await;
    drop(c);
    assert_eq!(wait_exit(child).await, Some(1));
    // Garbage only, then end of input.
    let (child, mut c) = spawn();
    c.send_raw(&[0xff; 5000]).await;
    drop(c);
    assert_eq!(wait_exit(child).await, Some(1));
}

#[tokio::test]
async fn a_panicking_handler_is_an_internal_error_and_the_server_goes_on() {
    if !cfg!(debug_assertions) {
        return; // the switch exists in debug builds only
    }
    let (child, mut c) = spawn_with(&[("IAM_POLICY_LS_TEST_PANIC", "hover")]);
    c.initialize(json!({})).await;
    c.open(URI, POLICY, 1).await;
    assert!(significant(&c.diagnostics(URI, 1).await).is_empty());
    for _ in 0..3 {
        let r = c
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": URI}, "position": {"line": 4, "character": 8}}),
            )
            .await;
        assert_eq!(r["error"]["code"], -32603, "{r}");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("internal error in hover"),
            "{r}"
        );
    }
    // Everything else still works, and edits still apply.
    c.change(URI, 2, json!([edit(4, 17, 4, 18, "a")])).await;
    assert_eq!(significant(&c.diagnostics(URI, 2).await), ["A009"]);
    assert_alive(&mut c, &["A009"]).await;
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn a_panicking_analysis_or_edit_never_leaves_stale_results() {
    if !cfg!(debug_assertions) {
        return;
    }
    // Analysis panics: no diagnostics (an empty list), requests answer null, the server goes on.
    let (child, mut c) = spawn_with(&[("IAM_POLICY_LS_TEST_PANIC", "analysis")]);
    c.initialize(json!({})).await;
    c.open(URI, "{\"Statement\": []}", 1).await;
    assert!(significant(&c.diagnostics(URI, 1).await).is_empty());
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 3}}),
        )
        .await;
    assert_eq!(r["result"], Value::Null, "{r}");
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));

    // An edit panics: the document is forgotten (its diagnostics cleared, the user told), never
    // answered from a half-edited text; reopening it works.
    let (child, mut c) = spawn_with(&[("IAM_POLICY_LS_TEST_PANIC", "didChange")]);
    c.initialize(json!({})).await;
    c.open(URI, "{\"Statement\": []}", 1).await;
    assert_eq!(significant(&c.diagnostics(URI, 1).await), ["A004", "A007"]);
    c.change(URI, 2, json!([edit(0, 0, 0, 0, " ")])).await;
    let cleared = c
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == URI
                && m["params"]["version"].is_null()
        })
        .await;
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    let shown = c.wait_for(|m| m["method"] == "window/showMessage").await;
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("reopen"),
        "{shown}"
    );
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(r.get("error").is_some(), "not open any more: {r}");
    c.open(URI, POLICY, 1).await;
    assert!(significant(&c.diagnostics(URI, 1).await).is_empty());
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}

#[tokio::test]
async fn a_message_over_the_size_limit_is_skipped_without_buffering() {
    let (child, mut c) = ready().await;
    // Announce 300 MiB (over the 256 MiB framing limit) but send only part of it before the
    // process is checked: the server must not allocate it. Then send the rest in chunks of zeros.
    let len: usize = 300 << 20;
    c.send_raw(format!("Content-Length: {len}\r\n\r\n").as_bytes())
        .await;
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..300 {
        c.send_raw(&chunk).await;
    }
    null_id_error(&mut c, -32600).await;
    assert_alive(&mut c, &[]).await;
    // Peak memory stayed far below the announced size.
    if let Some(pid) = child.id() {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let hwm_kb: u64 = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0);
            assert!(hwm_kb < 150 * 1024, "peak RSS {hwm_kb} kB");
        }
    }
    c.shutdown_and_exit().await;
    assert_eq!(wait_exit(child).await, Some(0));
}
