//! [`Service`]: one service, its body decoded on first use.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::condition_key::KeyInner;
use crate::format::ServiceData;
use crate::{ActionRef, ConditionKeyRef, ResourceTypeRef, matching};

/// A service (prefix). Its actions, resource types and keys are decoded on first use.
pub struct Service {
    pub(crate) prefix: String,
    pub(crate) name: String,
    pub(crate) retired: bool,
    pub(crate) rcp: bool,
    pub(crate) arn_services: Vec<String>,
    pub(crate) key_prefixes: Vec<String>,
    pub(crate) source: crate::compact::Source,
    pub(crate) body: OnceLock<Body>,
}

impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Service")
            .field("prefix", &self.prefix)
            .field("name", &self.name)
            .field("retired", &self.retired)
            .finish()
    }
}

pub(crate) struct Body {
    pub(crate) data: ServiceData,
    pub(crate) actions: HashMap<String, usize>,
    pub(crate) resources: HashMap<String, usize>,
    pub(crate) keys: HashMap<String, usize>,
    pub(crate) key_templates: Vec<usize>,
}

impl Service {
    pub(crate) fn body(&self) -> &Body {
        self.body.get_or_init(|| {
            let line = self.source.line();
            let data: ServiceData = serde_json::from_str(&line).unwrap_or_default();
            let actions = data
                .actions
                .iter()
                .enumerate()
                .map(|(i, a)| (a.name.to_ascii_lowercase(), i))
                .collect();
            let resources = data
                .resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name.to_ascii_lowercase(), i))
                .collect();
            let mut keys = HashMap::new();
            let mut key_templates = Vec::new();
            for (i, k) in data.keys.iter().enumerate() {
                if matching::is_template(&k.name) {
                    key_templates.push(i);
                }
                keys.insert(k.name.to_ascii_lowercase(), i);
            }
            Body {
                data,
                actions,
                resources,
                keys,
                key_templates,
            }
        })
    }

    /// The service's decoded record as the generator wrote it (the generator
    /// reads it to carry data over into an updated catalog).
    pub fn data(&self) -> &ServiceData {
        &self.body().data
    }

    /// Service prefix (`ecs`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Display name (`Amazon Elastic Container Service`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Retired service: still seen in AWS managed policies, but removed by AWS.
    pub fn is_retired(&self) -> bool {
        self.retired
    }

    /// Whether resource control policies apply to the service.
    pub fn rcp_supported(&self) -> bool {
        self.rcp
    }

    /// Service Authorization Reference page (may be empty).
    pub fn documentation_url(&self) -> &str {
        &self.body().data.url
    }

    /// Actions sorted by name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = ActionRef<'_>> + '_ {
        self.body().data.actions.iter().map(move |a| ActionRef {
            service: self,
            data: a,
        })
    }

    /// An action by name without prefix (case-insensitive).
    pub fn action(&self, name: &str) -> Option<ActionRef<'_>> {
        let b = self.body();
        let i = if name.bytes().any(|c| c.is_ascii_uppercase()) {
            b.actions.get(&name.to_ascii_lowercase())
        } else {
            b.actions.get(name)
        }?;
        b.data.actions.get(*i).map(|a| ActionRef {
            service: self,
            data: a,
        })
    }

    /// Resource types sorted by name.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceTypeRef<'_>> + '_ {
        self.body()
            .data
            .resources
            .iter()
            .map(move |r| ResourceTypeRef {
                service: self,
                data: r,
            })
    }

    /// A resource type by name (case-insensitive).
    pub fn resource_type(&self, name: &str) -> Option<ResourceTypeRef<'_>> {
        let b = self.body();
        let i = b.resources.get(&name.to_ascii_lowercase())?;
        b.data.resources.get(*i).map(|r| ResourceTypeRef {
            service: self,
            data: r,
        })
    }

    /// Condition keys defined by the service (including the `aws:` tag keys it lists).
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKeyRef<'_>> + '_ {
        self.body().data.keys.iter().map(move |k| ConditionKeyRef {
            inner: KeyInner::Service(self, k),
        })
    }

    pub(crate) fn find_key(&self, lower: &str) -> Option<ConditionKeyRef<'_>> {
        let b = self.body();
        if let Some(&i) = b.keys.get(lower) {
            return b.data.keys.get(i).map(|k| ConditionKeyRef {
                inner: KeyInner::Service(self, k),
            });
        }
        b.key_templates
            .iter()
            .filter_map(|&i| b.data.keys.get(i))
            .find(|k| matching::template_match_ci(&k.name, lower))
            .map(|k| ConditionKeyRef {
                inner: KeyInner::Service(self, k),
            })
    }
}
