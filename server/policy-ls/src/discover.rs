//! Which files under a directory may hold policies: the one directory walk of `check DIR` and of
//! the server's workspace diagnostics, so both look at the same files.

use std::path::{Path, PathBuf};

/// Directories never searched: version control, dependencies and build output. A directory
/// named on the command line is searched even when its own name is one of these.
pub const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "target", ".terraform"];

/// Whether a file found in a directory is a candidate: a `*.json` file (except policy tests
/// `*.tests.json` and suppressions `*.suppress.json`), or a template or Terraform file
/// (`*.yaml`, `*.yml`, `*.template`, `*.tf`). Whether it holds a policy is decided by its
/// content (and the policy globs) when it is read.
#[must_use]
pub fn is_candidate(path: &Path) -> bool {
    let name = path.to_string_lossy();
    (path.extension().is_some_and(|x| x == "json")
        && !name.ends_with(".tests.json")
        && !name.ends_with(".suppress.json"))
        || iam_hosts::is_host_path(path)
}

/// Whether `path` lies in a directory that [`walk`] skips (relative to `root`).
#[must_use]
pub fn in_skipped_dir(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|rel| {
        rel.parent().is_some_and(|dirs| {
            dirs.components().any(|c| {
                SKIPPED_DIRS
                    .iter()
                    .any(|s| c.as_os_str() == std::ffi::OsStr::new(s))
            })
        })
    })
}

/// The candidate files under `dir`, sorted, not following symbolic links to directories and not
/// entering [`SKIPPED_DIRS`]. Directories that cannot be read are returned in `unreadable`.
#[must_use]
pub fn walk(dir: &Path, unreadable: &mut Vec<PathBuf>) -> Vec<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            unreadable.push(d);
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let path = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                if !SKIPPED_DIRS
                    .iter()
                    .any(|s| e.file_name() == std::ffi::OsStr::new(s))
                {
                    stack.push(path);
                }
            } else if is_candidate(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_dependency_and_build_directories() {
        let dir = std::env::temp_dir().join(format!("iam-policy-ls-walk-{}", std::process::id()));
        for sub in [
            "a",
            "node_modules/x",
            ".git",
            "target/debug",
            ".terraform",
            "b/.terraform",
        ] {
            std::fs::create_dir_all(dir.join(sub)).expect("dirs");
        }
        for f in [
            "a/p.json",
            "a/p.tests.json",
            "a/p.suppress.json",
            "a/t.yaml",
            "a/notes.txt",
            "node_modules/x/p.json",
            ".git/p.json",
            "target/debug/p.json",
            ".terraform/m.tf",
            "b/.terraform/m.tf",
            "b/main.tf",
        ] {
            std::fs::write(dir.join(f), "{}").expect("file");
        }
        let mut unreadable = Vec::new();
        let found: Vec<String> = walk(&dir, &mut unreadable)
            .iter()
            .map(|p| {
                p.strip_prefix(&dir)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(found, ["a/p.json", "a/t.yaml", "b/main.tf"]);
        assert!(unreadable.is_empty());
        assert!(in_skipped_dir(&dir, &dir.join("node_modules/x/p.json")));
        assert!(!in_skipped_dir(&dir, &dir.join("a/p.json")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
