//! Validator benchmarks: full analysis (parse + lower + every check) of a ~6 KB policy, as done
//! after each edit; and of every AWS managed policy in `tests/corpus/managed/policies`.
//! Target: < 1 ms for the 6 KB policy.
//!
//! Run: `cargo bench -p iam-validate --bench validate`

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use iam_validate::{Options, analyze};

#[allow(dead_code)] // each user of the shared generator takes what it needs
use iam_test_support::synthetic;

/// A ~6 KB identity policy with actions, wildcards, ARNs and conditions.
fn policy() -> String {
    let pairs: Vec<String> = (0..12).map(synthetic::statement_pair).collect();
    synthetic::policy(&pairs)
}

fn bench(c: &mut Criterion) {
    let text = policy();
    assert!(text.len() > 5_000, "policy is {} bytes", text.len());
    let options = Options::default();
    // Warm the catalog (lazily decoded per service).
    let _ = analyze(&text, &options);
    c.bench_function("validate_6kb_policy", |b| {
        b.iter(|| black_box(analyze(black_box(&text), &options)));
    });

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/managed/policies");
    let managed: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    if !managed.is_empty() {
        for t in &managed {
            let _ = analyze(t, &options);
        }
        let mut g = c.benchmark_group("managed");
        g.sample_size(10);
        g.bench_function("validate_all_managed_policies", |b| {
            b.iter(|| {
                for t in &managed {
                    black_box(analyze(black_box(t), &options));
                }
            });
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
