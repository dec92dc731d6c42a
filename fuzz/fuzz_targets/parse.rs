//! The parser never panics and is lossless: the tokens tile the input, nodes nest inside their
//! parents, errors lie inside the text, and `tree_text()` gives the input back.
#![no_main]

use iam_syntax::{Element, Node, ParseOptions, parse};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, options: ParseOptions) {
    let p = parse(text, options);
    assert_eq!(p.tree_text(), text, "lossless");
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    // Tokens tile the text in order.
    let mut at = 0u32;
    p.root().for_each_token(|t| {
        assert_eq!(t.range.start, at, "tokens tile the text");
        assert!(t.range.end >= t.range.start);
        at = t.range.end;
    });
    assert_eq!(at, len);
    // Children inside parents, iteratively.
    let mut stack: Vec<&Node> = vec![p.root()];
    while let Some(n) = stack.pop() {
        for c in &n.children {
            let r = c.range();
            assert!(n.range.start <= r.start && r.end <= n.range.end, "child inside parent");
            if let Element::Node(child) = c {
                stack.push(child);
            }
        }
    }
    let mut last = (0, 0);
    for e in p.errors() {
        assert!(e.range.end <= len && e.range.start <= e.range.end);
        assert!((e.range.start, e.range.end) >= last, "errors sorted");
        last = (e.range.start, e.range.end);
    }
    // Typed views and offset queries never panic.
    let _ = p.value();
    for off in [0, len / 2, len, len + 1] {
        let _ = p.path_at(off);
        let _ = p.token_at(off);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(&text, ParseOptions::STRICT);
    check(&text, ParseOptions::LENIENT);
});
