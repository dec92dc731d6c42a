//! One policy inside a template or Terraform file, named on the command line:
//! `template.yaml#TaskRole` (the resource's only policy, or its only policy of the wanted type),
//! `template.yaml#TaskRole/Policies/0` (one of several), `main.tf#data.aws_iam_policy_document.app`,
//! and `#Name@1` for the second `Fn::If` alternative. Used by `simulate` (docs/embedded.md).

use std::path::{Path, PathBuf};

use iam_hosts::Embedded;
use iam_validate::PolicyType;

use super::simulate::read;

/// The policy `arg` names when it is a template or Terraform file, with or without a
/// `#fragment`; `Ok(None)` for a plain policy file. `wanted` (the flag's policy type) picks
/// among several policies of one resource.
pub(crate) fn load(arg: &Path, wanted: PolicyType) -> Result<Option<Embedded>, String> {
    let s = arg.to_string_lossy();
    let (file, fragment) = match s.rfind('#') {
        Some(i) if !arg.is_file() => (PathBuf::from(&s[..i]), Some(s[i + 1..].to_owned())),
        _ => (arg.to_path_buf(), None),
    };
    let text = read(&file)?;
    let name = file.to_string_lossy().into_owned();
    iam_hosts::select_policy(&name, &text, fragment.as_deref(), wanted)
}
