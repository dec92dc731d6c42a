//! `iam-policy-ls test PATH...`: run sidecar policy tests (`<name>.tests.json` beside
//! `<name>.json`, or beside a template or Terraform file `<name>.yaml`/`.yml`/`.template`/`.tf`,
//! whose tests name their policy with `"policy": "<address>"`) and print a pass/fail summary.
//! Exit 0 when all pass, 1 when any fails, 2 on bad input (unreadable files, syntax errors,
//! malformed test entries, no tests found).

use std::io::Write;
use std::path::{Path, PathBuf};

use iam_eval::{PolicyType, TestOutcome, run_sidecar_tests_checked, run_sidecar_tests_resolved};

use super::simulate::{located, read};

#[derive(Clone, Debug, Default, clap::Args)]
pub struct TestArgs {
    /// Tests files (`*.tests.json`), policy, template or Terraform files with a sidecar beside
    /// them, or directories (searched recursively for `*.tests.json`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print the full explanation for passing tests too.
    #[arg(long)]
    pub verbose: bool,
}

const TESTS_SUFFIX: &str = ".tests.json";

fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Extensions of the files a tests file may run against, in the order they are looked for.
const POLICY_EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template", "tf"];

/// The tests file for `path` (itself, or the sidecar beside a policy, template or Terraform
/// file).
fn tests_file_for(path: &Path) -> Option<PathBuf> {
    let name = file_name(path);
    if name.ends_with(TESTS_SUFFIX) {
        return Some(path.to_path_buf());
    }
    let stem = POLICY_EXTENSIONS
        .iter()
        .find_map(|x| name.strip_suffix(&format!(".{x}")))?;
    Some(path.with_file_name(format!("{stem}{TESTS_SUFFIX}")))
}

/// The file a tests file runs against: `<name>.json`, else the first of `<name>.yaml`, `.yml`,
/// `.template` and `.tf` that exists (`<name>.json` when none does, for the error message).
fn policy_file_for(tests: &Path) -> Option<PathBuf> {
    let stem = file_name(tests).strip_suffix(TESTS_SUFFIX)?;
    let candidate = |x: &str| tests.with_file_name(format!("{stem}.{x}"));
    Some(
        POLICY_EXTENSIONS
            .iter()
            .map(|x| candidate(x))
            .find(|p| p.is_file())
            .unwrap_or_else(|| candidate("json")),
    )
}

/// Runs the tests of `tests_text` against the file `policy_path`: a policy file, or a template
/// or Terraform file whose tests name their policy.
fn run_against(
    policy_path: &Path,
    policy_text: &str,
    tests_text: &str,
) -> Result<Vec<TestOutcome>, iam_eval::SidecarError> {
    let name = policy_path.to_string_lossy();
    // The host is extracted once; each test then selects its policy among the documents.
    let docs = match iam_hosts::HostKind::from_path(&name, policy_text)
        .map(|k| iam_hosts::extract(k, policy_text))
    {
        Some(ex) if ex.is_host => ex.docs,
        _ => return run_sidecar_tests_checked(policy_text, tests_text),
    };
    let resolve = |address: Option<&str>, given: Option<PolicyType>| {
        iam_hosts::select_policy_in(&name, &docs, address, given.unwrap_or(PolicyType::Identity))
            .map(|e| (e.policy, e.policy_type))
            .map_err(|e| {
                format!("{e}\n(name the policy with \"policy\": \"<address>\" in the test)")
            })
    };
    run_sidecar_tests_resolved(&resolve, tests_text)
}

fn find_tests(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = file_name(&p);
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                find_tests(&p, out, depth + 1);
            }
        } else if name.ends_with(TESTS_SUFFIX) {
            out.push(p);
        }
    }
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// Runs `test`; returns the exit code.
pub fn run(args: &TestArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut bad_input = false;
    let mut files = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            let before = files.len();
            find_tests(path, &mut files, 0);
            if files.len() == before {
                let _ = writeln!(
                    err,
                    "error: {}: no *{TESTS_SUFFIX} files found",
                    path.display()
                );
                bad_input = true;
            }
        } else {
            match tests_file_for(path) {
                Some(t) if t.is_file() => files.push(t),
                Some(t) => {
                    let _ = writeln!(err, "error: {}: no such tests file", t.display());
                    bad_input = true;
                }
                None => {
                    let _ = writeln!(
                        err,
                        "error: {}: expected a policy (*.json), template (*.yaml, *.yml, *.template), Terraform (*.tf) or *{TESTS_SUFFIX} file",
                        path.display()
                    );
                    bad_input = true;
                }
            }
        }
    }
    files.dedup();
    let (mut passed, mut failed) = (0usize, 0usize);
    for tests_path in &files {
        let Some(policy_path) = policy_file_for(tests_path) else {
            continue;
        };
        let (policy_text, tests_text) = match (read(&policy_path), read(tests_path)) {
            (Ok(p), Ok(t)) => (p, t),
            (Err(e), _) | (_, Err(e)) => {
                let _ = writeln!(err, "error: {e}");
                bad_input = true;
                continue;
            }
        };
        let outcomes = match run_against(&policy_path, &policy_text, &tests_text) {
            Ok(o) => o,
            Err(e) => {
                let (path, text) = if e.file == "policy" {
                    (&policy_path, &policy_text)
                } else {
                    (tests_path, &tests_text)
                };
                let _ = writeln!(err, "error: {}", located(path, text, e.range, &e.message));
                bad_input = true;
                continue;
            }
        };
        let _ = writeln!(
            out,
            "{} (against {})",
            tests_path.display(),
            policy_path.display()
        );
        for o in &outcomes {
            if let Some((message, range)) = &o.error {
                let _ = writeln!(
                    err,
                    "error: {}",
                    located(
                        tests_path,
                        &tests_text,
                        *range,
                        &format!("test `{}`: {message}", o.name)
                    )
                );
                bad_input = true;
                failed += 1;
                let _ = writeln!(out, "  ERROR {}", o.name);
                continue;
            }
            let expected = o.expected.map_or("?", |d| d.as_str());
            let actual = o.actual.map_or("?", |d| d.as_str());
            if o.passed() {
                passed += 1;
                let _ = writeln!(out, "  PASS  {} ({actual})", o.name);
                if args.verbose {
                    let _ = write!(out, "{}", indent(&o.explanation, "        "));
                }
            } else {
                failed += 1;
                let line = {
                    let idx = iam_syntax::LineIndex::new(&tests_text);
                    idx.line_col_utf8(&tests_text, o.name_range.start).line + 1
                };
                let _ = writeln!(
                    out,
                    "  FAIL  {} (line {line}): expected {expected}, got {actual}",
                    o.name
                );
                let _ = write!(out, "{}", indent(&o.explanation, "        "));
            }
        }
    }
    if files.is_empty() && !bad_input {
        let _ = writeln!(err, "error: no tests found");
        bad_input = true;
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    if bad_input {
        2
    } else if failed > 0 {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_to_strings(args: &TestArgs) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(args, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn runs_sidecars_and_reports() {
        let dir = std::env::temp_dir().join(format!("iam-test-cmd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(
            dir.join("p.json"),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Get","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
        )
        .expect("write");
        let ok = r#"[{"name":"get","request":{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"expect":"Allow"},
  {"name":"put","request":{"action":"s3:PutObject","resource":"arn:aws:s3:::b/k"},"expect":"ImplicitDeny"}]"#;
        std::fs::write(dir.join("p.tests.json"), ok).expect("write");
        let args = TestArgs {
            paths: vec![dir.join("p.json")],
            verbose: false,
        };
        let (code, out, _) = run_to_strings(&args);
        assert_eq!(code, 0, "{out}");
        assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");

        let failing = ok.replace("\"ImplicitDeny\"", "\"Allow\"");
        std::fs::write(dir.join("p.tests.json"), failing).expect("write");
        let (code, out, _) = run_to_strings(&TestArgs {
            paths: vec![dir.clone()],
            verbose: false,
        });
        assert_eq!(code, 1);
        assert!(
            out.contains("FAIL  put (line 2): expected Allow, got ImplicitDeny"),
            "{out}"
        );
        assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");

        std::fs::write(
            dir.join("p.tests.json"),
            "[{\"name\":\"x\",\"expect\":\"Allow\",\n \"request\": {}}]",
        )
        .expect("write");
        let (code, _, err) = run_to_strings(&args);
        assert_eq!(code, 2);
        assert!(
            err.contains("p.tests.json:2:13: test `x`: invalid request"),
            "{err}"
        );

        std::fs::write(dir.join("p.tests.json"), "[").expect("write");
        assert_eq!(run_to_strings(&args).0, 2);
        assert_eq!(
            run_to_strings(&TestArgs {
                paths: vec![dir.join("none.json")],
                verbose: false
            })
            .0,
            2
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn s70_example_sidecar_passes() {
        let example =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ecs-run-task.json");
        let (code, out, err) = run_to_strings(&TestArgs {
            paths: vec![example],
            verbose: true,
        });
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.ends_with("6 passed, 0 failed\n"), "{out}");
    }
}
