//! Snapshot tests over `tests/fixtures`: for each host document, the virtual policies (site,
//! type, text) and every finding with the host text it points at.

#![allow(clippy::unwrap_used)]

use std::fmt::Write;
use std::path::Path;

use iam_hosts::{HostKind, analyze};
use iam_validate::config::Config;

fn render(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let kind = HostKind::from_path(name, &text).unwrap();
    let a = analyze(kind, &text, None, &Config::default(), &[]);
    let mut out = String::new();
    writeln!(out, "host: {}", a.is_host).unwrap();
    for p in &a.policies {
        writeln!(
            out,
            "--- {} [{}] {} variant {} kind {:?}",
            p.doc.name(),
            p.doc.site.resource_type,
            p.analysis.policy_type.as_str(),
            p.doc.variant,
            p.doc.site.resource_kind
        )
        .unwrap();
        writeln!(out, "{}", p.doc.text).unwrap();
        for ph in &p.doc.map.placeholders {
            writeln!(
                out,
                "  placeholder {:?} = {:?}",
                &text[ph.host.start as usize..ph.host.end as usize],
                ph.what
            )
            .unwrap();
        }
    }
    writeln!(out, "=== findings").unwrap();
    for d in &a.diagnostics {
        let at = &text[d.range.start as usize..d.range.end as usize];
        writeln!(
            out,
            "{} {:?} {:?}: {}",
            d.rule.code, d.severity, at, d.message
        )
        .unwrap();
        for f in &d.fixes {
            for e in &f.edits {
                writeln!(
                    out,
                    "  fix {:?}: {:?} -> {:?}",
                    f.title,
                    &text[e.range.start as usize..e.range.end as usize],
                    e.new_text
                )
                .unwrap();
            }
        }
    }
    out
}

macro_rules! snap {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(render($file));
        }
    };
}

snap!(intrinsics_yaml, "intrinsics.yaml");
snap!(json_string_policies, "jsonstring.yaml");
snap!(lookalikes_are_ignored, "lookalikes.yaml");
snap!(json_template, "template.json");
snap!(broken_yaml_keeps_the_rest, "broken.yaml");
snap!(not_a_template, "notatemplate.yaml");

/// Every exact segment copies its host text byte for byte, and every mapped range lies inside
/// the host on character boundaries.
#[test]
fn exact_segments_copy_host_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(kind) = HostKind::from_path(&name, &text) else {
            continue;
        };
        let ex = iam_hosts::extract(kind, &text);
        for doc in &ex.docs {
            for s in &doc.map.segments {
                let v = &doc.text[s.virt.start as usize..s.virt.end as usize];
                let h = text.get(s.host.start as usize..s.host.end as usize);
                assert!(
                    h.is_some(),
                    "{name}: host range {:?} off boundaries",
                    s.host
                );
                if s.exact {
                    assert_eq!(Some(v), h, "{name}: exact segment differs");
                }
            }
            for i in 0..=doc.text.len() as u32 {
                let r = doc.map.map_range(iam_syntax::TextRange::new(i, i));
                assert!(text.is_char_boundary(r.start as usize), "{name}");
            }
        }
    }
}

/// The host-syntax fixtures of the broken corpus (`tests/corpus/broken/*.yaml|tf`): the rule of
/// the file name fires exactly at the marked ranges and no other rule fires.
#[test]
fn broken_host_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/broken");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            continue;
        }
        let raw = std::fs::read_to_string(&path).unwrap();
        let Some(kind) = HostKind::from_path(&name, &raw) else {
            continue;
        };
        count += 1;
        let (text, ranges) = iam_test_support::ranges(&raw);
        let expected: Vec<(u32, u32)> = ranges.iter().map(|r| (r.start, r.end)).collect();
        let a = analyze(kind, &text, None, &Config::default(), &[]);
        let code = &name[..4];
        let got: Vec<(u32, u32)> = a
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == code)
            .map(|d| (d.range.start, d.range.end))
            .collect();
        let others: Vec<String> = a
            .diagnostics
            .iter()
            .filter(|d| d.rule.code != code)
            .map(|d| format!("{} {}", d.rule.code, d.message))
            .collect();
        assert_eq!(got, expected, "{name}");
        assert!(others.is_empty(), "{name}: {others:?}");
    }
    assert!(count > 0);
}
snap!(terraform, "main.tf");
snap!(broken_terraform_keeps_other_blocks, "broken.tf");
snap!(sam_policies, "sam.yaml");
snap!(resource_kinds, "resourcekinds.yaml");
snap!(terraform_chains, "chains.tf");
