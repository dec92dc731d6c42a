//! `cargo bench -p iam-catalog --bench catalog`
//! Budgets (issue 3): ready < 30 ms after start, action lookup < 1 µs,
//! `expand("ecs:*")` < 50 µs.

use std::borrow::Cow;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use iam_catalog::{CATALOG_BYTES, Catalog, catalog};

fn load(c: &mut Criterion) {
    // Header decode + indexes: what the first request pays.
    c.bench_function("load/header", |b| {
        b.iter(|| Catalog::from_bytes(Cow::Borrowed(black_box(CATALOG_BYTES))))
    });
    // Header + first lookup in one service (decodes that service's line).
    c.bench_function("load/header+ecs:RunTask", |b| {
        b.iter(|| {
            let cat = Catalog::from_bytes(Cow::Borrowed(CATALOG_BYTES)).ok();
            cat.and_then(|c| c.action(black_box("ecs:RunTask")).map(|a| a.name().len()))
        })
    });
    // Every service decoded (worst case: `*:Get*` on a cold catalog).
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("all-services", |b| {
        b.iter(|| {
            let cat = Catalog::from_bytes(Cow::Borrowed(CATALOG_BYTES)).ok();
            cat.map(|c| c.expand("*").len())
        })
    });
    g.finish();
}

fn lookups(c: &mut Criterion) {
    let cat = catalog();
    let _ = cat.expand("*"); // warm every service
    c.bench_function("action/ecs:RunTask", |b| {
        b.iter(|| cat.action(black_box("ecs:RunTask")))
    });
    c.bench_function("action/lowercase", |b| {
        b.iter(|| cat.action(black_box("ecs:runtask")))
    });
    c.bench_function("action/unknown", |b| {
        b.iter(|| cat.action(black_box("ecs:DescribeCluster")))
    });
    c.bench_function("expand/ecs:*", |b| {
        b.iter(|| cat.expand(black_box("ecs:*")))
    });
    c.bench_function("expand/ecs:Describe*", |b| {
        b.iter(|| cat.expand(black_box("ecs:Describe*")))
    });
    c.bench_function("expand/*:Get*", |b| {
        b.iter(|| cat.expand(black_box("*:Get*")))
    });
    c.bench_function("condition_key/aws:PrincipalTag/team", |b| {
        b.iter(|| cat.condition_key(black_box("aws:PrincipalTag/team")))
    });
    c.bench_function("condition_key/ecs:cluster", |b| {
        b.iter(|| cat.condition_key(black_box("ecs:cluster")))
    });
    c.bench_function("match_arn/ecs cluster", |b| {
        b.iter(|| {
            cat.match_arn(black_box(
                "arn:aws:ecs:us-east-1:123456789012:cluster/default",
            ))
        })
    });
    c.bench_function("match_arn/s3 object wildcard", |b| {
        b.iter(|| cat.match_arn(black_box("arn:aws:s3:::my-bucket/*")))
    });
    c.bench_function("suggest_action/ecs:DescribeCluster", |b| {
        b.iter(|| cat.suggest_action(black_box("ecs:DescribeCluster")))
    });
}

criterion_group!(benches, load, lookups);
criterion_main!(benches);
