//! SAM `Policies`: inline documents, policy templates and managed policy names.

use iam_validate::Diagnostic;

use crate::value::Val;
use crate::{Site, VirtualDoc, cfn};

/// Findings about SAM constructs (host ranges).
#[derive(Debug, Default)]
pub struct SamFindings {
    pub findings: Vec<Diagnostic>,
}

/// The `Policies` property of a SAM function or state machine: one entry or a list of them.
pub fn policies(v: &Val, site: &Site, out: &mut Vec<VirtualDoc>, sam: &mut SamFindings) {
    match v {
        Val::Seq { items, .. } => {
            for (i, item) in items.iter().enumerate() {
                let site = Site {
                    path: format!("{}/{i}", site.path),
                    ..site.clone()
                };
                entry(item, &site, out, sam);
            }
        }
        other => entry(other, site, out, sam),
    }
}

#[allow(clippy::only_used_in_recursion)] // SAM templates report through `sam` (step 4).
fn entry(v: &Val, site: &Site, out: &mut Vec<VirtualDoc>, sam: &mut SamFindings) {
    match v {
        Val::Choice { branches, .. } => {
            for b in branches {
                entry(b, site, out, sam);
            }
        }
        Val::Map { .. } if v.get("Statement").is_some() => cfn::documents(v, site, out),
        _ => {}
    }
}
