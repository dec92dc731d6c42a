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
    let o = run(&["check", "server/hosts/tests/fixtures/main.tf"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(" --> server/hosts/tests/fixtures/main.tf:7:19"),
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

/// `file(...)` and `templatefile(...)` policy arguments: the file is checked as the argument's
/// policy type (a trust policy with `Resource`: F003) and resource kind (a bucket policy granting
/// `sqs:SendMessage`: F012); template values are placeholders; a file that cannot be read is a
/// note. `source_policy_documents` chains merge statements by `sid`.
#[test]
fn terraform_file_references_are_checked_with_the_argument_type() {
    let o = run(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/hosts-refs/main.tf",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let file = |suffix: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} not reported: {v}"))
    };
    // The errors of a file (hints such as C014 on `"*"` are not what this test is about).
    let codes = |f: &serde_json::Value| -> Vec<String> {
        f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let trust = file("policies/trust.json");
    assert_eq!(trust["policyType"], "trust", "{trust}");
    assert_eq!(codes(trust), ["F003"], "{trust}");
    let bucket = file("policies/bucket.json.tftpl");
    assert_eq!(bucket["policyType"], "resource", "{bucket}");
    assert_eq!(codes(bucket), ["F012"], "{bucket}");
    // The merged document: the own `Queue` statement replaced the source's, so its typo is the
    // one finding of the chain, and the source's `sqs:SendMessage` is gone.
    let main = file("main.tf");
    assert_eq!(codes(main), ["B002"], "{main}");
    assert!(
        stderr(&o).contains("policies/missing.json: skipped: read by tests/fixtures/hosts-refs/main.tf: aws_iam_policy.missing.policy, but no such file or directory"),
        "{}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn simulate_addresses_an_embedded_policy() {
    let sim = |policy: &str| {
        run(&[
            "simulate",
            "--policy",
            policy,
            "--action",
            "sqs:SendMessage",
            "--resource",
            "arn:aws:sqs:us-east-1:123456789012:q",
            "--principal",
            "arn:aws:iam::123456789012:user/alice",
            "--format",
            "json",
        ])
    };
    // The role holds a trust policy and one inline policy with two `Fn::If` alternatives.
    let o = sim("tests/fixtures/hosts/template.yaml#TaskRole");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the policy has 2 alternatives (`Fn::If`): name one with `#TaskRole/Policies/0/PolicyDocument@0`"),
        "{}",
        stderr(&o)
    );
    let o = sim("tests/fixtures/hosts/template.yaml#TaskRole/Policies/0@1");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["decision"], "Allow", "{v}");
    assert!(
        stderr(&o).contains("known only at deploy time"),
        "{}",
        stderr(&o)
    );
    let o = sim("tests/fixtures/hosts/template.yaml#Nope");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("no policy named `Nope`; the file holds:"),
        "{err}"
    );
    assert!(
        err.contains("tests/fixtures/hosts/template.yaml#TaskRole/AssumeRolePolicyDocument"),
        "{err}"
    );
    assert!(
        err.contains("tests/fixtures/hosts/template.yaml#Bad/PolicyDocument"),
        "{err}"
    );
    let o = sim("tests/fixtures/hosts-refs/main.tf#data.aws_iam_policy_document.combined");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The `Queue` statement of the source was replaced by one with a misspelt action.
    assert_eq!(v["decision"], "ImplicitDeny", "{v}");
    let o = sim("tests/fixtures/hosts/workflow.yaml#Job");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("and this file is neither"),
        "{}",
        stderr(&o)
    );
}

/// `test` runs `<name>.tests.json` against the template `<name>.yaml` beside it; each test names
/// its policy with `"policy"` (the address `simulate` takes), and gets the type of its place.
#[test]
fn policy_tests_address_embedded_policies() {
    let o = run(&["test", "tests/fixtures/hosts-tests/app.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stdout(&o),
        "tests/fixtures/hosts-tests/app.tests.json (against tests/fixtures/hosts-tests/app.yaml)\n\
         \x20 PASS  the role reads objects (Allow)\n\
         \x20 PASS  the role's identity policy is picked by type when the resource holds two (ImplicitDeny)\n\
         \x20 PASS  the trust policy lets Lambda assume the role (Allow)\n\
         \x20 PASS  the bucket refuses plain HTTP (ExplicitDeny)\n\
         4 passed, 0 failed\n"
    );

    // A test without `policy` runs against the template's only policy of its type (identity by
    // default), as `simulate` picks; a name that matches nothing, and `policy` in the tests of a
    // plain policy file, are errors on that test (exit 2).
    let dir = std::env::temp_dir().join(format!("iam-embedded-tests-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::copy(
        root.join("tests/fixtures/hosts-tests/app.yaml"),
        dir.join("app.yaml"),
    )
    .unwrap();
    let request = r#""request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::app-bucket/k"}, "expect": "Allow""#;
    std::fs::write(
        dir.join("app.tests.json"),
        format!(r#"[{{"name": "unnamed", {request}}}, {{"name": "missing", "policy": "Nope", {request}}}]"#),
    )
    .unwrap();
    std::fs::write(
        dir.join("plain.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("plain.tests.json"),
        format!(r#"[{{"name": "addressed", "policy": "AppRole", {request}}}]"#),
    )
    .unwrap();
    let o = run(&["test", dir.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{}{err}", stdout(&o));
    assert!(
        stdout(&o).contains("PASS  unnamed (Allow)"),
        "{}",
        stdout(&o)
    );
    assert!(err.contains("#AppRole/Policies/0/PolicyDocument"), "{err}");
    assert!(
        err.contains("test `missing`: ") && err.contains("no policy named `Nope`"),
        "{err}"
    );
    assert!(
        err.contains("test `addressed`: `policy` names a policy inside a template"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
