//! `iam-policy-ls catalog update` / `catalog status` against a mirror of the Service Reference
//! served by the test itself on 127.0.0.1 (`tests/fixtures/service-reference-mirror`: three AWS
//! service documents, one of them with an invented action, and one invented service), and the
//! use of the updated catalog by `check` and `serve`. Every failure must leave the previous
//! catalog in force.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

const NEW_ACTION: &str = "sqs:ExampleInventedAction";
const NEW_SERVICE_ACTION: &str = "exampleinvented:DoExampleThing";
const OLD_ACTIONS: [&str; 2] = ["ecs:RunTask", "s3:GetObject"];

fn mirror_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/service-reference-mirror")
}

/// What the mirror does wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    None,
    /// The first half of this service's document, with a matching Content-Length.
    Truncate(&'static str),
    NotFound(&'static str),
    ServerError(&'static str),
    /// Accepts the connection for this service's document and never answers.
    Hang(&'static str),
    ListingNotJson,
}

#[derive(Debug, Clone)]
struct Request {
    #[allow(dead_code)] // shown by `{:?}` in failure messages
    path: String,
    headers: Vec<(String, String)>,
}

struct Mirror {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Mirror {
    fn start(fault: Fault) -> Mirror {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (reqs, stop2) = (Arc::clone(&requests), Arc::clone(&stop));
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (reqs, stop3) = (Arc::clone(&reqs), Arc::clone(&stop2));
                std::thread::spawn(move || serve_one(conn, fault, &reqs, &stop3));
            }
        });
        Mirror {
            base: format!("http://127.0.0.1:{port}/"),
            requests,
            stop,
            port,
        }
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn etag(body: &[u8]) -> String {
    let h = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("\"{h:016x}\"")
}

fn serve_one(conn: TcpStream, fault: Fault, reqs: &Mutex<Vec<Request>>, stop: &AtomicBool) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    reqs.lock().unwrap().push(Request {
        path: path.clone(),
        headers: headers.clone(),
    });
    let service = path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".json")
        .to_string();
    let mut conn = conn;
    if path == "/" {
        if fault == Fault::ListingNotJson {
            respond(&mut conn, "200 OK", b"<html>maintenance</html>", "");
            return;
        }
        let body = std::fs::read(mirror_dir().join("index.json")).unwrap();
        return respond_cached(&mut conn, &headers, &body);
    }
    match fault {
        Fault::NotFound(s) if s == service => return respond(&mut conn, "404 Not Found", b"", ""),
        Fault::ServerError(s) if s == service => {
            return respond(&mut conn, "500 Internal Server Error", b"oops", "");
        }
        Fault::Hang(s) if s == service => {
            // Bounded: until the test ends, at most 20 s.
            let start = Instant::now();
            while !stop.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(20) {
                std::thread::sleep(Duration::from_millis(20));
            }
            return;
        }
        _ => {}
    }
    let Ok(body) = std::fs::read(mirror_dir().join(path.trim_start_matches('/'))) else {
        return respond(&mut conn, "404 Not Found", b"", "");
    };
    if matches!(fault, Fault::Truncate(s) if s == service) {
        return respond(&mut conn, "200 OK", &body[..body.len() / 2], "");
    }
    respond_cached(&mut conn, &headers, &body);
}

fn respond(conn: &mut TcpStream, status: &str, body: &[u8], extra: &str) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/json\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(body);
    let _ = conn.flush();
}

fn respond_cached(conn: &mut TcpStream, headers: &[(String, String)], body: &[u8]) {
    let tag = etag(body);
    if headers
        .iter()
        .any(|(k, v)| k == "if-none-match" && *v == tag)
    {
        return respond(conn, "304 Not Modified", b"", &format!("ETag: {tag}\r\n"));
    }
    respond(conn, "200 OK", body, &format!("ETag: {tag}\r\n"));
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn temp_dir(name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("catalog-update-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bin(cache: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"));
    c.env("IAM_POLICY_LS_CACHE_DIR", cache)
        .env("IAM_POLICY_LS_UPDATE_TIMEOUT_MS", "1500")
        .stdin(Stdio::null());
    for v in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        c.env_remove(v);
    }
    c
}

fn run(cache: &Path, args: &[&str]) -> Output {
    bin(cache).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn update(cache: &Path, source: &str) -> Output {
    run(cache, &["catalog", "update", "--source", source])
}

/// A policy using the new action, the new service's action and two old actions.
fn policy(dir: &Path) -> PathBuf {
    let actions: Vec<&str> = [NEW_ACTION, NEW_SERVICE_ACTION]
        .into_iter()
        .chain(OLD_ACTIONS)
        .collect();
    let p = dir.join("policy.json");
    let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
    std::fs::write(&p, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    p
}

/// The codes `check --format json` reports for a file (B001/B002: unknown service/action).
fn unknown_codes(cache: &Path, file: &Path) -> Vec<String> {
    let o = run(
        cache,
        &["check", "--format", "json", file.to_str().unwrap()],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    let mut codes: Vec<String> = ["B001", "B002"]
        .into_iter()
        .filter(|c| out.contains(&format!("\"{c}\"")))
        .map(str::to_string)
        .collect();
    codes.sort();
    codes
}

fn manifest(cache: &Path) -> String {
    std::fs::read_to_string(cache.join("manifest.json")).unwrap_or_default()
}

/// A successful first update into a fresh cache.
fn updated_cache(mirror: &Mirror, name: &str) -> PathBuf {
    let cache = temp_dir(name);
    let o = update(&cache, &mirror.base);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    cache
}

#[test]
fn update_then_check_and_status_know_the_new_service_and_action() {
    let mirror = Mirror::start(Fault::None);
    let cache = temp_dir("ok");
    let file = policy(&cache);
    // Before: the embedded catalog lacks both.
    assert_eq!(unknown_codes(&cache, &file), ["B001", "B002"]);

    let o = update(&cache, &mirror.base);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("1 added: exampleinvented"), "{out}");
    assert!(out.contains("4 downloaded, 0 unchanged"), "{out}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("4 services listed"),
        "{}",
        text(&o)
    );

    // After: both known, the old ones still known.
    assert_eq!(unknown_codes(&cache, &file), Vec::<String>::new());

    let s = run(&cache, &["catalog", "status"]);
    let st = String::from_utf8_lossy(&s.stdout);
    assert_eq!(s.status.code(), Some(0), "{}", text(&s));
    assert!(st.contains("catalog in use: updated copy in"), "{st}");
    assert!(st.contains(&format!("from {}", mirror.base)), "{st}");
    assert!(st.contains("services added: exampleinvented"), "{st}");
    assert!(st.contains(&NEW_ACTION.to_ascii_lowercase()), "{st}");

    let v = run(&cache, &["--version"]);
    assert!(
        String::from_utf8_lossy(&v.stdout).contains("service-reference"),
        "{}",
        text(&v)
    );

    // `--catalog PATH` forces a catalog: the cache directory, or the embedded one when told
    // to use an unreadable file (an error for the CLI).
    let forced = run(
        &cache,
        &[
            "check",
            "--catalog",
            cache.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    let bad = run(
        &cache,
        &[
            "check",
            "--catalog",
            "/nonexistent/catalog.jsonl",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));

    // A second update asks conditionally and reuses unchanged documents.
    let before = mirror.requests().len();
    let o = update(&cache, &mirror.base);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("0 downloaded, 4 unchanged"),
        "{}",
        text(&o)
    );
    let later = &mirror.requests()[before..];
    assert_eq!(later.len(), 5, "{later:?}");
    assert!(
        later
            .iter()
            .all(|r| r.headers.iter().any(|(k, _)| k == "if-none-match")),
        "{later:?}"
    );
    assert_eq!(unknown_codes(&cache, &file), Vec::<String>::new());
}

#[tokio::test]
async fn serve_uses_the_updated_catalog() {
    let mirror = Mirror::start(Fault::None);
    let cache = updated_cache(&mirror, "serve");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .arg("serve")
        .env("IAM_POLICY_LS_CACHE_DIR", &cache)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let (stdin, stdout) = (child.stdin.take().unwrap(), child.stdout.take().unwrap());
    let mut c = common::Client::new(stdout, stdin);
    c.initialize(json!({})).await;
    let uri = "file:///tmp/new.policy.json";
    let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": [NEW_ACTION, NEW_SERVICE_ACTION, "ecs:RunTask", "sqs:NoSuchActionAtAll"], "Resource": "*"}]});
    c.open(uri, &doc.to_string(), 1).await;
    let d = c.diagnostics(uri, 1).await;
    // Only the action that exists nowhere is unknown; its message names the catalog's date
    // and the update command.
    assert_eq!(common::codes(&d), ["B002"], "{d:?}");
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.contains("iam-policy-ls catalog update"), "{msg}");
    assert!(msg.contains("catalog of 20"), "{msg}");
    c.shutdown_and_exit().await;
    let _ = tokio::time::timeout(common::TIMEOUT, child.wait()).await;
}

#[tokio::test]
async fn serve_reports_an_old_catalog_once_at_startup() {
    let cache = temp_dir("stale");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .arg("serve")
        .env("IAM_POLICY_LS_CACHE_DIR", &cache)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let (stdin, stdout) = (child.stdin.take().unwrap(), child.stdout.take().unwrap());
    let mut c = common::Client::new(stdout, stdin);
    // 1 day: the embedded catalog is older than that (a release's is at most 30 days old).
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"catalogWarnAfterDays": 1}}),
    )
    .await;
    c.notify("initialized", json!({})).await;
    let m = c.wait_for(|m| m["method"] == "window/showMessage").await;
    let text = m["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("days old") && text.contains("catalog update"),
        "{text}"
    );
    c.shutdown_and_exit().await;
    let _ = tokio::time::timeout(common::TIMEOUT, child.wait()).await;
}

/// Runs a failing update on top of a good cache and checks that nothing changed.
fn failing_update(fault: Fault, expect: &[&str]) {
    let good = Mirror::start(Fault::None);
    let cache = updated_cache(&good, "fail");
    let file = policy(&cache);
    let before = manifest(&cache);
    let bad = Mirror::start(fault);
    let start = Instant::now();
    let o = update(&cache, &bad.base);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "bounded: {:?}",
        start.elapsed()
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("the previous catalog stays in force"), "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in {err}");
    }
    assert_eq!(manifest(&cache), before, "the manifest changed");
    assert_eq!(
        unknown_codes(&cache, &file),
        Vec::<String>::new(),
        "the update is no longer in force"
    );
    assert!(!cache.join("update.lock").exists());
}

#[test]
fn truncated_document_fails_and_changes_nothing() {
    failing_update(
        Fault::Truncate("sns"),
        &["sns:", "v1/sns/sns.json", "invalid JSON"],
    );
}

#[test]
fn missing_document_fails_and_changes_nothing() {
    failing_update(
        Fault::NotFound("ecs"),
        &["ecs:", "v1/ecs/ecs.json", "HTTP 404"],
    );
}

#[test]
fn server_error_fails_and_changes_nothing() {
    failing_update(Fault::ServerError("sqs"), &["sqs:", "HTTP 500"]);
}

#[test]
fn silent_server_times_out_and_changes_nothing() {
    failing_update(Fault::Hang("ecs"), &["ecs:", "timeout"]);
}

#[test]
fn listing_that_is_not_json_fails_and_changes_nothing() {
    failing_update(Fault::ListingNotJson, &["service list", "invalid JSON"]);
}

#[test]
fn unreachable_port_fails_and_changes_nothing() {
    let good = Mirror::start(Fault::None);
    let cache = updated_cache(&good, "unreachable");
    let before = manifest(&cache);
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let o = update(&cache, &url);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("service list") && err.contains(&url) && err.contains("connect"),
        "{err}"
    );
    assert_eq!(manifest(&cache), before);
}

#[test]
fn usage_errors_exit_2() {
    let cache = temp_dir("usage");
    assert_eq!(
        update(&cache, "ftp://example.invalid/").status.code(),
        Some(2)
    );
    assert_eq!(
        run(&cache, &["catalog", "frobnicate"]).status.code(),
        Some(2)
    );
    assert!(!cache.join("manifest.json").exists());
}

#[test]
fn concurrent_updates_leave_one_valid_catalog() {
    let mirror = Mirror::start(Fault::None);
    let cache = temp_dir("concurrent");
    let children: Vec<_> = (0..3)
        .map(|_| {
            bin(&cache)
                .args(["catalog", "update", "--source", &mirror.base])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let jsonl: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jsonl") || n.ends_with(".tmp"))
        .collect();
    assert_eq!(jsonl.len(), 1, "{jsonl:?}");
    let file = policy(&cache);
    assert_eq!(unknown_codes(&cache, &file), Vec::<String>::new());
}

#[test]
fn cache_from_another_binary_version() {
    let mirror = Mirror::start(Fault::None);
    let cache = updated_cache(&mirror, "older");
    let file = policy(&cache);
    // Same formats, older writer: still used, and the next update downloads everything
    // again (another version may convert differently).
    let m = manifest(&cache).replace(
        &format!("\"binary_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"binary_version\": \"0.0.1\"",
    );
    std::fs::write(cache.join("manifest.json"), &m).unwrap();
    assert_eq!(unknown_codes(&cache, &file), Vec::<String>::new());
    let st = run(&cache, &["catalog", "status"]);
    assert!(
        String::from_utf8_lossy(&st.stdout).contains("by iam-policy-ls 0.0.1"),
        "{}",
        text(&st)
    );
    let before = mirror.requests().len();
    let o = update(&cache, &mirror.base);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        mirror.requests()[before..]
            .iter()
            .all(|r| r.headers.iter().all(|(k, _)| k != "if-none-match")),
        "conditional requests on another version's cache"
    );

    // A manifest in a format this binary does not read: reported once, embedded catalog used.
    let m = manifest(&cache).replace("\"manifest_format\": 1", "\"manifest_format\": 99");
    std::fs::write(cache.join("manifest.json"), m).unwrap();
    let o = run(&cache, &["check", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.matches("warning: the catalog cache cannot be used")
            .count(),
        1,
        "{}",
        text(&o)
    );
    assert!(err.contains("catalog update"), "{err}");
    assert_eq!(unknown_codes(&cache, &file), ["B001", "B002"]);
}
