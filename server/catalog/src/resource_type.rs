//! [`ResourceTypeRef`] and [`ArnMatch`]: resource types and ARN matching results.

use std::fmt;

use crate::format::ResourceData;
use crate::{ActionRef, Service, matching};

/// A resource type of a service.
#[derive(Clone, Copy)]
pub struct ResourceTypeRef<'a> {
    pub(crate) service: &'a Service,
    pub(crate) data: &'a ResourceData,
}

impl fmt::Debug for ResourceTypeRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.service.prefix, self.data.name)
    }
}

impl<'a> ResourceTypeRef<'a> {
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    pub fn service(&self) -> &'a Service {
        self.service
    }

    /// ARN formats (`arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}`).
    pub fn arn_formats(&self) -> &'a [String] {
        &self.data.arns
    }

    /// Condition keys of the resource type.
    pub fn condition_keys(&self) -> &'a [String] {
        &self.data.keys
    }

    /// Whether a concrete or wildcarded ARN matches one of the formats (see
    /// [`Catalog::match_arn`] for the rules; both tiers are tried).
    pub fn matches_arn(&self, arn: &str) -> bool {
        self.data
            .arns
            .iter()
            .any(|f| matching::arn_match(f, arn, true) || matching::arn_match(f, arn, false))
    }

    /// Actions of the service that accept this resource type.
    pub fn actions(&self) -> Vec<ActionRef<'a>> {
        let service = self.service;
        service
            .body()
            .data
            .actions
            .iter()
            .filter(|a| {
                a.resources
                    .iter()
                    .any(|r| r.name.eq_ignore_ascii_case(&self.data.name))
            })
            .map(|a| ActionRef { service, data: a })
            .collect()
    }
}

/// A resource type matched by [`Catalog::match_arn`].
#[derive(Debug, Clone, Copy)]
pub struct ArnMatch<'a> {
    pub resource_type: ResourceTypeRef<'a>,
    /// The ARN format that matched.
    pub format: &'a str,
    pub(crate) score: (usize, usize),
}
