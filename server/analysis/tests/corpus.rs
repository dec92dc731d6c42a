//! The broken-policy corpus (`tests/corpus/broken/`): each file has one problem. The file name
//! starts with the expected rule code; `⟦` and `⟧` mark the expected range(s) and are removed
//! before analysis. The test asserts that the rule fires exactly at the marked ranges and that no
//! other rule fires.
//!
//! Files may start with a `// type: <policy type>` line (removed before analysis) to set the type.

use std::path::Path;

use iam_analysis::{Options, PolicyType, analyze};

fn strip_markers(text: &str) -> (String, Vec<(u32, u32)>) {
    let mut out = String::with_capacity(text.len());
    let mut ranges = Vec::new();
    let mut open = None;
    for c in text.chars() {
        match c {
            '⟦' => open = Some(out.len() as u32),
            '⟧' => ranges.push((open.take().expect("⟧ without ⟦"), out.len() as u32)),
            _ => out.push(c),
        }
    }
    (out, ranges)
}

#[test]
fn broken_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/broken");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in entries {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        count += 1;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let code = &name[..4];
        let raw = std::fs::read_to_string(&path).expect("read");
        let (raw, policy_type) = match raw.strip_prefix("// type: ") {
            Some(rest) => {
                let (t, body) = rest.split_once('\n').expect("type line");
                (
                    body.to_owned(),
                    Some(PolicyType::parse(t.trim()).expect("policy type")),
                )
            }
            None => (raw, None),
        };
        let (text, expected) = strip_markers(&raw);
        let analysis = analyze(
            &text,
            &Options {
                policy_type,
                ..Options::default()
            },
        );
        let mut got: Vec<(u32, u32)> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code() == code)
            .map(|d| (d.range.start, d.range.end))
            .collect();
        got.sort_unstable();
        got.dedup();
        let others: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code() != code)
            .map(|d| {
                format!(
                    "{} {}..{} {}",
                    d.code(),
                    d.range.start,
                    d.range.end,
                    d.message
                )
            })
            .collect();
        if got != expected || !others.is_empty() {
            failures.push(format!(
                "{name}: expected {code} at {expected:?}, got {got:?}; others: {others:?}"
            ));
        }
    }
    assert!(count > 0, "empty corpus");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every rule of the registry has a fixture in the corpus (or is listed as evaluator-only).
#[test]
fn every_rule_has_a_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/broken");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let missing: Vec<&str> = iam_analysis::diagnostic::rules::ALL
        .iter()
        .map(|r| r.code)
        .filter(|code| !names.iter().any(|n| n.starts_with(code)))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

/// Every rule is documented in docs/diagnostics.md.
#[test]
fn every_rule_is_documented() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md"),
    )
    .expect("docs/diagnostics.md");
    let missing: Vec<&str> = iam_analysis::diagnostic::rules::ALL
        .iter()
        .filter(|r| !doc.contains(&format!("`{}`", r.code)) || !doc.contains(r.name))
        .map(|r| r.code)
        .collect();
    assert!(
        missing.is_empty(),
        "rules missing from docs/diagnostics.md: {missing:?}"
    );
}
