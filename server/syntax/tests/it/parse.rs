//! Parser tests: JSONTestSuite-style accept/reject cases, mid-edit snapshots, and properties.

use iam_syntax::{ParseOptions, TextRange, parse};
use proptest::prelude::*;

/// Valid JSON (RFC 8259) must parse without errors, in both modes.
const VALID: &[&str] = &[
    "{}",
    "[]",
    "0",
    "-0.5e+10",
    "\"\"",
    "\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\"",
    "true",
    "null",
    " [1, 2.5, -3e2, true, false, null, \"x\", {}, []] ",
    "{\"a\": {\"b\": [{\"c\": \"d\"}]}}",
    "{\"\": 0, \"dup\": 1, \"dup\": 2}",
    "\"é😀\"",
    "\t\r\n{\r\n\"Version\":\"2012-10-17\"\r\n}\r\n",
];

/// Invalid JSON with where the first error must be reported (byte range).
const INVALID: &[(&str, (u32, u32))] = &[
    ("", (0, 0)),
    ("{", (1, 1)),
    ("[1,]", (2, 3)),
    ("{\"a\":1,}", (6, 7)),
    ("[1 2]", (2, 2)),
    ("{\"a\" 1}", (4, 4)),
    ("{\"a\":}", (5, 5)),
    ("{a:1}", (1, 2)),
    ("[01]", (1, 3)),
    ("[1.]", (1, 3)),
    ("[.5]", (1, 2)),
    ("[\"a\\x\"]", (3, 5)),
    ("[\"\\u12\"]", (2, 6)),
    ("[\"a\tb\"]", (3, 4)),
    ("[\"abc", (1, 5)),
    ("[True]", (1, 5)),
    ("[1] x", (4, 5)),
    ("[1]]", (3, 4)),
    ("{\"a\":1 \"b\":2}", (6, 6)),
    ("[,1]", (1, 2)),
    ("{,}", (1, 2)),
    ("// c\n{}", (0, 4)),
    ("{} /* x */", (3, 10)),
    ("[1, /* x", (3, 3)),
    ("{\"a\":1]", (6, 6)),
    ("[1}", (2, 2)),
    ("[@]", (1, 2)),
    ("[\u{feff}1]", (1, 4)),
];

#[test]
fn valid_documents_parse_without_errors() {
    for text in VALID {
        for opts in [ParseOptions::STRICT, ParseOptions::LENIENT] {
            let p = parse(text, opts);
            assert!(p.errors().is_empty(), "{text:?}: {:?}", p.errors());
            assert_eq!(p.tree_text(), *text);
        }
    }
}

#[test]
fn invalid_documents_report_the_first_error_at_the_right_place() {
    for (text, (start, end)) in INVALID {
        let p = parse(text, ParseOptions::STRICT);
        let first = p
            .errors()
            .first()
            .unwrap_or_else(|| panic!("{text:?}: no error"));
        assert_eq!(
            first.range,
            TextRange::new(*start, *end),
            "{text:?}: {:?}",
            p.errors()
        );
        assert_eq!(p.tree_text(), *text);
    }
}

#[test]
fn lenient_mode_accepts_comments_and_trailing_commas() {
    let text = "// policy\n{\"Statement\": [/* one */ {\"Effect\": \"Allow\",},],}";
    assert!(parse(text, ParseOptions::LENIENT).errors().is_empty());
    let strict = parse(text, ParseOptions::STRICT);
    assert_eq!(strict.errors().len(), 5, "{:?}", strict.errors());
}

#[test]
fn several_errors_are_reported() {
    let text = "{\"Version\": \"2012-10-17\" \"Statement\": [{\"Effect\": Allow, \"Action\": \"ecs:Run\n}]";
    let p = parse(text, ParseOptions::STRICT);
    assert!(p.errors().len() >= 3, "{:?}", p.errors());
}

#[test]
fn deep_nesting_does_not_overflow() {
    let n = 100_000;
    let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let p = parse(&text, ParseOptions::STRICT);
    assert_eq!(p.errors().len(), 1, "{:?}", &p.errors()[..1]);
    assert!(p.errors()[0].message.contains("nesting deeper"));
    assert_eq!(p.tree_text().len(), text.len());
    let unclosed = "{\"a\":".repeat(n);
    let p = parse(&unclosed, ParseOptions::STRICT);
    assert!(!p.errors().is_empty());
}

fn snapshot(name: &str, text: &str) {
    let p = parse(text, ParseOptions::STRICT);
    assert_eq!(p.tree_text(), text);
    insta::assert_snapshot!(name, format!("{text}\n---\n{}", p.debug_tree()));
}

#[test]
fn mid_edit_unterminated_action() {
    snapshot(
        "unterminated_action",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ecs:Run\n  \"Resource\": \"*\"}]}",
    );
}

#[test]
fn mid_edit_key_without_value() {
    snapshot(
        "key_without_value",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": }]}",
    );
}

#[test]
fn mid_edit_missing_colon_and_comma() {
    snapshot(
        "missing_colon_and_comma",
        "{\"Version\" \"2012-10-17\"\n \"Statement\": {\"Effect\": \"Deny\" \"Action\": \"*\"}}",
    );
}

#[test]
fn mid_edit_unclosed_at_eof() {
    snapshot(
        "unclosed_at_eof",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"ecs:",
    );
}

#[test]
fn mid_edit_stray_characters() {
    snapshot(
        "stray_characters",
        "{\"Statement\": [{\"Effect\": \"Allow\"}, ;, {\"Sid\": \"x\"} ]}",
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_is_lossless(text in "\\PC{0,200}") {
        for opts in [ParseOptions::STRICT, ParseOptions::LENIENT] {
            let p = parse(&text, opts);
            prop_assert_eq!(p.tree_text(), text.clone());
            for e in p.errors() {
                prop_assert!(e.range.start <= e.range.end && e.range.end as usize <= text.len());
            }
        }
    }

    #[test]
    fn json_alphabet_is_lossless(text in "[{}\\[\\]:,\" a\\\\0-9.eE+\\-tfnul/*\n\r]{0,200}") {
        let p = parse(&text, ParseOptions::STRICT);
        prop_assert_eq!(p.tree_text(), text.clone());
        // Every offset can be queried.
        for off in 0..=text.len() as u32 {
            let _ = p.path_at(off);
            let _ = p.token_at(off);
        }
    }

    #[test]
    fn random_edits_keep_parsing(
        base in prop::sample::select(vec![
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"ecs:RunTask\"], \"Resource\": \"*\"}]}",
            "{\"Statement\": {\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": false}}}}",
        ]),
        edits in prop::collection::vec((0usize..200, 0usize..10, "[{}\\[\\]:,\" a-z0-9é😀]{0,5}"), 1..10),
    ) {
        let mut text = base.to_owned();
        for (at, del, ins) in edits {
            let mut start = at.min(text.len());
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + del).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(start..end, &ins);
            let p = parse(&text, ParseOptions::STRICT);
            prop_assert_eq!(p.tree_text(), text.clone());
        }
    }
}

#[test]
fn valid_policy_values() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Action\": [\"a\\\"b\", \"é\"]}]}";
    let p = parse(text, ParseOptions::STRICT);
    let root = p.value().and_then(|v| v.as_object()).expect("object");
    let stmts = root
        .get("Statement")
        .and_then(|m| m.value())
        .and_then(|v| v.as_array())
        .expect("array");
    let stmt = stmts
        .items()
        .next()
        .and_then(|v| v.as_object())
        .expect("stmt");
    let actions: Vec<String> = stmt
        .get("Action")
        .and_then(|m| m.value())
        .and_then(|v| v.as_array())
        .expect("actions")
        .items()
        .filter_map(|v| v.as_string().map(|s| s.value().into_owned()))
        .collect();
    assert_eq!(actions, vec!["a\"b".to_owned(), "é".to_owned()]);
}
