//! `check` on host documents: CloudFormation/SAM templates and Terraform files, whose embedded
//! policies are checked with positions in the host file (see `docs/embedded.md`).

use std::path::{Path, PathBuf};

use iam_hosts::{FileCheck, HostKind};

use super::check::{Checked, FileReport};
use crate::project::Project;

/// Checks `text` as a host document (`iam_hosts::check_file`). `None`: not a host (a `*.json`
/// file that is not a template is checked as a policy). `Some(None)`: a file found in a
/// directory that holds no policy (left out). A file named on the command line that holds no
/// policy is reported as skipped.
#[must_use]
pub fn check(name: &str, text: &str, explicit: bool, project: &Project) -> Option<Option<Checked>> {
    match iam_hosts::check_file(name, text, &project.config, &project.suppressions) {
        FileCheck::NotHost => None,
        FileCheck::NoPolicy(kind) => Some(explicit.then(|| Checked {
            text: String::new(),
            diagnostics: Vec::new(),
            policy_type: "embedded",
            note: String::new(),
            references: Vec::new(),
            skipped: Some(FileCheck::why_no_policy(kind).into()),
        })),
        FileCheck::Host {
            kind,
            policies,
            analysis,
            references,
        } => {
            let what = match kind {
                HostKind::Terraform => "Terraform file",
                _ => "template",
            };
            Some(Some(Checked {
                text: text.to_owned(),
                diagnostics: analysis.diagnostics,
                policy_type: "embedded",
                note: format!(
                    "{what} with {policies} embedded polic{} (each checked as the type of its property)",
                    if policies == 1 { "y" } else { "ies" }
                ),
                skipped: None,
                references,
            }))
        }
    }
}

/// Checks the policy files that Terraform arguments read (`file(...)`, `templatefile(...)`)
/// with the type (and resource kind) of the argument. A file already reported (named on the
/// command line or found in a directory, and checked with an inferred type) is checked again
/// with the argument's type; other files are added. The first argument that reads a file
/// decides its type. A file that cannot be read is a note, as Terraform itself reports it.
pub fn follow_references(reports: &mut Vec<FileReport>) {
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut wanted: Vec<(PathBuf, String, iam_hosts::FileRef)> = Vec::new();
    for r in reports.iter() {
        let Ok(c) = &r.result else { continue };
        let dir = Path::new(&r.path).parent().unwrap_or(Path::new(""));
        for f in &c.references {
            let path = dir.join(&f.path);
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            wanted.push((path, r.path.clone(), f.clone()));
        }
    }
    for (path, from, f) in wanted {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let report = referenced(&path, &from, &f);
        match reports
            .iter()
            .position(|r| std::fs::canonicalize(&r.path).is_ok_and(|p| p == key))
        {
            Some(i) => reports[i] = report,
            None => reports.push(report),
        }
    }
}

fn referenced(path: &Path, from: &str, f: &iam_hosts::FileRef) -> FileReport {
    let name = path.to_string_lossy().into_owned();
    let by = format!("{from}: {}.{}", f.site.owner, f.site.path);
    let text = match super::check::read_text(path) {
        Ok(t) => t,
        Err(e) => {
            return FileReport {
                path: name,
                result: Ok(Checked {
                    text: String::new(),
                    diagnostics: Vec::new(),
                    policy_type: "embedded",
                    note: String::new(),
                    skipped: Some(format!("read by {by}, but {e}")),
                    references: Vec::new(),
                }),
            };
        }
    };
    let project = crate::project::load(path, None);
    let ex = iam_hosts::extract_referenced(&text, f);
    let a = iam_hosts::analyze_extraction(ex, &text, None, &project.config, &project.suppressions);
    let ty = f.site.policy_type.unwrap_or_default();
    let kind = f
        .site
        .resource_kind
        .as_deref()
        .map_or_else(String::new, |k| format!(" attached to `{k}`"));
    FileReport {
        path: name,
        result: Ok(Checked {
            text,
            diagnostics: a.diagnostics,
            policy_type: ty.as_str(),
            note: format!(
                "checked as {}{kind} (read by {by}{})",
                ty.with_article(),
                if f.templated { ", a template" } else { "" }
            ),
            skipped: None,
            references: Vec::new(),
        }),
    }
}
