//! The typing sessions: a document typed into, keystroke by keystroke, in push and pull mode,
//! and the samples they collect.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{Context, Result, bail};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

use super::*;

/// The statement typed into the document, character by character.
pub const TYPED: &str = r#",
    {
      "Sid": "TypedByTheBenchmark",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "ecs:RunTask"],
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {"Bool": {"aws:SecureTransport": "true"}}
    }"#;

/// One edit of the session: an LSP change event and where the cursor ends up.
pub(crate) struct Edit {
    pub(crate) range: ((u32, u32), (u32, u32)),
    pub(crate) text: String,
}

/// The client's copy of the document and the keystrokes still to type.
pub struct Session {
    pub text: String,
    /// Where the typed statement starts (just after the last statement's `}`).
    pub(crate) anchor: usize,
    /// How much of [`TYPED`] is in the text.
    pub(crate) typed: usize,
    pub version: i64,
}

pub(crate) fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col = before.rfind('\n').map_or(offset, |i| offset - i - 1);
    // All text here is ASCII: bytes = UTF-16 code units.
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

impl Session {
    pub fn new(text: String) -> Result<Self> {
        let close = text.rfind(']').context("the document has no `]`")?;
        let anchor = text[..close]
            .rfind('}')
            .context("the document has no statement")?
            + 1;
        if !text.is_ascii() {
            bail!("the benchmark document must be ASCII");
        }
        Ok(Self {
            text,
            anchor,
            typed: 0,
            version: 1,
        })
    }

    /// The next keystroke: one character, or a newline with the indentation after it (as
    /// editors insert it); when the statement is complete, one edit deleting it.
    pub(crate) fn next_edit(&mut self) -> Edit {
        if self.typed == TYPED.len() {
            let start = position(&self.text, self.anchor);
            let end = position(&self.text, self.anchor + self.typed);
            self.text
                .replace_range(self.anchor..self.anchor + self.typed, "");
            self.typed = 0;
            return Edit {
                range: (start, end),
                text: String::new(),
            };
        }
        let rest = &TYPED[self.typed..];
        let n = if let Some(after) = rest.strip_prefix('\n') {
            1 + after.len() - after.trim_start_matches(' ').len()
        } else {
            1
        };
        let piece = rest[..n].to_owned();
        let at = self.anchor + self.typed;
        let pos = position(&self.text, at);
        self.text.insert_str(at, &piece);
        self.typed += n;
        Edit {
            range: (pos, pos),
            text: piece,
        }
    }

    /// The cursor (after the last typed character).
    pub(crate) fn cursor(&self) -> (u32, u32) {
        position(&self.text, self.anchor + self.typed)
    }

    /// Sends the next keystroke as `didChange`; returns when it was sent.
    pub(crate) fn type_one(&mut self, lsp: &mut Lsp, uri: &str) -> Result<Instant> {
        let e = self.next_edit();
        self.version += 1;
        let ((sl, sc), (el, ec)) = e.range;
        let t0 = Instant::now();
        lsp.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": self.version},
                "contentChanges": [{
                    "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
                    "text": e.text
                }]
            }),
        )?;
        Ok(t0)
    }
}

/// Latency samples of one server, in milliseconds.
#[derive(Default, Debug)]
pub struct Samples {
    pub push: Vec<f64>,
    pub pull: Vec<f64>,
    pub completion: Vec<f64>,
    pub hover: Vec<f64>,
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Push session: per keystroke, the time from sending `didChange` to the `publishDiagnostics`
/// for that version.
pub fn push_session(kind: Kind, bin: &Path, doc: &str, edits: usize) -> Result<Vec<f64>> {
    let uri = "file:///bench/policy.json";
    let mut lsp = Lsp::spawn(kind, bin)?;
    lsp.initialize(false)?;
    let mut s = Session::new(doc.to_owned())?;
    lsp.open(uri, &s.text, s.version)?;
    lsp.diagnostics(uri, s.version)?;
    let mut out = Vec::with_capacity(edits);
    for _ in 0..edits {
        lsp.drain();
        let t0 = s.type_one(&mut lsp, uri)?;
        let (t, _) = lsp.diagnostics(uri, s.version)?;
        out.push(ms(t - t0));
    }
    lsp.shutdown()?;
    Ok(out)
}

/// Pull session: per keystroke, `didChange` immediately followed by a `textDocument/diagnostic`
/// pull (time from sending the change to the pull's answer: the whole re-check), then a
/// completion at the cursor and a hover (alternately on an action and on a key).
pub fn pull_session(kind: Kind, bin: &Path, doc: &str, edits: usize) -> Result<Samples> {
    let uri = "file:///bench/policy.json";
    let mut lsp = Lsp::spawn(kind, bin)?;
    lsp.initialize(true)?;
    let mut s = Session::new(doc.to_owned())?;
    lsp.open(uri, &s.text, s.version)?;
    // Hover targets in the original (unchanging) part of the document.
    let action = s
        .text
        .find(":Describe*\"")
        .or_else(|| s.text.find("\"Action\": \""))
        .unwrap_or(0);
    let key = s.text.find("\"Effect\"").unwrap_or(0) + 2;
    let hover_at = [position(&s.text, action), position(&s.text, key)];
    let td = json!({"uri": uri});
    lsp.request("textDocument/diagnostic", json!({"textDocument": td}))?;
    let mut out = Samples::default();
    for i in 0..edits {
        lsp.drain();
        let t0 = s.type_one(&mut lsp, uri)?;
        let (t, _) = lsp.request("textDocument/diagnostic", json!({"textDocument": td}))?;
        out.pull.push(ms(t - t0));
        let (line, character) = s.cursor();
        let t0 = Instant::now();
        let (t, answer) = lsp.request(
            "textDocument/completion",
            json!({"textDocument": td, "position": {"line": line, "character": character}}),
        )?;
        out.completion.push(ms(t - t0));
        if std::env::var_os("BENCH_LSP_VERBOSE").is_some() {
            let result = &answer["result"];
            let items = result
                .as_array()
                .or_else(|| result["items"].as_array())
                .map_or(0, Vec::len);
            let at = s.anchor + s.typed;
            let context = &s.text[s.text[..at].rfind('\n').map_or(0, |i| i + 1)..at];
            eprintln!(
                "{}\tcompletion\t{:.3} ms\t{} items\t{} bytes\t{context:?}",
                kind.name(),
                ms(t - t0),
                items,
                answer.to_string().len()
            );
        }
        let (line, character) = hover_at[i % 2];
        let t0 = Instant::now();
        let (t, _) = lsp.request(
            "textDocument/hover",
            json!({"textDocument": td, "position": {"line": line, "character": character}}),
        )?;
        out.hover.push(ms(t - t0));
    }
    lsp.shutdown()?;
    Ok(out)
}

/// A policy of about `bytes` bytes: pairs of ECS and S3 statements with conditions, from the
/// generator `server/policy-ls/benches/did_change.rs` uses (`--doc synthetic:1000000`).
pub fn synthetic(bytes: usize) -> String {
    iam_test_support::synthetic::policy_of_size(bytes, &[])
}

/// The messages a server reports (by a pull) for `tests/bench/flawed-policy.json`.
pub fn findings(kind: Kind, bin: &Path) -> Result<Vec<String>> {
    let uri = "file:///bench/flawed-policy.json";
    let text = std::fs::read_to_string(root().join("tests/bench/flawed-policy.json"))?;
    let mut lsp = Lsp::spawn(kind, bin)?;
    lsp.initialize(true)?;
    lsp.open(uri, &text, 1)?;
    let (_, v) = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    )?;
    lsp.shutdown()?;
    Ok(v["result"]["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    let line = d["range"]["start"]["line"].as_u64().unwrap_or(0) + 1;
                    let msg = d["message"].as_str().unwrap_or_default();
                    let msg: String = msg
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .take(90)
                        .collect();
                    format!("{line}: {msg}")
                })
                .collect()
        })
        .unwrap_or_default())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn typing_cycles_through_the_statement() {
        let doc = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\"}\n  ]\n}\n".to_owned();
        let mut s = Session::new(doc.clone()).unwrap();
        let mut n = 0;
        while s.typed < TYPED.len() {
            s.next_edit();
            n += 1;
        }
        assert!(n < TYPED.len());
        assert!(s.text.contains("TypedByTheBenchmark"));
        let e = s.next_edit();
        assert_eq!(e.text, "");
        assert_eq!(s.text, doc);
    }
}
