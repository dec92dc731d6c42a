//! `check` on host documents: CloudFormation/SAM templates and Terraform files, whose embedded
//! policies are checked with positions in the host file (see `docs/embedded.md`).

use std::path::Path;

use iam_hosts::HostKind;
use iam_validate::Options;

use super::check::Checked;
use crate::project::Project;

/// Files found in directories that may hold embedded policies (besides `*.json`).
#[must_use]
pub fn is_host_file(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| matches!(x, "yaml" | "yml" | "template" | "tf"))
}

/// Checks `text` as a host document. `None`: not a host (a `*.json` file that is not a
/// template is checked as a policy). `Some(None)`: a file found in a directory that holds no
/// policy (left out). A file named on the command line that holds no policy is reported as
/// skipped.
#[must_use]
pub fn check(
    name: &str,
    text: &str,
    explicit: bool,
    _options: &Options,
    project: &Project,
) -> Option<Option<Checked>> {
    let kind = HostKind::from_path(name, text)?;
    let ex = iam_hosts::extract(kind, text);
    if !ex.is_host {
        if kind == HostKind::Json {
            return None;
        }
        return Some(explicit.then(|| Checked {
            text: String::new(),
            diagnostics: Vec::new(),
            policy_type: "embedded",
            note: String::new(),
            skipped: Some(match kind {
                HostKind::Terraform => {
                    "no policy-bearing argument or `aws_iam_policy_document` block".into()
                }
                _ => "not a CloudFormation or SAM template".into(),
            }),
        }));
    }
    // Each embedded policy has the type of its place in the template; the per-glob types of the
    // configuration name policy files, not templates.
    let mut names: Vec<String> = ex.docs.iter().map(iam_hosts::VirtualDoc::name).collect();
    names.dedup();
    let count = names.len();
    let a = iam_hosts::analyze_extraction(ex, text, None, &project.config, &project.suppressions);
    let what = match kind {
        HostKind::Terraform => "Terraform file",
        _ => "template",
    };
    Some(Some(Checked {
        text: text.to_owned(),
        diagnostics: a.diagnostics,
        policy_type: "embedded",
        note: format!(
            "{what} with {count} embedded polic{} (each checked as the type of its property)",
            if count == 1 { "y" } else { "ies" }
        ),
        skipped: None,
    }))
}
