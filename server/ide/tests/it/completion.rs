//! Completion fixtures: `$0` is the cursor.

#![allow(clippy::unwrap_used)]

use crate::support::{analysed, apply, fixture};
use iam_ide::{CompletionItem, CompletionKind, CompletionList, Docs, complete, complete_with};

fn comp(s: &str) -> (String, CompletionList) {
    let (a, at) = analysed(s);
    (a.parse.text().to_owned(), complete(&a, at))
}

fn labels(l: &CompletionList) -> Vec<&str> {
    l.items.iter().map(|i| i.label.as_str()).collect()
}

fn item<'a>(l: &'a CompletionList, label: &str) -> &'a CompletionItem {
    l.items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("no item {label}: {:?}", labels(l)))
}

fn ranked(l: &CompletionList) -> Vec<&str> {
    let mut v: Vec<&CompletionItem> = l.items.iter().collect();
    v.sort_by(|a, b| a.sort_text.cmp(&b.sort_text).then(a.label.cmp(&b.label)));
    v.into_iter().map(|i| i.label.as_str()).collect()
}

/// The whole answer, best first: one line per item with its kind, label, detail and the text it
/// inserts (marked `snippet` when it is one), flags for preselection and retriggering, then how
/// many items are left out beyond `max`.
fn render(s: &str, max: usize) -> String {
    let (_, l) = comp(s);
    let mut v: Vec<&CompletionItem> = l.items.iter().collect();
    v.sort_by(|a, b| a.sort_text.cmp(&b.sort_text).then(a.label.cmp(&b.label)));
    let mut out = String::new();
    if l.is_incomplete {
        out.push_str("(incomplete)\n");
    }
    for i in v.iter().take(max) {
        out.push_str(&format!("{:?} {}", i.kind, i.label));
        if let Some(d) = &i.detail {
            out.push_str(&format!(" [{d}]"));
        }
        let snippet = if i.is_snippet { "snippet " } else { "" };
        out.push_str(&format!(" => {snippet}{}", i.edit.new_text));
        for e in &i.additional_edits {
            out.push_str(&format!(" +{:?}@{}", e.new_text, e.range.start));
        }
        if i.preselect {
            out.push_str(" (preselected)");
        }
        if i.retrigger {
            out.push_str(" (retrigger)");
        }
        out.push('\n');
    }
    if v.len() > max {
        out.push_str(&format!("... and {} more\n", v.len() - max));
    }
    out
}

// Whole answers as inline snapshots (`cargo insta test -p iam-ide --accept` rewrites them after
// an intended change; review the diff).

#[test]
fn whole_answer_statement_elements() {
    insta::assert_snapshot!(
        render(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject" $0}]}"#, 20),
        @r#"
        Property Sid => snippet "Sid": "$1" +","@59
        Property Principal => snippet "Principal": {
        	"${1|AWS,Service,Federated,CanonicalUser|}": "$2"
        } +","@59
        Property NotPrincipal => snippet "NotPrincipal": {
        	"${1|AWS,Service,Federated,CanonicalUser|}": "$2"
        } +","@59
        Property Resource => snippet "Resource": [
        	"$1"
        ] +","@59 (retrigger)
        Property NotResource => snippet "NotResource": [
        	"$1"
        ] +","@59 (retrigger)
        Property Condition => snippet "Condition": {
        	"${1:StringEquals}": {
        		"$2": "$3"
        	}
        } +","@59
    "#
    );
}

#[test]
fn whole_answer_resource_for_the_statement_actions() {
    insta::assert_snapshot!(
        render(r#"{"Statement": [{"Effect": "Allow", "Action": ["ecs:RunTask", "ecs:ListClusters"], "Resource": ["$0"]}]}"#, 20),
        @r#"
        Resource * [required by actions without resource types] => "*"
        Resource arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber} [task-definition (ecs)] => snippet "arn:${1:aws}:ecs:${2:region}:${3:account}:task-definition/${4:TaskDefinitionFamilyName}:${5:TaskDefinitionRevisionNumber}"
    "#
    );
}

#[test]
fn whole_answer_keys_inside_a_numeric_operator() {
    insta::assert_snapshot!(
        render(&RUN_TASK.replace("{OPS}", r#"{"NumericLessThan": {"$0"}}"#), 12),
        @r#"
        ConditionKey ecs:task-cpu [Numeric — this statement's actions] => snippet "ecs:task-cpu": "$0" (retrigger)
        ConditionKey ecs:task-memory [Numeric — this statement's actions] => snippet "ecs:task-memory": "$0" (retrigger)
        ConditionKey aws:MultiFactorAuthAge [Numeric — global] => snippet "aws:MultiFactorAuthAge": "$0" (retrigger)
        ConditionKey ec2:RoleDelivery [Numeric — global] => snippet "ec2:RoleDelivery": "$0" (retrigger)
    "#
    );
}

#[test]
fn whole_answer_actions_of_a_service() {
    insta::assert_snapshot!(render(r#"{"Statement": [{"Effect": "Allow", "Action": "sqs:Send$0"}]}"#, 10), @r#"
        (incomplete)
        Action sqs:SendMessage [Write — Amazon SQS] => "sqs:SendMessage"
    "#);
}

/// The document after accepting `label` (snippet markers left in).
fn accept(s: &str, label: &str) -> String {
    let (text, l) = comp(s);
    let i = item(&l, label);
    let mut edits = vec![i.edit.clone()];
    edits.extend(i.additional_edits.iter().cloned());
    apply(&text, &edits)
}

const RUN_TASK: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecs:RunTask"], "Resource": "*", "Condition": {OPS}}]}"#;

#[test]
fn every_item_has_documentation() {
    for s in [
        r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:$0"}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "Action": "$0"}]}"#,
        r#"{"Statement": [{"$0"}]}"#,
        r#"{"$0"}"#,
        &RUN_TASK.replace("{OPS}", r#"{"$0"}"#),
        &RUN_TASK.replace("{OPS}", r#"{"StringEquals": {"$0"}}"#),
    ] {
        let (_, l) = comp(s);
        assert!(!l.items.is_empty(), "{s}");
        for i in &l.items {
            assert!(
                !i.documentation.is_empty(),
                "{s}: {} has no documentation",
                i.label
            );
        }
    }
}

#[test]
fn top_level_and_statement_elements_as_snippets() {
    let (_, l) = comp(r#"{"Version": "2012-10-17", $0}"#);
    assert_eq!(labels(&l), ["Id", "Statement"]);
    assert!(item(&l, "Statement").is_snippet);
    assert!(
        item(&l, "Statement")
            .edit
            .new_text
            .starts_with("\"Statement\": [\n\t{\n\t\t\"Effect\": \"${1|Allow,Deny|}\"")
    );

    // Present elements and the `Not` partner of a present element are left out.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "$0"}]}"#);
    assert_eq!(
        labels(&l),
        [
            "Sid",
            "Principal",
            "NotPrincipal",
            "Resource",
            "NotResource",
            "Condition"
        ]
    );
    assert_eq!(
        accept(
            r#"{"Statement": [{"Effect": "Allow", "Re$0"}]}"#,
            "Resource"
        ),
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Resource\": [\n\t\"$1\"\n]}]}"
    );
    // A key that already has a value: only the name is replaced.
    assert_eq!(
        accept(
            r#"{"Statement": [{"Effect": "Allow", "Actio$0n": "s3:GetObject"}]}"#,
            "NotAction"
        ),
        r#"{"Statement": [{"Effect": "Allow", "NotAction": "s3:GetObject"}]}"#
    );
}

#[test]
fn missing_comma_is_added() {
    let out = accept("{\"Statement\": [{\"Effect\": \"Allow\"\n  $0}]}", "Sid");
    assert_eq!(
        out,
        "{\"Statement\": [{\"Effect\": \"Allow\",\n  \"Sid\": \"$1\"}]}"
    );
    let out = accept(
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"ecs:RunTask\" \"ecs:Sto$0]}]}",
        "ecs:StopTask",
    );
    assert_eq!(
        out,
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"ecs:RunTask\", \"ecs:StopTask\"]}]}"
    );
}

#[test]
fn statement_and_policy_skeletons() {
    let (_, l) = comp("$0");
    assert_eq!(labels(&l), ["policy"]);
    let (_, l) = comp(r#"{"Statement": [$0]}"#);
    assert_eq!(labels(&l), ["statement"]);
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow"}, $0]}"#);
    assert_eq!(labels(&l), ["statement"]);
    let out = accept(r#"{"Statement": $0}"#, "statement");
    assert!(
        out.starts_with("{\"Statement\": [\n\t{\n\t\t\"Sid\": \"$1\""),
        "{out}"
    );
}

#[test]
fn version_and_effect_values() {
    let (_, l) = comp(r#"{"Version": "$0"}"#);
    assert_eq!(labels(&l), ["2012-10-17", "2008-10-17"]);
    assert!(item(&l, "2012-10-17").preselect);
    assert_eq!(
        accept(r#"{"Version": "20$0"}"#, "2012-10-17"),
        r#"{"Version": "2012-10-17"}"#
    );
    let (_, l) = comp(r#"{"Statement": {"Effect": "A$0"}}"#);
    assert_eq!(labels(&l), ["Allow", "Deny"]);
    // Unterminated at the end of the document: the closing quote is added.
    assert_eq!(
        accept(r#"{"Statement": {"Effect": "De$0"#, "Deny"),
        r#"{"Statement": {"Effect": "Deny""#
    );
}

#[test]
fn action_prefixes_then_actions() {
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "$0"}]}"#);
    let ecs = item(&l, "ecs");
    assert_eq!(ecs.kind, CompletionKind::Service);
    assert_eq!(
        ecs.detail.as_deref(),
        Some("Amazon Elastic Container Service")
    );
    assert_eq!(ecs.edit.new_text, "\"ecs:$0\"");
    assert!(ecs.retrigger);
    // Nothing typed: `*` and the 30 most used services, incomplete (filtered on the server).
    assert_eq!(l.items.len(), 31, "{:?}", labels(&l));
    assert!(l.is_incomplete);
    assert_eq!(&ranked(&l)[..4], ["ec2", "iam", "s3", "cloudwatch"]);
    assert_eq!(ranked(&l).last(), Some(&"*"));

    let (text, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:$0"}]}"#);
    let acts: Vec<&CompletionItem> = l
        .items
        .iter()
        .filter(|i| i.kind == CompletionKind::Action)
        .collect();
    assert_eq!(acts.len(), 92);
    let run = item(&l, "ecs:RunTask");
    assert_eq!(
        run.detail.as_deref(),
        Some("Write — Amazon Elastic Container Service")
    );
    assert!(run.documentation.contains("task-definition"));
    assert_eq!(
        apply(&text, std::slice::from_ref(&run.edit)),
        r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:RunTask"}]}"#
    );
    assert_eq!(run.filter_text, "\"ecs:RunTask");
    let d = item(&l, "ecs:Describe*");
    assert_eq!(d.kind, CompletionKind::Wildcard);
    let n = iam_catalog::catalog().expand("ecs:Describe*").len();
    assert_eq!(d.detail, Some(format!("{n} actions")));
    assert_eq!(item(&l, "ecs:*").detail.as_deref(), Some("92 actions"));
    // Actions sorted by name, wildcards after them.
    let r = ranked(&l);
    assert!(
        r.iter().position(|x| *x == "ecs:CreateCluster")
            < r.iter().position(|x| *x == "ecs:RunTask")
    );
    assert!(
        r.iter().position(|x| *x == "ecs:RunTask") < r.iter().position(|x| *x == "ecs:Describe*")
    );
}

#[test]
fn service_prefixes_are_filtered_on_the_server() {
    let every = iam_catalog::catalog().services().len();
    // One character: every prefix starting with it, still incomplete.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "e$0"}]}"#);
    assert!(l.is_incomplete);
    assert!(labels(&l).contains(&"ecs") && labels(&l).contains(&"events"));
    assert!(
        l.items.iter().all(|i| i.label.starts_with('e')),
        "{:?}",
        labels(&l)
    );
    assert!(l.items.len() < every / 4, "{}", l.items.len());
    // Two or more: those starting with it first, then those containing it; still incomplete
    // (the client asks again when the text gets shorter, too).
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "EC$0"}]}"#);
    assert!(l.is_incomplete);
    let r = ranked(&l);
    assert_eq!(&r[..3], ["ec2", "ec2-instance-connect", "ec2messages"]);
    let first_inner = r.iter().position(|x| !x.starts_with("ec")).unwrap();
    assert!(
        r[first_inner..]
            .iter()
            .all(|x| x.contains("ec") && !x.starts_with("ec"))
    );
    assert!(r.contains(&"ecs") && r.contains(&"codecommit"), "{r:?}");
    // Typing a prefix whole keeps it and its snippet.
    let (text, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs$0"}]}"#);
    assert_eq!(ranked(&l)[0], "ecs");
    assert_eq!(
        apply(&text, std::slice::from_ref(&item(&l, "ecs").edit)),
        r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:$0"}]}"#
    );
    // `*` only while it fits what is typed; nothing for a prefix no service has.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "*$0"}]}"#);
    assert_eq!(labels(&l), ["*"]);
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "zzq$0"}]}"#);
    assert!(l.items.is_empty());
    // Every popular service exists in the catalog.
    for p in iam_ide::POPULAR_SERVICES {
        assert!(iam_catalog::catalog().service(p).is_some(), "{p}");
    }
}

#[test]
fn actions_are_filtered_on_the_server_once_a_name_is_typed() {
    // `s3:` alone lists every S3 action (complete); a typed name keeps the fuzzy matches.
    let (_, all) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:$0"}]}"#);
    let every = iam_catalog::catalog()
        .service("s3")
        .unwrap()
        .actions()
        .len();
    assert!(!all.is_incomplete);
    let count = |l: &CompletionList| {
        l.items
            .iter()
            .filter(|i| i.kind == CompletionKind::Action)
            .count()
    };
    assert_eq!(count(&all), every);
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:gobj$0"}]}"#);
    assert!(l.is_incomplete);
    let names = labels(&l);
    assert!(names.contains(&"s3:GetObject"), "{names:?}");
    assert!(!names.contains(&"s3:PutObject"), "{names:?}");
    assert!(count(&l) < every / 4, "{}", count(&l));
    // Word starts: `Tag` matches `PutObjectTagging`, `RT` matches `ecs:RunTask`.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:Tag$0"}]}"#);
    assert!(labels(&l).contains(&"s3:PutObjectTagging"));
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:RT$0"}]}"#);
    assert!(labels(&l).contains(&"ecs:RunTask"), "{:?}", labels(&l));
    // Wildcards that fit stay, and what is typed followed by `*` is always offered.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:Desc$0"}]}"#);
    let names = labels(&l);
    assert!(
        names.contains(&"ecs:Describe*") && names.contains(&"ecs:Desc*"),
        "{names:?}"
    );
    assert!(!names.contains(&"ecs:List*"), "{names:?}");
    // A name no action has: only nothing (or the typed pattern when it matches some).
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:Zzz$0"}]}"#);
    assert!(l.items.is_empty(), "{:?}", labels(&l));
}

#[test]
fn unterminated_action_string_is_replaced_whole() {
    let s =
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecs:Ru$0\n  \"Resource\": \"*\"}]}";
    let out = accept(s, "ecs:RunTask");
    assert_eq!(
        out,
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecs:RunTask\"\n  \"Resource\": \"*\"}]}"
    );
    // In the middle of a terminated string: the whole token is replaced.
    assert_eq!(
        accept(
            r#"{"Statement": [{"Action": ["ecs:Run$0Tas"]}]}"#,
            "ecs:RunTask"
        ),
        r#"{"Statement": [{"Action": ["ecs:RunTask"]}]}"#
    );
}

#[test]
fn cursor_at_string_boundaries() {
    // Before the opening quote and after the closing quote: nothing.
    let (_, l) = comp(r#"{"Statement": [{"Effect": $0"Allow"}]}"#);
    assert!(l.items.is_empty());
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow"$0}]}"#);
    assert!(l.items.is_empty());
    // Just inside the quotes: both ends work.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "$0Allow"}]}"#);
    assert_eq!(labels(&l), ["Allow", "Deny"]);
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow$0"}]}"#);
    assert_eq!(labels(&l), ["Allow", "Deny"]);
}

#[test]
fn wildcard_service_is_filtered_on_the_server() {
    let (_, l) = comp(r#"{"Statement": [{"Action": "*:GetBucketPol$0"}]}"#);
    assert!(l.is_incomplete);
    assert!(
        labels(&l).contains(&"s3:GetBucketPolicy"),
        "{:?}",
        labels(&l)
    );
    assert!(l.items.len() <= iam_ide::completion::MAX_SERVER_FILTERED);
    let (_, l) = comp(r#"{"Statement": [{"Action": "*:$0"}]}"#);
    assert!(l.is_incomplete);
    assert_eq!(l.items.len(), iam_ide::completion::MAX_SERVER_FILTERED);
    // The most used services come first: EC2's actions, then IAM's.
    let r = ranked(&l);
    assert!(r[0].starts_with("ec2:"), "{r:?}");
    let first_iam = r.iter().position(|x| x.starts_with("iam:"));
    let last_ec2 = r.iter().rposition(|x| x.starts_with("ec2:"));
    assert!(first_iam.is_none() || last_ec2 < first_iam, "{r:?}");
    // Across services, ranked by service then name: `*:Desc` starts with EC2's `Describe*`.
    let (_, l) = comp(r#"{"Statement": [{"Action": "*:desc$0"}]}"#);
    let r = ranked(&l);
    assert!(
        r.iter()
            .all(|x| x.split_once(':').unwrap().1.starts_with("Desc")),
        "{r:?}"
    );
    assert!(r[0].starts_with("ec2:Describe"), "{r:?}");
    let (_, l) = comp(r#"{"Statement": [{"Action": "e?s:RunT$0"}]}"#);
    assert_eq!(labels(&l), ["ecs:RunTask"]);
}

#[test]
fn resource_templates_for_the_statement_actions() {
    let (_, l) =
        comp(r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "$0"}]}"#);
    let f = "arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}";
    let t = item(&l, f);
    assert!(t.is_snippet);
    assert_eq!(
        t.edit.new_text,
        "\"arn:${1:aws}:ecs:${2:region}:${3:account}:task-definition/${4:TaskDefinitionFamilyName}:${5:TaskDefinitionRevisionNumber}\""
    );
    assert!(t.preselect);
    assert_eq!(ranked(&l), [f, "*"]);
    // An action that accepts only `*`: `*` first and preselected.
    let (_, l) = comp(
        r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:ListClusters", "Resource": ["$0"]}]}"#,
    );
    assert_eq!(labels(&l), ["*"]);
    assert!(item(&l, "*").preselect);
    assert!(item(&l, "*").documentation.contains("ecs:ListClusters"));
    // No actions: the typed service's resource types.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Resource": "arn:aws:sqs:$0"}]}"#);
    assert!(
        labels(&l).iter().any(|x| x.contains(":sqs:")),
        "{:?}",
        labels(&l)
    );
}

#[test]
fn condition_operators_all_forms_and_filtered_by_key() {
    let (_, l) = comp(&RUN_TASK.replace("{OPS}", r#"{"$0"}"#));
    let ls = labels(&l);
    for op in [
        "StringEquals",
        "StringLikeIfExists",
        "ForAllValues:StringEquals",
        "ForAnyValue:ArnLikeIfExists",
        "Null",
        "Bool",
        "IpAddress",
        "NotIpAddress",
        "DateGreaterThan",
        "NumericLessThanEquals",
        "BinaryEquals",
        "ArnNotLike",
    ] {
        assert!(ls.contains(&op), "{op}");
    }
    assert!(!ls.contains(&"NullIfExists"));
    assert!(!ls.contains(&"ForAllValues:Null"));
    assert_eq!(ranked(&l)[0], "StringEquals");
    assert!(!l.is_incomplete);
    // Something typed: only the operators it fuzzily matches, asked again as it changes.
    let (_, typed) = comp(&RUN_TASK.replace("{OPS}", r#"{"Bo$0"}"#));
    let tl = labels(&typed);
    assert!(typed.is_incomplete);
    for op in ["Bool", "BoolIfExists", "ForAnyValue:Bool"] {
        assert!(tl.contains(&op), "{op} in {tl:?}");
    }
    assert!(
        !tl.contains(&"StringEquals") && !tl.contains(&"Null"),
        "{tl:?}"
    );
    assert!(tl.len() < 20, "{tl:?}");
    // In the same order as in the full list.
    let full: Vec<&str> = ranked(&l).into_iter().filter(|o| tl.contains(o)).collect();
    assert_eq!(ranked(&typed), full);
    assert!(
        item(&l, "StringNotEquals")
            .documentation
            .contains("**true** when the key is absent")
    );
    // The key is written first: only operators that fit an ARN key.
    let (_, l) = comp(&RUN_TASK.replace(
        "{OPS}",
        r#"{"$0": {"ecs:cluster": "arn:aws:ecs:us-east-1:1:cluster/a"}}"#,
    ));
    let ls = labels(&l);
    assert!(ls.contains(&"ArnEquals") && ls.contains(&"ArnLikeIfExists") && ls.contains(&"Null"));
    assert!(
        !ls.contains(&"NumericEquals")
            && !ls.contains(&"Bool")
            && !ls.contains(&"ForAnyValue:ArnEquals")
    );
    // A multivalued key: only the set forms.
    let (_, l) = comp(&RUN_TASK.replace("{OPS}", r#"{"$0": {"aws:TagKeys": ["a"]}}"#));
    assert!(
        labels(&l).iter().all(|o| o.starts_with("For")),
        "{:?}",
        labels(&l)
    );
    // The operator being renamed keeps its value: only the key is replaced.
    let s = RUN_TASK.replace("{OPS}", r#"{"StringEq$0": {"ecs:cluster": "x"}}"#);
    let out = accept(&s, "StringEquals");
    assert!(
        out.contains(r#""Condition": {"StringEquals": {"ecs:cluster": "x"}}"#),
        "{out}"
    );
}

#[test]
fn condition_keys_ranked_by_the_statement_actions() {
    let (_, l) = comp(&RUN_TASK.replace("{OPS}", r#"{"StringEquals": {"$0"}}"#));
    let r = ranked(&l);
    let pos = |k: &str| {
        r.iter()
            .position(|x| *x == k)
            .unwrap_or_else(|| panic!("no {k}"))
    };
    for k in ["ecs:cluster", "ecs:capacity-provider"] {
        assert!(pos(k) < pos("aws:RequestedRegion"), "{k}");
        assert!(pos(k) < pos("aws:PrincipalArn"), "{k}");
    }
    let c = item(&l, "ecs:cluster");
    assert_eq!(c.detail.as_deref(), Some("ARN — this statement's actions"));
    assert!(c.documentation.contains("`ecs:RunTask`"));
    assert_eq!(c.edit.new_text, "\"ecs:cluster\": \"$0\"");
    assert_eq!(
        item(&l, "ecs:capacity-provider").edit.new_text,
        "\"ecs:capacity-provider\": [\"$0\"]"
    );
    assert_eq!(
        item(&l, "aws:PrincipalTag/${TagKey}").edit.new_text,
        "\"aws:PrincipalTag/${1:TagKey}\": \"$0\""
    );
    // Under an ARN operator, ARN keys come first.
    let (_, l) = comp(&RUN_TASK.replace("{OPS}", r#"{"ArnLike": {"$0"}}"#));
    assert_eq!(ranked(&l)[0], "ecs:cluster");
    // A typed service prefix brings that service's keys.
    let (_, l) = comp(&RUN_TASK.replace("{OPS}", r#"{"StringEquals": {"s3:$0"}}"#));
    assert!(labels(&l).contains(&"s3:prefix"));
}

#[test]
fn condition_values() {
    let v = |op: &str, key: &str| {
        let s = RUN_TASK.replace("{OPS}", &format!(r#"{{"{op}": {{"{key}": "$0"}}}}"#));
        let (_, l) = comp(&s);
        labels(&l)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(v("Bool", "aws:SecureTransport"), ["true", "false"]);
    assert_eq!(v("Null", "ecs:cluster"), ["true", "false"]);
    assert!(
        v("StringEquals", "iam:PassedToService").contains(&"ecs-tasks.amazonaws.com".to_owned())
    );
    let regions = v("StringEquals", "aws:RequestedRegion");
    assert!(regions.contains(&"us-east-1".to_owned()) && regions.contains(&"eu-west-1".to_owned()));
    let arns = v("ArnEquals", "ecs:cluster");
    assert_eq!(
        arns[0],
        "arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}"
    );
    // In an array of values too.
    let s = RUN_TASK.replace(
        "{OPS}",
        r#"{"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-$0"]}}"#,
    );
    let (_, l) = comp(&s);
    assert!(labels(&l).contains(&"eu-west-1"));
}

#[test]
fn principal_keys_and_values() {
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Principal": {"$0"}}]}"#);
    assert_eq!(labels(&l), ["AWS", "Service", "Federated", "CanonicalUser"]);
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "$0"}}]}"#);
    assert!(labels(&l).contains(&"ecs-tasks.amazonaws.com"));
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["$0"]}}]}"#);
    assert!(labels(&l).contains(&"arn:aws:iam::123456789012:role/RoleName"));
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Principal": $0}]}"#);
    assert_eq!(labels(&l), ["*", "{ \"AWS\": ... }"]);
}

#[test]
fn mid_edit_documents() {
    // Key without value.
    let (_, l) = comp(r#"{"Statement": [{"Effect": "Allow", "Action": $0}]}"#);
    assert!(labels(&l).contains(&"ecs"));
    // Unterminated key at the end of the document.
    let (_, l) = comp("{\"Statement\": [{\"Effect\": \"Allow\", \"Ac$0");
    assert!(labels(&l).contains(&"Action"));
    // Everything after the cursor missing.
    let (_, l) = comp(
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:Get$0",
    );
    assert!(labels(&l).contains(&"s3:GetObject"));
}

#[test]
fn crlf_and_non_ascii() {
    let s = "{\r\n  \"Statement\": [{\r\n    \"Sid\": \"Zürich😀\",\r\n    \"Effect\": \"Allow\",\r\n    \"Action\": \"ecs:Ru$0\r\n  }]\r\n}";
    let out = accept(s, "ecs:RunTask");
    assert!(out.contains("\"Action\": \"ecs:RunTask\"\r\n"), "{out:?}");
    let s = "{\"Statement\": [{\"Sid\": \"é\", \"Effect\": \"Allow\", \"Action\": \"ecs:RunTask\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:RequestedRegion\": \"$0\"}}}]}";
    let (_, l) = comp(s);
    assert!(labels(&l).contains(&"eu-central-1"));
}

/// Documenting only some items changes nothing else: at every offset of documents with every
/// kind of list (actions, wildcards, operators, condition keys, values, keys), `First(n)`
/// documents exactly the first `n` items and `Of(label)` exactly that item, as `complete` does.
#[test]
fn partial_documentation_changes_nothing_else() {
    let docs = [
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:", "ecs:Ru"], "Resource": "*", "Condition": {"": {}, "StringEquals": {"": "x", "aws:RequestedRegion": ""}}}]}"#,
        r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": ""}, "NotAction": "iam:", "Resource": "arn:aws:s3:::"}}"#,
    ];
    let mut documented = 0;
    for d in docs {
        let (a, _) = analysed(&format!("{d}$0"));
        for o in 0..=d.len() as u32 {
            let all = complete(&a, o);
            let no_docs = |l: &CompletionList| {
                let mut l = l.clone();
                l.items.iter_mut().for_each(|i| i.documentation.clear());
                l
            };
            let first = complete_with(&a, o, Docs::First(3));
            assert_eq!(no_docs(&first), no_docs(&all), "offset {o} of {d}");
            for (k, (f, i)) in first.items.iter().zip(&all.items).enumerate() {
                let expected = if k < 3 { i.documentation.as_str() } else { "" };
                assert_eq!(f.documentation, expected, "offset {o}, item {}", i.label);
            }
            if let Some(last) = all.items.last() {
                let one = complete_with(&a, o, Docs::Of(&last.label));
                assert_eq!(no_docs(&one), no_docs(&all));
                for (f, i) in one.items.iter().zip(&all.items) {
                    let expected = if i.label == last.label {
                        i.documentation.as_str()
                    } else {
                        ""
                    };
                    assert_eq!(f.documentation, expected);
                }
                documented += usize::from(!last.documentation.is_empty());
            }
        }
    }
    assert!(documented > 20, "{documented}");
}

#[test]
fn never_panics_on_any_offset() {
    let docs = [
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecs:Ru\n \"Resource\": \"arn:aws:s3:::b/${aws:username}\", \"Condition\": {\"StringEquals\": {\"aws:RequestedRegion\": [\"é😀\"]}}}]}",
        "{\"Statement\": {\"Principal\": {\"AWS\": [\"*\"]}, \"NotAction\": \"iam:*\"",
        "[1, {\"a\": }, \"x",
        "{\"Version\": \"2012-10-17\",\r\n\"Statement\": [\r\n{\"Action\": [\"s3:*\", 3, {}],}]}",
        "",
        "😀",
    ];
    for d in docs {
        let (a, _) = analysed(&format!("{d}$0"));
        for o in 0..=(d.len() as u32 + 3) {
            let _ = complete(&a, o);
            let _ = iam_ide::hover(&a, o);
            let _ = iam_ide::code_actions(&a, iam_syntax::TextRange::new(o, o + 2));
            let _ = iam_ide::selection_ranges(&a.parse, &[o]);
        }
    }
    let _ = fixture("$0");
}

/// Under every operator, completion offers exactly the condition keys whose type the operator
/// compares by the validator's table (rule D008): a key offered here never gets D008 once
/// chosen, and no key that fits is missing. Covers every operator (so every family) and every
/// key type of the global keys and of the statement's actions.
#[test]
fn condition_keys_fit_the_operator_by_the_validators_table() {
    use iam_policy::semantics::operator::BaseOperator;
    use std::collections::{BTreeSet, HashSet};
    let cat = iam_catalog::catalog();
    let mut keys: Vec<iam_catalog::ConditionKeyRef<'static>> =
        cat.global_condition_keys().collect();
    keys.extend(
        cat.action("ecs:RunTask")
            .expect("ecs:RunTask")
            .all_condition_keys()
            .iter()
            .filter_map(|k| cat.condition_key(k)),
    );
    let types: BTreeSet<String> = keys
        .iter()
        .map(|k| format!("{:?}", k.value_type().scalar()))
        .collect();
    assert!(types.len() >= 6, "key types covered: {types:?}");
    for op in BaseOperator::ALL {
        let (_, l) = comp(&RUN_TASK.replace("{OPS}", &format!(r#"{{"{}": {{"$0"}}}}"#, op.name())));
        let offered: HashSet<&str> = labels(&l).into_iter().collect();
        for k in &keys {
            let fits = op.family().fits(k.value_type());
            assert_eq!(
                offered.contains(k.name()),
                fits,
                "`{}` ({}) under {}",
                k.name(),
                k.value_type(),
                op.name()
            );
        }
        for label in &offered {
            let k = cat
                .condition_key(label)
                .unwrap_or_else(|| panic!("{label}"));
            assert!(
                op.family().fits(k.value_type()),
                "{label} under {}",
                op.name()
            );
        }
    }
}

/// `"Action": "ecs:"` is what the document holds while an action is typed: the finding says the
/// name is missing (not that `ecs` has no action ``), and completion still lists the actions.
#[test]
fn unfinished_action_is_reported_as_missing_and_still_completes() {
    for s in [
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecs:$0", "Resource": "*"}]}"#,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "ecs:$0"], "Resource": "*"}]}"#,
    ] {
        let (a, at) = analysed(s);
        let found: Vec<_> = a
            .diagnostics
            .iter()
            .filter(|d| d.code() == "B009" || d.code() == "B002")
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let d = found[0];
        assert_eq!(d.code(), "B009");
        assert!(
            d.message
                .starts_with("the action name is missing after `ecs:`"),
            "{}",
            d.message
        );
        assert!(d.message.contains("`ecs:*`"), "{}", d.message);
        assert!(!d.message.contains("has no action"), "{}", d.message);
        assert_eq!(
            &a.parse.text()[d.range.start as usize..d.range.end as usize],
            "\"ecs:\""
        );
        let l = complete(&a, at);
        assert!(labels(&l).contains(&"ecs:RunTask"), "{:?}", labels(&l));
    }
    // An unknown prefix with no name is still an unknown service.
    let (a, _) =
        analysed(r#"{"Statement": [{"Effect": "Allow", "Action": "ecz:$0", "Resource": "*"}]}"#);
    assert!(a.diagnostics.iter().any(|d| d.code() == "B001"));
}
