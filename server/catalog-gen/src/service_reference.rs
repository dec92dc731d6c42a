//! Reader for AWS's official Service Reference files
//! (`https://servicereference.us-east-1.amazonaws.com/v1/<svc>/<svc>.json`),
//! one JSON file per service in a directory (or its `aws_services/`
//! subdirectory). Files whose name starts with `_` are skipped, except
//! `_manifest.json`, whose `download_date` is the data date.
//!
//! The format has no descriptions, no "required" flag and no service display
//! names; dependent actions come from `Operations[].AuthorizedActions` when present.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use iam_catalog::format::{ActionResourceData, KeyData, MetadataData, ResourceData, ServiceData};
use serde_json::Value;

use super::{Source, SourceService, access_from_flags, action, b, objs, read_json, s, strs};

fn files_dir(dir: &Path) -> PathBuf {
    let sub = dir.join("aws_services");
    if sub.is_dir() { sub } else { dir.to_path_buf() }
}

pub fn read(dir: &Path, source_date: Option<&str>) -> Result<Source> {
    let dir = files_dir(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('_'))
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        bail!("{}: no service JSON files", dir.display());
    }
    let date = match source_date {
        Some(d) => d.to_string(),
        None => {
            let m = dir.join("_manifest.json");
            if !m.is_file() {
                bail!(
                    "{}: no _manifest.json; pass --source-date YYYY-MM-DD",
                    dir.display()
                );
            }
            s(&read_json(&m)?, "download_date")
        }
    };
    let mut versions = std::collections::BTreeSet::new();
    let mut services = Vec::new();
    for p in paths {
        let v = read_json(&p)?;
        let prefix = s(&v, "Name");
        if prefix.is_empty() {
            continue;
        }
        let ver = s(&v, "Version");
        if !ver.is_empty() {
            versions.insert(ver);
        }
        services.push(convert(&v, &prefix));
    }
    Ok(Source {
        metadata: MetadataData {
            source: "service-reference".to_string(),
            // The highest format version seen.
            version: versions.into_iter().next_back().unwrap_or_default(),
            date,
            overlay: None,
        },
        services,
    })
}

/// Converts one service document (already parsed) into a source service.
pub fn convert(v: &Value, prefix: &str) -> SourceService {
    let mut data = ServiceData {
        prefix: prefix.to_string(),
        ..ServiceData::default()
    };
    // Operations: API operation -> actions it authorizes.
    let mut authorized: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for op in objs(v, "Operations") {
        let name = s(op, "Name");
        for aa in objs(op, "AuthorizedActions") {
            let (n, svc) = (s(aa, "Name"), s(aa, "Service"));
            if n.is_empty() || svc.is_empty() {
                continue;
            }
            if svc.eq_ignore_ascii_case(prefix) && n.eq_ignore_ascii_case(&name) {
                continue;
            }
            authorized
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(format!("{svc}:{n}"));
        }
    }
    for a in objs(v, "Actions") {
        let props = a
            .get("Annotations")
            .and_then(|x| x.get("Properties"))
            .unwrap_or(&Value::Null);
        let access = access_from_flags(
            b(props, "IsPermissionManagement"),
            b(props, "IsTaggingOnly"),
            b(props, "IsWrite"),
            b(props, "IsList"),
        );
        let mut act = action(&s(a, "Name"), access, "");
        act.keys = strs(a, "ActionConditionKeys");
        act.resources = objs(a, "Resources")
            .into_iter()
            .map(|r| ActionResourceData {
                name: s(r, "Name"),
                required: false,
                keys: Vec::new(),
            })
            .filter(|r| !r.name.is_empty())
            .collect();
        if let Some(deps) = authorized.get(&act.name.to_ascii_lowercase()) {
            act.dependent = deps.clone();
        }
        if !act.name.is_empty() {
            data.actions.push(act);
        }
    }
    for r in objs(v, "Resources") {
        data.resources.push(ResourceData {
            name: s(r, "Name"),
            arns: strs(r, "ARNFormats"),
            keys: strs(r, "ConditionKeys"),
        });
    }
    for k in objs(v, "ConditionKeys") {
        let ty = strs(k, "Types")
            .into_iter()
            .next()
            .unwrap_or_else(|| "String".to_string());
        data.keys.push(KeyData {
            name: s(k, "Name"),
            ty,
            description: String::new(),
        });
    }
    SourceService {
        prefix: prefix.to_string(),
        name: String::new(),
        // The Service Reference does not say which services RCPs apply to.
        rcp: false,
        data,
    }
}
