//! `check -` and `check --fix -` (standard input), `check --format gitlab`, and `fmt` with the
//! `[format]` table of `.iam-policy-ls.toml` (docs/cli.md, docs/ci.md).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const BAD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:getobject", "Resource": "*"}]}"#;
const FIXED: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

const YAML: &str = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: allow\n            Action: s3:getobject\n            Resource: '*'\n";

fn yaml_fixed() -> String {
    YAML.replace("allow", "Allow")
        .replace("getobject", "GetObject")
}

fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "iam-policy-ls-stdin-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::canonicalize(&dir).unwrap()
}

/// Runs the binary in `dir` with `input` on standard input.
fn run(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-policy-ls"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit before reading everything (a usage error): ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Arguments, input, exit code, standard output, what standard error contains.
type Case = (
    &'static [&'static str],
    String,
    i32,
    Option<String>,
    &'static [&'static str],
);

/// Each case: arguments, input, exit code, standard output (exactly, or `None`: not checked),
/// what standard error must contain.
#[test]
fn check_fix_on_standard_input() {
    let dir = scratch("fix");
    let unsafe_input = BAD.replace("allow", "Alow");
    let cases: Vec<Case> = vec![
        // Safe fixes: stdout is the fixed text and nothing else; the report is on stderr.
        (
            &["check", "--fix", "-"],
            BAD.to_owned(),
            0,
            Some(FIXED.to_owned()),
            &[
                "fixed -: 2 fixes (1 \u{d7} A009 invalid-effect, 1 \u{d7} B003 action-case)",
                "1 file checked: 0 errors",
            ],
        ),
        // Findings left (a did-you-mean is not safe): the text is still complete, exit 1.
        (
            &["check", "--fix", "-"],
            unsafe_input.clone(),
            1,
            Some(unsafe_input.replace("s3:getobject", "s3:GetObject")),
            &["error[A009]", "--> -:1:"],
        ),
        (
            &["check", "--fix", "--unsafe-fixes", "-"],
            unsafe_input,
            0,
            Some(FIXED.to_owned()),
            &["A009 invalid-effect"],
        ),
        // Nothing to fix: the input comes back unchanged.
        (
            &["check", "--fix", "-"],
            FIXED.to_owned(),
            0,
            Some(FIXED.to_owned()),
            &["0 fixes applied in 0 files"],
        ),
        // A syntax error: nothing is fixed, the text comes back as it was.
        (
            &["check", "--fix", "-"],
            "{\"Statement\": [}".to_owned(),
            1,
            Some("{\"Statement\": [}".to_owned()),
            &["error[A001]"],
        ),
        // JSON report: on stderr, one document.
        (
            &["check", "--fix", "--format", "json", "-"],
            BAD.to_owned(),
            0,
            Some(FIXED.to_owned()),
            &["{\"files\":[", "\"path\":\"-\"", "\"code\":\"C014\""],
        ),
        // Errors: never a partial output.
        (
            &["check", "--fix", "-", "other.json"],
            BAD.to_owned(),
            2,
            Some(String::new()),
            &["cannot be combined with other paths"],
        ),
        // Without --fix: the report on stdout, as for files.
        (&["check", "-"], BAD.to_owned(), 1, None, &[]),
    ];
    for (args, input, code, stdout, stderr) in cases {
        let o = run(&dir, args, input.as_bytes());
        let (out, err) = (text(&o.stdout), text(&o.stderr));
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}\nstdout:\n{out}\nstderr:\n{err}"
        );
        if let Some(want) = stdout {
            assert_eq!(out, want, "{args:?}\nstderr:\n{err}");
        }
        for want in stderr {
            assert!(err.contains(want), "{args:?}: {want}\nstderr:\n{err}");
        }
    }
    let o = run(&dir, &["check", "-"], BAD.as_bytes());
    assert!(
        text(&o.stdout).contains("error[A009]"),
        "{}",
        text(&o.stdout)
    );
    // Not UTF-8, and a broken configuration: exit 2, stdout empty.
    let o = run(&dir, &["check", "--fix", "-"], b"{\"a\": \"\xff\"}");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("not valid UTF-8"),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(dir.join(".iam-policy-ls.toml"), "[rules]\nZ999 = \"off\"\n").unwrap();
    let o = run(&dir, &["check", "--fix", "-"], BAD.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("unknown rule `Z999`"),
        "{}",
        text(&o.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--stdin-filename` decides the configuration (looked up from its folder) and the name shown;
/// a template is fixed in its own syntax.
#[test]
fn stdin_filename_finds_the_configuration() {
    let dir = scratch("named");
    std::fs::create_dir_all(dir.join("policies/sub")).unwrap();
    std::fs::write(
        dir.join("policies/.iam-policy-ls.toml"),
        "[rules]\nA009 = \"off\"\n",
    )
    .unwrap();
    let o = run(
        &dir,
        &[
            "check",
            "--fix",
            "--stdin-filename",
            "policies/sub/p.json",
            "-",
        ],
        BAD.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // A009 is off there: only the action's case is fixed.
    assert_eq!(text(&o.stdout), BAD.replace("s3:getobject", "s3:GetObject"));
    assert!(
        text(&o.stderr).contains("fixed policies/sub/p.json: 1 fix (1 \u{d7} B003"),
        "{}",
        text(&o.stderr)
    );
    // From the policies folder itself, a bare name finds the configuration too.
    let o = run(&dir.join("policies"), &["check", "-"], BAD.as_bytes());
    assert!(!text(&o.stdout).contains("A009"), "{}", text(&o.stdout));
    let o = run(
        &dir,
        &["check", "--fix", "--stdin-filename", "template.yaml", "-"],
        YAML.as_bytes(),
    );
    assert_eq!(text(&o.stdout), yaml_fixed(), "{}", text(&o.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--format gitlab`: the Code Climate subset GitLab reads, with fingerprints that survive lines
/// moving (the baseline's) and differ between findings.
#[test]
fn gitlab_code_quality_report() {
    let dir = scratch("gitlab");
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    let policy = |top: &str| {
        format!(
            "{{{top}\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\"Effect\": \"allow\", \"Action\": [\"s3:GetObject\", \"s4:GetObject\"], \"Resource\": \"*\"}}\n  ]\n}}\n"
        )
    };
    std::fs::write(dir.join("policies/p.json"), policy("")).unwrap();
    let report = |dir: &Path| -> Vec<Value> {
        let o = run(dir, &["check", "--format", "gitlab", "policies"], b"");
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        serde_json::from_slice::<Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let first = report(&dir);
    let codes: Vec<&str> = first
        .iter()
        .filter_map(|i| i["check_name"].as_str())
        .collect();
    assert!(
        codes.contains(&"A009") && codes.contains(&"B001"),
        "{first:?}"
    );
    for issue in &first {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                issue[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key}: {issue}"
            );
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        assert_eq!(issue["location"]["path"], "policies/p.json", "{issue}");
        assert_eq!(issue["location"]["lines"]["begin"], 4, "{issue}");
    }
    let a009 = first.iter().find(|i| i["check_name"] == "A009").unwrap();
    assert_eq!(a009["severity"], "major");
    assert!(
        a009["description"].as_str().unwrap().contains("`Allow`"),
        "{a009}"
    );
    let mut prints: Vec<&str> = first
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), first.len(), "fingerprints are unique");
    // Lines moved: same fingerprints, new line numbers.
    std::fs::write(dir.join("policies/p.json"), policy("\n\n")).unwrap();
    let moved = report(&dir);
    let by_print = |r: &[Value]| -> Vec<String> {
        let mut v: Vec<String> = r
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(by_print(&first), by_print(&moved));
    assert!(
        moved.iter().all(|i| i["location"]["lines"]["begin"] == 6),
        "{moved:?}"
    );
    // Nothing found: an empty array (GitLab reads it as "no issues").
    std::fs::write(
        dir.join("policies/p.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    )
    .unwrap();
    let o = run(&dir, &["check", "--format", "gitlab", "policies"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<Value>(&o.stdout).unwrap(),
        serde_json::json!([])
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `fmt` reads `[format]` from the nearest `.iam-policy-ls.toml`; flags win over it; a bad key
/// is a configuration error (exit 2, the file untouched).
#[test]
fn fmt_takes_its_options_from_the_project_file() {
    let dir = scratch("fmtcfg");
    let ugly = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}]}";
    // (configuration, flags, expected start of the output)
    let cases: [(&str, &[&str], &str); 5] = [
        ("", &[], "{\n    \"Version\""),
        ("[format]\nindent-width = 2\n", &[], "{\n  \"Version\""),
        (
            "[format]\nindent-style = \"tab\"\n",
            &[],
            "{\n\t\"Version\"",
        ),
        (
            "[format]\nindent-width = 2\n",
            &["--indent", "3"],
            "{\n   \"Version\"",
        ),
        (
            "[format]\nindent-width = 2\ncompact-arrays = true\n",
            &[],
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],",
        ),
    ];
    for (config, flags, want) in cases {
        std::fs::write(dir.join(".iam-policy-ls.toml"), config).unwrap();
        std::fs::create_dir_all(dir.join("policies")).unwrap();
        let file = dir.join("policies/p.json");
        std::fs::write(&file, ugly).unwrap();
        let mut args = vec!["fmt"];
        args.extend(flags);
        args.push("policies/p.json");
        let o = run(&dir, &args, b"");
        assert_eq!(o.status.code(), Some(0), "{config}: {}", text(&o.stderr));
        let got = std::fs::read_to_string(&file).unwrap();
        assert!(got.starts_with(want), "{config} {flags:?}:\n{got}");
        // Standard input uses the working directory's configuration.
        let mut args = vec!["fmt"];
        args.extend(flags);
        args.push("-");
        let o = run(&dir, &args, ugly.as_bytes());
        assert!(
            text(&o.stdout).starts_with(want),
            "{config} stdin:\n{}",
            text(&o.stdout)
        );
    }
    std::fs::write(dir.join(".iam-policy-ls.toml"), "[format]\nindent = 2\n").unwrap();
    std::fs::write(dir.join("policies/p.json"), ugly).unwrap();
    for target in ["policies/p.json", "-"] {
        let o = run(&dir, &["fmt", target], ugly.as_bytes());
        assert_eq!(o.status.code(), Some(2), "{target}");
        assert!(
            text(&o.stderr).contains(".iam-policy-ls.toml: [format] unknown key `indent`"),
            "{target}: {}",
            text(&o.stderr)
        );
        if target == "-" {
            assert!(o.stdout.is_empty(), "{target}: {}", text(&o.stdout));
        }
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("policies/p.json")).unwrap(),
        ugly
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `fmt --stdin-filename PATH -` takes `[format]` from PATH's configuration and names PATH in
/// its messages; a template name gives the input back as it is; without `-` it is an error.
#[test]
fn fmt_stdin_filename_picks_the_configuration_and_the_name() {
    let dir = scratch("fmtname");
    std::fs::create_dir_all(dir.join("two")).unwrap();
    std::fs::write(
        dir.join("two/.iam-policy-ls.toml"),
        "[format]\nindent-width = 2\n",
    )
    .unwrap();
    let ugly = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    let o = run(
        &dir,
        &["fmt", "--stdin-filename", "two/p.json", "-"],
        ugly.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("{\n  \"Version\""),
        "{}",
        text(&o.stdout)
    );
    // Without the name: the working directory's (default) configuration.
    let o = run(&dir, &["fmt", "-"], ugly.as_bytes());
    assert!(
        text(&o.stdout).starts_with("{\n    \"Version\""),
        "{}",
        text(&o.stdout)
    );
    let o = run(
        &dir,
        &["fmt", "--check", "--stdin-filename", "two/p.json", "-"],
        ugly.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout).trim(), "would reformat: two/p.json");
    let o = run(
        &dir,
        &["fmt", "--stdin-filename", "two/p.json", "-"],
        b"{\"a\": ",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("error: two/p.json: not formatted"),
        "{}",
        text(&o.stderr)
    );
    let yaml = "Resources: {}\n";
    let o = run(
        &dir,
        &["fmt", "--stdin-filename", "t.yaml", "-"],
        yaml.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), yaml);
    assert!(
        text(&o.stderr).contains("note: t.yaml: not formatted"),
        "{}",
        text(&o.stderr)
    );
    let o = run(&dir, &["fmt", "--stdin-filename", "two/p.json", "two"], b"");
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `fmt` and `check --fix` keep the file's permissions.
#[cfg(unix)]
#[test]
fn rewritten_files_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("perm");
    let file = dir.join("p.json");
    for (args, content) in [
        (&["check", "--fix", "p.json"][..], BAD),
        (&["fmt", "p.json"][..], FIXED),
    ] {
        std::fs::write(&file, content).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let o = run(&dir, args, b"");
        assert!(
            o.status.code().is_some_and(|c| c < 2),
            "{args:?}: {}",
            text(&o.stderr)
        );
        assert_ne!(
            std::fs::read_to_string(&file).unwrap(),
            content,
            "{args:?}: not rewritten"
        );
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "{args:?}");
    }
    // A template fixed in place, through a symbolic link: the link stays a link, the file it
    // points to is rewritten and keeps its mode.
    let template = dir.join("real-template.yaml");
    std::fs::write(&template, YAML).unwrap();
    std::fs::set_permissions(&template, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(&template, dir.join("template.yaml")).unwrap();
    let o = run(&dir, &["check", "--fix", "template.yaml"], b"");
    assert!(
        o.status.code().is_some_and(|c| c < 2),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(&template).unwrap(), yaml_fixed());
    let link = std::fs::symlink_metadata(dir.join("template.yaml")).unwrap();
    assert!(link.file_type().is_symlink());
    let mode = std::fs::metadata(&template).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A template that changes on disk while `--fix` runs is not overwritten (exit 2).
#[test]
fn a_template_changed_while_fixing_is_not_overwritten() {
    let dir = scratch("race");
    let file = dir.join("template.yaml");
    std::fs::write(&file, YAML).unwrap();
    let edited = YAML.replace("Resource: '*'", "Resource: 'arn:aws:s3:::b/*'");
    let args = iam_policy_ls::cli::check::CheckArgs {
        format: iam_policy_ls::cli::check::Format::Text,
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
    let code = iam_policy_ls::cli::check::run_with(&args, &mut out, &mut err, &mut |p| {
        std::fs::write(p, &edited).unwrap();
    });
    assert_eq!(code, 2, "{}", text(&out));
    assert!(text(&err).contains("changed on disk"), "{}", text(&err));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "temporary file left"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
