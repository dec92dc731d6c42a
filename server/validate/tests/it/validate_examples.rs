//! The ECS guide examples in `examples/` get exactly the findings a careful reviewer would give.

use iam_validate::{Options, analyze};

fn findings(name: &str) -> Vec<(String, String, Option<String>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let text = std::fs::read_to_string(path).expect("example");
    let a = analyze(&text, &Options::default());
    a.diagnostics
        .iter()
        .map(|d| {
            (
                d.code().to_owned(),
                text[d.range.start as usize..d.range.end as usize].to_owned(),
                d.fixes
                    .iter()
                    .find(|f| f.preferred)
                    .and_then(|f| f.edits.first())
                    .map(|e| e.new_text.clone()),
            )
        })
        .collect()
}

#[test]
fn ecs_describe_delete_cluster() {
    assert_eq!(
        findings("ecs-describe-delete-cluster.json"),
        vec![
            (
                "B002".into(),
                "\"ecs:DescribeCluster\"".into(),
                Some("\"ecs:DescribeClusters\"".into())
            ),
            ("C010".into(), "<aws_account_id>".into(), None),
        ]
    );
}

#[test]
fn ecs_describe_task_in_cluster() {
    assert_eq!(
        findings("ecs-describe-task-in-cluster.json"),
        vec![
            (
                "B002".into(),
                "\"ecs:DescribeTask\"".into(),
                Some("\"ecs:DescribeTasks\"".into())
            ),
            ("C010".into(), "<aws_account_id>".into(), None),
            ("C010".into(), "<aws_account_id>".into(), None),
        ]
    );
}
