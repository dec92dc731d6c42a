//! The LSP client: a writer (the caller's thread) and a reader thread that timestamps every
//! message as soon as its body is read.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use super::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Ours,
    Peer,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Ours => OURS,
            Kind::Peer => PEER,
        }
    }
}

/// A server process and a Content-Length framed JSON-RPC connection to it.
pub struct Lsp {
    pub kind: Kind,
    pub(crate) child: Child,
    pub(crate) stdin: ChildStdin,
    pub(crate) rx: Receiver<(Instant, Value)>,
    pub(crate) inbox: VecDeque<(Instant, Value)>,
    pub(crate) next_id: i64,
    pub spawned: Instant,
}

impl Lsp {
    pub fn spawn(kind: Kind, bin: &Path) -> Result<Self> {
        let mut cmd = Command::new(bin);
        match kind {
            Kind::Ours => cmd.arg("serve").env("RUST_LOG", "warn"),
            Kind::Peer => cmd.arg("--stdio"),
        };
        let spawned = Instant::now();
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdin = child.stdin.take().context("stdin")?;
        let stdout = child.stdout.take().context("stdout")?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, stdout);
            while let Some((t, v)) = read_message(&mut r) {
                if tx.send((t, v)).is_err() {
                    break;
                }
            }
        });
        Ok(Self {
            kind,
            child,
            stdin,
            rx,
            inbox: VecDeque::new(),
            next_id: 1,
            spawned,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn send(&mut self, msg: &Value) -> Result<()> {
        let body = serde_json::to_vec(msg)?;
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(&body);
        self.stdin.write_all(&out)?;
        self.stdin.flush()?;
        Ok(())
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Result<()> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    pub fn request_async(&mut self, method: &str, params: Value) -> Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        Ok(id)
    }

    /// Sends a request; returns the answer and when it arrived.
    pub fn request(&mut self, method: &str, params: Value) -> Result<(Instant, Value)> {
        let id = self.request_async(method, params)?;
        self.response(id)
    }

    pub fn response(&mut self, id: i64) -> Result<(Instant, Value)> {
        let (t, v) =
            self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())?;
        if let Some(e) = v.get("error") {
            bail!("{}: request {id} failed: {e}", self.kind.name());
        }
        Ok((t, v))
    }

    /// Waits for a message matching `pred`; others stay in the inbox. Server-to-client requests
    /// are answered with `null` as they arrive.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Result<(Instant, Value)> {
        if let Some(i) = self.inbox.iter().position(|(_, m)| pred(m)) {
            return self.inbox.remove(i).context("inbox");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (t, msg) = match self.rx.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => bail!("{}: timed out", self.kind.name()),
                Err(RecvTimeoutError::Disconnected) => bail!("{}: server exited", self.kind.name()),
            };
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let id = msg["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}))?;
            }
            if pred(&msg) {
                return Ok((t, msg));
            }
            self.inbox.push_back((t, msg));
            // Keep the inbox small: drop old notifications nobody waits for.
            if self.inbox.len() > 10_000 {
                self.inbox.pop_front();
            }
        }
    }

    /// Drops everything received so far.
    pub fn drain(&mut self) {
        self.inbox.clear();
        while let Ok((_, msg)) = self.rx.try_recv() {
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let id = msg["id"].clone();
                let _ = self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
        }
    }

    /// `initialize` + `initialized` (+ the schema for the peer). `pull`: declare the
    /// `textDocument.diagnostic` capability (both servers then answer pulls and do not push).
    pub fn initialize(&mut self, pull: bool) -> Result<Instant> {
        let mut text_document = json!({
            "synchronization": {"dynamicRegistration": false},
            "completion": {"completionItem": {"snippetSupport": true}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "publishDiagnostics": {"versionSupport": true}
        });
        if pull {
            text_document["diagnostic"] = json!({"dynamicRegistration": false});
        }
        let init_options = match self.kind {
            Kind::Ours => json!({}),
            Kind::Peer => json!({
                "provideFormatter": true,
                "handledSchemaProtocols": ["file"],
                "customCapabilities": {"rangeFormatting": {"editLimit": 10000}}
            }),
        };
        let (t, _) = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": null,
                "capabilities": {"textDocument": text_document, "workspace": {"configuration": false}},
                "initializationOptions": init_options
            }),
        )?;
        self.notify("initialized", json!({}))?;
        if self.kind == Kind::Peer {
            let schema: Value = serde_json::from_str(
                &std::fs::read_to_string(root().join("tests/bench/iam-policy.schema.json"))
                    .context("reading tests/bench/iam-policy.schema.json")?,
            )?;
            self.notify(
                "workspace/didChangeConfiguration",
                json!({"settings": {
                    "json": {
                        "validate": {"enable": true},
                        "schemas": [{"fileMatch": ["*.json"], "schema": schema}]
                    },
                    "http": {"proxyStrictSSL": true}
                }}),
            )?;
        }
        Ok(t)
    }

    pub fn open(&mut self, uri: &str, text: &str, version: i64) -> Result<()> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": version, "text": text}}),
        )
    }

    /// Waits for `publishDiagnostics` for `uri` describing `version` (ours tags its
    /// diagnostics with the version; the peer does not, so for it: the next one for `uri`).
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Result<(Instant, Value)> {
        let tagged = self.kind == Kind::Ours;
        let uri = uri.to_owned();
        self.wait_for(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && (!tagged || m["params"]["version"] == version)
        })
    }

    /// `VmRSS` and `VmHWM` of the server process, in KiB.
    pub fn rss(&self) -> Result<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Ok((field("VmRSS:"), field("VmHWM:")))
    }

    pub fn shutdown(mut self) -> Result<()> {
        let id = self.request_async("shutdown", Value::Null)?;
        let _ = self.response(id);
        let _ = self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Ok(())
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One framed message and when its last byte was read (before JSON decoding, so the client's
/// decoding time of large answers is not counted against the server).
pub(crate) fn read_message(r: &mut impl BufRead) -> Option<(Instant, Value)> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            if len.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, v)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    let t = Instant::now();
    serde_json::from_slice(&body).ok().map(|v| (t, v))
}
