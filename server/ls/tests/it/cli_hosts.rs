//! `check` on CloudFormation templates and Terraform files, through the built binary.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .args(args)
        .output()
        .expect("run iam-policy-ls")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn template_findings_are_at_host_positions() {
    let o = run(&["check", "tests/fixtures/hosts/template.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("error[B002]: `s3` has no action `GetObjekt`"),
        "{out}"
    );
    assert!(
        out.contains(" --> tests/fixtures/hosts/template.yaml:24:21"),
        "{out}"
    );
    assert!(
        out.contains("24 |                   - s3:GetObjekt"),
        "{out}"
    );
    assert!(out.contains("error[A009]"), "{out}");
    // Placeholders (`!GetAtt`, `${Bucket}`, `!ImportValue`) are never findings.
    assert!(!out.contains("C0"), "{out}");
    assert!(out.contains("1 file checked: 2 errors"), "{out}");
}

#[test]
fn json_and_sarif_keep_their_shape() {
    let o = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/hosts/template.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["path"], "tests/fixtures/hosts/template.yaml");
    assert_eq!(file["policyType"], "embedded");
    let d = &file["diagnostics"][0];
    assert_eq!(d["code"], "B002");
    assert_eq!(d["range"]["start"]["line"], 23);
    assert_eq!(d["range"]["start"]["character"], 20);
    assert_eq!(d["range"]["end"]["character"], 32);
    let o = run(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/hosts/template.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "B002");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        24
    );
}

#[test]
fn a_named_file_without_policies_is_skipped_with_one_line() {
    let o = run(&["check", "tests/fixtures/hosts/workflow.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(
            "tests/fixtures/hosts/workflow.yaml: skipped: not a CloudFormation or SAM template"
        ),
        "{err}"
    );
    assert!(stdout(&o).contains("0 files checked"), "{}", stdout(&o));
}

#[test]
fn directories_find_templates_and_leave_other_yaml_out() {
    let o = run(&["check", "--format", "json", "tests/fixtures/hosts"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"tests/fixtures/hosts/template.yaml"),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.ends_with("workflow.yaml")),
        "{paths:?}"
    );
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn yaml_syntax_error_is_one_finding_and_the_rest_is_checked() {
    let o = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/hosts/broken.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["I001"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn terraform_findings_are_at_host_positions() {
    let o = run(&["check", "tests/fixtures/hosts/main.tf"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(" --> tests/fixtures/hosts/main.tf:7:19"),
        "{out}"
    );
    assert!(out.contains("error[A009]"), "{out}");
    // A look-alike (IoT policy) gets no IAM finding.
    assert!(!out.contains("iot:Nope"), "{out}");
    let o = run(&["check", "tests/fixtures/hosts/variables.tf"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("skipped: no policy-bearing argument"),
        "{}",
        stderr(&o)
    );
}
