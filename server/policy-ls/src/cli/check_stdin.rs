//! `check -` and `check --fix -`: a policy (or template) read from standard input.
//!
//! Without `--fix`, the report goes to standard output as for files. With `--fix` (as ruff
//! does), standard output gets the whole text, fixed, and nothing else; the fix summary and the
//! findings left go to standard error. The text is written only once everything succeeded: on an
//! error (unreadable input, a broken configuration) standard output stays empty and the exit code
//! is 2, so that a caller replacing a buffer with the output never gets half a document.
//!
//! `--stdin-filename PATH` names the input: the configuration is looked up from its directory,
//! the policy type globs and template detection use it, and reports show it. Without it, the
//! input is `-` in the working directory.

use std::io::{Read, Write};
use std::path::PathBuf;

use iam_validate::Options;

use super::check::{CheckArgs, MAX_FILE_BYTES, analyze_text, finish, read_baseline};
use crate::config::Settings;

/// Reads at most [`MAX_FILE_BYTES`] of UTF-8 from `input`.
fn read_input(input: &mut dyn Read) -> Result<String, String> {
    let mut bytes = Vec::new();
    input
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "standard input is larger than the {MAX_FILE_BYTES}-byte limit"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "standard input is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The path the input stands for (absolute, so that configuration lookup walks up from the
/// working directory) and the name shown in reports.
fn input_path(args: &CheckArgs) -> (PathBuf, String) {
    let named = args.stdin_filename.clone();
    let shown = named
        .as_deref()
        .map_or_else(|| "-".to_owned(), super::check::display);
    let rel = named.unwrap_or_else(|| PathBuf::from("-"));
    let abs = if rel.is_absolute() {
        rel
    } else {
        std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .map_or(rel.clone(), |cwd| cwd.join(&rel))
    };
    (abs, shown)
}

/// Runs `check` on standard input (`-` must be the only path); returns the exit code.
pub fn run(args: &CheckArgs, input: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.paths.len() != 1 {
        let _ = writeln!(
            err,
            "error: `-` (standard input) cannot be combined with other paths"
        );
        return 2;
    }
    let baseline = match read_baseline(args, err) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (path, shown) = input_path(args);
    let text = match read_input(input) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "error: {shown}: {e}");
            return 2;
        }
    };
    let options = Options {
        policy_type: args.policy_type,
        lenient: args.lenient,
    };
    let settings = Settings::default();
    let Some(mut report) = analyze_text(&path, text, true, &options, &settings) else {
        // Not reached: a named input is always checked.
        let _ = writeln!(err, "error: {shown}: not checked");
        return 2;
    };
    report.path.clone_from(&shown);
    if !args.fix {
        return finish(args, &mut [report], baseline.as_ref(), false, out, err);
    }
    let mut fixed_text = None;
    if let Ok(checked) = &mut report.result {
        if checked.skipped.is_none() {
            let (fixed, applied) =
                super::fix::fix_text(&path, checked.clone(), &options, args.unsafe_fixes);
            let summary = super::fix::FileFixes {
                path: shown.clone(),
                applied,
                error: None,
            };
            // As for files: a file with nothing fixed is not listed.
            let listed = if summary.applied.is_empty() {
                &[][..]
            } else {
                std::slice::from_ref(&summary)
            };
            if super::fix::write_summary(listed, err).is_err() {
                return 2;
            }
            *checked = fixed;
        }
        fixed_text = Some(checked.text.clone());
    }
    // The findings left, on stderr; the text on stdout only when that succeeded.
    let mut reports = [report];
    let mut findings = Vec::new();
    let code = finish(
        args,
        &mut reports,
        baseline.as_ref(),
        false,
        &mut findings,
        err,
    );
    if code < 2
        && let Some(text) = fixed_text
        && (out.write_all(text.as_bytes()).is_err() || out.flush().is_err())
    {
        return 2;
    }
    if err.write_all(&findings).is_err() {
        return 2;
    }
    code
}
