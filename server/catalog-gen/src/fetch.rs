//! `iam-policy-ls catalog update`: downloads AWS's Service Reference (or a
//! mirror with the same layout), converts it ([`crate::update`]) and commits it
//! to the cache ([`crate::cache`]). Only with the `fetch` feature: the only
//! code of the project that opens network connections.
//!
//! HTTP goes through `ureq` (rustls; `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`
//! and `NO_PROXY` are honoured). Documents are fetched by a bounded pool of
//! threads, each request with a connect timeout and a whole-request timeout,
//! retried once on a timeout, a connection error or a 5xx answer. Once a
//! previous update exists, requests are conditional (`If-None-Match`,
//! `If-Modified-Since`) and a `304` reuses the previous data. Any failure
//! leaves the cache as it was.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use iam_catalog::Catalog;
use iam_catalog::format::MetadataData;
use serde_json::Value;

use crate::cache::{self, Lock, Manifest, Validators};
use crate::update::{self, Downloaded, Summary};

/// The official Service Reference: its root answers the service list.
pub const DEFAULT_SOURCE: &str = "https://servicereference.us-east-1.amazonaws.com/";

/// Largest document accepted (the biggest service documents are a few MB).
const MAX_BODY: u64 = 64 << 20;

/// What `catalog update` does.
#[derive(Debug, Clone)]
pub struct Options {
    /// Base URL; `GET` on it answers `[{"service": prefix, "url": document URL}]`.
    /// Relative document URLs are resolved against it.
    pub source: String,
    pub cache_dir: PathBuf,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Downloads at once.
    pub parallelism: usize,
    /// How long to wait for another update's lock.
    pub lock_wait: Duration,
    /// Version of the binary (written to the manifest).
    pub binary_version: String,
}

impl Options {
    /// The defaults: official source, connect 10 s, request 30 s, 8 at once.
    pub fn new(cache_dir: PathBuf, binary_version: &str) -> Options {
        Options {
            source: DEFAULT_SOURCE.to_string(),
            cache_dir,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            parallelism: 8,
            lock_wait: Duration::from_secs(300),
            binary_version: binary_version.to_string(),
        }
    }
}

/// A document that could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Service prefix, or `service list`.
    pub service: String,
    pub url: String,
    /// `timeout`, `HTTP 404`, `invalid JSON: ...`, `cannot connect: ...`.
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.service, self.url, self.reason)
    }
}

/// Why an update did not change the cache.
#[derive(Debug, Clone)]
pub enum Error {
    /// Downloads that failed (every one is listed).
    Download(Vec<Failure>),
    /// Anything else (lock, disk).
    Other(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Download(v) => {
                write!(f, "{} download(s) failed", v.len())?;
                for x in v {
                    write!(f, "\n  {x}")?;
                }
                Ok(())
            }
            Error::Other(s) => f.write_str(s),
        }
    }
}

/// Progress reported while downloading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The service list is in: this many documents to get.
    Listed { services: usize },
    /// One more document done (downloaded, unchanged or failed).
    Document {
        done: usize,
        total: usize,
        service: String,
    },
}

/// What a successful update did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub summary: Summary,
    pub manifest: Manifest,
    /// Documents downloaded and documents the server said were unchanged.
    pub downloaded: usize,
    pub unchanged: usize,
}

enum Got {
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    NotModified,
}

/// Runs an update: on success the cache holds the new catalog; on failure it is unchanged.
pub fn run(
    opts: &Options,
    base: &Catalog,
    progress: &mut dyn FnMut(Progress),
) -> Result<Outcome, Error> {
    let _lock = Lock::acquire(
        &opts.cache_dir,
        opts.lock_wait,
        Duration::from_secs(15 * 60),
    )
    .map_err(Error::Other)?;
    // The previous update's validators are used only when this binary wrote it
    // from the same source (another version may convert differently).
    let previous = cache::load(&opts.cache_dir).ok().flatten().filter(|c| {
        c.manifest.binary_version == opts.binary_version && c.manifest.source == opts.source
    });
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_per_call(Some(opts.request_timeout))
        .http_status_as_error(false)
        .user_agent(format!("iam-policy-ls/{}", opts.binary_version))
        .build()
        .into();

    // 1. The service list.
    let list_url = opts.source.clone();
    let prev_listing = previous.as_ref().map(|p| &p.manifest.listing);
    let list_failure = |reason: String| {
        Error::Download(vec![Failure {
            service: "service list".to_string(),
            url: list_url.clone(),
            reason,
        }])
    };
    let (entries, listing) = match get(&agent, &list_url, prev_listing).map_err(list_failure)? {
        Got::NotModified => {
            let p = previous.as_ref().map(|p| &p.manifest);
            let entries: Vec<(String, String)> = p
                .map(|m| {
                    m.documents
                        .iter()
                        .map(|(k, v)| (k.clone(), v.url.clone()))
                        .collect()
                })
                .unwrap_or_default();
            (entries, p.map(|m| m.listing.clone()).unwrap_or_default())
        }
        Got::Body {
            bytes,
            etag,
            last_modified,
        } => {
            let entries = parse_listing(&bytes, &opts.source).map_err(list_failure)?;
            (
                entries,
                Validators {
                    url: list_url.clone(),
                    etag,
                    last_modified,
                },
            )
        }
    };
    progress(Progress::Listed {
        services: entries.len(),
    });

    // 2. The documents, `parallelism` at a time.
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<(Downloaded, Validators), String>)>();
    let total = entries.len();
    let mut results: Vec<Option<Result<(Downloaded, Validators), String>>> =
        (0..total).map(|_| None).collect();
    std::thread::scope(|scope| {
        for _ in 0..opts.parallelism.clamp(1, 32).min(total.max(1)) {
            let tx = tx.clone();
            let (next, entries, agent, previous) = (&next, &entries, &agent, &previous);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((prefix, url)) = entries.get(i) else {
                        break;
                    };
                    let prev = previous.as_ref().and_then(|p| {
                        let v = p.manifest.documents.get(prefix)?;
                        let data = p.catalog.service(prefix)?.data().clone();
                        (v.url == *url).then_some((v, data))
                    });
                    let r = fetch_document(agent, url, prev);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (n, (i, r)) in rx.into_iter().enumerate() {
            let done = n + 1;
            if let Some(slot) = results.get_mut(i) {
                *slot = Some(r);
            }
            progress(Progress::Document {
                done,
                total,
                service: entries.get(i).map(|e| e.0.clone()).unwrap_or_default(),
            });
        }
    });

    let mut failures = Vec::new();
    let mut downloaded = BTreeMap::new();
    let mut documents = BTreeMap::new();
    let (mut fresh, mut unchanged) = (0, 0);
    let mut versions = std::collections::BTreeSet::new();
    for ((prefix, url), r) in entries.iter().zip(results) {
        match r {
            Some(Ok((d, v))) => {
                match &d {
                    Downloaded::Document(doc) => {
                        fresh += 1;
                        let ver = update::document_version(doc);
                        if !ver.is_empty() {
                            versions.insert(ver);
                        }
                    }
                    Downloaded::Unchanged(_) => unchanged += 1,
                }
                downloaded.insert(prefix.clone(), d);
                documents.insert(prefix.clone(), v);
            }
            Some(Err(reason)) => failures.push(Failure {
                service: prefix.clone(),
                url: url.clone(),
                reason,
            }),
            None => failures.push(Failure {
                service: prefix.clone(),
                url: url.clone(),
                reason: "not downloaded".to_string(),
            }),
        }
    }
    if !failures.is_empty() {
        return Err(Error::Download(failures));
    }

    // 3. Convert and commit.
    let date = cache::iso8601(SystemTime::now());
    let version = versions
        .into_iter()
        .next_back()
        .or_else(|| {
            previous
                .as_ref()
                .map(|p| p.catalog.metadata().version.clone())
        })
        .unwrap_or_default();
    let metadata = MetadataData {
        source: "service-reference".to_string(),
        version,
        date: date.clone(),
        overlay: Some(format!("carried over from {}", base.metadata())),
    };
    let (text, summary) = update::build(base, downloaded, metadata);
    let manifest = Manifest {
        manifest_format: cache::MANIFEST_FORMAT,
        catalog_format: iam_catalog::format::FORMAT_VERSION,
        binary_version: opts.binary_version.clone(),
        source: opts.source.clone(),
        date,
        catalog_file: String::new(),
        catalog_bytes: 0,
        services: summary.services,
        actions: summary.actions,
        listing,
        documents,
    };
    cache::commit(&opts.cache_dir, &text, manifest.clone()).map_err(|e| {
        Error::Other(format!(
            "cannot write the catalog to {}: {e}",
            opts.cache_dir.display()
        ))
    })?;
    let manifest = cache::load(&opts.cache_dir)
        .ok()
        .flatten()
        .map(|c| c.manifest)
        .unwrap_or(manifest);
    Ok(Outcome {
        summary,
        manifest,
        downloaded: fresh,
        unchanged,
    })
}

/// Parses the service list: a JSON array of `{"service": prefix, "url": URL}`.
fn parse_listing(bytes: &[u8], base: &str) -> Result<Vec<(String, String)>, String> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    let arr = v
        .as_array()
        .ok_or("not a service list (expected a JSON array)")?;
    let mut out = BTreeMap::new();
    for e in arr {
        let service = e
            .get("service")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        let url = e.get("url").and_then(Value::as_str).unwrap_or("").trim();
        if service.is_empty() || url.is_empty() {
            return Err(format!(
                "not a service list (an entry lacks \"service\" or \"url\": {e})"
            ));
        }
        out.insert(service.to_ascii_lowercase(), resolve(base, url));
    }
    if out.is_empty() {
        return Err("the service list is empty".to_string());
    }
    Ok(out.into_iter().collect())
}

/// Resolves a document URL against the base URL (absolute URLs stay).
pub fn resolve(base: &str, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        return url.to_string();
    }
    if let Some(path) = url.strip_prefix('/') {
        // Origin of the base (`scheme://host[:port]`) + the path.
        let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
        let origin_end = base[after_scheme..]
            .find('/')
            .map(|i| after_scheme + i)
            .unwrap_or(base.len());
        return format!("{}/{path}", &base[..origin_end]);
    }
    let dir = match base.rfind('/') {
        Some(i) if i + 1 > base.find("://").map(|j| j + 3).unwrap_or(0) => &base[..=i],
        _ => base,
    };
    if dir.ends_with('/') {
        format!("{dir}{url}")
    } else {
        format!("{dir}/{url}")
    }
}

fn fetch_document(
    agent: &ureq::Agent,
    url: &str,
    prev: Option<(&Validators, iam_catalog::format::ServiceData)>,
) -> Result<(Downloaded, Validators), String> {
    let (validators, data) = match prev {
        Some((v, d)) => (Some(v), Some(d)),
        None => (None, None),
    };
    match get(agent, url, validators)? {
        Got::NotModified => match (data, validators) {
            (Some(d), Some(v)) => Ok((Downloaded::Unchanged(d), v.clone())),
            _ => Err("304 Not Modified without a previous copy".to_string()),
        },
        Got::Body {
            bytes,
            etag,
            last_modified,
        } => {
            let doc: Value =
                serde_json::from_slice(&bytes).map_err(|e| format!("invalid JSON: {e}"))?;
            if update::convert_document(&doc).is_none() {
                return Err("not a service document (no \"Name\")".to_string());
            }
            Ok((
                Downloaded::Document(doc),
                Validators {
                    url: url.to_string(),
                    etag,
                    last_modified,
                },
            ))
        }
    }
}

/// One GET, retried once on a timeout, a connection error or a 5xx answer.
fn get(agent: &ureq::Agent, url: &str, prev: Option<&Validators>) -> Result<Got, String> {
    let mut last = String::new();
    for attempt in 0..2 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(200));
        }
        match get_once(agent, url, prev) {
            Ok(g) => return Ok(g),
            Err((reason, retry)) => {
                last = reason;
                if !retry {
                    break;
                }
            }
        }
    }
    Err(last)
}

fn get_once(
    agent: &ureq::Agent,
    url: &str,
    prev: Option<&Validators>,
) -> Result<Got, (String, bool)> {
    let mut req = agent.get(url);
    if let Some(v) = prev.filter(|v| v.url == url) {
        if let Some(e) = &v.etag {
            req = req.header("If-None-Match", e.as_str());
        }
        if let Some(m) = &v.last_modified {
            req = req.header("If-Modified-Since", m.as_str());
        }
    }
    let mut resp = req.call().map_err(|e| (describe(&e), true))?;
    let status = resp.status().as_u16();
    if status == 304 {
        return Ok(Got::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err((format!("HTTP {status}"), status >= 500));
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| (describe(&e), true))?;
    Ok(Got::Body {
        bytes,
        etag,
        last_modified,
    })
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timeout (no complete answer in time)".to_string(),
        ureq::Error::ConnectionFailed => "cannot connect (connection refused)".to_string(),
        ureq::Error::HostNotFound => "cannot connect (host not found)".to_string(),
        ureq::Error::Io(io) => format!("cannot connect or read: {io}"),
        ureq::Error::BodyExceedsLimit(n) => format!("answer larger than {n} bytes"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        let b = "http://127.0.0.1:8080/mirror/";
        assert_eq!(
            resolve(b, "v1/ecs/ecs.json"),
            "http://127.0.0.1:8080/mirror/v1/ecs/ecs.json"
        );
        assert_eq!(
            resolve(b, "/v1/ecs.json"),
            "http://127.0.0.1:8080/v1/ecs.json"
        );
        assert_eq!(
            resolve(b, "https://x.example/a.json"),
            "https://x.example/a.json"
        );
        assert_eq!(resolve("http://h:1", "a.json"), "http://h:1/a.json");
        assert_eq!(
            resolve("http://h:1/list.json", "a.json"),
            "http://h:1/a.json"
        );
    }

    #[test]
    fn listing_errors_are_named() {
        assert!(
            parse_listing(b"<html>", "http://h/")
                .unwrap_or_default()
                .is_empty()
        );
        assert!(parse_listing(b"<html>", "http://h/").is_err_and(|e| e.contains("invalid JSON")));
        assert!(parse_listing(b"{}", "http://h/").is_err_and(|e| e.contains("array")));
        assert!(parse_listing(b"[]", "http://h/").is_err_and(|e| e.contains("empty")));
        let ok = parse_listing(br#"[{"service":"ECS","url":"v1/ecs.json"}]"#, "http://h/");
        assert_eq!(
            ok,
            Ok(vec![(
                "ecs".to_string(),
                "http://h/v1/ecs.json".to_string()
            )])
        );
    }
}
