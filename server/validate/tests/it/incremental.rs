//! `analyze_incremental` (which reuses the lowered model and the findings of unchanged
//! statements) must give exactly what a fresh `analyze_with_config` gives, after any edit: checked on hand-picked edits that
//! move, renumber and change statements or their context, and on random edit sequences over
//! real AWS managed policies and policy-shaped noise.

#![allow(clippy::unwrap_used)]

use iam_validate::config::Config;
use iam_validate::{Analysis, Options, PolicyType, analyze_incremental, analyze_with_config};
use proptest::prelude::*;

/// Analyses `text` incrementally from `previous` and checks the result against a fresh analysis.
fn step(previous: Option<&Analysis>, text: &str, options: &Options, config: &Config) -> Analysis {
    let inc = analyze_incremental(text, options, config, &[], previous);
    let fresh = analyze_with_config(text, options, config, &[]);
    assert_eq!(inc.policy_type, fresh.policy_type);
    assert_eq!(
        inc.diagnostics, fresh.diagnostics,
        "incremental and fresh analyses differ for:\n{text}"
    );
    assert_eq!(inc.suppressed, fresh.suppressed);
    // The lowered model too (reused statements are moved, not re-lowered).
    assert_eq!(
        format!("{:?}", inc.policy),
        format!("{:?}", fresh.policy),
        "incremental and fresh models differ for:\n{text}"
    );
    inc
}

fn statement(i: usize, indent: &str) -> String {
    format!(
        "{indent}{{\n{indent}  \"Sid\": \"S{i}\",\n{indent}  \"Effect\": \"Allow\",\n{indent}  \"Action\": [\"ecs:RunTask\", \"ecs:Describe*\", \"ecs:RunTask\", \"iam:PassRole\"],\n{indent}  \"Resource\": [\"arn:aws:ecs:us-east-1:123456789012:task-definition/web{i}:*\", \"*\"],\n{indent}  \"Condition\": {{\"ArnEquals\": {{\"ecs:cluster\": \"arn:aws:ecs:us-east-1:123456789012:cluster/prod\"}}, \"StringEquals\": {{\"s3:prefix\": \"${{aws:username}}/\"}}}}\n{indent}}}"
    )
}

fn policy(n: usize, version: &str) -> String {
    let stmts: Vec<String> = (0..n).map(|i| statement(i, "    ")).collect();
    format!(
        "{{\n  \"Version\": \"{version}\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        stmts.join(",\n")
    )
}

#[test]
fn an_edit_in_one_statement_reuses_the_others() {
    let opts = Options::default();
    let cfg = Config::default();
    let text = policy(20, "2012-10-17");
    let a = step(None, &text, &opts, &cfg);
    assert!(!a.diagnostics.is_empty());
    assert_eq!(a.reusable_statements(), 20);
    // Rename an action in statement 7: the 19 others are reused, and the result is the same.
    let at = text.find("\"Sid\": \"S7\"").unwrap();
    let edited = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("ecs:RunTask", "ecs:RunTasks", 1)
    );
    let b = step(Some(&a), &edited, &opts, &cfg);
    assert_eq!(b.reusable_statements(), 20);
    assert!(b.diagnostics.iter().any(|d| d.rule.code == "B002"));
}

#[test]
fn moved_and_renumbered_statements() {
    let opts = Options::default();
    let cfg = Config::default();
    let text = policy(6, "2012-10-17");
    let a = step(None, &text, &opts, &cfg);
    // A new statement at the top: every other one moves and is renumbered.
    let at = text.find("    {").unwrap();
    let top = format!("{}{},\n{}", &text[..at], statement(99, "    "), &text[at..]);
    let b = step(Some(&a), &top, &opts, &cfg);
    // Statements without `Sid` are named by number in messages.
    let no_sids = top.replace("\"Sid\": \"S", "\"Xid\": \"S");
    let c = step(Some(&b), &no_sids, &opts, &cfg);
    let d = step(
        Some(&c),
        &text.replace("\"Sid\": \"S", "\"Xid\": \"S"),
        &opts,
        &cfg,
    );
    // Indentation before the statement changes the fixes that copy it.
    let e = step(Some(&d), &text.replace("    {", "  {"), &opts, &cfg);
    step(Some(&e), &text, &opts, &cfg);
}

#[test]
fn fixes_copy_the_indentation_before_the_statement() {
    let opts = Options::default();
    let cfg = Config::default();
    // G002's fix adds a `Condition` indented like the `Action` line, which starts before the
    // statement's `{`: changing that indentation must change the fix.
    let text = |indent: &str| {
        format!(
            "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{indent}{{\"Effect\": \"Allow\", \"Action\": [\"iam:PassRole\", \"ecs:RunTask\"], \"Resource\": \"arn:aws:iam::123456789012:role/x\"}}\n]}}"
        )
    };
    let a = step(None, &text("    "), &opts, &cfg);
    let fix = |a: &Analysis| {
        a.diagnostics
            .iter()
            .flat_map(|d| &d.fixes)
            .flat_map(|f| &f.edits)
            .find(|e| e.new_text.contains("iam:PassedToService"))
            .map(|e| e.new_text.clone())
            .unwrap()
    };
    assert!(fix(&a).starts_with(",\n    \"Condition\""), "{}", fix(&a));
    let b = step(Some(&a), &text("  "), &opts, &cfg);
    assert!(fix(&b).starts_with(",\n  \"Condition\""), "{}", fix(&b));
}

#[test]
fn one_line_documents() {
    let opts = Options::default();
    let cfg = Config::default();
    let one = policy(3, "2012-10-17").replace('\n', "");
    let a = step(None, &one, &opts, &cfg);
    // Every statement starts on the same line: a change before one reaches all (their text
    // from the line start differs), and the result stays right.
    let b = step(Some(&a), &one.replacen("\"S1\"", "\"S1x\"", 1), &opts, &cfg);
    let c = step(Some(&b), &one.replacen("\"S2\"", "\"S\"", 1), &opts, &cfg);
    step(Some(&c), &one, &opts, &cfg);
}

#[test]
fn context_changes_invalidate_every_statement() {
    let cfg = Config::default();
    let opts = Options::default();
    let text = policy(4, "2012-10-17");
    let a = step(None, &text, &opts, &cfg);
    // Version (policy variables), policy type, lenient, configuration, Regions used elsewhere.
    let b = step(Some(&a), &policy(4, "2008-10-17"), &opts, &cfg);
    let c = step(Some(&b), &text, &opts, &cfg);
    let resource = Options {
        policy_type: Some(PolicyType::Resource),
        lenient: false,
    };
    let d = step(Some(&c), &text, &resource, &cfg);
    let lenient = Options {
        policy_type: None,
        lenient: true,
    };
    let e = step(Some(&d), &text, &lenient, &cfg);
    let extra = Config::from_toml("[catalog]\nextra-actions = [\"ecs:RunTasks\"]\n");
    assert!(extra.problems.is_empty(), "{:?}", extra.problems);
    let f = step(
        Some(&e),
        &text.replace("ecs:RunTask\"", "ecs:RunTasks\""),
        &opts,
        &extra,
    );
    let g = step(
        Some(&f),
        &text.replace("ecs:RunTask\"", "ecs:RunTasks\""),
        &opts,
        &cfg,
    );
    let other_region = text.replacen("us-east-1", "eu-west-3", 1);
    let h = step(Some(&g), &other_region, &opts, &cfg);
    step(
        Some(&h),
        &text.replace(
            "arn:aws:ecs:us-east-1:123456789012:task-definition",
            "arn:aws:ecs::123456789012:task-definition",
        ),
        &opts,
        &cfg,
    );
}

#[test]
fn cross_statement_findings_follow_other_statements() {
    let opts = Options::default();
    let cfg = Config::default();
    let a = step(
        None,
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "A", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
  {"Sid": "B", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
  {"Sid": "A", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
  {"Sid": "C", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
]}"#,
        &opts,
        &cfg,
    );
    assert!(a.diagnostics.iter().any(|d| d.rule.code == "G008"));
    // Statement B changes; A's privilege-escalation finding must go although A is unchanged.
    let b = step(
        Some(&a),
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "A", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
  {"Sid": "B", "Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"},
  {"Sid": "A", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
  {"Sid": "C", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
]}"#,
        &opts,
        &cfg,
    );
    assert!(!b.diagnostics.iter().any(|d| d.rule.code == "G008"));
}

#[test]
fn containment_pairs_are_replayed_and_follow_edits() {
    let opts = Options::default();
    let cfg = Config::default();
    let edit = |text: &str| {
        let at = text.find("\"Sid\": \"S7\"").unwrap();
        format!(
            "{}{}",
            &text[..at],
            text[at..].replacen("ecs:RunTask", "ecs:RunTasks", 1)
        )
    };
    // 10 statements of one effect: 90 ordered pairs; after an edit in one statement only the
    // 18 pairs it is part of are compared again, and none when nothing changed.
    let text = policy(10, "2012-10-17");
    let a = step(None, &text, &opts, &cfg);
    assert_eq!(a.pairs_compared(), 90);
    let b = step(Some(&a), &edit(&text), &opts, &cfg);
    assert_eq!(b.pairs_compared(), 18);
    let c = step(Some(&b), &edit(&text), &opts, &cfg);
    assert_eq!(c.pairs_compared(), 0);
    // 20 statements: 380 pairs, more than H001 decides in full (300), then a contained pair
    // that the budget no longer reaches. A replay that did not spend the budget as a fresh
    // analysis does would reach it and report it (`step` compares the findings).
    let h001 = |a: &Analysis| {
        a.diagnostics
            .iter()
            .filter(|d| d.rule.code == "H001")
            .count()
    };
    let text = policy(20, "2012-10-17").replacen(
        "\n  ]",
        ",\n    {\"Sid\": \"Wide\", \"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"},\n    {\"Sid\": \"Narrow\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]",
        1,
    );
    let a = step(None, &text, &opts, &cfg);
    assert_eq!(h001(&a), 0);
    let b = step(Some(&a), &edit(&text), &opts, &cfg);
    assert_eq!(h001(&b), 0);
    step(Some(&b), &text, &opts, &cfg);

    let doc = |first: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Wide", "Effect": "Allow", "Action": "{first}", "Resource": "*"}},
  {{"Sid": "Narrow", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
]}}"#
        )
    };
    let a = step(None, &doc("s3:Get*"), &opts, &cfg);
    assert_eq!(h001(&a), 1);
    // The unchanged statement `Narrow` is no longer contained once `Wide` changes, and is
    // again when it changes back (the pair comes back with its new and old texts).
    let b = step(Some(&a), &doc("s3:Put*"), &opts, &cfg);
    assert_eq!(h001(&b), 0);
    let c = step(Some(&b), &doc("s3:Get*"), &opts, &cfg);
    assert_eq!(h001(&c), 1);
}

/// Real policies nobody here wrote (a sample of the AWS managed policies) and noise.
fn bases() -> Vec<String> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/managed/policies"
    );
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut v: Vec<String> = names
        .iter()
        .step_by(53)
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    v.push(policy(5, "2012-10-17"));
    // Statements contained in others (H001), with conditions, so that edits make and break
    // containments between reused statements.
    v.push(
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Wide", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
  {"Sid": "Narrow", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a"}}},
  {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}},
  {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"},
  {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}
]}"#
        .to_owned(),
    );
    v
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    " ",
    "\n",
    "    ",
    "\"Sid\": \"X\",",
    "\"Effect\"",
    "\"Deny\"",
    "\"Action\": \"*\",",
    "s3:",
    "*",
    "ecs:RunTask",
    "${aws:username}",
    "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}},",
    "us-west-2",
    "\"Version\": \"2008-10-17\",",
    "😀",
    "{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"},",
];

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
}

fn apply(text: &str, e: &Edit) -> String {
    let floor = |mut i: usize| {
        i %= text.len() + 1;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match *e {
        Edit::Insert(at, piece) => {
            let at = floor(at);
            format!(
                "{}{}{}",
                &text[..at],
                PIECES[piece % PIECES.len()],
                &text[at..]
            )
        }
        Edit::Delete(at, len) => {
            let a = floor(at);
            let b = floor(a + len % 40).max(a);
            format!("{}{}", &text[..a], &text[b..])
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, p)| Edit::Insert(a, p)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Delete(a, l)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn incremental_equals_fresh_after_random_edits(
        base in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..12),
        lenient in any::<bool>(),
    ) {
        let bases = bases();
        let mut text = bases[base.index(bases.len())].clone();
        let opts = Options { policy_type: None, lenient };
        let cfg = Config::default();
        let mut prev = step(None, &text, &opts, &cfg);
        for e in &edits {
            text = apply(&text, e);
            prev = step(Some(&prev), &text, &opts, &cfg);
        }
    }
}
