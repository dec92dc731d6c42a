//! Building an updated catalog from downloaded Service Reference documents
//! (`iam-policy-ls catalog update`): the documents go through the same
//! converter as `cargo xtask catalog --service-reference`
//! ([`crate::service_reference::convert`], then [`crate::finish`]); what the
//! official format lacks is carried over from a base catalog (the embedded one).
//!
//! Carried over, for services and actions that still exist: the service's
//! display name and page, action descriptions, API documentation links,
//! dependent actions (merged with the document's), "required" flags of
//! resource rows and condition-key descriptions. A service absent from the
//! download keeps the base's data, so nothing known before is lost unless AWS
//! removed it (an action missing from a downloaded service document).
//! No I/O here.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use iam_catalog::Catalog;
use iam_catalog::format::{MetadataData, ServiceData};
use serde_json::Value;

use crate::{Source, SourceService, service_reference};

/// What an update changed compared with the base catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Services in the result that the base lacks.
    pub services_added: Vec<String>,
    /// Services of the base missing from the result (always empty: absent
    /// services keep the base's data; kept for the report's symmetry).
    pub services_removed: Vec<String>,
    /// Actions (`prefix:Name`) in the result that the base lacks.
    pub actions_added: Vec<String>,
    /// Actions of the base that a downloaded document no longer has.
    pub actions_removed: Vec<String>,
    /// Services and actions in the result.
    pub services: usize,
    pub actions: usize,
}

/// One downloaded service: either a fresh document or, when the server
/// answered "not modified", the service's data from the previous update.
#[derive(Debug, Clone)]
pub enum Downloaded {
    Document(Value),
    Unchanged(ServiceData),
}

/// Converts a parsed service document. `None` when it has no `Name`.
pub fn convert_document(v: &Value) -> Option<SourceService> {
    let prefix = v.get("Name").and_then(Value::as_str)?.trim().to_string();
    if prefix.is_empty() {
        return None;
    }
    Some(service_reference::convert(v, &prefix))
}

/// The format version of a service document (`v1.3`), or empty.
pub fn document_version(v: &Value) -> String {
    crate::s(v, "Version")
}

/// Builds the catalog file text from the downloaded services (keyed by
/// prefix) on top of `base`, with `metadata` (source, version, date).
pub fn build(
    base: &Catalog,
    downloaded: BTreeMap<String, Downloaded>,
    metadata: MetadataData,
) -> (String, Summary) {
    let mut services: BTreeMap<String, SourceService> = BTreeMap::new();
    for (prefix, d) in downloaded {
        let svc = match d {
            Downloaded::Document(v) => match convert_document(&v) {
                Some(s) => s,
                None => continue,
            },
            Downloaded::Unchanged(data) => SourceService {
                prefix: prefix.clone(),
                name: String::new(),
                data: expand_urls(data),
                // The Service Reference does not say; carried over from the base below.
                rcp: false,
            },
        };
        services.insert(svc.prefix.to_ascii_lowercase(), svc);
    }
    let mut summary = Summary::default();
    for old in base.services() {
        let key = old.prefix().to_ascii_lowercase();
        match services.get_mut(&key) {
            Some(new) => {
                // Whether RCPs apply is not in the Service Reference: it stays as it was.
                new.rcp |= old.rcp_supported();
                carry_over(old, new, &mut summary);
            }
            None => {
                // Absent from the download: the base's data stays.
                services.insert(
                    key,
                    SourceService {
                        prefix: old.prefix().to_string(),
                        name: old.name().to_string(),
                        data: expand_urls(old.data().clone()),
                        rcp: old.rcp_supported(),
                    },
                );
            }
        }
    }
    for (key, s) in &services {
        if base.service(key).is_none() {
            summary.services_added.push(s.prefix.clone());
        } else {
            continue;
        }
        summary.actions_added.extend(
            s.data
                .actions
                .iter()
                .map(|a| format!("{}:{}", s.prefix, a.name)),
        );
    }
    let text = crate::finish(
        Source {
            metadata,
            services: services.into_values().collect(),
        },
        None,
    );
    if let Ok(c) = Catalog::from_bytes(std::borrow::Cow::Owned(text.clone().into_bytes())) {
        summary.services = c.services().len();
        summary.actions = c.services().map(|s| s.actions().len()).sum();
    }
    summary.actions_added.sort();
    summary.actions_removed.sort();
    (text, summary)
}

/// Turns the compact `=` URLs back into full URLs (the generator compacts again).
fn expand_urls(mut d: ServiceData) -> ServiceData {
    let template = d.api_url.take();
    for a in &mut d.actions {
        if a.url.as_deref() == Some("=") {
            a.url = template.as_ref().map(|(p, s)| format!("{p}{}{s}", a.name));
        }
    }
    d
}

fn carry_over(old: &iam_catalog::Service, new: &mut SourceService, summary: &mut Summary) {
    let old_data = expand_urls(old.data().clone());
    if new.name.is_empty() && !old.name().eq_ignore_ascii_case(old.prefix()) {
        new.name = old.name().to_string();
    }
    if new.data.url.is_empty() {
        new.data.url = old_data.url.clone();
    }
    let old_actions: HashMap<String, &iam_catalog::format::ActionData> = old_data
        .actions
        .iter()
        .map(|a| (a.name.to_ascii_lowercase(), a))
        .collect();
    let mut seen = BTreeSet::new();
    for a in &mut new.data.actions {
        let key = a.name.to_ascii_lowercase();
        seen.insert(key.clone());
        let Some(o) = old_actions.get(&key) else {
            summary
                .actions_added
                .push(format!("{}:{}", new.prefix, a.name));
            continue;
        };
        if a.description.is_empty() {
            a.description = o.description.clone();
        }
        if a.url.is_none() {
            a.url = o.url.clone();
        }
        a.dependent.extend(o.dependent.iter().cloned());
        for r in &mut a.resources {
            if let Some(or) = o.resources.iter().find(|x| x.name == r.name) {
                r.required |= or.required;
            }
        }
    }
    for o in &old_data.actions {
        if !seen.contains(&o.name.to_ascii_lowercase()) {
            summary
                .actions_removed
                .push(format!("{}:{}", old.prefix(), o.name));
        }
    }
    let old_keys: HashMap<String, &str> = old_data
        .keys
        .iter()
        .map(|k| (k.name.to_ascii_lowercase(), k.description.as_str()))
        .collect();
    for k in &mut new.data.keys {
        let norm = crate::norm_key(&k.name).to_ascii_lowercase();
        if k.description.is_empty() {
            if let Some(d) = old_keys.get(&norm) {
                k.description = (*d).to_string();
            }
        }
    }
}
