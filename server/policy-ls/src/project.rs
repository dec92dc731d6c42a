//! The project configuration that applies to one policy file: the nearest `.iam-policy-ls.toml`
//! and the `<name>.suppress.json` beside the file (see docs/configuration.md). Shared by `check`
//! and the server, so both honour the same files.

use std::path::{Path, PathBuf};

use iam_validate::PolicyType;
use iam_validate::config::{Config, FILE_NAME, Suppression, parse_sidecar};

#[derive(Debug, Default)]
pub struct Project {
    pub config: Config,
    pub suppressions: Vec<Suppression>,
    /// The type the configuration gives this file (per-glob `policy_types`).
    pub policy_type: Option<PolicyType>,
    /// Problems in the configuration files (the first one is reported; the rest are ignored).
    pub problems: Vec<String>,
}

/// Finds and reads the configuration for a policy file: the nearest `.iam-policy-ls.toml` in its
/// directory or a parent, not above `boundary` when one is given (the language server passes the
/// workspace folder that holds the file). Returns the configuration and the directory it was
/// found in. Reads nothing but files with that exact name.
#[must_use]
pub fn discover(policy_path: &Path, boundary: Option<&Path>) -> Option<(Config, PathBuf)> {
    let start = if policy_path.is_dir() {
        policy_path.to_path_buf()
    } else {
        policy_path.parent()?.to_path_buf()
    };
    // `p.json` has the parent `""`, which cannot be made absolute: the working directory.
    let start = if start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        start
    };
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            let text = std::fs::read_to_string(&candidate).unwrap_or_default();
            return Some((Config::from_toml(&text), d.to_path_buf()));
        }
        if boundary.is_some_and(|b| d == b) {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Reads the configuration for the policy at `path` (never fails; problems are collected), not
/// looking above `boundary`.
#[must_use]
pub fn load(path: &Path, boundary: Option<&Path>) -> Project {
    let (mut config, base) = discover(path, boundary).unwrap_or_default();
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let rel = abs.strip_prefix(&base).map_or_else(
        |_| path.to_string_lossy().into_owned(),
        |r| r.to_string_lossy().replace('\\', "/"),
    );
    // A file given a kind of resource (`[resource-kinds]`) is that resource's policy: the
    // resource-kind checks (F012-F014) read the kind from the configuration.
    config.resource_kind = config.resource_kind_for(&rel);
    let policy_type = config
        .policy_type_for(&rel)
        .or(config.resource_kind.map(|_| PolicyType::Resource));
    let mut suppressions = config.suppressions_for(&rel);
    let mut problems: Vec<String> = config
        .problems
        .iter()
        .map(|p| format!("{FILE_NAME}: {p}"))
        .collect();
    let sidecar = path.with_extension("suppress.json");
    if let Ok(side) = std::fs::read_to_string(&sidecar) {
        match parse_sidecar(&side) {
            Ok(s) => suppressions.extend(s),
            Err(e) => problems.push(format!("{}: {e}", sidecar.display())),
        }
    }
    Project {
        config,
        suppressions,
        policy_type,
        problems,
    }
}

/// Whether a change to `path` can change some policy's configuration.
#[must_use]
pub fn is_config_file(path: &str) -> bool {
    path.ends_with(FILE_NAME) || path.ends_with(".suppress.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_stops_at_the_boundary() {
        let dir =
            std::env::temp_dir().join(format!("iam-policy-ls-boundary-{}", std::process::id()));
        let ws = dir.join("ws");
        std::fs::create_dir_all(ws.join("a")).expect("dirs");
        std::fs::write(dir.join(FILE_NAME), "[rules]\nA004 = \"off\"\n").expect("outer config");
        let policy = ws.join("a/p.json");
        std::fs::write(&policy, "{}").expect("policy");
        let ws_canon = std::fs::canonicalize(&ws).expect("canonical");
        // The CLI walks up to the outer file; the server stops at the workspace folder.
        assert!(discover(&policy, None).is_some());
        assert!(discover(&policy, Some(&ws_canon)).is_none());
        std::fs::write(ws.join(FILE_NAME), "").expect("inner config");
        assert_eq!(
            discover(&policy, Some(&ws_canon)).map(|(_, d)| d),
            Some(ws_canon)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
