//! A JSON policy file read by a Terraform argument (`policy = file("${path.module}/p.json")`,
//! `templatefile(...)`) takes that argument's policy type and resource kind in the editor too,
//! as `check` gives them (`cli/host.rs`). The `.tf` files on disk in the policy's directory and
//! its parent are read when the policy's configuration is loaded (on open, and again when a
//! configuration file changes).

use std::path::{Path, PathBuf};

use iam_hosts::HostKind;
use iam_validate::PolicyType;

/// Most `.tf` files read per directory, and the largest read.
const MAX_FILES: usize = 64;
const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// What a Terraform argument says about the policy file it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Referenced {
    pub policy_type: Option<PolicyType>,
    pub resource_kind: Option<&'static iam_policy::resource_kind::ResourceKind>,
}

/// The first Terraform argument (in `.tf` files of the policy's directory, then of its parent,
/// by file name) that reads `policy` with `file()` or `templatefile()`.
#[must_use]
pub fn referenced(policy: &Path) -> Option<Referenced> {
    let target = std::fs::canonicalize(policy).ok()?;
    let dir = target.parent()?;
    for d in [Some(dir), dir.parent()].into_iter().flatten() {
        for tf in tf_files(d) {
            let Ok(text) = std::fs::read_to_string(&tf) else {
                continue;
            };
            let ex = iam_hosts::extract(HostKind::Terraform, &text);
            for r in &ex.file_refs {
                let path = Path::new(&r.path);
                let full = if path.is_absolute() {
                    path.to_path_buf()
                } else {
                    d.join(path)
                };
                if std::fs::canonicalize(&full).is_ok_and(|f| f == target) {
                    return Some(Referenced {
                        policy_type: r.site.policy_type,
                        resource_kind: r
                            .site
                            .resource_kind
                            .as_deref()
                            .and_then(iam_policy::resource_kind::find),
                    });
                }
            }
        }
    }
    None
}

fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "tf")
                && e.metadata()
                    .is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES)
        })
        .map(|e| e.path())
        .take(MAX_FILES)
        .collect();
    out.sort();
    out
}
