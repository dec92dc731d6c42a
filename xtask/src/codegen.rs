//! `cargo xtask codegen [--check]`: the files derived from the code and the project's data,
//! written from their sources instead of retyped by hand.
//!
//! - `docs/diagnostics.md`: the rule tables and examples of every group, from the rule registry
//!   (`iam_policy::diagnostic::rules`) and the rule documentation
//!   (`iam_policy::diagnostic::docs`), between `<!-- codegen:NAME -->` and `<!-- /codegen:NAME -->`.
//! - `server/ide/src/completion/popular.rs`: the services offered first when nothing of a prefix
//!   is typed, counted from the AWS managed policies in `tests/corpus/managed`.
//! - `server/catalog/src/curated/regions.rs`: the `PARTITIONS` table (partitions, DNS suffixes,
//!   Regions), between `// codegen:partitions` and `// /codegen:partitions`, from
//!   `server/catalog/data/partitions.json`. That file is extracted from botocore's
//!   `endpoints.json` with `cargo xtask codegen --regions-from <endpoints.json>` when AWS opens a
//!   Region.
//!
//! - The editor settings, from `iam_policy_ls::settings_docs`: the table of the README and the one
//!   of `docs/configuration.md` and of the extension's README (between `<!-- codegen:settings -->` markers), the
//!   `contributes.configuration.properties` of `editors/vscode/package.json`, and
//!   `editors/vscode/src/settings.ts` (what the extension sends to the server).
//!
//! With `--check`, nothing is written and the task fails when a committed file differs from what
//! it would write (CI runs it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use iam_policy::diagnostic::docs::{FixSafety, RULE_DOCS};
use iam_policy::diagnostic::rules;

pub const USAGE: &str = "cargo xtask codegen [--check | --regions-from <botocore endpoints.json>]";

/// The groups of `docs/diagnostics.md`, by the letter of their codes.
const GROUPS: &[(char, &str)] = &[
    ('A', "syntax and grammar"),
    ('B', "actions"),
    ('C', "resources and ARNs"),
    ('D', "conditions and policy variables"),
    ('E', "principals"),
    ('F', "policy-type rules"),
    ('G', "security warnings"),
    ('H', "evaluator-driven"),
    ('I', "host documents (templates)"),
    ('T', "policy tests"),
];

/// How many services `POPULAR_SERVICES` holds.
const POPULAR: usize = 30;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let root = workspace_root();
    let check = match args {
        [] => false,
        [a] if a == "--check" => true,
        [a, file] if a == "--regions-from" => {
            let text = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
            let data = partitions_json(&text)?;
            write_atomically(&root.join(PARTITIONS_DATA), &data)?;
            false
        }
        _ => bail!("usage: {USAGE}"),
    };
    let outputs: Vec<(PathBuf, String)> = vec![
        {
            let path = root.join("docs/diagnostics.md");
            let old = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let new = diagnostics_md(&old)?;
            (path, new)
        },
        (
            root.join("server/ide/src/completion/popular.rs"),
            popular_rs(&root.join("tests/corpus/managed/policies"))?,
        ),
        {
            let path = root.join(REGIONS_RS);
            let old = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let data = std::fs::read_to_string(root.join(PARTITIONS_DATA))
                .with_context(|| format!("reading {PARTITIONS_DATA}"))?;
            (path, regions_rs(&old, &data)?)
        },
    ];
    let mut outputs = outputs;
    outputs.extend(settings_outputs(&root)?);
    let mut stale = Vec::new();
    for (path, text) in outputs {
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old == text {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            write_atomically(&path, &text)?;
            #[allow(clippy::print_stderr)]
            {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    if !stale.is_empty() {
        bail!(
            "out of date (run `cargo xtask codegen` and commit): {}",
            stale.join(", ")
        );
    }
    Ok(())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("codegen-tmp");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))
}

/// Replaces the text between `<!-- codegen:NAME -->` and `<!-- /codegen:NAME -->`.
fn replace_block(text: &str, name: &str, content: &str) -> anyhow::Result<String> {
    let open = format!("<!-- codegen:{name} -->\n");
    let close = format!("<!-- /codegen:{name} -->");
    let start = text
        .find(&open)
        .with_context(|| format!("no `{}` marker", open.trim()))?
        + open.len();
    let end = text[start..]
        .find(&close)
        .with_context(|| format!("no `{close}` marker"))?
        + start;
    Ok(format!("{}{content}{}", &text[..start], &text[end..]))
}

/// The rule tables of `docs/diagnostics.md`.
fn diagnostics_md(old: &str) -> anyhow::Result<String> {
    let docs: BTreeMap<&str, _> = RULE_DOCS.iter().map(|d| (d.code, d)).collect();
    let mut text = old.to_owned();
    let mut counts = String::from("| group | rules |\n|---|---|\n");
    let mut total = 0;
    for (letter, title) in GROUPS {
        let group: Vec<_> = rules::ALL
            .iter()
            .filter(|r| r.code.starts_with(*letter))
            .collect();
        if group.is_empty() {
            continue;
        }
        total += group.len();
        let _ = writeln!(counts, "| {letter} {title} | {} |", group.len());
        let mut table = String::from(
            "| code | name | severity | Access Analyzer | quick fix | what it finds |\n|---|---|---|---|---|---|\n",
        );
        let mut examples = String::from("### Examples\n");
        for r in &group {
            let doc = docs
                .get(r.code)
                .with_context(|| format!("rule {} has no documentation in RULE_DOCS", r.code))?;
            let fix = match doc.fix {
                FixSafety::None => "-",
                FixSafety::Safe => "safe",
                FixSafety::Unsafe => "unsafe",
            };
            let _ = writeln!(
                table,
                "| `{}` | {} | {} | {} | {fix} | {} |",
                r.code,
                r.name,
                r.severity.as_str(),
                r.access_analyzer.unwrap_or("-"),
                r.summary
            );
            let _ = write!(
                examples,
                "\n`{}` {}\n- bad: {}\n- good: {}\n",
                r.code, r.name, doc.bad, doc.good
            );
        }
        text = replace_block(
            &text,
            &format!("rules-{letter}"),
            &format!("{table}\n{examples}"),
        )?;
    }
    let _ = writeln!(counts, "| total | {total} |");
    text = replace_block(&text, "rule-counts", &counts)?;
    for code in docs.keys() {
        if !rules::ALL.iter().any(|r| r.code == *code) {
            bail!("RULE_DOCS documents {code}, which is not in the registry");
        }
    }
    Ok(text)
}

const PARTITIONS_DATA: &str = "server/catalog/data/partitions.json";
const REGIONS_RS: &str = "server/catalog/src/curated/regions.rs";

#[derive(serde::Deserialize, serde::Serialize)]
struct Partitions {
    source: String,
    partitions: Vec<Partition>,
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Partition {
    partition: String,
    #[serde(rename = "dnsSuffix")]
    dns_suffix: String,
    regions: Vec<String>,
}

/// `server/catalog/data/partitions.json` from botocore's `endpoints.json`: each partition's name,
/// DNS suffix and sorted Region names, nothing else.
fn partitions_json(endpoints: &str) -> anyhow::Result<String> {
    let v: serde_json::Value = serde_json::from_str(endpoints).context("endpoints.json")?;
    let mut out = Partitions {
        source: "botocore/data/endpoints.json: partition, dnsSuffix and region names only".into(),
        partitions: Vec::new(),
    };
    for p in v["partitions"]
        .as_array()
        .context("no `partitions` array")?
    {
        let mut regions: Vec<String> = p["regions"]
            .as_object()
            .context("a partition without `regions`")?
            .keys()
            .cloned()
            .collect();
        regions.sort();
        out.partitions.push(Partition {
            partition: p["partition"]
                .as_str()
                .context("partition name")?
                .to_owned(),
            dns_suffix: p["dnsSuffix"].as_str().context("dnsSuffix")?.to_owned(),
            regions,
        });
    }
    Ok(serde_json::to_string_pretty(&out)? + "\n")
}

/// `regions.rs` with its `PARTITIONS` table rewritten from the partitions data.
fn regions_rs(old: &str, data: &str) -> anyhow::Result<String> {
    let data: Partitions = serde_json::from_str(data).context(PARTITIONS_DATA)?;
    let mut table = format!(
        "// Generated by `cargo xtask codegen` from `{PARTITIONS_DATA}`: do not edit.\n\
         #[rustfmt::skip]\n\
         pub static PARTITIONS: &[PartitionDef] = &[\n"
    );
    for p in &data.partitions {
        let _ = writeln!(
            table,
            "    PartitionDef {{\n        name: {:?},\n        dns_suffix: {:?},\n        regions: &[",
            p.partition, p.dns_suffix
        );
        for r in &p.regions {
            let _ = writeln!(table, "            {r:?},");
        }
        table.push_str("        ],\n    },\n");
    }
    table.push_str("];\n");
    let open = "// codegen:partitions\n";
    let close = "// /codegen:partitions";
    let start = old
        .find(open)
        .context("no `// codegen:partitions` marker")?
        + open.len();
    let end = old[start..]
        .find(close)
        .map(|i| start + i)
        .context("no `// /codegen:partitions` marker")?;
    Ok(format!("{}{table}{}", &old[..start], &old[end..]))
}

/// `POPULAR_SERVICES`: the services named by the most managed policies (in `Action` or
/// `NotAction`; each policy counts once per service), most used first, ties by name.
fn popular_rs(dir: &Path) -> anyhow::Result<String> {
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let policy = iam_policy::parse_policy(&text).policy;
        let named: BTreeSet<String> = policy
            .statements
            .iter()
            .flat_map(|st| [&st.action, &st.not_action])
            .flatten()
            .flat_map(|l| &l.items)
            .filter_map(|i| i.value.split_once(':'))
            .map(|(p, _)| p.to_ascii_lowercase())
            .filter(|p| !p.contains(['*', '?']))
            .collect();
        for p in named {
            *uses.entry(p).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = uses.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out = format!(
        "//! Generated by `cargo xtask codegen` from the {files} AWS managed policies in\n\
         //! `tests/corpus/managed`: do not edit.\n\n\
         /// The services offered when nothing of a prefix is typed yet: the {POPULAR} named by the\n\
         /// most AWS managed policies (number of policies whose `Action` or `NotAction` names the\n\
         /// prefix), most used first. Typing one character lists every prefix that starts with it.\n\
         pub const POPULAR_SERVICES: [&str; {POPULAR}] = [\n"
    );
    for (p, _) in ranked.iter().take(POPULAR) {
        let _ = writeln!(out, "    \"{p}\",");
    }
    out.push_str("];\n");
    Ok(out)
}

/// The files that list the editor settings (`iam_policy_ls::settings_docs`).
fn settings_outputs(root: &Path) -> anyhow::Result<Vec<(PathBuf, String)>> {
    use iam_policy_ls::settings_docs;
    let read = |rel: &str| {
        let path = root.join(rel);
        std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))
            .map(|t| (path, t))
    };
    let (readme, text) = read("README.md")?;
    let readme_text = replace_block(&text, "settings", &settings_docs::readme_table())?;
    let (conf, text) = read("docs/configuration.md")?;
    let conf_text = replace_block(&text, "settings", &settings_docs::configuration_table())?;
    let (ext_readme, text) = read("editors/vscode/README.md")?;
    let ext_readme_text = replace_block(&text, "settings", &settings_docs::vscode_readme_table())?;
    let (pkg, text) = read("editors/vscode/package.json")?;
    let pkg_text = package_json(&text, &settings_docs::vscode_properties())?;
    Ok(vec![
        (readme, readme_text),
        (conf, conf_text),
        (ext_readme, ext_readme_text),
        (pkg, pkg_text),
        (
            root.join("editors/vscode/src/settings.ts"),
            settings_docs::vscode_settings_ts(),
        ),
    ])
}

/// `package.json` with the object after `"properties": ` (inside `"configuration"`) replaced by
/// `properties` in their order, pretty-printed at the indentation of the key; the rest of the
/// text is kept.
fn package_json(text: &str, properties: &[(String, serde_json::Value)]) -> anyhow::Result<String> {
    let conf = text
        .find("\"configuration\"")
        .context("package.json has no `configuration`")?;
    let key = text[conf..]
        .find("\"properties\": {")
        .context("package.json has no `configuration.properties`")?
        + conf;
    let open = key + "\"properties\": ".len();
    let line_start = text[..key].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..key];
    // The matching `}`: count braces outside strings.
    let (mut depth, mut in_str, mut escaped, mut close) = (0usize, false, false, None);
    for (i, c) in text[open..].char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close.context("`configuration.properties` is not closed")?;
    let mut pretty = String::from("{");
    for (i, (key, schema)) in properties.iter().enumerate() {
        let value = serde_json::to_string_pretty(schema)?.replace('\n', "\n  ");
        let key = serde_json::to_string(key)?;
        let comma = if i + 1 < properties.len() { "," } else { "" };
        let _ = write!(pretty, "\n  {key}: {value}{comma}");
    }
    pretty.push_str("\n}");
    let body = pretty.replace('\n', &format!("\n{indent}"));
    Ok(format!("{}{body}{}", &text[..open], &text[close..]))
}
