//! Criterion benchmark: one request against a ~6 KB identity policy (target: under 10 µs).
//!
//! Run: `cargo bench -p iam-eval --bench evaluate`

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use iam_eval::{PolicySet, PolicyType, Request, evaluate};

/// A realistic ~6 KB policy: many services, wildcards, variables and conditions. The request
/// matches late, so every statement is examined.
fn policy_text() -> String {
    let services = [
        "ec2",
        "s3",
        "dynamodb",
        "sqs",
        "sns",
        "lambda",
        "logs",
        "kms",
        "ecs",
        "iam",
        "cloudwatch",
        "ssm",
    ];
    let mut statements = Vec::new();
    let mut i = 0;
    while statements.iter().map(String::len).sum::<usize>() < 5600 {
        let svc = services[i % services.len()];
        let mut s = String::new();
        let _ = write!(
            s,
            r#"{{"Sid":"S{i}","Effect":"{}","Action":["{svc}:Describe*","{svc}:Get*","{svc}:List*"],"Resource":["arn:aws:{svc}:us-east-1:111122223333:thing/{i}/*","arn:aws:{svc}:*:111122223333:home/${{aws:username}}/*"]"#,
            if i % 7 == 6 { "Deny" } else { "Allow" }
        );
        if i % 3 == 0 {
            let _ = write!(
                s,
                r#","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":["eng","ops"]}},"IpAddress":{{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}}}"#
            );
        }
        s.push('}');
        statements.push(s);
        i += 1;
    }
    statements.push(
        r#"{"Sid":"RunWeb","Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:us-east-1:111122223333:task-definition/web:*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:111122223333:cluster/default"},"Bool":{"aws:SecureTransport":"true"}}}"#
            .to_owned(),
    );
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let text = policy_text();
    assert!(
        (5800..7000).contains(&text.len()),
        "policy is {} bytes",
        text.len()
    );
    let parsed = iam_policy::parse_policy(&text);
    let set = PolicySet::new().with(PolicyType::Identity, "policy", &parsed.policy);
    let request = Request::new(
        "ecs:RunTask",
        "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3",
    )
    .with_principal("arn:aws:iam::111122223333:user/alice")
    .with_context(
        "ecs:cluster",
        "arn:aws:ecs:us-east-1:111122223333:cluster/default",
    )
    .with_context("aws:SecureTransport", "true")
    .with_context("aws:PrincipalTag/team", "eng")
    .with_context("aws:SourceIp", "10.1.2.3");
    let e = evaluate(&set, &request);
    assert_eq!(e.decision.as_str(), "Allow");
    // A request whose action matches many statements (resources and conditions are examined).
    let broad = Request::new(
        "ecs:DescribeTasks",
        "arn:aws:ecs:us-east-1:111122223333:home/alice/t",
    )
    .with_principal("arn:aws:iam::111122223333:user/alice")
    .with_context("aws:PrincipalTag/team", "eng")
    .with_context("aws:SourceIp", "10.1.2.3");

    let mut group = c.benchmark_group(format!("evaluate_{}_byte_policy", text.len()));
    group.bench_function("one_request", |b| {
        b.iter(|| evaluate(black_box(&set), black_box(&request)))
    });
    group.bench_function("one_request_matching_many", |b| {
        b.iter(|| evaluate(black_box(&set), black_box(&broad)))
    });
    group.bench_function("parse_and_evaluate", |b| {
        b.iter(|| {
            let parsed = iam_policy::parse_policy(black_box(&text));
            let set = PolicySet::new().with(PolicyType::Identity, "policy", &parsed.policy);
            evaluate(&set, black_box(&request)).decision
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
