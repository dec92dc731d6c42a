//! Properties of the host layer.
//! 1. A JSON template whose policy is a plain JSON document gives the same findings (code,
//!    message, text pointed at) as the document checked on its own.
//! 2. Any edit of a template (random bytes inserted or removed) never panics, and every mapped
//!    range lies inside the host on character boundaries.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use iam_hosts::{HostKind, analyze};
use iam_validate::config::Config;
use iam_validate::{Options, PolicyType};
use proptest::prelude::*;

fn findings(text: &str, diags: &[iam_validate::Diagnostic]) -> BTreeSet<(String, String, String)> {
    diags
        .iter()
        .map(|d| {
            (
                d.rule.code.to_owned(),
                d.message.clone(),
                text[d.range.start as usize..d.range.end as usize].to_owned(),
            )
        })
        .collect()
}

#[test]
fn embedded_plain_json_policies_give_the_same_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/managed/policies");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    // Every 16th managed policy (about 100), and the broken corpus for findings of every kind.
    let mut files: Vec<_> = names.into_iter().step_by(16).collect();
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/broken");
    let mut b: Vec<_> = std::fs::read_dir(&broken)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    b.sort();
    files.extend(b);
    let mut compared = 0;
    for path in files {
        let raw = std::fs::read_to_string(&path).unwrap();
        // Broken-corpus files: header lines (`// message:`, `// type:`) and `$0` range markers.
        let body: Vec<&str> = raw.lines().skip_while(|l| l.starts_with("// ")).collect();
        let policy = body.join("\n").replace("$0", "");
        if raw.contains("// type: ")
            || !iam_syntax::parse(&policy, iam_syntax::ParseOptions::STRICT)
                .errors()
                .is_empty()
        {
            continue;
        }
        let alone = iam_validate::analyze(
            &policy,
            &Options {
                policy_type: Some(PolicyType::Identity),
                lenient: false,
            },
        );
        let template = format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"P\": {{\"Type\": \"AWS::IAM::ManagedPolicy\", \"Properties\": {{\"PolicyDocument\": {policy}}}}}}}}}"
        );
        let hosted = analyze(HostKind::Json, &template, None, &Config::default(), &[]);
        assert_eq!(hosted.policies.len(), 1, "{}", path.display());
        let a = findings(&policy, &alone.diagnostics);
        let h = findings(&template, &hosted.diagnostics);
        assert_eq!(a, h, "{}", path.display());
        compared += 1;
    }
    assert!(compared > 100, "{compared}");
}

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn edits_never_break_the_mapping(file in 0usize..64, at in 0usize..100_000, cut in 0usize..12, insert in "[ -~\n\"'{}\\[\\]:$!é]{0,6}") {
        let all = fixtures();
        let (name, text) = &all[file % all.len()];
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) { at -= 1; }
        let mut end = (at + cut).min(text.len());
        while !text.is_char_boundary(end) { end += 1; }
        let edited = format!("{}{}{}", &text[..at], insert, &text[end..]);
        let kind = HostKind::from_path(name, &edited).unwrap();
        let a = analyze(kind, &edited, None, &Config::default(), &[]);
        for d in &a.diagnostics {
            prop_assert!(d.range.start <= d.range.end && d.range.end as usize <= edited.len());
            prop_assert!(edited.is_char_boundary(d.range.start as usize) && edited.is_char_boundary(d.range.end as usize));
            for f in &d.fixes {
                for e in &f.edits {
                    prop_assert!(edited.get(e.range.start as usize..e.range.end as usize).is_some());
                }
            }
        }
    }
}
