//! Document symbols, folding ranges, selection ranges and inlay hints.

#![allow(clippy::unwrap_used)]

use crate::support::{analysed, lenient};
use iam_ide::{
    FoldKind, InlayHintConfig, Symbol, document_symbols, folding_ranges, inlay_hints,
    selection_ranges,
};
use iam_syntax::TextRange;
use iam_validate::{Options, analyze};

const POLICY: &str = "{\n  \"Id\": \"deploy\",\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"Run\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\"ecs:RunTask\", \"ecs:Describe*\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"ArnEquals\": {\"ecs:cluster\": \"arn:aws:ecs:us-east-1:1:cluster/a\"}}\n    },\n    {\n      \"Effect\": \"Deny\",\n      \"NotAction\": [\"iam:*\", \"sts:*\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";

fn outline(s: &Symbol, depth: usize, out: &mut String) {
    out.push_str(&format!(
        "{}{} [{:?}] {}\n",
        "  ".repeat(depth),
        s.name,
        s.kind,
        s.detail.clone().unwrap_or_default()
    ));
    for c in &s.children {
        outline(c, depth + 1, out);
    }
}

#[test]
fn symbols() {
    let a = analyze(POLICY, &Options::default());
    let syms = document_symbols(&a.parse);
    let mut out = String::new();
    for s in &syms {
        outline(s, 0, &mut out);
    }
    assert_eq!(
        out,
        "deploy [Policy] Version 2012-10-17\n  Id [Element] deploy\n  Version [Element] 2012-10-17\n  Statement [Element] 2 items\n    Run [Statement] Allow\n      Sid [Element] Run\n      Effect [Element] Allow\n      Action [Element] 2 items\n      Resource [Element] *\n      Condition [Element] 1 entry\n        ArnEquals [Operator] 1 entry\n          ecs:cluster [Key] arn:aws:ecs:us-east-1:1:cluster/a\n    Statement 2 [Statement] Deny\n      Effect [Element] Deny\n      NotAction [Element] 2 items\n      Resource [Element] *\n"
    );
    let run = &syms[0].children[2].children[0];
    assert_eq!(run.selection_range.slice(POLICY), "\"Run\"");
    // Incomplete documents still have an outline.
    let a = analyze(
        "{\"Statement\": [{\"Sid\": \"A\", \"Effect\": ",
        &Options::default(),
    );
    assert_eq!(
        document_symbols(&a.parse)[0].children[0].children[0].name,
        "A"
    );
}

#[test]
fn folding() {
    let a = analyze(POLICY, &Options::default());
    let folds = folding_ranges(&a.parse);
    let texts: Vec<&str> = folds.iter().map(|f| f.range.slice(POLICY)).collect();
    assert_eq!(folds.len(), 4, "{texts:?}");
    assert!(texts[0].starts_with('{') && texts[0].ends_with('}'));
    assert!(texts[1].starts_with("[\n    {"));
    let (a, _) = lenient("{\n/* a\n comment */\n\"Statement\": []}$0");
    let folds = folding_ranges(&a.parse);
    assert!(folds.iter().any(|f| f.kind == FoldKind::Comment));
}

#[test]
fn selection() {
    let (a, at) = analysed(r#"{"Statement": [{"Action": ["ecs:Run$0Task"]}]}"#);
    let chain = selection_ranges(&a.parse, &[at]);
    let texts: Vec<&str> = chain[0].iter().map(|r| r.slice(a.parse.text())).collect();
    assert_eq!(
        texts,
        [
            "ecs:RunTask",
            "\"ecs:RunTask\"",
            "[\"ecs:RunTask\"]",
            "\"Action\": [\"ecs:RunTask\"]",
            "{\"Action\": [\"ecs:RunTask\"]}",
            "[{\"Action\": [\"ecs:RunTask\"]}]",
            "\"Statement\": [{\"Action\": [\"ecs:RunTask\"]}]",
            "{\"Statement\": [{\"Action\": [\"ecs:RunTask\"]}]}",
        ]
    );
    // Past the end and mid-character: clamped.
    let (a, _) = analysed("{\"Sid\": \"😀\"}$0");
    let chains = selection_ranges(&a.parse, &[10, 999]);
    assert!(chains.iter().all(|c| !c.is_empty()));
}

#[test]
fn inlay_hints_for_wildcards_and_not_action() {
    let a = analyze(POLICY, &Options::default());
    let hints = inlay_hints(
        &a,
        TextRange::new(0, POLICY.len() as u32),
        InlayHintConfig::default(),
    );
    let n = iam_catalog::catalog().expand("ecs:Describe*").len();
    let iam = iam_catalog::catalog().expand("iam:*").len();
    let sts = iam_catalog::catalog().expand("sts:*").len();
    let total: usize = iam_catalog::catalog()
        .services()
        .map(|s| s.actions().len())
        .sum();
    let labels: Vec<(&str, &str)> = hints
        .iter()
        .map(|h| (&POLICY[..h.offset as usize], h.label.as_str()))
        .map(|(before, l)| (before.rsplit('"').nth(1).unwrap_or(""), l))
        .collect();
    assert_eq!(
        labels,
        [
            ("ecs:Describe*", format!("{n} actions").as_str()),
            ("iam:*", format!("{iam} actions").as_str()),
            ("sts:*", format!("{sts} actions").as_str()),
            (
                "sts:*",
                format!("matches {} actions", total - iam - sts).as_str()
            ),
        ]
    );
    // Configurable, and limited to the range.
    let off = InlayHintConfig {
        wildcard_counts: false,
        not_action_counts: true,
    };
    assert_eq!(
        inlay_hints(&a, TextRange::new(0, POLICY.len() as u32), off).len(),
        1
    );
    assert!(inlay_hints(&a, TextRange::new(0, 10), InlayHintConfig::default()).is_empty());
}
