//! The whole `didChange` path, as the server runs it for one keystroke: apply an incremental
//! edit to the rope, copy the text out, parse + lower + validate (`server::analyze_document`, reusing the
//! model and findings of the statements the edit did not touch), and turn
//! the findings into LSP diagnostics (positions in UTF-16). Measured for a ~6 KB policy (the
//! managed-policy size limit), a 100 KB and a 1 MB document, so the growth with size shows.
//! Budgets (docs/performance.md): 6 KB p50 < 1 ms end to end; 1 MB < 30 ms.
//!
//! A second group measures what the server does for a completion request on the same 6 KB
//! policy, up to the JSON of the answer: the largest answers (every action of a service after
//! `"s3:`, every condition key after `"Condition": {`) make the tail of the end-to-end
//! completion latency (`cargo xtask bench-lsp --latency`).
//!
//! Run: `cargo bench -p iam-policy-ls --bench did_change`

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use iam_policy_ls::config::{self, Settings};
use iam_policy_ls::convert;
use iam_policy_ls::document::Document;
use iam_policy_ls::encoding::PositionEncoding;
use iam_validate::{Analysis, Options};
use tower_lsp_server::ls_types::{self as lsp, Position, Range, TextDocumentContentChangeEvent};

/// The binary's allocator (`src/main.rs`), so the bench measures what the server does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(dead_code)] // each user of the shared generator takes what it needs
use iam_test_support::synthetic;

/// A policy of about `bytes` bytes (pairs of ECS and S3 statements; ~900 bytes per pair).
/// The last statement ends with `"Sid": "Edit"` on a line of its own for the edit to land in.
fn policy(bytes: usize) -> String {
    synthetic::policy_of_size(
        bytes,
        &[
            "    {\n      \"Sid\": \"Edit\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    }",
        ],
    )
}

/// What the server does for one `didChange` (see `server::Backend::did_change` / `reanalyze` /
/// `diagnostics_of`), minus the transport. Returns the diagnostics and the replaced analysis.
fn did_change(
    doc: &mut Document,
    change: TextDocumentContentChangeEvent,
    settings: &Settings,
) -> (Vec<lsp::Diagnostic>, Option<Arc<Analysis>>) {
    let enc = PositionEncoding::Utf16;
    doc.apply_changes(vec![change], enc);
    doc.version += 1;
    let text = doc.text();
    // As `server::analyze_document` for a policy with default settings (no project config).
    let path = "/bench/policy.json";
    let options = Options {
        policy_type: settings.policy_type(path),
        lenient: settings.lenient,
    };
    // As the server: the last analysis is passed in, so unchanged statements are not re-checked.
    let analysis = iam_validate::analyze_incremental(
        &text,
        &options,
        &iam_validate::config::Config::default(),
        &[],
        doc.analysis.as_deref(),
    );
    let is_policy = config::is_policy(settings, path, &doc.language_id, &analysis.parse);
    // The server frees the replaced analysis of a large document off the request path
    // (`server::drop_later`); `previous` is returned so it is freed outside the timing.
    let previous = std::mem::replace(&mut doc.analysis, is_policy.then(|| Arc::new(analysis)));
    let diags = doc.analysis.as_ref().map_or_else(Vec::new, |a| {
        a.diagnostics
            .iter()
            .filter(|d| !settings.is_disabled(d.rule))
            .map(|d| convert::diagnostic(&doc.rope, d, enc))
            .collect()
    });
    (diags, previous)
}

/// `server::DROP_LATER_BYTES`.
const DROP_LATER_BYTES: usize = 128 << 10;

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let mut group = c.benchmark_group("did_change");
    group.warm_up_time(Duration::from_secs(1));
    for (name, size) in [("6KB", 6_000), ("100KB", 100_000), ("1MB", 1_000_000)] {
        let text = policy(size);
        let line = u32::try_from(
            text[..text.find("\"Sid\": \"Edit\"").unwrap()]
                .matches('\n')
                .count(),
        )
        .unwrap();
        // Inside the Sid's value: `      "Sid": "E|dit"`.
        let at = Position::new(line, 15);
        let mut doc = Document::new(&text, 1, "json".to_owned());
        // Warm the catalog and check the document is analysed as a policy.
        let (first, _) = did_change(&mut doc, insert(at, ""), &settings);
        assert!(doc.analysis.is_some(), "{name}: not analysed as a policy");
        black_box(first);
        group.throughput(Throughput::Bytes(text.len() as u64));
        if size >= 1_000_000 {
            group.sample_size(20);
            group.measurement_time(Duration::from_secs(8));
        } else {
            group.sample_size(100);
            group.measurement_time(Duration::from_secs(3));
        }
        // Alternately type a character and delete it, so the document stays the same size.
        let mut typed = false;
        group.bench_function(
            BenchmarkId::new("keystroke", format!("{name} ({} bytes)", text.len())),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let change = if typed {
                            TextDocumentContentChangeEvent {
                                range: Some(Range::new(
                                    at,
                                    Position::new(at.line, at.character + 1),
                                )),
                                range_length: None,
                                text: String::new(),
                            }
                        } else {
                            insert(at, "x")
                        };
                        typed = !typed;
                        let t0 = Instant::now();
                        let (diags, mut previous) = did_change(&mut doc, change, &settings);
                        let diags = black_box(diags);
                        // As the server: small analyses are freed in place, large ones later
                        // on another thread (outside the timing here).
                        if text.len() < DROP_LATER_BYTES {
                            previous = None;
                        }
                        total += t0.elapsed();
                        drop((diags, previous));
                    }
                    total
                });
            },
        );
    }
    group.finish();
}

fn insert(at: Position, text: &str) -> TextDocumentContentChangeEvent {
    TextDocumentContentChangeEvent {
        range: Some(Range::new(at, at)),
        range_length: None,
        text: text.to_owned(),
    }
}

/// Completion on the 6 KB policy, the handler and the answer's JSON as the server writes it.
fn completion(c: &mut Criterion) {
    let settings = Arc::new(Settings::default());
    let mut group = c.benchmark_group("completion");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for (name, last, after) in [
        (
            "all s3 actions",
            "    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:\"],\n      \"Resource\": \"*\"\n    }",
            "[\"s3:",
        ),
        (
            "condition operators",
            "    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\",\n      \"Condition\": {\"\"}\n    }",
            "\"Condition\": {\"",
        ),
    ] {
        let text = synthetic::policy_of_size(6_000, &[last]);
        let at = text.rfind(after).unwrap() + after.len();
        let line = u32::try_from(text[..at].matches('\n').count()).unwrap();
        let col = u32::try_from(at - text[..at].rfind('\n').map_or(0, |i| i + 1)).unwrap();
        let mut doc = Document::new(&text, 1, "json".to_owned());
        did_change(&mut doc, insert(Position::new(0, 0), ""), &settings);
        let snapshot = iam_policy_ls::handlers::Snapshot {
            uri: "file:///bench/policy.json".parse().unwrap(),
            version: doc.version,
            rope: doc.rope.clone(),
            analysis: doc.analysis.clone().unwrap(),
            encoding: PositionEncoding::Utf16,
            settings: settings.clone(),
        };
        let params = || lsp::CompletionParams {
            text_document_position: lsp::TextDocumentPositionParams {
                text_document: lsp::TextDocumentIdentifier {
                    uri: snapshot.uri.clone(),
                },
                position: Position::new(line, col),
            },
            work_done_progress_params: lsp::WorkDoneProgressParams::default(),
            partial_result_params: lsp::PartialResultParams::default(),
            context: None,
        };
        let answer = iam_policy_ls::handlers::completion::completion(&snapshot, params());
        let items = match &answer {
            Some(lsp::CompletionResponse::List(l)) => l.items.len(),
            _ => 0,
        };
        assert!(items > 100, "{name}: {items} items");
        group.bench_function(BenchmarkId::new("answer", name), |b| {
            b.iter(|| {
                let answer = iam_policy_ls::handlers::completion::completion(&snapshot, params());
                // As tower-lsp-server: the result becomes a JSON value, the message a string.
                let value = serde_json::to_value(answer).unwrap();
                let message = serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": value});
                black_box(serde_json::to_vec(&message).unwrap())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench, completion);
criterion_main!(benches);
