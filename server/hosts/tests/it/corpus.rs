//! The embedded-policy corpus (`tests/corpus/embedded`): real templates and Terraform modules.
//! No error-severity finding except the reviewed genuine mistakes of `reviewed-errors.txt`
//! (`<path>:<line> <code>` per line, `#` comments), and every listed mistake is still found.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use iam_hosts::{HostKind, analyze};
use iam_validate::Severity;
use iam_validate::config::Config;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn corpus_has_no_errors_but_the_reviewed_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/embedded");
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    let mut found = BTreeSet::new();
    let mut hosts = 0;
    for path in all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("licences/") || rel.ends_with(".md") || rel.ends_with(".txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(kind) = HostKind::from_path(&rel, &text) else {
            continue;
        };
        let a = analyze(kind, &text, None, &Config::default(), &[]);
        if a.is_host {
            hosts += 1;
        }
        for d in a
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            let line = text[..d.range.start as usize].matches('\n').count() + 1;
            found.insert(format!("{rel}:{line} {}", d.rule.code));
        }
    }
    let listed: BTreeSet<String> = std::fs::read_to_string(root.join("reviewed-errors.txt"))
        .unwrap()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let unexpected: Vec<_> = found.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&found).collect();
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "unexpected errors: {unexpected:#?}\nlisted but not found: {missing:#?}"
    );
    assert!(hosts > 150, "only {hosts} files were read as hosts");
}
