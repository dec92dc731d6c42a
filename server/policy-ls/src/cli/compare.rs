//! `iam-policy-ls compare OLD NEW` / `compare --git REF PATH...`: does the new version of a
//! policy allow any request the old one does not? Shared output code for `grants` and `public`.
//! The engine is `iam_compare`; every finding's witness was confirmed by the evaluator.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use iam_compare::{Options, Report, Verdict, request_json};
use iam_policy::model::Policy;
use iam_validate::PolicyType;
use serde_json::json;

use super::simulate::{located, read};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum AccessFormat {
    #[default]
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Debug, Default, clap::Args)]
pub struct CompareArgs {
    /// `OLD NEW`, or with `--git REF` the files to compare with their version at REF.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Compare each FILE with its version at this git revision (a file new at REF is compared
    /// with the empty policy).
    #[arg(long, value_name = "REF")]
    pub git: Option<String>,
    /// `identity` or `resource` (also `trust`, `rcp`...); default: inferred from the documents.
    #[arg(long, value_name = "TYPE")]
    pub policy_type: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AccessFormat::Text)]
    pub format: AccessFormat,
    /// Findings listed per file at most (default 100; 0 lists all); the others are counted.
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,
}

/// The findings limit of `--max-findings` (0: no limit).
pub(crate) fn max_findings(given: Option<usize>) -> usize {
    match given {
        None => iam_compare::DEFAULT_MAX_FINDINGS,
        Some(0) => usize::MAX,
        Some(n) => n,
    }
}

/// Exit code for usage and I/O errors.
pub(crate) const BAD_INPUT: u8 = 2;

/// Reads and parses a policy; syntax errors are bad input.
pub(crate) fn load_text(path: &Path, text: &str) -> Result<Policy, String> {
    let parsed = iam_policy::parse_policy(text);
    if let Some(e) = parsed.parse.errors().first() {
        return Err(located(
            path,
            text,
            e.range,
            &format!("invalid policy: {}", e.message),
        ));
    }
    Ok(parsed.policy)
}

pub(crate) fn load(path: &Path) -> Result<Policy, String> {
    let text = read(path)?;
    load_text(path, &text)
}

/// The evaluation kind for a `--policy-type` (`iam_compare::comparison_kind`).
pub(crate) fn kind_for(given: Option<&str>, policies: &[&Policy]) -> Result<PolicyType, String> {
    let given = given
        .map(|t| {
            PolicyType::parse(t).ok_or_else(|| {
                format!(
                    "unknown policy type `{t}` (identity, resource, trust, scp, rcp, boundary, session)"
                )
            })
        })
        .transpose()?;
    Ok(iam_compare::comparison_kind(given, policies))
}

/// One checked file (or pair) and its report.
pub(crate) struct Checked {
    pub file: String,
    pub report: Report,
}

fn overall(checked: &[Checked]) -> Verdict {
    if checked.iter().any(|c| c.report.verdict == Verdict::Fail) {
        Verdict::Fail
    } else if checked.iter().any(|c| c.report.verdict == Verdict::Unknown) {
        Verdict::Unknown
    } else {
        Verdict::Pass
    }
}

/// Writes the reports; returns the exit code (0 pass, 1 fail, 3 unknown).
pub(crate) fn write_reports(
    checked: &[Checked],
    format: AccessFormat,
    rule: (&str, &str),
    out: &mut dyn Write,
) -> std::io::Result<u8> {
    let verdict = overall(checked);
    match format {
        AccessFormat::Json => {
            let several = checked.len() > 1;
            let mut findings = Vec::new();
            let mut reasons = Vec::new();
            for c in checked {
                for f in &c.report.findings {
                    let mut o = json!({
                        "action": f.action,
                        "resource": f.resource,
                        "summary": f.summary,
                        "witness": request_json(&f.witness),
                    });
                    if several {
                        o["file"] = json!(c.file);
                    }
                    findings.push(o);
                }
                for r in &c.report.reasons {
                    reasons.push(if several {
                        format!("{}: {r}", c.file)
                    } else {
                        r.clone()
                    });
                }
            }
            let v = json!({"result": verdict.as_str(), "findings": findings, "reasons": reasons});
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
        AccessFormat::Sarif => {
            let mut results = Vec::new();
            for c in checked {
                for f in &c.report.findings {
                    results.push(json!({
                        "ruleId": rule.0,
                        "level": "error",
                        "message": {"text": format!("{}; witness: {}", f.summary, request_json(&f.witness))},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": c.file.replace('\\', "/")}}}],
                    }));
                }
                if c.report.verdict == Verdict::Unknown {
                    results.push(json!({
                        "ruleId": format!("{}-unknown", rule.0),
                        "level": "warning",
                        "message": {"text": format!("undecided: {}", c.report.reasons.join("; "))},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": c.file.replace('\\', "/")}}}],
                    }));
                }
            }
            let sarif = json!({
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "version": "2.1.0",
                "runs": [{
                    "tool": {"driver": {
                        "name": "iam-policy-ls",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": [
                            {"id": rule.0, "shortDescription": {"text": rule.1}},
                            {"id": format!("{}-unknown", rule.0), "shortDescription": {"text": "the engine could not decide"}},
                        ],
                    }},
                    "results": results,
                }],
            });
            serde_json::to_writer_pretty(&mut *out, &sarif)?;
            writeln!(out)?;
        }
        AccessFormat::Text => {
            for c in checked {
                write_text(c, rule.1, out)?;
            }
            if checked.len() > 1 {
                writeln!(out, "overall: {}", verdict.as_str())?;
            }
        }
    }
    Ok(verdict.exit_code())
}

fn write_text(c: &Checked, what: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let r = &c.report;
    match r.verdict {
        Verdict::Pass => writeln!(out, "{}: pass", c.file)?,
        Verdict::Fail => writeln!(
            out,
            "{}: fail: {} ({} finding{})",
            c.file,
            what,
            r.findings.len() + r.omitted,
            if r.findings.len() + r.omitted == 1 {
                ""
            } else {
                "s"
            }
        )?,
        Verdict::Unknown => writeln!(out, "{}: unknown", c.file)?,
    }
    // Group by service, then action, like a diff.
    let mut service = "";
    for f in &r.findings {
        let s = f.action.split_once(':').map_or("", |(s, _)| s);
        if s != service {
            writeln!(out, "  {s}")?;
            service = s;
        }
        writeln!(out, "    + {} on {}", f.action, f.resource)?;
        writeln!(out, "      {}", f.summary)?;
        writeln!(out, "      witness: {}", request_json(&f.witness))?;
    }
    if r.omitted > 0 {
        writeln!(
            out,
            "    ... and {} more (list them with --max-findings 0)",
            r.omitted
        )?;
    }
    let omitted = iam_compare::omitted_note(r.omitted);
    for reason in r.reasons.iter().filter(|n| **n != omitted) {
        writeln!(out, "  note: {reason}")?;
    }
    Ok(())
}

/// The text of `path` at git revision `rev`, `None` when the file does not exist there. Git runs
/// in the file's directory, so the path may be relative or absolute, in any repository.
fn git_show(rev: &str, path: &Path) -> Result<Option<String>, String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file", path.display()))?;
    let spec = format!("{rev}:./{}", name.to_string_lossy());
    let out = Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["show", &spec])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()));
    }
    let msg = String::from_utf8_lossy(&out.stderr);
    if msg.contains("does not exist in") || msg.contains("exists on disk, but not in") {
        return Ok(None);
    }
    Err(format!(
        "git show {spec} (in {}): {}",
        dir.display(),
        msg.trim()
    ))
}

fn compare_files(args: &CompareArgs) -> Result<Vec<Checked>, String> {
    let mut checked = Vec::new();
    if let Some(rev) = &args.git {
        if args.files.is_empty() {
            return Err("--git needs at least one FILE".into());
        }
        for path in &args.files {
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            if !path.exists() {
                // Deleted: the empty policy grants nothing new.
                continue;
            }
            let new = load(path)?;
            let old = match git_show(rev, path)? {
                Some(text) => load_text(path, &text)?,
                None => iam_compare::empty_policy(),
            };
            let kind = kind_for(args.policy_type.as_deref(), &[&old, &new])?;
            let opts = Options {
                kind,
                max_findings: max_findings(args.max_findings),
            };
            checked.push(Checked {
                file: path.display().to_string(),
                report: iam_compare::compare(&old, &new, &opts),
            });
        }
        return Ok(checked);
    }
    let [old_path, new_path] = args.files.as_slice() else {
        return Err("give OLD and NEW, or --git REF FILE...".into());
    };
    let old = load(old_path)?;
    let new = load(new_path)?;
    let kind = kind_for(args.policy_type.as_deref(), &[&old, &new])?;
    let opts = Options {
        kind,
        max_findings: max_findings(args.max_findings),
    };
    checked.push(Checked {
        file: new_path.display().to_string(),
        report: iam_compare::compare(&old, &new, &opts),
    });
    Ok(checked)
}

/// Runs `compare`; returns the exit code.
pub fn run(args: &CompareArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match compare_files(args) {
        Ok(checked) => write_reports(
            &checked,
            args.format,
            ("new-access", "grants new access"),
            out,
        )
        .unwrap_or(BAD_INPUT),
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            BAD_INPUT
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn run_args(args: &CompareArgs) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(args, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    const OLD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    const NEW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn compare_exit_codes_and_json() {
        let dir = std::env::temp_dir().join(format!("iam-compare-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let old = write(&dir, "old.json", OLD);
        let new = write(&dir, "new.json", NEW);
        let args = |files: Vec<PathBuf>, format| CompareArgs {
            files,
            format,
            ..CompareArgs::default()
        };
        let (code, out, _) = run_args(&args(vec![old.clone(), new.clone()], AccessFormat::Json));
        assert_eq!(code, 1);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["result"], "fail");
        assert_eq!(v["findings"][0]["action"], "s3:PutObject");
        assert_eq!(v["findings"][0]["witness"]["action"], "s3:PutObject");
        let (code, out, _) = run_args(&args(vec![new.clone(), old.clone()], AccessFormat::Text));
        assert_eq!(code, 0, "{out}");
        let (code, _, err) = run_args(&args(vec![old.clone()], AccessFormat::Text));
        assert_eq!(code, 2);
        assert!(err.contains("OLD and NEW"), "{err}");
        let broken = write(&dir, "broken.json", "{");
        let (code, _, err) = run_args(&args(vec![old, broken], AccessFormat::Text));
        assert_eq!(code, 2);
        assert!(err.contains("invalid policy"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn compare_with_git_revision() {
        let dir = std::env::temp_dir().join(format!("iam-compare-git-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .arg("-C")
                .arg(&dir)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(ok, "git {args:?}");
        };
        git(&["init", "-q"]);
        let p = write(&dir, "policy.json", OLD);
        git(&["add", "policy.json"]);
        git(&["commit", "-qm", "base"]);
        let args = CompareArgs {
            files: vec![p.clone()],
            git: Some("HEAD".into()),
            format: AccessFormat::Json,
            ..CompareArgs::default()
        };
        assert_eq!(run_args(&args).0, 0);
        write(&dir, "policy.json", NEW);
        let (code, out, _) = run_args(&args);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("s3:PutObject"));
        // A file that is new at HEAD is compared with the empty policy.
        let added = write(&dir, "added.json", OLD);
        let args = CompareArgs {
            files: vec![added],
            ..args
        };
        let (code, out, _) = run_args(&args);
        assert_eq!(code, 1, "{out}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
