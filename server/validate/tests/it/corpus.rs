//! The broken-policy corpus (`tests/corpus/broken/`): each file has one problem. The file name
//! starts with the expected rule code; pairs of `$0` mark the expected range(s) and are removed
//! before analysis. Header lines set the policy type (`// type: <policy type>`), the kind of
//! resource it is attached to (`// resource-kind: AWS::S3::Bucket`) and give the
//! expected message of each finding, in range order (`// message: <text>`; a multi-line message
//! continues on `// | ` lines). The test asserts that the rule fires exactly at the marked
//! ranges with exactly those messages, and that no other rule fires.
//!
//! `IAM_BLESS=1 cargo test -p iam-validate --test it corpus` rewrites the `// message:` lines
//! from what the analysis says, for review in the diff (after a deliberate message change).

use std::path::Path;

use iam_policy::resource_kind::{self, ResourceKind};
use iam_validate::config::Config;
use iam_validate::{Options, PolicyType, analyze_with_config};

/// A corpus file: its header directives and the policy text with its markers.
struct Fixture {
    policy_type: Option<PolicyType>,
    resource_kind: Option<&'static ResourceKind>,
    messages: Vec<String>,
    body: String,
}

fn read_fixture(raw: &str) -> Fixture {
    let mut policy_type = None;
    let mut kind = None;
    let mut messages: Vec<String> = Vec::new();
    let mut rest = raw;
    while let Some(line_end) = rest.strip_prefix("// ").map(|_| rest.find('\n')) {
        let end = line_end.unwrap_or(rest.len());
        let line = &rest[3..end];
        if let Some(t) = line.strip_prefix("type: ") {
            policy_type = Some(PolicyType::parse(t.trim()).expect("policy type"));
        } else if let Some(k) = line.strip_prefix("resource-kind: ") {
            kind = Some(resource_kind::find(k).expect("resource kind"));
        } else if let Some(m) = line.strip_prefix("message: ") {
            messages.push(m.to_owned());
        } else if let Some(m) = line.strip_prefix("| ") {
            let last = messages
                .last_mut()
                .expect("`// |` continues a `// message:`");
            last.push('\n');
            last.push_str(m);
        } else {
            panic!("unknown directive `// {line}`");
        }
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    Fixture {
        policy_type,
        resource_kind: kind,
        messages,
        body: rest.to_owned(),
    }
}

/// The header of a fixture with these messages.
fn header(fixture: &Fixture, messages: &[String]) -> String {
    let mut out = String::new();
    if let Some(t) = fixture.policy_type {
        out.push_str(&format!("// type: {}\n", t.as_str()));
    }
    if let Some(k) = fixture.resource_kind {
        out.push_str(&format!("// resource-kind: {}\n", k.name));
    }
    for m in messages {
        let mut lines = m.split('\n');
        out.push_str(&format!(
            "// message: {}\n",
            lines.next().unwrap_or_default()
        ));
        for l in lines {
            out.push_str(&format!("// | {l}\n"));
        }
    }
    out
}

#[test]
fn broken_corpus() {
    let bless = std::env::var_os("IAM_BLESS").is_some();
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
        let fixture = read_fixture(&raw);
        let (text, expected) = iam_test_support::ranges(&fixture.body);
        let expected: Vec<(u32, u32)> = expected.iter().map(|r| (r.start, r.end)).collect();
        let config = Config {
            resource_kind: fixture.resource_kind,
            ..Config::default()
        };
        let analysis = analyze_with_config(
            &text,
            &Options {
                policy_type: fixture.policy_type,
                ..Options::default()
            },
            &config,
            &[],
        );
        let mut found: Vec<(u32, u32, String)> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code() == code)
            .map(|d| (d.range.start, d.range.end, d.message.clone()))
            .collect();
        found.sort();
        found.dedup();
        let got: Vec<(u32, u32)> = found.iter().map(|(s, e, _)| (*s, *e)).collect();
        let messages: Vec<String> = found.into_iter().map(|(_, _, m)| m).collect();
        if bless && messages != fixture.messages {
            let blessed = header(&fixture, &messages) + &fixture.body;
            std::fs::write(&path, blessed).expect("write blessed fixture");
        } else if messages != fixture.messages {
            failures.push(format!(
                "{name}: expected messages {:?}, got {messages:?} (IAM_BLESS=1 rewrites them)",
                fixture.messages
            ));
        }
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

/// Every rule of the registry has a fixture in the corpus, except the policy-test rules (group
/// T), which fire on `<name>.tests.json` files and are covered by the server's and the CLI's
/// policy-test tests.
#[test]
fn every_rule_has_a_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/broken");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let missing: Vec<&str> = iam_policy::diagnostic::rules::ALL
        .iter()
        .map(|r| r.code)
        .filter(|code| !code.starts_with('T'))
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
    let missing: Vec<&str> = iam_policy::diagnostic::rules::ALL
        .iter()
        .filter(|r| !doc.contains(&format!("`{}`", r.code)) || !doc.contains(r.name))
        .map(|r| r.code)
        .collect();
    assert!(
        missing.is_empty(),
        "rules missing from docs/diagnostics.md: {missing:?}"
    );
}
