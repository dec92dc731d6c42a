//! Host documents in the server: CloudFormation/SAM templates (YAML, JSON) and Terraform files,
//! whose embedded policies get every editor feature (see `docs/embedded.md`).
//!
//! A host document is turned into virtual policy documents by `iam-hosts`; each is analysed by
//! the unchanged analysis and kept with its source map ([`HostDoc`]). The features run on the
//! virtual policy under the cursor and their ranges and edits are mapped back into the host
//! (`features.rs`, `edits.rs`). YAML and Terraform documents that hold no policy (CI workflows,
//! compose files, Kubernetes manifests) get nothing: no diagnostics, completion or hover.
//!
//! Speed: on each edit the host is parsed again (tree-sitter, about a millisecond per 100 KB),
//! but a virtual policy whose text and options did not change keeps its analysis (compared by
//! position first, then by text), so a keystroke re-analyses only the policy it touched.

pub mod edits;
pub mod features;
pub mod keys;
pub mod navigation;
pub mod references;
mod splice;

use std::collections::HashMap;
use std::sync::Arc;

use iam_hosts::{HostKind, VirtualDoc};
use iam_policy::diagnostic::rules;
use iam_syntax::TextRange;
use iam_validate::{Analysis, Diagnostic, Options};

use crate::project::Project;

/// One embedded policy with its analysis.
///
/// `doc`'s host offsets are those of the text it was extracted from; `delta` is added to them to
/// get offsets in the current text (policies after an edited resource moved, see `splice.rs`).
/// Always go through the methods below to map a host offset.
#[derive(Clone, Debug)]
pub struct HostPolicy {
    pub doc: Arc<VirtualDoc>,
    pub delta: i64,
    pub options: Options,
    pub analysis: Arc<Analysis>,
    /// The findings mapped into the host, in `doc`'s offsets (before `delta`).
    diagnostics: Arc<Vec<Diagnostic>>,
}

/// `r` moved by `delta` bytes (saturating at 0 and `u32::MAX`).
#[must_use]
pub fn shift(r: TextRange, delta: i64) -> TextRange {
    let f = |o: u32| u32::try_from((i64::from(o) + delta).max(0)).unwrap_or(u32::MAX);
    TextRange::new(f(r.start), f(r.end))
}

impl HostPolicy {
    /// The host range of the whole policy value.
    #[must_use]
    pub fn host_range(&self) -> TextRange {
        shift(self.doc.host_range(), self.delta)
    }

    /// A host range of `doc` (a segment's) in the current text.
    #[must_use]
    pub fn moved(&self, r: TextRange) -> TextRange {
        shift(r, self.delta)
    }

    /// A virtual range mapped into the current text.
    #[must_use]
    pub fn to_host(&self, virt: TextRange, host: &str) -> TextRange {
        iam_hosts::clamp(self.moved(self.doc.map.map_range(virt)), host)
    }

    /// A current host offset in `doc`'s offsets.
    #[must_use]
    pub fn base(&self, host: u32) -> Option<u32> {
        u32::try_from(i64::from(host) - self.delta).ok()
    }
}

/// The analysis of a host document.
#[derive(Debug)]
pub struct HostDoc {
    pub kind: HostKind,
    /// The host text the analysis describes.
    pub text: String,
    pub policies: Vec<HostPolicy>,
    /// Findings about the host itself: syntax errors and SAM findings (current offsets).
    host_findings: Vec<Diagnostic>,
    /// Every finding in host byte ranges, sorted, without duplicates.
    pub diagnostics: Vec<Diagnostic>,
    /// The configuration the analyses used: a cached analysis is reused only under the same one.
    project: Arc<Project>,
    lenient: bool,
    /// The text did not read as a host (see [`still_host`]): it has no policies, so the next
    /// analysis reads the whole text instead of splicing one resource into this one.
    unread: bool,
}

/// How the server treats a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// A policy file (today's path).
    Policy,
    /// A possible host document of this kind.
    Host(HostKind),
}

/// Whether a JSON text may be a template (cheap test before parsing it as one).
fn json_may_be_template(text: &str) -> bool {
    text.contains("\"AWSTemplateFormatVersion\"") || text.contains("\"Resources\"")
}

/// The route of a document, by its language id and its file name. JSON documents go the host
/// way only when they look like templates; `iam-policy` documents are always policies.
#[must_use]
pub fn route(path: &str, language_id: &str, text: &str) -> Route {
    if language_id == "iam-policy" || path.ends_with(".tests.json") {
        return Route::Policy;
    }
    let kind = HostKind::from_language_id(language_id).or_else(|| HostKind::from_path(path, text));
    match kind {
        Some(HostKind::Json) if !json_may_be_template(text) => Route::Policy,
        // A `.template` or `.yaml` path with a JSON language id is JSON.
        Some(HostKind::Yaml) if language_id == "json" => {
            if json_may_be_template(text) {
                Route::Host(HostKind::Json)
            } else {
                Route::Policy
            }
        }
        Some(k) => Route::Host(k),
        None => Route::Policy,
    }
}

/// Extracts and analyses the policies of a host document, reusing the analyses of `previous`
/// for policies whose text and options are unchanged. `None`: not a host document (a YAML file
/// that is no template, a Terraform file without policies, a JSON file that is a plain policy).
/// An edit inside one resource of a YAML template re-reads only that resource (`splice.rs`).
#[must_use]
pub fn analyze(
    kind: HostKind,
    text: String,
    project: &Arc<Project>,
    lenient: bool,
    previous: Option<&HostDoc>,
) -> Option<HostDoc> {
    let previous = previous
        .filter(|p| Arc::ptr_eq(&p.project, project) && p.kind == kind && p.lenient == lenient);
    if let Some(prev) = previous.filter(|p| !p.unread) {
        if let Some(parts) = splice::try_splice(prev, &text) {
            return Some(assemble(kind, text, parts, project, lenient));
        }
    }
    let ex = iam_hosts::extract(kind, &text);
    if !ex.is_host {
        return still_host(kind, text, ex, previous, project, lenient);
    }
    // Previous policies by text, for the ones that moved (a policy added above them).
    let by_text: HashMap<&str, &HostPolicy> = previous
        .map(|p| {
            p.policies
                .iter()
                .map(|hp| (hp.doc.text.as_str(), hp))
                .collect()
        })
        .unwrap_or_default();
    let mut host_findings = Vec::new();
    for (range, message) in &ex.syntax_errors {
        host_findings.push(Diagnostic::new(
            &rules::HOST_SYNTAX_ERROR,
            iam_hosts::clamp(*range, &text),
            message.clone(),
        ));
    }
    host_findings.extend(ex.findings.iter().cloned());
    let mut policies = Vec::with_capacity(ex.docs.len());
    for (i, doc) in ex.docs.into_iter().enumerate() {
        let at_same_place = previous.and_then(|p| p.policies.get(i));
        let reuse = at_same_place
            .filter(|hp| hp.doc.text == doc.text)
            .or_else(|| by_text.get(doc.text.as_str()).copied());
        policies.push(analyze_policy(
            doc,
            &text,
            &ex.syntax_errors,
            Ctx {
                project,
                lenient,
                reuse,
                last: at_same_place,
            },
        ));
    }
    Some(assemble(
        kind,
        text,
        splice::Parts {
            policies,
            host_findings,
        },
        project,
        lenient,
    ))
}

/// A YAML or Terraform document that was a host one edit ago stays one while it does not read
/// as one: a half-typed key (`Act` on a new line of a statement) can make tree-sitter-yaml read
/// the whole template differently, and an HCL block with a bare word does not parse. Until the
/// line is complete the document has no policies (and reports its syntax errors), and completion
/// probes the key being typed (`keys.rs`). JSON documents fall back to the policy path instead.
fn still_host(
    kind: HostKind,
    text: String,
    ex: iam_hosts::Extraction,
    previous: Option<&HostDoc>,
    project: &Arc<Project>,
    lenient: bool,
) -> Option<HostDoc> {
    if kind == HostKind::Json || previous.is_none() {
        return None;
    }
    let host_findings = ex
        .syntax_errors
        .iter()
        .map(|(range, message)| {
            Diagnostic::new(
                &rules::HOST_SYNTAX_ERROR,
                iam_hosts::clamp(*range, &text),
                message.clone(),
            )
        })
        .collect();
    let mut doc = assemble(
        kind,
        text,
        splice::Parts {
            policies: Vec::new(),
            host_findings,
        },
        project,
        lenient,
    );
    doc.unread = true;
    Some(doc)
}

/// What the analysis of one policy may reuse.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    project: &'a Arc<Project>,
    lenient: bool,
    /// A policy of the previous analysis with the same text.
    reuse: Option<&'a HostPolicy>,
    /// The policy at the same place before the edit (statement-level reuse).
    last: Option<&'a HostPolicy>,
}

/// Analyses one extracted policy (or reuses the analysis of the same text) and maps its findings
/// into `host` (the text it was extracted from).
fn analyze_policy(
    doc: VirtualDoc,
    host: &str,
    syntax_errors: &[(TextRange, String)],
    cx: Ctx<'_>,
) -> HostPolicy {
    let options = Options {
        policy_type: doc.site.policy_type,
        lenient: cx.lenient,
    };
    let reused = cx
        .reuse
        .filter(|hp| hp.doc.text == doc.text && hp.options.policy_type == options.policy_type)
        .map(|hp| Arc::clone(&hp.analysis));
    let analysis = reused.unwrap_or_else(|| {
        let last = cx
            .last
            .filter(|hp| hp.doc.site == doc.site && hp.doc.variant == doc.variant);
        Arc::new(iam_validate::analyze_incremental(
            &doc.text,
            &options,
            &cx.project.config,
            &cx.project.suppressions,
            last.map(|hp| hp.analysis.as_ref()),
        ))
    });
    let mut diagnostics = Vec::new();
    for d in &analysis.diagnostics {
        if let Some(m) = iam_hosts::map_diagnostic(d, &doc, host) {
            // Findings that touch a host syntax error describe half-typed text: the syntax
            // error is the one finding there.
            let broken = syntax_errors
                .iter()
                .any(|(r, _)| m.range.start <= r.end && r.start <= m.range.end);
            if !broken {
                diagnostics.push(m);
            }
        }
    }
    HostPolicy {
        doc: Arc::new(doc),
        delta: 0,
        options,
        analysis,
        diagnostics: Arc::new(diagnostics),
    }
}

/// The document's findings: the host's own and every policy's, moved to current offsets, sorted
/// and without duplicates (`Fn::If` alternatives share most of their text).
fn assemble(
    kind: HostKind,
    text: String,
    parts: splice::Parts,
    project: &Arc<Project>,
    lenient: bool,
) -> HostDoc {
    let mut diagnostics = parts.host_findings.clone();
    for p in &parts.policies {
        for d in p.diagnostics.iter() {
            let mut d = d.clone();
            if p.delta != 0 {
                d.range = shift(d.range, p.delta);
                for f in &mut d.fixes {
                    for e in &mut f.edits {
                        e.range = shift(e.range, p.delta);
                    }
                }
            }
            diagnostics.push(d);
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule.code, &a.message).cmp(&(
            b.range.start,
            b.range.end,
            b.rule.code,
            &b.message,
        ))
    });
    diagnostics.dedup_by(|a, b| a.range == b.range && a.rule == b.rule && a.message == b.message);
    HostDoc {
        kind,
        text,
        policies: parts.policies,
        host_findings: parts.host_findings,
        diagnostics,
        project: Arc::clone(project),
        lenient,
        unread: false,
    }
}

impl HostDoc {
    /// The policy whose host text holds `offset`, with the offset in its virtual text. Only the
    /// first `Fn::If` alternative is used (they share their text). An offset inside a string
    /// whose text is not copied exactly (an empty string, an escape) maps to its start.
    #[must_use]
    pub fn at(&self, offset: u32) -> Option<(&HostPolicy, u32)> {
        let mut best: Option<(&HostPolicy, u32, u32)> = None;
        for p in &self.policies {
            let whole = p.host_range();
            if offset < whole.start || offset > whole.end {
                continue;
            }
            let width = whole.end - whole.start;
            if best.is_some_and(|(_, _, w)| w <= width) {
                continue;
            }
            let Some(base) = p.base(offset) else {
                continue;
            };
            if let Some(v) = p.doc.map.to_virtual(base).or_else(|| in_string(p, base)) {
                best = Some((p, v, width));
            }
        }
        best.map(|(p, v, _)| (p, v))
    }
}

/// An offset (of `doc`) inside a string value whose content has no exact segment (`""`, `''`): the
/// virtual offset just after the opening quote.
fn in_string(p: &HostPolicy, offset: u32) -> Option<u32> {
    let text = p.doc.text.as_bytes();
    p.doc
        .map
        .segments
        .iter()
        .filter(|s| {
            !s.exact
                && s.host.start < offset
                && offset < s.host.end.max(s.host.start + 1)
                && text.get(s.virt.start as usize) == Some(&b'"')
                && s.virt.end == s.virt.start + 2
                && text.get(s.virt.end as usize - 1) == Some(&b'"')
        })
        .min_by_key(|s| s.host.end - s.host.start)
        .map(|s| s.virt.start + 1)
}
