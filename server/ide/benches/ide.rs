//! IDE feature benchmarks on a ~6 KB policy: completion at several cursor contexts, hover on an
//! action, a pattern, an ARN and a condition key. Target: p99 < 1 ms per request.
//!
//! Run: `cargo bench -p iam-ide --bench ide`

#![allow(clippy::print_stderr)] // a benchmark reports its percentiles on stderr
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use iam_ide::{complete, hover};
use iam_validate::{Analysis, Options, analyze};

/// A ~6 KB policy: many statements with actions, ARNs and conditions.
fn policy() -> String {
    let mut stmts = Vec::new();
    for i in 0..18 {
        stmts.push(format!(
            r#"    {{
      "Sid": "Ecs{i}",
      "Effect": "Allow",
      "Action": ["ecs:RunTask", "ecs:StartTask", "ecs:Describe*", "ecs:ListTasks"],
      "Resource": ["arn:aws:ecs:us-east-1:123456789012:task-definition/web{i}:*"],
      "Condition": {{"ArnEquals": {{"ecs:cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/default"}}}}
    }}"#
        ));
    }
    stmts.push(
        r#"    {
      "Sid": "Edit",
      "Effect": "Allow",
      "Action": ["ecs:RunTask", "ecs:Ru", "*:Desc"],
      "Resource": "",
      "Condition": {"StringEquals": {"": ""}, "StringLike": {"aws:RequestedRegion": ""}}
    }"#
        .to_owned(),
    );
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        stmts.join(",\n")
    )
}

fn at(text: &str, needle: &str, delta: usize) -> u32 {
    u32::try_from(text.rfind(needle).unwrap() + delta).unwrap()
}

struct Case {
    name: &'static str,
    offset: u32,
    hover: bool,
}

fn cases(text: &str) -> Vec<Case> {
    vec![
        Case {
            name: "complete/action-after-prefix",
            offset: at(text, "\"ecs:Ru\"", 7),
            hover: false,
        },
        Case {
            name: "complete/service-prefixes",
            offset: at(text, "\"ecs:Ru\"", 1),
            hover: false,
        },
        Case {
            name: "complete/service-prefixes-typed",
            offset: at(text, "\"ecs:Ru\"", 2),
            hover: false,
        },
        Case {
            name: "complete/actions-across-services",
            offset: at(text, "\"*:Desc\"", 7),
            hover: false,
        },
        Case {
            name: "complete/resource-arn",
            offset: at(text, "\"Resource\": \"\"", 13),
            hover: false,
        },
        Case {
            name: "complete/condition-key",
            offset: at(text, "{\"\": \"\"}", 2),
            hover: false,
        },
        Case {
            name: "complete/condition-value",
            offset: at(text, "\"aws:RequestedRegion\": \"\"", 24),
            hover: false,
        },
        Case {
            name: "complete/condition-operator",
            offset: at(text, "\"StringEquals\"", 3),
            hover: false,
        },
        Case {
            name: "complete/statement-element",
            offset: at(text, "\"Sid\": \"Edit\"", 2),
            hover: false,
        },
        Case {
            name: "hover/action",
            offset: at(text, "ecs:RunTask", 5),
            hover: true,
        },
        Case {
            name: "hover/pattern",
            offset: at(text, "ecs:Describe*", 5),
            hover: true,
        },
        Case {
            name: "hover/arn",
            offset: at(text, "cluster/default", 3),
            hover: true,
        },
        Case {
            name: "hover/condition-key",
            offset: at(text, "ecs:cluster", 3),
            hover: true,
        },
        Case {
            name: "hover/operator",
            offset: at(text, "ArnEquals", 3),
            hover: true,
        },
        Case {
            name: "hover/element",
            offset: at(text, "\"Condition\"", 3),
            hover: true,
        },
    ]
}

fn run(a: &Analysis, c: &Case) {
    if c.hover {
        black_box(hover(a, c.offset));
    } else {
        black_box(complete(a, c.offset));
    }
}

fn bench(c: &mut Criterion) {
    let text = policy();
    let a = analyze(&text, &Options::default());
    let cases = cases(&text);
    // Warm the catalog (lazy per-service decoding) once, as a running server has.
    // (and check that every case answers something, so the bench measures real work).
    for case in &cases {
        if case.hover {
            assert!(hover(&a, case.offset).is_some(), "{}: no hover", case.name);
        } else {
            let n = complete(&a, case.offset).items.len();
            assert!(n > 0, "{}: no completion", case.name);
            eprintln!("{:32} {n} items", case.name);
        }
    }
    eprintln!("policy: {} bytes", text.len());
    // p99 over 2000 single requests per case.
    for case in &cases {
        let mut times: Vec<Duration> = (0..2000)
            .map(|_| {
                let t = Instant::now();
                run(&a, case);
                t.elapsed()
            })
            .collect();
        times.sort();
        eprintln!(
            "{:32} p50 {:>8.1} µs   p99 {:>8.1} µs   max {:>8.1} µs",
            case.name,
            times[times.len() / 2].as_secs_f64() * 1e6,
            times[times.len() * 99 / 100].as_secs_f64() * 1e6,
            times[times.len() - 1].as_secs_f64() * 1e6,
        );
    }
    for case in &cases {
        c.bench_function(case.name, |b| b.iter(|| run(&a, case)));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
