//! Project configuration (`.iam-policy-ls.toml`) and suppressions; see `docs/configuration.md`.
//!
//! ```toml
//! [policy-types]
//! "trust/**/*.json" = "trust"
//!
//! [resource-kinds]
//! "buckets/*.json" = "AWS::S3::Bucket"
//!
//! [rules]
//! G006 = "off"                 # by code or name
//! resource-star = "warning"    # re-severity
//!
//! [catalog]
//! extra-services = ["newsvc"]
//! extra-actions = ["ecs:BrandNewAction", "bedrock:New*"]
//!
//! [quotas]
//! identity = 10240
//!
//! [format]
//! indent-width = 2
//!
//! [[suppress]]
//! path = "policies/admin.json"
//! rule = "G005"
//! statement = "BreakGlass"
//! reason = "break-glass role, reviewed by security in 2026-01"
//! ```
//!
//! Parsing never fails: problems are collected in [`Config::problems`] and the rest is used.

use std::collections::HashMap;

mod format;
pub use format::FormatConfig;

use iam_policy::diagnostic::{Diagnostic, Severity, rules};
use iam_policy::model::Policy;
use iam_policy::policy_type::PolicyType;
use iam_policy::resource_kind::{self, ResourceKind};

/// The configuration file name, looked up from the policy's directory upwards.
pub const FILE_NAME: &str = ".iam-policy-ls.toml";

/// What to do with a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    Severity(Severity),
}

/// One suppressed finding (or several, when `statement`/`text` are not given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Glob of the policy files it applies to (`.iam-policy-ls.toml` only; `None`: every file).
    pub path: Option<String>,
    /// Rule code or name.
    pub rule: String,
    /// `Sid` of the statement, or its 1-based index.
    pub statement: Option<String>,
    /// The flagged text must contain this (e.g. the action).
    pub text: Option<String>,
    /// Why: required, shown by `check --show-suppressed`.
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// `(glob, type)` in file order; the first match wins.
    pub policy_types: Vec<(String, PolicyType)>,
    /// `(glob, kind of resource)` in file order; the first match wins (`[resource-kinds]`).
    pub resource_kinds: Vec<(String, &'static ResourceKind)>,
    /// The kind of resource the analysed policy is attached to, when known: set per document by
    /// the caller (a template's resource, or [`Config::resource_kind_for`] of the file). Read by
    /// the checks of resource-based policies (F012-F014).
    pub resource_kind: Option<&'static ResourceKind>,
    /// Rule code or name -> setting.
    pub rules: HashMap<String, RuleSetting>,
    /// Service prefixes to accept as known (lower case).
    pub extra_services: Vec<String>,
    /// Actions or action patterns to accept as known.
    pub extra_actions: Vec<String>,
    /// Size quota per policy type (characters without whitespace).
    pub quotas: HashMap<PolicyType, usize>,
    pub suppress: Vec<Suppression>,
    /// `[format]`: the layout `fmt` and the editor's formatting use.
    pub format: FormatConfig,
    /// Problems found while reading the configuration.
    pub problems: Vec<String>,
}

impl Config {
    /// Parses a `.iam-policy-ls.toml` file. Never fails; see [`Config::problems`].
    #[must_use]
    pub fn from_toml(text: &str) -> Self {
        let mut c = Self::default();
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                c.problems.push(format!("invalid TOML: {}", e.message()));
                return c;
            }
        };
        for (section, value) in &table {
            match (section.as_str(), value) {
                ("policy-types", toml::Value::Table(t)) => {
                    for (glob, ty) in t {
                        match ty.as_str().and_then(PolicyType::parse) {
                            Some(pt) => c.policy_types.push((glob.clone(), pt)),
                            None => c.problems.push(format!(
                                "[policy-types] `{glob}`: expected one of identity, resource, trust, scp, rcp, boundary, session"
                            )),
                        }
                    }
                }
                ("resource-kinds", toml::Value::Table(t)) => {
                    for (glob, kind) in t {
                        match kind.as_str().and_then(resource_kind::find) {
                            Some(k) => c.resource_kinds.push((glob.clone(), k)),
                            None => c.problems.push(format!(
                                "[resource-kinds] `{glob}`: expected one of {}",
                                resource_kind::names()
                            )),
                        }
                    }
                }
                ("rules", toml::Value::Table(t)) => {
                    for (rule, setting) in t {
                        if find_rule(rule).is_none() {
                            c.problems
                                .push(format!("[rules] unknown rule `{rule}` (use a code such as `B002` or a name)"));
                            continue;
                        }
                        let s = setting.as_str().unwrap_or("");
                        let parsed = if s.eq_ignore_ascii_case("off") || s.eq_ignore_ascii_case("none") {
                            Some(RuleSetting::Off)
                        } else {
                            Severity::parse(s).map(RuleSetting::Severity)
                        };
                        match parsed {
                            Some(p) => {
                                c.rules.insert(rule.clone(), p);
                            }
                            None => c.problems.push(format!(
                                "[rules] `{rule}`: expected \"off\", \"error\", \"warning\", \"information\" or \"hint\""
                            )),
                        }
                    }
                }
                ("catalog", toml::Value::Table(t)) => {
                    for (k, v) in t {
                        let list = string_list(v);
                        match (k.as_str(), list) {
                            ("extra-services", Some(l)) => c
                                .extra_services
                                .extend(l.into_iter().map(|s| s.to_ascii_lowercase())),
                            ("extra-actions", Some(l)) => c.extra_actions.extend(l),
                            _ => c.problems.push(format!(
                                "[catalog] `{k}`: expected `extra-services` or `extra-actions` with an array of strings"
                            )),
                        }
                    }
                }
                ("quotas", toml::Value::Table(t)) => {
                    for (k, v) in t {
                        match (PolicyType::parse(k), v.as_integer().and_then(|n| usize::try_from(n).ok())) {
                            (Some(pt), Some(n)) => {
                                c.quotas.insert(pt, n);
                            }
                            _ => c.problems.push(format!(
                                "[quotas] `{k}`: expected a policy type and a positive number of characters"
                            )),
                        }
                    }
                }
                ("suppress", toml::Value::Array(items)) => {
                    for item in items {
                        match suppression(item, true) {
                            Ok(s) => c.suppress.push(s),
                            Err(e) => c.problems.push(format!("[[suppress]]: {e}")),
                        }
                    }
                }
                ("format", toml::Value::Table(t)) => {
                    c.format = FormatConfig::parse(t, &mut c.problems);
                }
                (other, _) => c.problems.push(format!(
                    "unknown or malformed section `{other}` (expected policy-types, resource-kinds, rules, catalog, quotas, format, suppress)"
                )),
            }
        }
        c
    }

    /// The configured type of a policy at `path` (relative to the configuration's directory,
    /// `/`-separated).
    #[must_use]
    pub fn policy_type_for(&self, path: &str) -> Option<PolicyType> {
        self.policy_types
            .iter()
            .find(|(g, _)| glob_path(g, path))
            .map(|(_, t)| *t)
    }

    /// The configured kind of resource of a policy at `path` (relative to the configuration's
    /// directory, `/`-separated).
    #[must_use]
    pub fn resource_kind_for(&self, path: &str) -> Option<&'static ResourceKind> {
        self.resource_kinds
            .iter()
            .find(|(g, _)| glob_path(g, path))
            .map(|(_, k)| *k)
    }

    /// This configuration for a policy attached to `kind` (a clone only when it differs).
    #[must_use]
    pub fn with_resource_kind(
        &self,
        kind: Option<&'static ResourceKind>,
    ) -> std::borrow::Cow<'_, Self> {
        if self.resource_kind == kind {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut c = self.clone();
            c.resource_kind = kind;
            std::borrow::Cow::Owned(c)
        }
    }

    /// The suppressions that apply to `path` (relative, `/`-separated).
    #[must_use]
    pub fn suppressions_for(&self, path: &str) -> Vec<Suppression> {
        self.suppress
            .iter()
            .filter(|s| s.path.as_deref().is_none_or(|g| glob_path(g, path)))
            .cloned()
            .collect()
    }

    /// Whether `action` (`prefix:Name` or a pattern) is accepted by `extra-actions`/`extra-services`.
    #[must_use]
    pub fn allows_action(&self, action: &str) -> bool {
        if self.extra_services.is_empty() && self.extra_actions.is_empty() {
            return false;
        }
        let prefix = action.split(':').next().unwrap_or("");
        self.extra_services
            .iter()
            .any(|s| s.eq_ignore_ascii_case(prefix))
            || self
                .extra_actions
                .iter()
                .any(|a| a.eq_ignore_ascii_case(action) || iam_catalog::glob_match_ci(a, action))
    }

    /// Whether the service prefix is accepted by `extra-services`.
    #[must_use]
    pub fn allows_service(&self, prefix: &str) -> bool {
        self.extra_services
            .iter()
            .any(|s| s.eq_ignore_ascii_case(prefix))
            || self.extra_actions.iter().any(|a| {
                a.split(':')
                    .next()
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            })
    }

    /// The size quota for `t`: configured, else the default.
    #[must_use]
    pub fn quota(&self, t: PolicyType) -> Option<usize> {
        self.quotas.get(&t).copied().or_else(|| t.size_quota())
    }

    /// The setting of `rule`, by code or name.
    #[must_use]
    pub fn rule_setting(&self, rule: &crate::Rule) -> Option<RuleSetting> {
        if self.rules.is_empty() {
            return None;
        }
        self.rules
            .get(rule.code)
            .or_else(|| self.rules.get(rule.name))
            .copied()
    }
}

fn string_list(v: &toml::Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_owned))
        .collect()
}

fn find_rule(name: &str) -> Option<&'static crate::Rule> {
    rules::ALL
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(name) || r.name == name)
}

fn suppression(v: &toml::Value, with_path: bool) -> Result<Suppression, String> {
    let t = v.as_table().ok_or("each entry must be a table")?;
    let get = |k: &str| t.get(k).and_then(toml::Value::as_str).map(str::to_owned);
    let rule = get("rule").ok_or("`rule` is required")?;
    if find_rule(&rule).is_none() {
        return Err(format!("unknown rule `{rule}`"));
    }
    let reason = get("reason")
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| format!("suppression of `{rule}` needs a `reason`"))?;
    let statement = match t.get("statement") {
        Some(toml::Value::Integer(n)) => Some(n.to_string()),
        Some(toml::Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    Ok(Suppression {
        path: if with_path { get("path") } else { None },
        rule,
        statement,
        text: get("text"),
        reason,
    })
}

/// Reads a sidecar `<policy>.suppress.json`:
/// `{"suppress": [{"rule": "G005", "statement": "BreakGlass", "reason": "..."}]}`.
pub fn parse_sidecar(text: &str) -> Result<Vec<Suppression>, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let items = v
        .get("suppress")
        .and_then(serde_json::Value::as_array)
        .ok_or("expected {\"suppress\": [...]}")?;
    items
        .iter()
        .map(|item| {
            let t = item
                .as_object()
                .ok_or("each suppression must be an object")?;
            let get = |k: &str| {
                t.get(k)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            };
            let rule = get("rule").ok_or("`rule` is required")?;
            if find_rule(&rule).is_none() {
                return Err(format!("unknown rule `{rule}`"));
            }
            let reason = get("reason")
                .filter(|r| !r.trim().is_empty())
                .ok_or_else(|| format!("suppression of `{rule}` needs a `reason`"))?;
            let statement = match t.get("statement") {
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                _ => None,
            };
            Ok(Suppression {
                path: None,
                rule,
                statement,
                text: get("text"),
                reason,
            })
        })
        .collect()
}

/// Applies rule settings and suppressions. Returns the suppressed findings with their reasons.
pub(crate) fn apply(
    config: &Config,
    suppressions: &[Suppression],
    policy: &Policy,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Diagnostic, String)> {
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for mut d in diagnostics.drain(..) {
        match config.rule_setting(d.rule) {
            Some(RuleSetting::Off) => continue,
            Some(RuleSetting::Severity(s)) => d.severity = s,
            None => {}
        }
        if let Some(s) = suppressions
            .iter()
            .find(|s| suppresses(s, &d, policy, text))
        {
            suppressed.push((d, s.reason.clone()));
        } else {
            kept.push(d);
        }
    }
    *diagnostics = kept;
    suppressed
}

fn suppresses(s: &Suppression, d: &Diagnostic, policy: &Policy, text: &str) -> bool {
    if !(s.rule.eq_ignore_ascii_case(d.rule.code) || s.rule == d.rule.name) {
        return false;
    }
    if let Some(want) = &s.statement {
        let Some(st) = policy
            .statements
            .iter()
            .find(|st| st.range.start <= d.range.start && d.range.end <= st.range.end)
        else {
            return false;
        };
        let by_sid = st.sid.as_ref().is_some_and(|sid| sid.value == *want);
        let by_index = want.parse::<usize>().is_ok_and(|n| n == st.index + 1);
        if !by_sid && !by_index {
            return false;
        }
    }
    if let Some(fragment) = &s.text {
        let flagged = text
            .get(d.range.start as usize..d.range.end as usize)
            .unwrap_or("");
        if !flagged.contains(fragment.as_str()) && !d.message.contains(fragment.as_str()) {
            return false;
        }
    }
    true
}

/// Glob over `/`-separated paths: `*` and `?` within a segment, `**` across segments. A glob
/// without `/` matches the file name in any directory.
#[must_use]
pub fn glob_path(glob: &str, path: &str) -> bool {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    if !glob.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        return seg_match(glob.as_bytes(), name.as_bytes());
    }
    let g: Vec<&str> = glob.trim_start_matches("./").split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    segs_match(&g, &p)
}

fn segs_match(g: &[&str], p: &[&str]) -> bool {
    match g.split_first() {
        None => p.is_empty(),
        Some((&"**", rest)) => (0..=p.len()).any(|i| segs_match(rest, &p[i..])),
        Some((first, rest)) => match p.split_first() {
            Some((pf, prest)) => {
                seg_match(first.as_bytes(), pf.as_bytes()) && segs_match(rest, prest)
            }
            None => false,
        },
    }
}

fn seg_match(p: &[u8], t: &[u8]) -> bool {
    match p.split_first() {
        None => t.is_empty(),
        Some((b'*', rest)) => (0..=t.len()).any(|i| seg_match(rest, &t[i..])),
        Some((b'?', rest)) => !t.is_empty() && seg_match(rest, &t[1..]),
        Some((c, rest)) => t.first() == Some(c) && seg_match(rest, &t[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_path("trust/**/*.json", "trust/a/b/x.json"));
        assert!(glob_path("trust/**/*.json", "trust/x.json"));
        assert!(!glob_path("trust/*.json", "trust/a/x.json"));
        assert!(glob_path("*.scp.json", "org/deny.scp.json"));
        assert!(glob_path("**/*.json", "a.json"));
    }

    #[test]
    fn parses_everything() {
        let c = Config::from_toml(
            r#"
[policy-types]
"trust/**/*.json" = "trust"
[resource-kinds]
"buckets/*.json" = "aws::s3::bucket"
[rules]
G006 = "off"
resource-star = "warning"
[catalog]
extra-services = ["NewSvc"]
extra-actions = ["ecs:Brand*"]
[quotas]
identity = 10240
[[suppress]]
rule = "G005"
statement = "BreakGlass"
reason = "reviewed"
"#,
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.policy_type_for("trust/a/r.json"), Some(PolicyType::Trust));
        assert_eq!(
            c.resource_kind_for("buckets/logs.json").map(|k| k.name),
            Some("AWS::S3::Bucket")
        );
        assert!(c.resource_kind_for("queues/q.json").is_none());
        assert!(c.allows_action("newsvc:Anything"));
        assert!(c.allows_action("ecs:BrandNew"));
        assert!(!c.allows_action("ecs:Other"));
        assert_eq!(c.quota(PolicyType::Identity), Some(10240));
        assert_eq!(c.suppress.len(), 1);
    }

    #[test]
    fn format_table() {
        let c = Config::from_toml(
            "[format]\nindent-width = 2\nindent-style = \"tab\"\ncompact-arrays = true\nline-width = 80\nfinal-newline = false\n",
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(
            c.format,
            FormatConfig {
                indent_width: Some(2),
                use_tabs: Some(true),
                compact_arrays: Some(true),
                line_width: Some(80),
                final_newline: Some(false),
            }
        );
        assert!(Config::from_toml("").format.is_empty());
        // Each bad key or value is one clear problem; the good keys still apply.
        let cases = [
            (
                "indent-width = 0",
                "`indent-width`: expected a number of spaces from 1 to 16, found 0",
            ),
            (
                "indent-width = \"2\"",
                "`indent-width`: expected a number of spaces from 1 to 16",
            ),
            (
                "indent-style = \"tabs\"",
                "`indent-style`: expected \"space\" or \"tab\", found \"tabs\"",
            ),
            (
                "compact-arrays = 1",
                "`compact-arrays`: expected true or false",
            ),
            (
                "line-width = 5",
                "`line-width`: expected a number of columns from 20 to 1000",
            ),
            (
                "final-newline = \"yes\"",
                "`final-newline`: expected true or false",
            ),
            (
                "indent = 2",
                "[format] unknown key `indent` (expected indent-width, indent-style,",
            ),
        ];
        for (line, problem) in cases {
            let other = if line.starts_with("line-width") {
                (
                    "indent-width = 3",
                    FormatConfig {
                        indent_width: Some(3),
                        ..FormatConfig::default()
                    },
                )
            } else {
                (
                    "line-width = 50",
                    FormatConfig {
                        line_width: Some(50),
                        ..FormatConfig::default()
                    },
                )
            };
            let c = Config::from_toml(&format!("[format]\n{line}\n{}\n", other.0));
            assert_eq!(c.problems.len(), 1, "{line}: {:?}", c.problems);
            assert!(c.problems[0].contains(problem), "{line}: {:?}", c.problems);
            assert_eq!(c.format, other.1, "{line}");
        }
        assert_eq!(Config::from_toml("format = 2").problems.len(), 1);
    }

    #[test]
    fn problems_not_panics() {
        let c = Config::from_toml(
            "[rules]\nZ999 = \"off\"\nB002 = \"loud\"\n[[suppress]]\nrule = \"B002\"\n[resource-kinds]\n\"*.json\" = \"AWS::S3::Buckett\"\n",
        );
        assert_eq!(c.problems.len(), 4, "{:?}", c.problems);
        assert!(!Config::from_toml("not toml [").problems.is_empty());
        assert!(parse_sidecar("{\"suppress\": [{\"rule\": \"B002\"}]}").is_err());
        assert_eq!(
            parse_sidecar("{\"suppress\": [{\"rule\": \"B002\", \"reason\": \"new action\"}]}")
                .map(|v| v.len()),
            Ok(1)
        );
    }
}
