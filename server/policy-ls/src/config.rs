//! Settings (from `initializationOptions` and `workspace/didChangeConfiguration`) and the
//! decision of which documents are policies.

use globset::{Glob, GlobSet, GlobSetBuilder};
use iam_policy::resource_kind::{self, ResourceKind};
use iam_validate::PolicyType;
use serde::{Deserialize, Serialize};

/// The default globs of files that are always treated as policies.
pub const DEFAULT_POLICY_GLOBS: &[&str] = &[
    "**/*.policy.json",
    "**/iam/**/*.json",
    "**/policies/**/*.json",
];

/// Settings as the client sends them, under the `iamPolicy` key or at the top level. Each one is
/// described in `settings_docs` (the source of the settings tables in the docs).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RawSettings {
    /// Globs of files treated as policies even without a `Statement` key.
    pub policy_globs: Option<Vec<String>>,
    /// Policy type per glob, e.g. `{"**/trust/*.json": "trust"}`.
    pub policy_types: std::collections::BTreeMap<String, String>,
    /// Kind of resource per glob, e.g. `{"**/buckets/*.json": "AWS::S3::Bucket"}`: the file is
    /// that resource's policy (resource-based, with the checks F012-F014).
    pub resource_kinds: std::collections::BTreeMap<String, String>,
    /// Accept comments and trailing commas.
    pub lenient: bool,
    /// Rule codes or names not to report.
    pub disabled_rules: Vec<String>,
    /// `error`/`warn`/`info`/`debug`/`trace`.
    pub log_level: Option<String>,
    /// Inlay hints: `{"wildcardCounts": true, "notActionCounts": true}`.
    pub inlay_hints: RawInlayHints,
    /// Catalog file or cache directory to use instead of the newest available (read at start-up).
    pub catalog_path: Option<String>,
    /// Days after which an old catalog earns one message at start-up (0: never).
    pub catalog_warn_after_days: Option<u32>,
    /// Publish the diagnostics of every policy file in the workspace folders, open or not (for
    /// clients that do not pull `workspace/diagnostic`).
    pub workspace_diagnostics: bool,
    /// The "new access since HEAD" lens: `true` (default), `false`, or a revision name.
    pub compare_with_git: Option<serde_json::Value>,
    /// Push diagnostics on or off, whatever the client supports (read at `initialize`).
    pub push_diagnostics: Option<bool>,
}

impl Default for RawSettings {
    fn default() -> Self {
        Self {
            policy_globs: None,
            policy_types: std::collections::BTreeMap::new(),
            resource_kinds: std::collections::BTreeMap::new(),
            lenient: false,
            disabled_rules: Vec::new(),
            log_level: None,
            inlay_hints: RawInlayHints::default(),
            catalog_path: None,
            catalog_warn_after_days: Some(DEFAULT_CATALOG_WARN_AFTER_DAYS),
            workspace_diagnostics: false,
            compare_with_git: Some(serde_json::Value::Bool(true)),
            push_diagnostics: None,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RawInlayHints {
    /// `N actions` after wildcard patterns.
    pub wildcard_counts: bool,
    /// `matches N actions` after `NotAction` values.
    pub not_action_counts: bool,
}

impl Default for RawInlayHints {
    fn default() -> Self {
        Self {
            wildcard_counts: true,
            not_action_counts: true,
        }
    }
}

#[derive(Debug)]
pub struct Settings {
    policy_globs: GlobSet,
    policy_types: Vec<(GlobSet, PolicyType)>,
    resource_kinds: Vec<(GlobSet, &'static ResourceKind)>,
    pub lenient: bool,
    pub disabled_rules: Vec<String>,
    pub inlay_hints: iam_ide::InlayHintConfig,
    /// The log level asked for in the settings, if any.
    pub log_level: Option<String>,
    /// Problems found in the settings themselves, to show to the user.
    pub problems: Vec<String>,
    /// `catalogPath`: a catalog file or cache directory forced at start-up.
    pub catalog_path: Option<String>,
    /// `catalogWarnAfterDays` (default [`DEFAULT_CATALOG_WARN_AFTER_DAYS`], 0 = never).
    pub catalog_warn_after_days: u32,
    /// `workspaceDiagnostics`: publish the findings of unopened policy files (push).
    pub workspace_diagnostics: bool,
    /// `compareWithGit`: the revision policies are compared with (`None`: off).
    pub compare_with_git: Option<String>,
    /// `pushDiagnostics`: force push diagnostics on or off (read at `initialize`).
    pub push_diagnostics: Option<bool>,
}

/// Default of `catalogWarnAfterDays`.
pub const DEFAULT_CATALOG_WARN_AFTER_DAYS: u32 = 60;

impl Default for Settings {
    fn default() -> Self {
        Self::from_raw(RawSettings::default())
    }
}

/// `compareWithGit`: `true` or absent is `HEAD`, `false` is off, a string names the revision.
fn compare_with_git(v: Option<&serde_json::Value>, problems: &mut Vec<String>) -> Option<String> {
    match v {
        None | Some(serde_json::Value::Null | serde_json::Value::Bool(true)) => {
            Some("HEAD".to_owned())
        }
        Some(serde_json::Value::Bool(false)) => None,
        Some(serde_json::Value::String(s))
            if !s.trim().is_empty()
                && !s.trim().starts_with('-')
                && !s.trim().contains(char::is_whitespace) =>
        {
            Some(s.trim().to_owned())
        }
        Some(other) => {
            problems.push(format!(
                "`compareWithGit` must be true, false or a git revision, found {other}; using HEAD"
            ));
            Some("HEAD".to_owned())
        }
    }
}

fn build_set(globs: &[String], problems: &mut Vec<String>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        match Glob::new(g) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => problems.push(format!("invalid glob `{g}`: {e}")),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

impl Settings {
    #[must_use]
    pub fn from_raw(raw: RawSettings) -> Self {
        let mut problems = Vec::new();
        let globs: Vec<String> = raw.policy_globs.unwrap_or_else(|| {
            DEFAULT_POLICY_GLOBS
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        });
        let policy_globs = build_set(&globs, &mut problems);
        let compare_with_git = compare_with_git(raw.compare_with_git.as_ref(), &mut problems);
        let mut policy_types = Vec::new();
        for (glob, ty) in raw.policy_types {
            match PolicyType::parse(&ty) {
                Some(t) => policy_types.push((build_set(std::slice::from_ref(&glob), &mut problems), t)),
                None => problems.push(format!(
                    "unknown policy type `{ty}` for `{glob}` (expected identity, resource, trust, scp, rcp, boundary or session)"
                )),
            }
        }
        let mut resource_kinds = Vec::new();
        for (glob, kind) in raw.resource_kinds {
            match resource_kind::find(&kind) {
                Some(k) => {
                    resource_kinds.push((build_set(std::slice::from_ref(&glob), &mut problems), k))
                }
                None => problems.push(format!(
                    "unknown resource kind `{kind}` for `{glob}` (expected one of {})",
                    resource_kind::names()
                )),
            }
        }
        Self {
            policy_globs,
            policy_types,
            resource_kinds,
            lenient: raw.lenient,
            disabled_rules: raw.disabled_rules,
            inlay_hints: iam_ide::InlayHintConfig {
                wildcard_counts: raw.inlay_hints.wildcard_counts,
                not_action_counts: raw.inlay_hints.not_action_counts,
            },
            log_level: raw.log_level,
            problems,
            catalog_path: raw.catalog_path.filter(|p| !p.trim().is_empty()),
            catalog_warn_after_days: raw
                .catalog_warn_after_days
                .unwrap_or(DEFAULT_CATALOG_WARN_AFTER_DAYS),
            workspace_diagnostics: raw.workspace_diagnostics,
            compare_with_git,
            push_diagnostics: raw.push_diagnostics,
        }
    }

    /// Reads settings from a JSON value: `{"iamPolicy": {...}}` or `{...}` directly. Unknown or
    /// malformed settings are reported in `problems` and otherwise ignored.
    #[must_use]
    pub fn from_json(value: &serde_json::Value) -> Self {
        let inner = value.get("iamPolicy").unwrap_or(value);
        match RawSettings::deserialize(inner) {
            Ok(raw) => Self::from_raw(raw),
            Err(e) => {
                let mut s = Self::default();
                s.problems.push(format!("ignoring invalid settings: {e}"));
                s
            }
        }
    }

    /// Whether the path is a policy by configuration.
    #[must_use]
    pub fn path_is_policy(&self, path: &str) -> bool {
        self.policy_globs.is_match(path)
    }

    /// The configured policy type of a path, if any glob matches; a path given a kind of
    /// resource (`resourceKinds`) is a resource-based policy.
    #[must_use]
    pub fn policy_type(&self, path: &str) -> Option<PolicyType> {
        self.policy_types
            .iter()
            .find(|(g, _)| g.is_match(path))
            .map(|(_, t)| *t)
            .or_else(|| self.resource_kind(path).map(|_| PolicyType::Resource))
    }

    /// The configured kind of resource of a path (`resourceKinds`), if any glob matches.
    #[must_use]
    pub fn resource_kind(&self, path: &str) -> Option<&'static ResourceKind> {
        self.resource_kinds
            .iter()
            .find(|(g, _)| g.is_match(path))
            .map(|(_, k)| *k)
    }

    #[must_use]
    pub fn is_disabled(&self, rule: &iam_validate::Rule) -> bool {
        self.disabled_rules
            .iter()
            .any(|r| r == rule.code || r == rule.name)
    }
}

/// Whether a document is a policy: its path matches a policy glob, its language id is
/// `iam-policy`, or its top-level object has a `Statement` key. Other JSON is left alone.
#[must_use]
pub fn is_policy(
    settings: &Settings,
    path: &str,
    language_id: &str,
    parse: &iam_syntax::Parse,
) -> bool {
    if language_id == "iam-policy" || settings.path_is_policy(path) {
        return true;
    }
    if path.ends_with(".tests.json") {
        return false;
    }
    parse
        .value()
        .and_then(|v| v.as_object())
        .is_some_and(|o| o.get("Statement").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_types() {
        let s = Settings::from_json(
            &serde_json::json!({"iamPolicy": {"policyTypes": {"**/trust/*.json": "trust", "x": "bogus"}}}),
        );
        assert!(s.path_is_policy("/w/infra/iam/admin.json"));
        assert!(s.path_is_policy("/w/a.policy.json"));
        assert!(!s.path_is_policy("/w/package.json"));
        assert_eq!(s.policy_type("/w/trust/role.json"), Some(PolicyType::Trust));
        let k = Settings::from_json(
            &serde_json::json!({"iamPolicy": {"resourceKinds": {"**/queues/*.json": "AWS::SQS::Queue", "y": "AWS::Nope"}}}),
        );
        assert_eq!(
            k.resource_kind("/w/queues/q.json").map(|k| k.name),
            Some("AWS::SQS::Queue")
        );
        assert_eq!(
            k.policy_type("/w/queues/q.json"),
            Some(PolicyType::Resource)
        );
        assert!(k.resource_kind("/w/other.json").is_none());
        assert_eq!(k.problems.len(), 1, "{:?}", k.problems);
        assert_eq!(s.problems.len(), 1);
        let p = iam_syntax::parse("{\"Statement\": []}", iam_syntax::ParseOptions::STRICT);
        assert!(is_policy(&s, "/w/x.json", "json", &p));
        let p = iam_syntax::parse("{\"name\": \"pkg\"}", iam_syntax::ParseOptions::STRICT);
        assert!(!is_policy(&s, "/w/package.json", "json", &p));
    }
}
