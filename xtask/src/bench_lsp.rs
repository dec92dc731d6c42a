//! `cargo xtask bench-lsp`: end-to-end latency, memory/startup and scale measurements of the
//! language server over stdio, side by side with `vscode-json-language-server` given our JSON
//! schema for IAM policies (`tests/bench/iam-policy.schema.json`). See `docs/performance.md` and
//! `tests/bench/README.md`.
//!
//! Everything here is std + serde_json: the client is a writer (this thread) and a reader
//! thread that timestamps every message as soon as its body is read.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

#[allow(dead_code)] // each user of the shared generator takes what it needs
#[path = "../../tests/bench/synthetic.rs"]
mod synthetic;
use serde_json::{Value, json};

pub const USAGE: &str = "\
usage: cargo xtask bench-lsp [--server PATH] [--peer PATH | --no-peer] [--edits N]
                             [--peer-push-edits N] [--doc PATH] [--latency] [--memory] [--scale]
  --server PATH        our server binary (default: build and use target/release/iam-policy-ls)
  --peer PATH          vscode-json-language-server (default: on PATH, else npm-installed into
                       $TMPDIR/iam-policy-ls-bench-peer)
  --no-peer            measure our server only
  --edits N            keystrokes in the typing session (default 300)
  --peer-push-edits N  keystrokes for the peer's push measurement, ~0.5 s each (default 20)
  --doc PATH           the policy to edit (default tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json);
                       `synthetic:BYTES` generates one of about that size (as the did_change bench)
  --latency --memory --scale   which parts to run (default: all three)";

const TIMEOUT: Duration = Duration::from_secs(30);
const OURS: &str = "iam-policy-ls";
const PEER: &str = "vscode-json-language-server";

/// What the harness was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub server: Option<PathBuf>,
    pub peer: Option<PathBuf>,
    pub no_peer: bool,
    pub edits: usize,
    pub peer_push_edits: usize,
    pub doc: Option<PathBuf>,
    pub latency: bool,
    pub memory: bool,
    pub scale: bool,
}

/// Parses the arguments after `bench-lsp`.
pub fn parse_args(args: &[String]) -> Result<Options> {
    let mut o = Options {
        server: None,
        peer: None,
        no_peer: false,
        edits: 300,
        peer_push_edits: 20,
        doc: None,
        latency: false,
        memory: false,
        scale: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| anyhow!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--server" => o.server = Some(value()?.into()),
            "--peer" => o.peer = Some(value()?.into()),
            "--no-peer" => o.no_peer = true,
            "--edits" => o.edits = value()?.parse().context("--edits")?,
            "--peer-push-edits" => {
                o.peer_push_edits = value()?.parse().context("--peer-push-edits")?
            }
            "--doc" => o.doc = Some(value()?.into()),
            "--latency" => o.latency = true,
            "--memory" => o.memory = true,
            "--scale" => o.scale = true,
            "-h" | "--help" => bail!("{USAGE}"),
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
    }
    if !(o.latency || o.memory || o.scale) {
        o.latency = true;
        o.memory = true;
        o.scale = true;
    }
    Ok(o)
}

/// The workspace root (xtask's parent directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs everything `opts` asks for and prints the report.
pub fn run(opts: &Options) -> Result<()> {
    let server = match &opts.server {
        Some(p) => p.clone(),
        None => build_server()?,
    };
    let peer = if opts.no_peer || !(opts.latency || opts.memory) {
        None
    } else {
        Some(match &opts.peer {
            Some(p) => p.clone(),
            None => find_or_install_peer()?,
        })
    };
    println!("# cargo xtask bench-lsp");
    println!("machine: {}", machine());
    println!("server: {}", server.display());
    if let Some(p) = &peer {
        println!("peer:   {} ({})", p.display(), peer_version(p));
    }
    if opts.latency {
        latency(opts, &server, peer.as_deref())?;
    }
    if opts.memory {
        memory(&server, peer.as_deref())?;
    }
    if opts.scale {
        scale(&server)?;
    }
    println!("\nload after: {}", load());
    Ok(())
}

fn build_server() -> Result<PathBuf> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "iam-policy-ls"])
        .current_dir(root())
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release -p iam-policy-ls failed");
    }
    Ok(root().join("target/release/iam-policy-ls"))
}

fn find_or_install_peer() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(PEER);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let prefix = std::env::temp_dir().join("iam-policy-ls-bench-peer");
    let bin = prefix.join("node_modules/.bin").join(PEER);
    if !bin.is_file() {
        eprintln!(
            "installing vscode-langservers-extracted into {}",
            prefix.display()
        );
        let status = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg("vscode-langservers-extracted")
            .status()
            .context("running npm (needed for the peer; or pass --no-peer)")?;
        if !status.success() || !bin.is_file() {
            bail!(
                "npm install vscode-langservers-extracted failed (pass --peer PATH or --no-peer)"
            );
        }
    }
    Ok(bin)
}

fn peer_version(bin: &Path) -> String {
    // node_modules/.bin/<bin> -> node_modules/vscode-langservers-extracted/package.json
    let pkg = std::fs::canonicalize(bin)
        .ok()
        .and_then(|p| {
            p.ancestors()
                .find(|a| {
                    a.join("package.json").is_file() && a.ends_with("vscode-langservers-extracted")
                })
                .map(|a| a.join("package.json"))
        })
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str::<Value>(&t).ok());
    pkg.and_then(|v| {
        v["version"]
            .as_str()
            .map(|s| format!("vscode-langservers-extracted {s}"))
    })
    .unwrap_or_else(|| "version unknown".into())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let n = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    format!("{n} cores, {cpu}; load {}", load())
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The client.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Ours,
    Peer,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ours => OURS,
            Kind::Peer => PEER,
        }
    }
}

/// A server process and a Content-Length framed JSON-RPC connection to it.
pub struct Lsp {
    pub kind: Kind,
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<(Instant, Value)>,
    inbox: VecDeque<(Instant, Value)>,
    next_id: i64,
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

    fn send(&mut self, msg: &Value) -> Result<()> {
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
fn read_message(r: &mut impl BufRead) -> Option<(Instant, Value)> {
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

// ---------------------------------------------------------------------------------------------
// The typing session.

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
struct Edit {
    range: ((u32, u32), (u32, u32)),
    text: String,
}

/// The client's copy of the document and the keystrokes still to type.
pub struct Session {
    pub text: String,
    /// Where the typed statement starts (just after the last statement's `}`).
    anchor: usize,
    /// How much of [`TYPED`] is in the text.
    typed: usize,
    pub version: i64,
}

fn position(text: &str, offset: usize) -> (u32, u32) {
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
    fn next_edit(&mut self) -> Edit {
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
    fn cursor(&self) -> (u32, u32) {
        position(&self.text, self.anchor + self.typed)
    }

    /// Sends the next keystroke as `didChange`; returns when it was sent.
    fn type_one(&mut self, lsp: &mut Lsp, uri: &str) -> Result<Instant> {
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

fn ms(d: Duration) -> f64 {
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
/// generator `server/ls/benches/did_change.rs` uses (`--doc synthetic:1000000`).
pub fn synthetic(bytes: usize) -> String {
    synthetic::policy_of_size(bytes, &[])
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

/// p50, p95, p99 (nearest rank) of `v`.
pub fn percentiles(v: &[f64]) -> Option<[f64; 3]> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let at = |p: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((p * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1;
        s[i]
    };
    Some([at(0.50), at(0.95), at(0.99)])
}

fn fmt3(p: Option<[f64; 3]>) -> String {
    p.map_or_else(
        || "-".into(),
        |[a, b, c]| format!("{a:.3} / {b:.3} / {c:.3}"),
    )
}

fn latency(opts: &Options, server: &Path, peer: Option<&Path>) -> Result<()> {
    let doc_path = opts.doc.clone().unwrap_or_else(|| {
        root().join("tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json")
    });
    let doc = match doc_path.to_str().and_then(|p| p.strip_prefix("synthetic:")) {
        Some(n) => synthetic(n.parse().context("--doc synthetic:<bytes>")?),
        None => std::fs::read_to_string(&doc_path)
            .with_context(|| format!("reading {}", doc_path.display()))?,
    };
    println!(
        "\n## Latency: typing a statement into {} ({} bytes), {} keystrokes",
        doc_path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        doc.len(),
        opts.edits
    );
    println!("load before: {}", load());
    let mut ours = pull_session(Kind::Ours, server, &doc, opts.edits)?;
    ours.push = push_session(Kind::Ours, server, &doc, opts.edits)?;
    let theirs = match peer {
        Some(p) => {
            let mut t = pull_session(Kind::Peer, p, &doc, opts.edits)?;
            t.push = push_session(Kind::Peer, p, &doc, opts.peer_push_edits)?;
            Some(t)
        }
        None => None,
    };
    println!("load after:  {}", load());
    println!();
    println!("| ms, p50 / p95 / p99 | {OURS} | {PEER} | peer / ours (p50) |");
    println!("|---|---|---|---|");
    type Row = (&'static str, fn(&Samples) -> &Vec<f64>);
    let rows: [Row; 4] = [
        (
            "didChange -> publishDiagnostics (push; what the user sees)",
            |s| &s.push,
        ),
        ("didChange + diagnostic pull (compute cost)", |s| &s.pull),
        ("completion at the cursor", |s| &s.completion),
        ("hover (action / key)", |s| &s.hover),
    ];
    for (name, get) in rows {
        let a = percentiles(get(&ours));
        let b = theirs.as_ref().and_then(|t| percentiles(get(t)));
        let ratio = match (a, b) {
            (Some(a), Some(b)) if a[0] > 0.0 => format!("{:.1}x", b[0] / a[0]),
            _ => "-".into(),
        };
        println!("| {name} | {} | {} | {ratio} |", fmt3(a), fmt3(b));
    }
    println!(
        "\nsamples: ours {} push, {} pull/completion/hover; peer {} push (each waits out its \
         ~500 ms validation delay), {} pull/completion/hover.",
        ours.push.len(),
        ours.pull.len(),
        theirs.as_ref().map_or(0, |t| t.push.len()),
        theirs.as_ref().map_or(0, |t| t.pull.len()),
    );
    println!(
        "The peer delays push diagnostics by 500 ms on purpose (debounce): compare the pull row for \
         compute cost, the push row for what the user sees."
    );
    println!("\nWhat each finds in tests/bench/flawed-policy.json (line: message):");
    for (kind, bin) in std::iter::once((Kind::Ours, server)).chain(peer.map(|p| (Kind::Peer, p))) {
        let f = findings(kind, bin)?;
        println!("- {}: {} findings", kind.name(), f.len());
        for m in f {
            println!("  - {m}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Memory and startup.

fn managed_policies() -> Result<Vec<PathBuf>> {
    let dir = root().join("tests/corpus/managed/policies");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    Ok(v)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Startup (median of `runs`): spawn -> `initialize` answered, and spawn -> first diagnostics
/// of a document opened right after `initialized`.
fn startup(kind: Kind, bin: &Path, doc: &str, runs: usize) -> Result<(f64, f64)> {
    let (mut init, mut first) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut lsp = Lsp::spawn(kind, bin)?;
        let t = lsp.initialize(false)?;
        init.push(ms(t - lsp.spawned));
        lsp.open("file:///bench/startup.json", doc, 1)?;
        let (t, _) = lsp.diagnostics("file:///bench/startup.json", 1)?;
        first.push(ms(t - lsp.spawned));
        lsp.shutdown()?;
    }
    Ok((median(&mut init), median(&mut first)))
}

/// Resident memory (MiB): idle after `initialize`, then steady (`VmRSS`) and peak (`VmHWM`)
/// with 1, 50 and 500 open managed policies, each analysed (its diagnostics received).
fn resident(kind: Kind, bin: &Path, files: &[(String, String)]) -> Result<Vec<(String, f64, f64)>> {
    let mib = |k: u64| {
        #[allow(clippy::cast_precision_loss)]
        let v = k as f64 / 1024.0;
        v
    };
    let mut lsp = Lsp::spawn(kind, bin)?;
    lsp.initialize(false)?;
    std::thread::sleep(Duration::from_millis(300));
    let (rss, hwm) = lsp.rss()?;
    let mut out = vec![("idle".to_owned(), mib(rss), mib(hwm))];
    let mut opened = 0;
    for n in [1usize, 50, 500] {
        let batch = &files[opened..n.min(files.len())];
        for (uri, text) in batch {
            lsp.open(uri, text, 1)?;
        }
        for (uri, _) in batch {
            lsp.diagnostics(uri, 1)?;
        }
        opened = n.min(files.len());
        std::thread::sleep(Duration::from_millis(300));
        let (rss, hwm) = lsp.rss()?;
        out.push((format!("{opened} open"), mib(rss), mib(hwm)));
    }
    lsp.shutdown()?;
    Ok(out)
}

fn memory(server: &Path, peer: Option<&Path>) -> Result<()> {
    let files: Vec<(String, String)> = managed_policies()?
        .iter()
        .take(500)
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((
                format!("file:///bench/mem/{name}"),
                std::fs::read_to_string(p)?,
            ))
        })
        .collect::<Result<_>>()?;
    let doc = std::fs::read_to_string(
        root().join("tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json"),
    )?;
    println!("\n## Startup and memory (open managed policies from tests/corpus/managed)");
    println!("load before: {}", load());
    let mut servers = vec![(Kind::Ours, server.to_path_buf())];
    if let Some(p) = peer {
        servers.push((Kind::Peer, p.to_path_buf()));
    }
    type Measured = (Kind, (f64, f64), Vec<(String, f64, f64)>);
    let mut rows: Vec<Measured> = Vec::new();
    for (kind, bin) in &servers {
        let s = startup(*kind, bin, &doc, 15)?;
        let m = resident(*kind, bin, &files)?;
        rows.push((*kind, s, m));
    }
    println!("load after:  {}", load());
    println!();
    print!("| | ");
    println!(
        "{} |",
        rows.iter()
            .map(|r| r.0.name())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}", "---|".repeat(rows.len()));
    let line = |name: &str, f: &dyn Fn(&Measured) -> String| {
        println!(
            "| {name} | {} |",
            rows.iter().map(f).collect::<Vec<_>>().join(" | ")
        );
    };
    line("start -> initialize answered (median of 15)", &|r| {
        format!("{:.1} ms", r.1.0)
    });
    line("start -> first diagnostics (median of 15)", &|r| {
        format!("{:.1} ms", r.1.1)
    });
    for i in 0..4 {
        let label = rows[0].2[i].0.clone();
        line(&format!("RSS {label}: steady / peak"), &|r| {
            format!("{:.1} / {:.1} MiB", r.2[i].1, r.2[i].2)
        });
    }
    if peer.is_some() {
        println!("\n(the peer's first diagnostics include its 500 ms validation delay)");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Scale: `check` over directories of managed policies.

fn populate(dir: &Path, files: &[PathBuf], n: usize) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for i in 0..n {
        let src = &files[i % files.len()];
        let sub = dir.join(format!("copy{}", i / files.len()));
        if i % files.len() == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let dst = sub.join(src.file_name().context("file name")?);
        if std::fs::hard_link(src, &dst).is_err() {
            std::fs::copy(src, &dst)?;
        }
    }
    Ok(())
}

/// User + system CPU seconds of this process's waited-for children (`/proc/self/stat`
/// `cutime` + `cstime`, in clock ticks of 1/100 s).
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the `(comm)`: state is field 3; cutime and cstime are fields 16 and 17.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(13).copied().unwrap_or(0.0) + f.get(14).copied().unwrap_or(0.0)) / 100.0
}

/// Runs `check DIR`; returns (wall ms, CPU ms).
fn time_check(server: &Path, dir: &Path) -> Result<(f64, f64)> {
    let cpu0 = children_cpu();
    let t0 = Instant::now();
    let status = Command::new(server)
        .arg("check")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    let t = ms(t0.elapsed());
    let cpu = (children_cpu() - cpu0) * 1e3;
    // 0: clean, 1: findings; anything else is a failure.
    if !matches!(status.code(), Some(0 | 1)) {
        bail!("check {} failed: {status}", dir.display());
    }
    Ok((t, cpu))
}

fn scale(server: &Path) -> Result<()> {
    let files = managed_policies()?;
    let tmp =
        std::env::temp_dir().join(format!("iam-policy-ls-bench-scale-{}", std::process::id()));
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "\n## Scale: `{} check DIR` ({} threads), median of 5 runs after a warm-up",
        server
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        threads
    );
    println!("load before: {}", load());
    let mut dirs = vec![(files.len(), root().join("tests/corpus/managed/policies"))];
    for n in [5_000, 10_000] {
        let d = tmp.join(n.to_string());
        populate(&d, &files, n)?;
        dirs.push((n, d));
    }
    let mut rows = Vec::new();
    for (n, d) in &dirs {
        time_check(server, d)?;
        let runs = (0..5)
            .map(|_| time_check(server, d))
            .collect::<Result<Vec<_>>>()?;
        let mut wall: Vec<f64> = runs.iter().map(|r| r.0).collect();
        let mut cpu: Vec<f64> = runs.iter().map(|r| r.1).collect();
        let min = wall.iter().copied().fold(f64::INFINITY, f64::min);
        rows.push((*n, median(&mut wall), min, median(&mut cpu), load()));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!();
    println!(
        "| policies | wall (median) | wall (min) | CPU user+sys (median) | CPU / {threads} cores | CPU per policy | load |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (n, med, min, cpu, load) in rows {
        #[allow(clippy::cast_precision_loss)]
        let per = cpu * 1e3 / n as f64;
        #[allow(clippy::cast_precision_loss)]
        let ideal = cpu / threads as f64;
        println!(
            "| {n} | {med:.0} ms | {min:.0} ms | {cpu:.0} ms | {ideal:.0} ms | {per:.0} µs | {load} |"
        );
    }
    println!(
        "\n`CPU / cores` is the wall time on an otherwise idle machine when the work splits evenly; \
         on a loaded machine the wall time is longer by the share of the CPUs others take."
    );
    Ok(())
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

    #[test]
    fn percentiles_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentiles(&v), Some([50.0, 95.0, 99.0]));
    }

    /// Drives the release server for a few keystrokes in both modes. Needs
    /// `cargo build --release -p iam-policy-ls`; run with `cargo test -p xtask -- --ignored`.
    #[test]
    #[ignore = "needs the release binary"]
    fn drives_our_server() {
        let bin = root().join("target/release/iam-policy-ls");
        let doc = std::fs::read_to_string(
            root().join("tests/corpus/managed/policies/AmazonECSServiceRolePolicy.json"),
        )
        .unwrap();
        let push = push_session(Kind::Ours, &bin, &doc, 5).unwrap();
        assert_eq!(push.len(), 5);
        let pull = pull_session(Kind::Ours, &bin, &doc, 5).unwrap();
        assert_eq!(pull.pull.len(), 5);
        assert_eq!(pull.hover.len(), 5);
    }
}
