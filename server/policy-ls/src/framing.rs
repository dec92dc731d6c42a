//! Content-Length framing in front of the transport: forwards well-formed JSON-RPC messages and
//! turns anything else into a request for [`REJECTED_METHOD`], which the server answers with the
//! JSON-RPC error (`-32700` parse error or `-32600` invalid request, with the message's `id` when
//! it has a usable one, else `null`). See docs/reliability.md.

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc;

/// The internal method a malformed message is replaced with.
pub const REJECTED_METHOD: &str = "iam-policy-ls/rejectedMessage";
/// Largest message body accepted; larger ones are skipped (without buffering) and answered
/// with an invalid-request error.
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;
/// Header lines longer than this are cut (the rest of the line is skipped).
const MAX_HEADER_LINE: usize = 8 << 10;
const HEADER: &[u8] = b"Content-Length:";

struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
}

impl<R: AsyncRead + Unpin> Input<R> {
    /// Reads more bytes; `false` at the end of the input.
    async fn fill(&mut self, want: usize) -> bool {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        } else if self.pos > (1 << 20) {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.reserve(want.clamp(1 << 16, 1 << 24));
        matches!(self.inner.read_buf(&mut self.buf).await, Ok(n) if n > 0)
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// One line without its `\n` (and `\r`), cut at [`MAX_HEADER_LINE`]; `None` at the end.
    async fn line(&mut self) -> Option<Vec<u8>> {
        let mut line = Vec::new();
        loop {
            if let Some(i) = self.available().iter().position(|&b| b == b'\n') {
                let room = MAX_HEADER_LINE.saturating_sub(line.len());
                line.extend_from_slice(&self.available()[..i.min(room)]);
                self.pos += i + 1;
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Some(line);
            }
            let room = MAX_HEADER_LINE.saturating_sub(line.len());
            let n = self.available().len();
            line.extend_from_slice(&self.available()[..n.min(room)]);
            self.pos += n;
            if !self.fill(0).await {
                return None;
            }
        }
    }

    /// Exactly `len` bytes; `None` when the input ends first. Grows the buffer only as bytes
    /// arrive, so a lying `Content-Length` does not allocate.
    async fn body(&mut self, len: usize) -> Option<Vec<u8>> {
        while self.available().len() < len {
            let missing = len - self.available().len();
            if !self.fill(missing).await {
                return None;
            }
        }
        let body = self.available()[..len].to_vec();
        self.pos += len;
        Some(body)
    }

    /// Discards `len` bytes; `false` when the input ends first.
    async fn skip(&mut self, mut len: usize) -> bool {
        loop {
            let n = self.available().len().min(len);
            self.pos += n;
            len -= n;
            if len == 0 {
                return true;
            }
            if !self.fill(0).await {
                return false;
            }
        }
    }

    /// Puts `bytes` back in front of the unread input.
    fn unread(&mut self, bytes: &[u8]) {
        let rest = self.buf.split_off(self.pos);
        self.buf.clear();
        self.buf.extend_from_slice(bytes);
        self.buf.extend_from_slice(&rest);
        self.pos = 0;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn preview(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(120)]).into_owned();
    if bytes.len() > 120 {
        format!("{s}...")
    } else {
        s
    }
}

/// What to do with one message body.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    Forward,
    Reject {
        id: Value,
        code: i64,
        message: String,
    },
}

/// Whether `body` is a message the transport accepts (a JSON-RPC request, notification or
/// response, exactly as tower-lsp-server decodes them); otherwise the error to answer.
#[must_use]
pub fn classify(body: &[u8]) -> Verdict {
    if serde_json::from_slice::<jsonrpc::Request>(body).is_ok()
        || serde_json::from_slice::<jsonrpc::Response>(body).is_ok()
    {
        return Verdict::Forward;
    }
    match serde_json::from_slice::<Value>(body) {
        Err(e) => Verdict::Reject {
            id: Value::Null,
            code: -32700,
            message: format!("parse error: {e}"),
        },
        Ok(v) => {
            let id = v
                .get("id")
                .filter(|id| id.is_string() || id.as_i64().is_some())
                .cloned()
                .unwrap_or(Value::Null);
            Verdict::Reject {
                id,
                code: -32600,
                message: "invalid request: not a JSON-RPC 2.0 request, notification or response"
                    .to_owned(),
            }
        }
    }
}

async fn write_frame<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> bool {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    out.write_all(header.as_bytes()).await.is_ok()
        && out.write_all(body).await.is_ok()
        && out.flush().await.is_ok()
}

async fn reject<W: AsyncWrite + Unpin>(out: &mut W, id: Value, code: i64, message: String) -> bool {
    let msg = json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": REJECTED_METHOD,
        "params": {"code": code, "message": message},
    });
    write_frame(out, msg.to_string().as_bytes()).await
}

/// Reads Content-Length framed messages from `input` and writes well-formed frames to `out`
/// until the input ends or `out` is closed.
pub async fn pump<R: AsyncRead + Unpin, W: AsyncWrite + Unpin>(input: R, mut out: W) {
    let mut input = Input {
        inner: input,
        buf: Vec::new(),
        pos: 0,
    };
    loop {
        // Headers, up to an empty line.
        let mut length: Option<Result<usize, String>> = None;
        let mut garbage = 0usize;
        let mut lines = 0usize;
        loop {
            let Some(mut line) = input.line().await else {
                return;
            };
            if line.is_empty() {
                break;
            }
            lines += 1;
            // A header glued after garbage (the end of a broken message): resynchronise on it.
            if let Some(i) = find(&line, HEADER).filter(|&i| i > 0) {
                garbage += 1;
                line.drain(..i);
            }
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                garbage += 1;
                continue;
            };
            let (name, value) = (&line[..colon], &line[colon + 1..]);
            if name.eq_ignore_ascii_case(b"content-length") {
                let v = String::from_utf8_lossy(value);
                length = Some(
                    v.trim()
                        .parse::<usize>()
                        .map_err(|_| format!("invalid Content-Length `{}`", v.trim())),
                );
            }
        }
        if garbage > 0 {
            tracing::warn!(
                lines = garbage,
                "skipped input that is not a message header"
            );
        }
        let len = match length {
            None if lines == 0 => continue, // a stray blank line
            None => {
                tracing::error!("message without a Content-Length header");
                if !reject(
                    &mut out,
                    Value::Null,
                    -32700,
                    "parse error: missing Content-Length header".into(),
                )
                .await
                {
                    return;
                }
                continue;
            }
            Some(Err(msg)) => {
                tracing::error!("{msg}");
                if !reject(&mut out, Value::Null, -32700, format!("parse error: {msg}")).await {
                    return;
                }
                continue;
            }
            Some(Ok(len)) => len,
        };
        if len > MAX_MESSAGE_BYTES {
            tracing::error!(len, "message larger than {MAX_MESSAGE_BYTES} bytes skipped");
            if !input.skip(len).await {
                return;
            }
            let msg = format!(
                "invalid request: message of {len} bytes is larger than the {MAX_MESSAGE_BYTES}-byte limit"
            );
            if !reject(&mut out, Value::Null, -32600, msg).await {
                return;
            }
            continue;
        }
        let Some(body) = input.body(len).await else {
            tracing::error!(len, "input ended inside a message body");
            return;
        };
        let ok = match classify(&body) {
            Verdict::Forward => write_frame(&mut out, &body).await,
            Verdict::Reject { id, code, message } => {
                tracing::error!(body = %preview(&body), "{message}");
                // A body cut short and completed by the next message: resynchronise on the
                // next header inside it.
                if let Some(i) = find(&body, HEADER) {
                    input.unread(&body[i..]);
                }
                reject(&mut out, id, code, message).await
            }
        };
        if !ok {
            return;
        }
    }
}
