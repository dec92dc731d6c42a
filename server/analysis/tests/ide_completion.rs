mod ide_support;

use iam_analysis::ide::{CompletionItem, CompletionList, complete};
use ide_support::{analysed, apply};

fn comp(s: &str) -> (String, CompletionList) {
    let (a, at) = analysed(s);
    (a.parse.text().to_owned(), complete(&a, at))
}

fn labels(l: &CompletionList) -> Vec<&str> {
    l.items.iter().map(|i| i.label.as_str()).collect()
}

fn item<'a>(l: &'a CompletionList, label: &str) -> &'a CompletionItem {
    l.items.iter().find(|i| i.label == label).unwrap_or_else(|| panic!("no item {label}: {:?}", labels(l)))
}

fn sorted_labels(l: &CompletionList) -> Vec<&str> {
    let mut v: Vec<&CompletionItem> = l.items.iter().collect();
    v.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    v.into_iter().map(|i| i.label.as_str()).collect()
}

#[test]
fn explore() {
    let cases = [
        r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:Ru$0
  "Resource": "*"}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "Action": ["ecs:RunTask"], "Resource": "$0"}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "Action": ["ecs:RunTask"], "Resource": "*", "Condition": {"StringEquals": {"$0"}}}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "Action": ["ecs:RunTask"], "Resource": "*", "Condition": {"$0"}}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "$0"}]}"#,
        r#"{"Statement": [{"Effect": "Allow", "Action": $0}]}"#,
        r#"{"Statement": [{"Effect": "$0"}]}"#,
        r#"{ $0 }"#,
        r#"$0"#,
    ];
    for c in cases {
        let (text, l) = comp(c);
        let mut v: Vec<&CompletionItem> = l.items.iter().collect();
        v.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        eprintln!("=== {c}\n  n={} incomplete={}", v.len(), l.is_incomplete);
        for i in v.iter().take(8) {
            eprintln!("  {:?} {:?} sort={} -> {}", i.label, i.detail, i.sort_text, apply(&text, &[i.edit.clone()]).replace('\n', "⏎"));
        }
    }
}
