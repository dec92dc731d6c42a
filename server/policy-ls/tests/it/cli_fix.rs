//! `check --fix`, `fmt`, baselines, completions and man pages: the linter conventions of the
//! command line (docs/cli.md).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use iam_policy_ls::cli;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "iam-policy-ls-it-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run iam-policy-ls")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every case of `tests/fixtures/fix/<case>/`: `before.<ext>` fixed with `check --fix` (plus the
/// flags in `args`) must become `after.<ext>` byte for byte, and a second run must change
/// nothing. `UPDATE_FIXTURES=1` writes the `after` files (review the diff).
#[test]
fn fix_fixtures_before_and_after() {
    let cases = root().join("tests/fixtures/fix");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for case in entries {
        let before = std::fs::read_dir(&case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_stem().is_some_and(|s| s == "before"))
            .unwrap_or_else(|| panic!("{}: no before.* file", case.display()));
        let ext = before.extension().unwrap().to_string_lossy().into_owned();
        let after = case.join(format!("after.{ext}"));
        let extra = std::fs::read_to_string(case.join("args")).unwrap_or_default();
        let dir = scratch("fix");
        let file = dir.join(format!("policy.{ext}"));
        std::fs::copy(&before, &file).unwrap();
        let mut args = vec!["check", "--fix"];
        args.extend(extra.split_whitespace());
        let name = format!("policy.{ext}");
        args.push(&name);
        let o = run_in(&dir, &args);
        let fixed = std::fs::read_to_string(&file).unwrap();
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&after, &fixed).unwrap();
        }
        let expected = std::fs::read_to_string(&after)
            .unwrap_or_else(|_| panic!("{}: missing (UPDATE_FIXTURES=1)", after.display()));
        assert_eq!(
            fixed,
            expected,
            "{}\nstdout:\n{}\nstderr:\n{}",
            case.display(),
            text(&o.stdout),
            text(&o.stderr)
        );
        assert!(
            text(&o.stdout).contains("fixed policy."),
            "{}: {}",
            case.display(),
            text(&o.stdout)
        );
        // A fixed point: nothing left to fix.
        let again = run_in(&dir, &args);
        assert!(
            text(&again.stdout).contains("0 fixes applied in 0 files"),
            "{}: {}",
            case.display(),
            text(&again.stdout)
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "temporary files left: {leftovers:?}");
        seen += 1;
    }
    assert!(seen >= 3, "fix cases: {seen}");
}

/// What the safe fixes leave is reported and decides the exit code; unsafe fixes need `--fix`.
#[test]
fn fix_exit_codes() {
    let dir = scratch("exit");
    std::fs::write(
        dir.join("p.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:getobject", "Resource": "*"}]}"#,
    )
    .unwrap();
    let o = run_in(&dir, &["check", "p.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let o = run_in(&dir, &["check", "--fix", "p.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(
        text(&o.stdout).contains(
            "fixed p.json: 2 fixes (1 \u{d7} A009 invalid-effect, 1 \u{d7} B003 action-case)"
        ),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("p.json")).unwrap(),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#
    );
    let o = run_in(&dir, &["check", "--unsafe-fixes", "p.json"]);
    assert_eq!(o.status.code(), Some(2));
    // With JSON output, stdout stays one JSON object; the summary goes to stderr.
    let o = run_in(&dir, &["check", "--fix", "--format", "json", "p.json"]);
    assert_eq!(o.status.code(), Some(0));
    serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("one JSON object");
    assert!(
        text(&o.stderr).contains("0 fixes applied"),
        "{}",
        text(&o.stderr)
    );
}

/// A file that changes on disk between reading and writing is not overwritten.
#[test]
fn a_file_changed_while_fixing_is_not_overwritten() {
    let dir = scratch("race");
    let file = dir.join("p.json");
    std::fs::write(
        &file,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    )
    .unwrap();
    let edited = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    let args = cli::check::CheckArgs {
        format: cli::check::Format::Text,
        policy_type: None,
        lenient: false,
        fix: true,
        unsafe_fixes: false,
        write_baseline: None,
        baseline: None,
        stdin_filename: None,
        paths: vec![file.clone()],
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut hooked = 0;
    let code = cli::check::run_with(&args, &mut out, &mut err, &mut |p| {
        hooked += 1;
        std::fs::write(p, edited).unwrap();
    });
    assert_eq!(hooked, 1);
    assert_eq!(code, 2, "{}", text(&out));
    assert!(text(&err).contains("changed on disk"), "{}", text(&err));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "temporary file left"
    );
    // `fmt` refuses the same way.
    std::fs::write(&file, "{\"Statement\": []}").unwrap();
    let fmt = cli::fmt::FmtArgs {
        check: false,
        indent: Some(4),
        tabs: false,
        compact_arrays: false,
        lenient: false,
        stdin_filename: None,
        paths: vec![file.clone()],
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::fmt::run_with(&fmt, &mut std::io::empty(), &mut out, &mut err, &mut |p| {
        std::fs::write(p, "{}").unwrap();
    });
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{}");
}

#[test]
fn fmt_check_lists_files_and_fmt_rewrites_them() {
    let dir = scratch("fmt");
    let ugly = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}\n";
    std::fs::write(dir.join("ugly.json"), ugly).unwrap();
    std::fs::write(dir.join("broken.json"), "{\"Statement\": [}").unwrap();
    std::fs::write(dir.join("notes.json"), "{\"a\":1}").unwrap();
    std::fs::copy(
        root().join("tests/fixtures/hosts/template.yaml"),
        dir.join("template.yaml"),
    )
    .unwrap();
    let o = run_in(&dir, &["fmt", "--check", "ugly.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("would reformat: ugly.json"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("ugly.json")).unwrap(),
        ugly
    );
    // A directory: policies only; `notes.json` is not a policy and is left alone.
    let o = run_in(&dir, &["fmt", "."]);
    assert_eq!(o.status.code(), Some(2), "broken.json: {}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("syntax errors"),
        "{}",
        text(&o.stderr)
    );
    let pretty = std::fs::read_to_string(dir.join("ugly.json")).unwrap();
    assert!(pretty.contains("\n    \"Statement\": ["), "{pretty}");
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.json")).unwrap(),
        "{\"a\":1}"
    );
    let o = run_in(&dir, &["fmt", "--check", "ugly.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // Templates are never rewritten.
    let o = run_in(&dir, &["fmt", "template.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stderr).contains("note: template.yaml: skipped"),
        "{}",
        text(&o.stderr)
    );
    // Standard input to standard output.
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .args(["fmt", "--indent", "2", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(ugly.as_bytes())
            .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stdout).starts_with("{\n  \"Version\": \"2012-10-17\",\n"),
        "{}",
        text(&o.stdout)
    );
}

/// Formatting is idempotent on every AWS managed policy, and changes no value.
#[test]
fn fmt_is_idempotent_on_the_managed_policies() {
    let dir = root().join("tests/corpus/managed/policies");
    let options = iam_ide::FormatOptions::default();
    let strict = iam_syntax::ParseOptions::STRICT;
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let original = std::fs::read_to_string(&path).unwrap();
        let once = cli::fmt::format_text(&original, &options, strict)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .unwrap_or(original);
        let twice = cli::fmt::format_text(&once, &options, strict).unwrap();
        assert_eq!(twice, None, "{}: not idempotent", path.display());
        n += 1;
    }
    assert!(n > 1000, "{n} managed policies");
}

#[test]
fn baseline_hides_recorded_findings_even_when_lines_move() {
    let dir = scratch("baseline");
    let policy = |extra_top: &str, extra_statement: &str| {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",{extra_top}\n  \"Statement\": [\n    {{\"Sid\": \"One\", \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}},{extra_statement}\n    {{\"Effect\": \"Allow\", \"Action\": \"s4:GetObject\", \"Resource\": \"*\"}}\n  ]\n}}\n"
        )
    };
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    std::fs::write(dir.join("policies/p.json"), policy("", "")).unwrap();
    let o = run_in(
        &dir,
        &["check", "--write-baseline", "baseline.json", "policies"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(b["version"], 1);
    let findings = b["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f["file"] == "policies/p.json"),
        "{b}"
    );
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(
        codes.contains(&"A009") && codes.contains(&"B001"),
        "{codes:?}"
    );
    // Lines moved (a statement inserted above the second finding, blank lines at the top):
    // still nothing new.
    let moved = policy(
        "\n\n",
        "\n    {\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"},",
    );
    std::fs::write(dir.join("policies/p.json"), &moved).unwrap();
    let o = run_in(&dir, &["check", "--baseline", "baseline.json", "policies"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("0 errors"), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("recorded in the baseline"),
        "{}",
        text(&o.stderr)
    );
    // From another directory, the paths are still relative to the baseline's folder.
    let o = run_in(
        &dir.join("policies"),
        &["check", "--baseline", "../baseline.json", "p.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // A new finding (a second `allow` in another statement) is reported and fails the run.
    let new = moved.replace(
        "{\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\"",
        "{\"Effect\": \"allow\", \"Action\": \"s3:ListBucket\"",
    );
    std::fs::write(dir.join("policies/p.json"), &new).unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            "policies",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{v}");
    assert_eq!(diags[0]["code"], "A009");
    assert_eq!(diags[0]["range"]["start"]["line"], 6, "{v}");
    // A baseline that is not one is a usage error.
    std::fs::write(dir.join("bad.json"), "[]").unwrap();
    let o = run_in(&dir, &["check", "--baseline", "bad.json", "policies"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn completions_name_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run_in(&root(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = text(&o.stdout);
        for command in [
            "check",
            "fmt",
            "simulate",
            "compare",
            "explain",
            "catalog",
            "completions",
        ] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
    }
    let o = run_in(&root(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_pages_are_written() {
    let dir = scratch("man");
    let o = run_in(&root(), &["manpages", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let top = std::fs::read_to_string(dir.join("iam-policy-ls.1")).unwrap();
    assert!(top.starts_with(".ie") || top.contains(".TH"), "{top}");
    assert!(top.contains("check"), "{top}");
    let check = std::fs::read_to_string(dir.join("iam-policy-ls-check.1")).unwrap();
    assert!(check.contains("unsafe\\-fixes"), "{check}");
}
