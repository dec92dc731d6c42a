//! Parser throughput: a typical 2 KB policy, a 6 KB policy (the managed-policy size limit), and
//! 100 KB / 1 MB synthetic documents (to show cost is linear in size).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use iam_syntax::{ParseOptions, parse};

/// A policy of about `target` bytes: statements with actions, resources and conditions.
fn policy_of_size(target: usize) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    let mut i = 0;
    while s.len() < target {
        if i > 0 {
            s.push_str(",\n");
        }
        s.push_str(&format!(
            "    {{\n      \"Sid\": \"Stmt{i}\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\"ecs:RunTask\", \"ecs:StartTask\", \"ecs:Describe*\"],\n      \"Resource\": \"arn:aws:ecs:us-east-1:123456789012:task-definition/app-{i}:*\",\n      \"Condition\": {{\"ArnEquals\": {{\"ecs:cluster\": \"arn:aws:ecs:us-east-1:123456789012:cluster/c{i}\"}}}}\n    }}"
        ));
        i += 1;
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, size) in [
        ("2KB", 2_000),
        ("6KB", 6_000),
        ("100KB", 100_000),
        ("1MB", 1_000_000),
    ] {
        let text = policy_of_size(size);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| parse(t, ParseOptions::STRICT))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
