//! Property tests for the parser (the same invariants as the `parse` fuzz target, so that
//! `cargo test` catches regressions without the fuzzer): total, lossless, tokens tile the text,
//! children nest in their parents, errors are sorted and inside the text, deep nesting is cut.

use iam_syntax::{Element, MAX_DEPTH, Node, ParseOptions, parse};
use proptest::prelude::*;

fn check(text: &str, options: ParseOptions) {
    let p = parse(text, options);
    assert_eq!(p.tree_text(), text);
    let len = u32::try_from(text.len()).expect("small text");
    let mut at = 0;
    p.root().for_each_token(|t| {
        assert_eq!(t.range.start, at, "tokens tile the text");
        at = t.range.end;
    });
    assert_eq!(at, len);
    let mut stack: Vec<(&Node, usize)> = vec![(p.root(), 0)];
    while let Some((n, depth)) = stack.pop() {
        assert!(depth <= 2 * MAX_DEPTH + 4, "tree depth is bounded");
        for c in &n.children {
            let r = c.range();
            assert!(n.range.start <= r.start && r.end <= n.range.end);
            if let Element::Node(child) = c {
                stack.push((child, depth + 1));
            }
        }
    }
    let mut last = (0, 0);
    for e in p.errors() {
        assert!(e.range.start <= e.range.end && e.range.end <= len);
        assert!((e.range.start, e.range.end) >= last);
        last = (e.range.start, e.range.end);
    }
    let _ = p.value();
    for off in [0, len / 3, len, len + 7] {
        let _ = p.path_at(off);
        let _ = p.token_at(off);
    }
}

/// JSON-ish text: the characters that matter to the lexer and parser, plus multi-byte ones.
fn jsonish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\",
        "\"Statement\"",
        "\"Effect\"",
        "\"Allow\"",
        "\"s3:*\"",
        "1",
        "-2.5e3",
        "true",
        "null",
        "True",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "/*",
        "*/",
        "//",
        "😀",
        "é",
        "\u{0}",
        "x",
    ]);
    prop::collection::vec(atoms, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_parses_losslessly(text in any::<String>()) {
        check(&text, ParseOptions::STRICT);
        check(&text, ParseOptions::LENIENT);
    }

    #[test]
    fn jsonish_text_parses_losslessly(text in jsonish()) {
        check(&text, ParseOptions::STRICT);
        check(&text, ParseOptions::LENIENT);
    }

    #[test]
    fn deep_nesting_is_cut(depth in 0usize..3000, open in prop::sample::select(vec!["[", "{\"a\":"]), close in any::<bool>()) {
        let mut text = open.repeat(depth);
        if close {
            text.push_str(&(if open == "[" { "]" } else { "}" }).repeat(depth));
        }
        check(&text, ParseOptions::STRICT);
        let p = parse(&text, ParseOptions::STRICT);
        if depth > MAX_DEPTH {
            prop_assert!(p.errors().iter().any(|e| e.message.contains("nesting deeper")));
        }
    }
}
