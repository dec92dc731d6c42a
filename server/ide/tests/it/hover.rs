//! Hover fixtures: `$0` is the cursor.

#![allow(clippy::unwrap_used)]

use crate::support::analysed;
use iam_ide::hover;

/// The whole hover at `$0`, with the catalog's source and date masked.
fn md(s: &str) -> String {
    let (a, at) = analysed(s);
    let m = hover(&a, at).map(|h| h.markdown).unwrap_or_default();
    match m.find("\n---\nCatalog: ") {
        Some(i) => format!("{}\n---\nCatalog: [masked]", &m[..i]),
        None => m,
    }
}

fn hover_range(s: &str) -> Option<(u32, u32)> {
    let (a, at) = analysed(s);
    hover(&a, at).map(|h| (h.range.start, h.range.end))
}

// Whole answers as inline snapshots (`cargo insta test -p iam-ide --accept` rewrites them after
// an intended change; review the diff). The catalog line is masked so that a new catalog does not
// churn every snapshot.

#[test]
fn action() {
    insta::assert_snapshot!(
        md(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:run$0task", "Resource": "*"}]}"#),
        @r#"
        **ecs:RunTask** — Amazon Elastic Container Service

        Grants permission to start a task using random placement and the default Amazon ECS scheduler

        **Access level:** Write

        **Resource types:**
        - `task-definition` (required): `arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}`

        **Condition keys:** `aws:RequestTag/${TagKey}`, `aws:ResourceTag/${TagKey}`, `aws:TagKeys`, `ecs:capacity-provider`, `ecs:cluster`, `ecs:enable-ebs-volumes`, `ecs:enable-execute-command`, `ecs:ResourceTag/${TagKey}`, `ecs:task-cpu`, `ecs:task-memory`

        **Dependent actions:** `iam:PassRole`

        **Documentation:** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html

        ---
        Catalog: [masked]
    "#
    );
    // Range: the whole string token.
    assert_eq!(
        hover_range(r#"{"Statement": [{"Action": "ecs:Run$0Task"}]}"#),
        Some((26, 39))
    );
}

#[test]
fn unknown_action_in_a_known_service() {
    let m = md(r#"{"Statement": [{"Action": "ecs:RunTasks$0"}]}"#);
    assert!(
        m.contains("is not an action of Amazon Elastic Container Service"),
        "{m}"
    );
}

#[test]
fn wildcard_pattern_grouped_by_access_level() {
    insta::assert_snapshot!(md(r#"{"Statement": [{"Action": ["ecs:Describe*$0"]}]}"#), @r#"
        `ecs:Describe*` matches 17 actions.

        **Read (17):**
        - `ecs:DescribeCapacityProviders`
        - `ecs:DescribeClusters`
        - `ecs:DescribeContainerInstances`
        - `ecs:DescribeDaemon`
        - `ecs:DescribeDaemonDeployments`
        - `ecs:DescribeDaemonRevisions`
        - `ecs:DescribeDaemonTaskDefinition`
        - `ecs:DescribeExpressGatewayService`
        - `ecs:DescribeGateway`
        - `ecs:DescribeGatewayResources`
        - `ecs:DescribeGatewayRoute`
        - `ecs:DescribeServiceDeployments`
        - `ecs:DescribeServiceRevisions`
        - `ecs:DescribeServices`
        - `ecs:DescribeTaskDefinition`
        - `ecs:DescribeTasks`
        - `ecs:DescribeTaskSets`

        ---
        Catalog: [masked]
    "#);
    // `*` is truncated.
    let m = md(r#"{"Statement": [{"Action": "$0*"}]}"#);
    assert!(m.contains("services") && m.contains("more"), "{m}");
    assert!(m.len() < 6000, "{}", m.len());
}

#[test]
fn arn_parts_type_and_accepting_actions() {
    insta::assert_snapshot!(
        md(
            r#"{"Statement": [{"Effect": "Allow", "Action": ["ecs:DescribeClusters", "ecs:RunTask", "ecs:ListClusters"], "Resource": "arn:aws:ecs:us-east-1:123456789012:cluster/default$0"}]}"#,
        ),
        @r#"
        **arn:aws:ecs:us-east-1:123456789012:cluster/default** — ARN

        | part | value |
        |---|---|
        | partition | `aws` |
        | service | `ecs` |
        | region | `us-east-1` |
        | account | `123456789012` |
        | resource | `cluster/default` |

        **Resource types:**
        - `cluster` (ecs): `arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}`

        **Accepted by:** `ecs:DescribeClusters`

        **Not accepted by:** `ecs:RunTask`, `ecs:ListClusters`
    "#
    );
    // An empty region.
    let m = md(r#"{"Statement": [{"Resource": "arn:aws:s3:::bucket/$0key"}]}"#);
    assert!(m.contains("| region | *(empty)* |"), "{m}");
    // ARN-valued condition value.
    let m = md(
        r#"{"Statement": [{"Condition": {"ArnEquals": {"ecs:cluster": "arn:aws:ecs:us-east-1:1:cluster/$0a"}}}]}"#,
    );
    assert!(m.contains("`cluster`"), "{m}");
}

#[test]
fn condition_key_and_operator() {
    insta::assert_snapshot!(
        md(
            r#"{"Statement": [{"Action": ["ecs:RunTask", "s3:GetObject"], "Condition": {"ArnEquals": {"ecs:clu$0ster": "x"}}}]}"#,
        ),
        @r#"
        **ecs:cluster** — condition key of Amazon Elastic Container Service

        Filters access by the ARN of an Amazon ECS cluster

        **Type:** ARN (single-valued)

        **Supported by:** `ecs:RunTask`

        **Not supported by:** `s3:GetObject` (the condition is false for them: the key is absent)
    "#
    );
    let m = md(
        r#"{"Statement": [{"Condition": {"ForAllValues:StringLike$0": {"aws:TagKeys": ["a"]}}}]}"#,
    );
    assert!(
        m.contains("**ForAllValues:**") && m.contains("true when the key is missing"),
        "{m}"
    );
    let m = md(
        r#"{"Statement": [{"Condition": {"StringNotEqualsIfExists$0": {"aws:RequestedRegion": "x"}}}]}"#,
    );
    assert!(
        m.contains("**true** when the key is absent") && m.contains("**IfExists:**"),
        "{m}"
    );
    let m = md(r#"{"Statement": [{"Condition": {"Null$0": {"aws:TagKeys": "true"}}}]}"#);
    assert!(m.contains("absent"), "{m}");
    let m =
        md(r#"{"Statement": [{"Condition": {"StringEquals": {"aws:PrincipalTag/te$0am": "x"}}}]}"#);
    assert!(m.contains("aws:PrincipalTag/${TagKey}"), "{m}");
}

#[test]
fn policy_variables() {
    let m = md(
        r#"{"Version": "2012-10-17", "Statement": [{"Resource": "arn:aws:s3:::b/${aws:user$0name}/*"}]}"#,
    );
    assert!(
        m.contains("`${aws:username}`") && m.contains("2012-10-17"),
        "{m}"
    );
    assert!(!m.contains("⚠ This policy is not"));
    let s = r#"{"Version": "2012-10-17", "Statement": [{"Resource": "arn:aws:s3:::b/${aws:user$0name}/*"}]}"#;
    let start = s.find("${aws").unwrap() as u32;
    assert_eq!(
        hover_range(s),
        Some((start, start + "${aws:username}".len() as u32))
    );
    let m = md(
        r#"{"Statement": [{"Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team, 'no$0ne'}/*"}]}"#,
    );
    assert!(
        m.contains("default `none`") && m.contains("⚠ This policy is not"),
        "{m}"
    );
}

#[test]
fn elements_with_traps() {
    let m = md(r#"{"Statement": [{"NotAct$0ion": "iam:*"}]}"#);
    assert!(m.contains("**NotAction**") && m.contains("⚠"), "{m}");
    assert!(md(r#"{"Vers$0ion": "2012-10-17"}"#).contains("2008-10-17"));
    assert!(md(r#"{"Statement": {"Effect": "Al$0low"}}"#).contains("**Effect**"));
    assert!(md(r#"{"Statement": {"Principal": {"AW$0S": "*"}}}"#).contains("AWS"));
}

#[test]
fn boundaries_crlf_and_non_ascii() {
    // At the opening quote and just after the closing quote: still the token.
    let s = "{\r\n\"Statement\": [{\"Sid\": \"Zürich😀\",\r\n\"Action\": $0\"ecs:RunTask\"}]}";
    assert!(md(s).contains("ecs:RunTask"));
    let s = "{\r\n\"Statement\": [{\"Sid\": \"Zürich😀\",\r\n\"Action\": \"ecs:RunTask\"$0}]}";
    assert!(md(s).contains("ecs:RunTask"));
    // Whitespace: nothing.
    assert_eq!(
        md("{\"Statement\": [{\"Action\":  $0 \"ecs:RunTask\"}]}"),
        ""
    );
}

#[test]
fn top_level_elements_show_the_policy_type_and_where_it_came_from() {
    let m = md(
        r#"{"Version": "2012-10-17", "Stat$0ement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
    assert!(
        m.contains("Checked as a role trust policy (inferred:"),
        "{m}"
    );
    let m = md(r#"{"Vers$0ion": "2012-10-17", "Statement": []}"#);
    assert!(
        m.contains("Checked as an identity-based policy (inferred: no statement has a `Principal`"),
        "{m}"
    );
}
