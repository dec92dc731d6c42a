//! [`ActionRef`] and [`ActionResource`]: an action and its resource rows.

use std::fmt;

use crate::format::{ActionData, ActionResourceData};
use crate::{AccessLevel, ResourceTypeRef, Service, catalog, matching};

/// An action of a service.
#[derive(Clone, Copy)]
pub struct ActionRef<'a> {
    pub(crate) service: &'a Service,
    pub(crate) data: &'a ActionData,
}

impl fmt::Debug for ActionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service.prefix, self.data.name)
    }
}

impl fmt::Display for ActionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service.prefix, self.data.name)
    }
}

impl PartialEq for ActionRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.data, other.data)
    }
}

impl Eq for ActionRef<'_> {}

impl<'a> ActionRef<'a> {
    /// Canonical name without prefix (`RunTask`).
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// Service prefix (`ecs`).
    pub fn prefix(&self) -> &'a str {
        &self.service.prefix
    }

    /// `ecs:RunTask`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service.prefix, self.data.name)
    }

    pub fn service(&self) -> &'a Service {
        self.service
    }

    pub fn access_level(&self) -> AccessLevel {
        AccessLevel::parse(&self.data.access).unwrap_or(AccessLevel::Write)
    }

    /// May be empty (the official Service Reference format has no descriptions).
    pub fn description(&self) -> &'a str {
        &self.data.description
    }

    /// API reference page when known, else the service's Service Authorization
    /// Reference page.
    pub fn documentation_url(&self) -> String {
        let body = self.service.body();
        match self.data.url.as_deref() {
            Some("=") => match &body.data.api_url {
                Some((p, s)) => format!("{p}{}{s}", self.data.name),
                None => body.data.url.clone(),
            },
            Some(u) => u.to_string(),
            None => body.data.url.clone(),
        }
    }

    /// Resource types the action accepts. Empty means it only accepts `"*"`.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ActionResource<'a>> + 'a {
        let service = self.service;
        self.data
            .resources
            .iter()
            .map(move |r| ActionResource { service, data: r })
    }

    /// True when the action has no resource types (Resource must be `"*"`).
    pub fn accepts_only_wildcard_resource(&self) -> bool {
        self.data.resources.is_empty()
    }

    /// Condition keys listed on the action row itself (canonical templates).
    pub fn condition_keys(&self) -> &'a [String] {
        &self.data.keys
    }

    /// Every condition key usable with the action: its own keys, the keys of
    /// its resource rows and the keys of its resource types; sorted, unique.
    pub fn all_condition_keys(&self) -> Vec<&'a str> {
        let mut v: Vec<&'a str> = self.data.keys.iter().map(String::as_str).collect();
        for r in &self.data.resources {
            v.extend(r.keys.iter().map(String::as_str));
            let rt = ActionResource {
                service: self.service,
                data: r,
            };
            if let Some(t) = rt.resource_type() {
                v.extend(t.condition_keys().iter().map(String::as_str));
            }
        }
        v.sort_unstable_by_key(|k| k.to_ascii_lowercase());
        v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        v
    }

    /// Whether `key` (concrete or template, case-insensitive) is one of
    /// [`all_condition_keys`](Self::all_condition_keys), or a global key.
    pub fn supports_condition_key(&self, key: &str) -> bool {
        let lower = key.trim().to_ascii_lowercase();
        if self.lists_key_lower(&lower) {
            return true;
        }
        self.all_condition_keys()
            .iter()
            .any(|k| matching::is_template(k) && matching::template_match_ci(k, &lower))
            || catalog_global_lookup(&lower)
    }

    pub(crate) fn lists_key_lower(&self, lower: &str) -> bool {
        self.all_condition_keys()
            .iter()
            .any(|k| k.eq_ignore_ascii_case(lower))
    }

    /// Dependent actions (`iam:PassRole` for `ecs:RunTask`).
    pub fn dependent_actions(&self) -> &'a [String] {
        &self.data.dependent
    }
}

pub(crate) fn catalog_global_lookup(lower: &str) -> bool {
    let c = catalog();
    c.global_exact.contains_key(lower)
        || c.global_templates
            .iter()
            .filter_map(|&i| c.globals.get(i))
            .any(|g| matching::template_match_ci(g.def.name, lower))
}

/// A resource type row of an action.
#[derive(Clone, Copy)]
pub struct ActionResource<'a> {
    pub(crate) service: &'a Service,
    pub(crate) data: &'a ActionResourceData,
}

impl fmt::Debug for ActionResource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.data.name,
            if self.data.required { "*" } else { "" }
        )
    }
}

impl<'a> ActionResource<'a> {
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// Required resource type (marked `*` in the AWS tables). Always false for
    /// catalogs generated from the official Service Reference format.
    pub fn is_required(&self) -> bool {
        self.data.required
    }

    /// Condition keys listed for this resource type in the action's row.
    pub fn condition_keys(&self) -> &'a [String] {
        &self.data.keys
    }

    /// The resource type definition (ARN formats, keys).
    pub fn resource_type(&self) -> Option<ResourceTypeRef<'a>> {
        self.service.resource_type(&self.data.name)
    }
}
