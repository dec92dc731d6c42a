//! The editor settings, one table: each setting's key, who reads it, its JSON schema and its
//! description. `cargo xtask codegen` writes from it the settings table of the README, the one
//! of `docs/configuration.md`, the `contributes.configuration` of the VS Code extension's
//! `package.json` and the list of settings the extension sends (`editors/vscode/src/settings.ts`).
//! A test checks that the server-side keys are exactly those `RawSettings` reads.

use iam_policy::resource_kind;
use iam_validate::PolicyType;
use serde_json::{Value, json};

use crate::config::{DEFAULT_CATALOG_WARN_AFTER_DAYS, DEFAULT_POLICY_GLOBS};

/// Who reads a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// The server (`initializationOptions` / `workspace/didChangeConfiguration`, under
    /// `iamPolicy`); every client can send it.
    Server,
    /// Only the VS Code extension (how it starts and shows the server).
    VsCode,
}

/// One setting.
#[derive(Clone, Debug)]
pub struct Setting {
    /// The key under `iamPolicy` (dotted for nested objects: `inlayHints.wildcardCounts`).
    pub key: &'static str,
    pub reader: Reader,
    /// JSON schema (VS Code's dialect: `type`, `default`, `enum`, `scope`, ...).
    pub schema: Value,
    /// What it does, in Markdown.
    pub doc: String,
    /// Read once at start-up (a change takes effect on restart).
    pub on_restart: bool,
}

impl Setting {
    /// The default value.
    #[must_use]
    pub fn default_value(&self) -> &Value {
        self.schema.get("default").unwrap_or(&Value::Null)
    }
}

fn setting(key: &'static str, reader: Reader, schema: Value, doc: impl Into<String>) -> Setting {
    Setting {
        key,
        reader,
        schema,
        doc: doc.into(),
        on_restart: false,
    }
}

fn restart(mut s: Setting) -> Setting {
    s.on_restart = true;
    s
}

/// Every setting, in the order the docs list them.
#[must_use]
pub fn all() -> Vec<Setting> {
    use Reader::{Server, VsCode};
    let policy_types: Vec<&str> = PolicyType::ALL.iter().map(|t| t.as_str()).collect();
    let kinds: Vec<&str> = resource_kind::ALL.iter().map(|k| k.name).collect();
    let globs = DEFAULT_POLICY_GLOBS
        .iter()
        .map(|g| format!("`{g}`"))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        setting(
            "policyGlobs",
            Server,
            json!({"type": ["array", "null"], "items": {"type": "string"}, "default": null}),
            format!(
                "Globs of files that are always policies; replaces the defaults ({globs}). Any JSON file with a top-level `Statement` is a policy too."
            ),
        ),
        setting(
            "policyTypes",
            Server,
            json!({"type": "object", "default": {}, "additionalProperties": {"type": "string", "enum": policy_types}}),
            "Policy type per glob, e.g. `{\"**/trust/*.json\": \"trust\"}`. A file no glob matches gets its type inferred.",
        ),
        setting(
            "resourceKinds",
            Server,
            json!({"type": "object", "default": {}, "additionalProperties": {"type": "string", "enum": kinds}}),
            "The kind of resource a policy file protects, per glob, e.g. `{\"**/buckets/*.json\": \"AWS::S3::Bucket\"}`: the file is checked as that resource's policy (F012-F014). Templates know the kind by themselves.",
        ),
        setting(
            "lenient",
            Server,
            json!({"type": "boolean", "default": false}),
            "Accept comments and trailing commas in policies.",
        ),
        setting(
            "disabledRules",
            Server,
            json!({"type": "array", "items": {"type": "string"}, "default": []}),
            "Rule codes or names not to report, e.g. `[\"A004\", \"missing-version\"]` (`docs/diagnostics.md`).",
        ),
        restart(setting(
            "pushDiagnostics",
            Server,
            json!({"type": ["boolean", "null"], "default": null}),
            "Force push diagnostics (`textDocument/publishDiagnostics`) on or off. By default the server pushes unless the client pulls `textDocument/diagnostic`.",
        )),
        setting(
            "workspaceDiagnostics",
            Server,
            json!({"type": "boolean", "default": false}),
            "Also publish the findings of every policy file in the workspace folders, opened or not, for clients that do not pull `workspace/diagnostic` (VS Code pulls them itself).",
        ),
        setting(
            "compareWithGit",
            Server,
            json!({"type": ["boolean", "string"], "default": true}),
            "A code lens on each git-tracked policy saying whether it grants new access since `HEAD` (computed on open and save): `true`, `false` (off), or a revision name such as `origin/main` (`docs/access-analysis.md`).",
        ),
        restart(setting(
            "catalogPath",
            Server,
            json!({"type": ["string", "null"], "default": null, "scope": "machine-overridable"}),
            "The AWS catalog to use: a catalog file or a cache directory. By default the newest of the embedded catalog and the copy updated with `iam-policy-ls catalog update` (`docs/catalog.md`).",
        )),
        restart(setting(
            "catalogWarnAfterDays",
            Server,
            json!({"type": "integer", "minimum": 0, "default": DEFAULT_CATALOG_WARN_AFTER_DAYS}),
            "One message at start-up when the AWS catalog in use is older than this many days (0: never). Refresh it with `iam-policy-ls catalog update`.",
        )),
        setting(
            "inlayHints.wildcardCounts",
            Server,
            json!({"type": "boolean", "default": true}),
            "Inlay hint `N actions` after each action pattern with a wildcard.",
        ),
        setting(
            "inlayHints.notActionCounts",
            Server,
            json!({"type": "boolean", "default": true}),
            "Inlay hint `matches N actions` after each `NotAction` value.",
        ),
        restart(setting(
            "logLevel",
            Server,
            json!({"type": "string", "enum": ["error", "warn", "info", "debug", "trace"], "default": "info"}),
            "Log level of the server (its log goes to stderr, which editors show as the server's output; `RUST_LOG` when unset).",
        )),
        restart(setting(
            "server.path",
            VsCode,
            json!({"type": ["string", "null"], "default": null, "scope": "machine-overridable"}),
            "Path to the `iam-policy-ls` binary. When empty, the server bundled with the extension (platform-specific builds) is used, else `iam-policy-ls` on `PATH`. The *IAM Policy* output says which one runs.",
        )),
        restart(setting(
            "server.extraEnv",
            VsCode,
            json!({"type": "object", "default": {}, "additionalProperties": {"type": "string"}}),
            "Extra environment variables for the server process.",
        )),
        setting(
            "inlayHints.enable",
            VsCode,
            json!({"type": "boolean", "default": true}),
            "Show the server's inlay hints at all.",
        ),
        setting(
            "trace.server",
            VsCode,
            json!({"type": "string", "enum": ["off", "messages", "verbose"], "default": "off"}),
            "Trace the LSP messages between VS Code and the server in the output channel.",
        ),
    ]
}

/// The settings table of the README (server settings, one line each).
#[must_use]
pub fn readme_table() -> String {
    let mut out = String::from("| setting | default | meaning |\n|---|---|---|\n");
    for s in all().iter().filter(|s| s.reader == Reader::Server) {
        out.push_str(&format!(
            "| `{}` | `{}` | {} |\n",
            s.key,
            s.default_value(),
            first_sentence(&s.doc)
        ));
    }
    out
}

/// The settings table of the VS Code extension's README (every setting, with its prefix).
#[must_use]
pub fn vscode_readme_table() -> String {
    let mut out = String::from("| setting | default | meaning |\n|---|---|---|\n");
    for s in all() {
        out.push_str(&format!(
            "| `iamPolicy.{}` | `{}` | {} |\n",
            s.key,
            s.default_value(),
            first_sentence(&s.doc)
        ));
    }
    out
}

/// The full settings table of `docs/configuration.md`.
#[must_use]
pub fn configuration_table() -> String {
    let mut out =
        String::from("| setting | read by | type | default | meaning |\n|---|---|---|---|---|\n");
    for s in all() {
        let ty = match s.schema.get("type") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" or "),
            Some(Value::String(t)) => t.clone(),
            _ => String::new(),
        };
        let ty = match s.schema.get("enum").and_then(Value::as_array) {
            Some(values) if values.len() <= 8 => format!(
                "{ty}: {}",
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => ty,
        };
        out.push_str(&format!(
            "| `{}` | {} | {ty} | `{}` | {}{} |\n",
            s.key,
            match s.reader {
                Reader::Server => "server",
                Reader::VsCode => "VS Code",
            },
            s.default_value(),
            s.doc,
            if s.on_restart {
                " Takes effect on restart."
            } else {
                ""
            }
        ));
    }
    out
}

/// The entries of the VS Code extension's `contributes.configuration.properties`, in the
/// table's order: the key (`iamPolicy.<key>`) and its schema with its description.
#[must_use]
pub fn vscode_properties() -> Vec<(String, Value)> {
    let mut props = Vec::new();
    for (order, s) in all().into_iter().enumerate() {
        let mut schema = s.schema.clone();
        if let Value::Object(o) = &mut schema {
            // The settings UI lists them in the table's order.
            o.insert("order".into(), json!(order));
            let mut doc = s.doc.clone();
            if s.on_restart {
                doc.push_str(" Takes effect on restart.");
            }
            o.insert("markdownDescription".into(), Value::String(doc));
        }
        props.push((format!("iamPolicy.{}", s.key), schema));
    }
    props
}

/// `editors/vscode/src/settings.ts`: the settings the extension sends to the server.
#[must_use]
pub fn vscode_settings_ts() -> String {
    let mut out = String::from(
        "// Generated by `cargo xtask codegen` from server/policy-ls/src/settings_docs.rs; do not edit.\n\n/** The settings the server reads (keys under `iamPolicy`) and their defaults. */\nexport const SERVER_SETTINGS: ReadonlyArray<{ key: string; default: unknown }> = [\n",
    );
    for s in all().iter().filter(|s| s.reader == Reader::Server) {
        out.push_str(&format!(
            "  {{ key: \"{}\", default: {} }},\n",
            s.key,
            s.default_value()
        ));
    }
    out.push_str("];\n");
    out
}

fn first_sentence(doc: &str) -> &str {
    // The README gives one line per setting: the description up to its first sentence end
    // (`. ` outside backticks, not the one of `e.g.` or `i.e.`).
    let mut in_code = false;
    for (i, c) in doc.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' if !in_code
                && doc[i + 1..].starts_with(' ')
                && !doc[..i].ends_with("e.g")
                && !doc[..i].ends_with("i.e") =>
            {
                return &doc[..=i];
            }
            _ => {}
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeSet;

    use super::*;
    use crate::config::{RawSettings, Settings};

    /// The server-side keys of the table are exactly the settings `RawSettings` reads (nested
    /// objects by their first component), so the docs cannot name a setting the server ignores
    /// or miss one it reads.
    #[test]
    fn the_table_names_exactly_the_settings_the_server_reads() {
        let raw = serde_json::to_value(RawSettings::default()).unwrap();
        let read: BTreeSet<&str> = raw
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let table: BTreeSet<&str> = all()
            .iter()
            .filter(|s| s.reader == Reader::Server)
            .map(|s| s.key.split('.').next().unwrap_or(s.key))
            .collect();
        assert_eq!(read, table);
    }

    /// Every default in the table is accepted by the server without a problem, and the
    /// server's own defaults are the table's (sending the defaults changes nothing).
    #[test]
    fn the_table_defaults_are_the_server_defaults() {
        let mut sent = serde_json::Map::new();
        for s in all().iter().filter(|s| s.reader == Reader::Server) {
            match s.key.split_once('.') {
                Some((outer, inner)) => {
                    let o = sent.entry(outer.to_owned()).or_insert_with(|| json!({}));
                    o[inner] = s.default_value().clone();
                }
                None => {
                    sent.insert(s.key.to_owned(), s.default_value().clone());
                }
            }
        }
        let sent = Value::Object(sent);
        let settings = Settings::from_json(&json!({ "iamPolicy": sent.clone() }));
        assert!(settings.problems.is_empty(), "{:?}", settings.problems);
        let mut parsed: RawSettings = serde_json::from_value(sent).unwrap();
        // `logLevel`'s default is `RUST_LOG`, else `info`: unset in `RawSettings`.
        assert_eq!(parsed.log_level.as_deref(), Some("info"));
        parsed.log_level = None;
        assert_eq!(
            serde_json::to_value(parsed).unwrap(),
            serde_json::to_value(RawSettings::default()).unwrap()
        );
    }

    #[test]
    fn readme_lines_stop_at_the_first_sentence() {
        assert_eq!(
            first_sentence("Do `a. b` now. Then more."),
            "Do `a. b` now."
        );
        assert_eq!(first_sentence("No end"), "No end");
        assert_eq!(
            first_sentence("Per glob, e.g. `x`. More."),
            "Per glob, e.g. `x`."
        );
    }
}
