//! A host file on disk, as `check DIR` and the workspace report see it: which files may hold
//! embedded policies, and what one file holds.

use std::path::Path;

use iam_validate::config::{Config, Suppression};

use crate::{FileRef, HostAnalysis, HostKind, VirtualDoc};

/// Files found in directories that may hold embedded policies, besides `*.json` (a JSON file
/// is a template or a policy, decided by its text).
#[must_use]
pub fn is_host_path(path: &Path) -> bool {
    path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        x.eq_ignore_ascii_case("yaml")
            || x.eq_ignore_ascii_case("yml")
            || x.eq_ignore_ascii_case("template")
            || x.eq_ignore_ascii_case("tf")
    })
}

/// What a file holds.
#[derive(Debug)]
pub enum FileCheck {
    /// Not a host document: a file of another extension, or a `*.json` file that is not a
    /// template (it is checked as a policy).
    NotHost,
    /// A YAML file that is not a template, or a Terraform file without a policy-bearing
    /// argument or `aws_iam_policy_document` block.
    NoPolicy(HostKind),
    /// A template or Terraform file holding policies.
    Host {
        kind: HostKind,
        /// Distinct embedded policies (the alternatives of one `Fn::If` count once).
        policies: usize,
        /// Every finding in host byte ranges.
        analysis: HostAnalysis,
        /// Policy files that Terraform arguments read (`file(...)`, `templatefile(...)`).
        references: Vec<FileRef>,
    },
}

impl FileCheck {
    /// Why a file that holds no policy was left out, in words for a person.
    #[must_use]
    pub fn why_no_policy(kind: HostKind) -> &'static str {
        match kind {
            HostKind::Terraform => "no policy-bearing argument or `aws_iam_policy_document` block",
            _ => "not a CloudFormation or SAM template",
        }
    }
}

/// Checks `text`, read from the file `name`, as a host document: each embedded policy has the
/// type of its place in the template (the per-glob policy types of a configuration name
/// policy files, not templates).
#[must_use]
pub fn check_file(
    name: &str,
    text: &str,
    config: &Config,
    suppressions: &[Suppression],
) -> FileCheck {
    let Some(kind) = HostKind::from_path(name, text) else {
        return FileCheck::NotHost;
    };
    let ex = crate::extract(kind, text);
    if !ex.is_host {
        return if kind == HostKind::Json {
            FileCheck::NotHost
        } else {
            FileCheck::NoPolicy(kind)
        };
    }
    let mut names: Vec<String> = ex.docs.iter().map(VirtualDoc::name).collect();
    names.dedup();
    let references = ex.file_refs.clone();
    let analysis = crate::analyze_extraction(ex, text, None, config, suppressions);
    FileCheck::Host {
        kind,
        policies: names.len(),
        analysis,
        references,
    }
}
