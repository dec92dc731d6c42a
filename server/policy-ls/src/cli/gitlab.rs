//! `check --format gitlab`: GitLab code quality reports, the subset of the Code Climate JSON
//! format that GitLab reads (an array of issues with `description`, `check_name`, `fingerprint`,
//! `severity` and `location.path` + `location.lines.begin`). See docs/ci.md.
//!
//! The fingerprint must stay the same while a finding stays, so that GitLab shows what a merge
//! request adds and fixes: it is the baseline fingerprint (code, key path, pointed text; see
//! [`super::baseline`]) with the file and the occurrence, hashed again. Paths are relative to the
//! working directory (GitLab wants them relative to the repository root, where CI runs).

use std::io::Write;
use std::path::Path;

use iam_syntax::LineIndex;
use iam_validate::Severity;
use serde_json::json;

use super::baseline::{fingerprints, fnv1a, relative};
use super::check::FileReport;

/// The Code Climate severity of a finding: `info`, `minor`, `major`, `critical` or `blocker`.
#[must_use]
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Information | Severity::Hint => "info",
    }
}

/// Writes the findings of `reports` as one JSON array.
pub fn write(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| Path::new(".").to_path_buf());
    let mut issues = Vec::new();
    for r in reports {
        let Ok(c) = &r.result else { continue };
        if c.skipped.is_some() {
            continue;
        }
        let path = relative(&r.path, &cwd);
        let index = LineIndex::new(&c.text);
        for (d, (code, fp, occurrence)) in c.diagnostics.iter().zip(fingerprints(r)) {
            let begin = index.line_col_utf16(&c.text, d.range.start).line + 1;
            let end = index.line_col_utf16(&c.text, d.range.end).line + 1;
            let fingerprint = format!(
                "{:016x}",
                fnv1a(&[&path, code, &fp, &occurrence.to_string()])
            );
            issues.push(json!({
                "type": "issue",
                "check_name": code,
                "description": format!("{code} {}: {}", d.rule.name, d.message),
                "severity": severity(d.severity),
                "fingerprint": fingerprint,
                "location": {"path": path, "lines": {"begin": begin, "end": end}},
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
