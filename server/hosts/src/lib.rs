//! Policies embedded in host documents: CloudFormation and SAM templates (YAML and JSON) and
//! Terraform files. A host document becomes *virtual policy documents*: JSON text, a source map
//! from virtual to host byte ranges, the policy type and the kind of resource it is attached to,
//! and its placeholders (values known only at deploy time). The analysis runs unchanged on the
//! virtual documents; [`analyze`] maps its findings back into the host.

mod address;
pub mod cfn;
mod file;
pub mod json;
pub mod sam;
pub mod terraform;
pub mod value;
pub mod yaml;

use iam_policy::diagnostic::rules;
use iam_syntax::TextRange;
use iam_validate::config::{Config, Suppression};
use iam_validate::{Analysis, Diagnostic, Fix, Options, PolicyType, TextEdit};

pub use address::{Embedded, select as select_policy, select_in as select_policy_in};
pub use file::{FileCheck, check_file, is_host_path};
pub use value::{Placeholder, Segment, SourceMap, Val};

/// The language of a host document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// A YAML CloudFormation/SAM template.
    Yaml,
    /// A JSON CloudFormation/SAM template.
    Json,
    /// A Terraform configuration (`.tf`).
    Terraform,
}

impl HostKind {
    /// The host kind a file name suggests (`.yaml`, `.yml`, `.template`, `.json`, `.tf`);
    /// `.template` files and ones named `.json` are JSON when they start with `{`.
    #[must_use]
    pub fn from_path(path: &str, text: &str) -> Option<Self> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".tf") {
            Some(Self::Terraform)
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Some(Self::Yaml)
        } else if lower.ends_with(".json") {
            Some(Self::Json)
        } else if lower.ends_with(".template") {
            if text.trim_start().starts_with('{') {
                Some(Self::Json)
            } else {
                Some(Self::Yaml)
            }
        } else {
            None
        }
    }

    /// From an LSP language id (`yaml`, `json`, `terraform`, `hcl`, ...).
    #[must_use]
    pub fn from_language_id(id: &str) -> Option<Self> {
        match id {
            "yaml" | "cloudformation" | "cloudformation-yaml" => Some(Self::Yaml),
            "terraform" | "hcl" | "terraform-vars" => Some(Self::Terraform),
            "json" | "jsonc" | "cloudformation-json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Where a policy sits in its host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The resource's logical id (CloudFormation) or block address (Terraform).
    pub owner: String,
    /// `AWS::IAM::Role`, `aws_iam_policy`, ...
    pub resource_type: String,
    /// Property path inside the resource (`Policies/0/PolicyDocument`, `policy`).
    pub path: String,
    /// `None`: inferred from the document.
    pub policy_type: Option<PolicyType>,
    /// The kind of resource a resource-based policy protects (`AWS::S3::Bucket`).
    pub resource_kind: Option<String>,
}

/// One policy of a host document, as JSON the analysis reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualDoc {
    pub site: Site,
    pub text: String,
    pub map: SourceMap,
    /// Which `Fn::If` alternative this is (0 when there is none).
    pub variant: usize,
}

impl VirtualDoc {
    #[must_use]
    pub fn new(site: &Site, text: String, map: SourceMap, variant: usize) -> Self {
        Self {
            site: site.clone(),
            text,
            map,
            variant,
        }
    }

    /// The host range of the whole policy value.
    #[must_use]
    pub fn host_range(&self) -> TextRange {
        self.map.whole
    }

    /// A name for the policy: `TaskRole/Policies/0/PolicyDocument`.
    #[must_use]
    pub fn name(&self) -> String {
        if self.site.path.is_empty() {
            self.site.owner.clone()
        } else {
            format!("{}/{}", self.site.owner, self.site.path)
        }
    }
}

/// The policies of a host document and what prevented reading the rest.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// The document is a template or a Terraform file that can hold policies.
    pub is_host: bool,
    pub docs: Vec<VirtualDoc>,
    /// Host syntax errors (host ranges, message).
    pub syntax_errors: Vec<(TextRange, String)>,
    /// Findings about the host itself (SAM policy templates), in host ranges.
    pub findings: Vec<Diagnostic>,
    /// Policy arguments that read another file (Terraform `file(...)`, `templatefile(...)`).
    pub file_refs: Vec<FileRef>,
}

/// A policy argument that reads its policy from another file:
/// `policy = file("${path.module}/policy.json")` or `templatefile("p.json.tftpl", {...})`. The
/// file is checked as the argument's policy type ([`extract_referenced`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRef {
    /// Where the argument is; its policy type and resource kind apply to the file.
    pub site: Site,
    /// The file, relative to the Terraform file's directory (`${path.module}` and
    /// `${path.root}` read as that directory), `/`-separated, or absolute.
    pub path: String,
    /// `templatefile`: `${...}` and `%{...}` in the file are template values, known only when
    /// Terraform runs (placeholders), and `$${` is a literal `${`.
    pub templated: bool,
    /// The call in the Terraform file.
    pub range: TextRange,
}

/// The policy of a file that a [`FileRef`] reads, as an extraction of that file: analyse it with
/// [`analyze_extraction`] to get findings in the file's own ranges.
#[must_use]
pub fn extract_referenced(text: &str, r: &FileRef) -> Extraction {
    let mut ex = Extraction {
        is_host: true,
        ..Extraction::default()
    };
    let doc = terraform::file_document(text, r.templated);
    cfn::documents(&doc, &r.site, &mut ex.docs);
    ex
}

/// Finds the policies of `text`.
#[must_use]
pub fn extract(kind: HostKind, text: &str) -> Extraction {
    let mut ex = Extraction::default();
    match kind {
        HostKind::Yaml => {
            let parsed = yaml::parse(text);
            let Some(root) = parsed.root else {
                return ex;
            };
            if !cfn::is_template(&root) {
                return ex;
            }
            ex.is_host = true;
            ex.syntax_errors = parsed
                .errors
                .into_iter()
                .map(|r| (r, "YAML syntax error: this text does not parse; fix the indentation, quoting or brackets here".to_owned()))
                .collect();
            let mut sam = sam::SamFindings::default();
            cfn::extract(&root, &mut ex.docs, &mut sam);
            ex.findings = sam.findings;
        }
        HostKind::Json => {
            let parsed = json::parse(text);
            let Some(root) = parsed.root else {
                return ex;
            };
            if !cfn::is_template(&root) {
                return ex;
            }
            ex.is_host = true;
            ex.syntax_errors = parsed
                .errors
                .into_iter()
                .map(|(r, m)| (r, format!("JSON syntax error in the template: {m}")))
                .collect();
            let mut sam = sam::SamFindings::default();
            cfn::extract(&root, &mut ex.docs, &mut sam);
            ex.findings = sam.findings;
        }
        HostKind::Terraform => terraform::extract(text, &mut ex),
    }
    ex
}

/// The analysis of one virtual document.
#[derive(Debug)]
pub struct PolicyAnalysis {
    pub doc: VirtualDoc,
    pub analysis: Analysis,
}

/// A host document with its policies analysed and every finding in host ranges.
#[derive(Debug, Default)]
pub struct HostAnalysis {
    pub is_host: bool,
    pub policies: Vec<PolicyAnalysis>,
    /// All findings in host byte ranges, sorted, without duplicates (`Fn::If` alternatives
    /// share most of their text).
    pub diagnostics: Vec<Diagnostic>,
}

/// Extracts and analyses every policy of `text`. `policy_type` overrides the type of every
/// policy (the `check --policy-type` flag); otherwise each policy has its site's type.
#[must_use]
pub fn analyze(
    kind: HostKind,
    text: &str,
    policy_type: Option<PolicyType>,
    config: &Config,
    suppressions: &[Suppression],
) -> HostAnalysis {
    let ex = extract(kind, text);
    analyze_extraction(ex, text, policy_type, config, suppressions)
}

/// [`analyze`] for an extraction already made.
#[must_use]
pub fn analyze_extraction(
    ex: Extraction,
    text: &str,
    policy_type: Option<PolicyType>,
    config: &Config,
    suppressions: &[Suppression],
) -> HostAnalysis {
    let mut diagnostics = Vec::new();
    for (range, message) in &ex.syntax_errors {
        diagnostics.push(Diagnostic::new(
            &rules::HOST_SYNTAX_ERROR,
            clamp(*range, text),
            message.clone(),
        ));
    }
    diagnostics.extend(ex.findings.iter().cloned());
    let mut policies = Vec::new();
    for doc in ex.docs {
        let options = Options {
            policy_type: policy_type.or(doc.site.policy_type),
            lenient: false,
        };
        // The attached resource's kind (a bucket, a queue) enables the checks F012-F014.
        let kind = doc
            .site
            .resource_kind
            .as_deref()
            .and_then(iam_policy::resource_kind::find);
        let config = config.with_resource_kind(kind);
        let analysis =
            iam_validate::analyze_with_config(&doc.text, &options, &config, suppressions);
        for d in &analysis.diagnostics {
            if let Some(m) = map_diagnostic(d, &doc, text) {
                // Findings that touch a host syntax error describe half-typed text: the
                // syntax error is the one finding there.
                let broken = ex
                    .syntax_errors
                    .iter()
                    .any(|(r, _)| m.range.start <= r.end && r.start <= m.range.end);
                if !broken {
                    diagnostics.push(m);
                }
            }
        }
        policies.push(PolicyAnalysis { doc, analysis });
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
    HostAnalysis {
        is_host: ex.is_host,
        policies,
        diagnostics,
    }
}

/// Rules whose findings stay meaningful when a part of the string is a placeholder: they read
/// only the literal prefix (the service of an action, the `arn:partition:service` of an ARN;
/// F012 and F013 skip values whose service is not literal).
const PARTIAL_SAFE: &[&str] = &[
    "B001", "B007", "C001", "C003", "C004", "C005", "F012", "F013",
];

/// Rules that relate one value to others (`s3:GetObject` covered by `s3:*`): a placeholder's
/// stand-in value (`*`) could be the other side, so they are dropped from documents with
/// placeholders.
const RELATIONAL: &[&str] = &["B008", "C013", "C015", "H001", "H002", "H005"];

/// Whether a finding at `virt` depends on a value unknown before deployment.
#[must_use]
pub fn depends_on_placeholder(map: &SourceMap, virt: TextRange, code: &str) -> bool {
    map.placeholders.iter().any(|p| {
        let touches = if virt.start == virt.end {
            p.virt.start <= virt.start && virt.start <= p.virt.end
        } else {
            virt.start < p.virt.end && p.virt.start < virt.end
        };
        touches && !(p.partial && PARTIAL_SAFE.contains(&code))
    })
}

/// Maps a finding of a virtual document into the host, or `None` when it depends on a
/// placeholder (an unknown value is never a finding). Fixes are kept only when every edit lies
/// in text copied exactly from the host and inserts nothing that needs quoting there.
#[must_use]
pub fn map_diagnostic(d: &Diagnostic, doc: &VirtualDoc, host: &str) -> Option<Diagnostic> {
    if depends_on_placeholder(&doc.map, d.range, d.rule.code) {
        return None;
    }
    if RELATIONAL.contains(&d.rule.code) && !doc.map.placeholders.is_empty() {
        return None;
    }
    let range = clamp(doc.map.map_range(d.range), host);
    let fixes = d
        .fixes
        .iter()
        .filter_map(|f| map_fix(f, doc, host))
        .collect();
    Some(Diagnostic {
        rule: d.rule,
        severity: d.severity,
        range,
        message: d.message.clone(),
        fixes,
    })
}

/// Maps a fix into the host when it is valid there: each edit replaces text inside one exact
/// segment with plain text (no quotes, brackets or line breaks).
#[must_use]
pub fn map_fix(f: &Fix, doc: &VirtualDoc, host: &str) -> Option<Fix> {
    let mut edits = Vec::new();
    for e in &f.edits {
        if let Some(edit) = string_edit(e, doc, host) {
            edits.push(edit);
            continue;
        }
        if !doc.map.is_exact(e.range)
            || e.new_text
                .contains(['"', '\\', '{', '}', '[', ']', '\n', ':', ','])
        {
            return None;
        }
        edits.push(TextEdit {
            range: clamp(doc.map.map_range(e.range), host),
            new_text: e.new_text.clone(),
        });
    }
    Some(Fix {
        title: f.title.clone(),
        edits,
        preferred: f.preferred,
    })
}

/// An edit replacing a whole JSON string by another (`"s3:GetObjekt"` -> `"s3:GetObject"`)
/// becomes an edit of the host scalar's content when that content is copied exactly, and the
/// new text needs no quoting there (a plain YAML scalar takes no leading indicator).
fn string_edit(e: &TextEdit, doc: &VirtualDoc, host: &str) -> Option<TextEdit> {
    let vtext = doc.text.get(e.range.start as usize..e.range.end as usize)?;
    let old_inner = vtext.strip_prefix('"')?.strip_suffix('"')?;
    let new_inner = e.new_text.strip_prefix('"')?.strip_suffix('"')?;
    if new_inner.contains(['"', '\\', '\n', '\'']) || old_inner.contains('\\') {
        return None;
    }
    let inner = TextRange::new(e.range.start + 1, e.range.end - 1);
    if !doc.map.is_exact(inner) {
        return None;
    }
    let target = clamp(doc.map.map_range(inner), host);
    let before = host[..target.start as usize].chars().next_back();
    let quoted = matches!(before, Some('"' | '\''));
    let plain_ok = !new_inner.starts_with([
        '*', '&', '!', '{', '[', '%', '@', '`', '|', '>', '#', '-', '?', ':', ',', ']', '}',
    ]) && !new_inner.contains(": ")
        && !new_inner.contains(" #")
        && !new_inner.ends_with(':');
    (quoted || plain_ok).then(|| TextEdit {
        range: target,
        new_text: new_inner.to_owned(),
    })
}

/// Keeps a range inside `text` and on character boundaries.
#[must_use]
pub fn clamp(r: TextRange, text: &str) -> TextRange {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let fix = |mut o: u32| {
        o = o.min(len);
        while o > 0 && !text.is_char_boundary(o as usize) {
            o -= 1;
        }
        o
    };
    let start = fix(r.start);
    let end = fix(r.end).max(start);
    TextRange::new(start, end)
}
