//! Criterion benchmarks of `compare` (targets: two ~6 KB policies under 10 ms; ReadOnlyAccess
//! against ViewOnlyAccess, thousands of actions each, under 100 ms). Each run includes the
//! evaluator's confirmation of every listed finding.
//!
//! Run: `cargo bench -p iam-compare --bench compare`

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use iam_compare::{Options, compare};
use iam_policy::model::Policy;

/// A ~6 KB identity policy over a dozen services with resources and conditions; `extra` adds
/// one action to a late statement (the change under review).
fn policy(extra: bool) -> Policy {
    let services = [
        "ec2", "s3", "dynamodb", "sqs", "sns", "lambda", "logs", "kms", "ecs", "iam", "ssm",
    ];
    let mut statements = Vec::new();
    let mut i = 0;
    while statements.iter().map(String::len).sum::<usize>() < 5600 {
        let svc = services[i % services.len()];
        let mut s = String::new();
        let add = if extra && i == 20 {
            format!(r#","{svc}:Put*""#)
        } else {
            String::new()
        };
        let _ = write!(
            s,
            r#"{{"Sid":"S{i}","Effect":"{}","Action":["{svc}:Describe*","{svc}:Get*","{svc}:List*"{add}],"Resource":["arn:aws:{svc}:us-east-1:111122223333:thing/{i}/*","arn:aws:{svc}:*:111122223333:home/*"]"#,
            if i % 7 == 6 { "Deny" } else { "Allow" }
        );
        if i % 3 == 0 {
            let _ = write!(
                s,
                r#","Condition":{{"StringEquals":{{"aws:RequestedRegion":["us-east-1","eu-west-1"]}},"Bool":{{"aws:SecureTransport":"true"}}}}"#
            );
        }
        s.push('}');
        statements.push(s);
        i += 1;
    }
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    iam_policy::parse_policy(&text).policy
}

fn managed(name: &str) -> Policy {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/managed/policies")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    iam_policy::parse_policy(&text).policy
}

fn bench(c: &mut Criterion) {
    let (old, new) = (policy(false), policy(true));
    let opts = Options::default();
    c.bench_function("compare two 6 KB policies", |b| {
        b.iter(|| black_box(compare(black_box(&old), black_box(&new), &opts)));
    });
    let (read_only, view_only) = (
        managed("ReadOnlyAccess.json"),
        managed("ViewOnlyAccess.json"),
    );
    c.bench_function("compare ViewOnlyAccess -> ReadOnlyAccess", |b| {
        b.iter(|| black_box(compare(black_box(&view_only), black_box(&read_only), &opts)));
    });
    c.bench_function("compare ReadOnlyAccess -> ViewOnlyAccess", |b| {
        b.iter(|| black_box(compare(black_box(&read_only), black_box(&view_only), &opts)));
    });
    // The decision alone: one confirmed finding, the others only counted.
    let first = Options {
        max_findings: 1,
        ..Options::default()
    };
    c.bench_function(
        "compare ViewOnlyAccess -> ReadOnlyAccess, first finding",
        |b| {
            b.iter(|| {
                black_box(compare(
                    black_box(&view_only),
                    black_box(&read_only),
                    &first,
                ))
            });
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
