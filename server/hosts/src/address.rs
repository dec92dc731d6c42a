//! One policy of a host document named by an address: `TaskRole` (the resource's only policy,
//! or its only policy of the wanted type), `TaskRole/Policies/0` (one of several),
//! `data.aws_iam_policy_document.app` in Terraform, and `Name@1` for the second `Fn::If`
//! alternative. Used by `simulate --policy file#address` and the editor's simulate command
//! (`docs/embedded.md`).

use iam_policy::model::Policy;
use iam_validate::PolicyType;

use crate::{HostKind, VirtualDoc};

/// A policy found in a host document.
#[derive(Debug)]
pub struct Embedded {
    pub policy: Policy,
    /// `template.yaml#TaskRole/Policies/0/PolicyDocument`.
    pub name: String,
    /// Values known only at deploy time, `*` in the policy.
    pub unknowns: usize,
    /// The policy type of its place in the template, when the place says.
    pub policy_type: Option<PolicyType>,
}

/// The policy `fragment` names in the host document `text` (file name `name`, which also gives
/// its kind); `Ok(None)` when `text` is no host document and there is no fragment.
///
/// # Errors
/// A message naming the policies the document holds when `fragment` names none or several of
/// them, or when the named policy does not parse.
pub fn select(
    name: &str,
    text: &str,
    fragment: Option<&str>,
    wanted: PolicyType,
) -> Result<Option<Embedded>, String> {
    let kind = HostKind::from_path(name, text);
    let ex = kind.map(|k| crate::extract(k, text));
    match ex {
        Some(ex) if ex.is_host => select_in(name, &ex.docs, fragment, wanted).map(Some),
        _ => match fragment {
            None => Ok(None),
            Some(f) => Err(format!(
                "{name}: `#{f}` names a policy inside a CloudFormation/SAM template or a Terraform file, and this file is neither"
            )),
        },
    }
}

/// [`select`] among the virtual documents of a host already extracted (`name` is the file's
/// name in messages): for callers that select several times in one document.
///
/// # Errors
/// As [`select`].
pub fn select_in(
    name: &str,
    docs: &[VirtualDoc],
    fragment: Option<&str>,
    wanted: PolicyType,
) -> Result<Embedded, String> {
    // Policies by name, each with its `Fn::If` alternatives.
    let mut groups: Vec<(String, Vec<&VirtualDoc>)> = Vec::new();
    for d in docs {
        let n = d.name();
        match groups.iter_mut().find(|(g, _)| *g == n) {
            Some((_, v)) => v.push(d),
            None => groups.push((n, vec![d])),
        }
    }
    let available = || {
        groups
            .iter()
            .map(|(n, _)| format!("  {name}#{n}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if groups.is_empty() {
        return Err(format!("{name}: holds no policy document"));
    }
    let (wanted_name, variant) = match fragment {
        Some(f) => match f.rsplit_once('@') {
            Some((n, v)) if v.parse::<usize>().is_ok() => (Some(n.to_owned()), v.parse().ok()),
            _ => (Some(f.to_owned()), None),
        },
        None => (None, None),
    };
    let mut matches: Vec<&(String, Vec<&VirtualDoc>)> = groups
        .iter()
        .filter(|(n, v)| {
            wanted_name
                .as_deref()
                .is_none_or(|w| n == w || v[0].site.owner == w || n.starts_with(&format!("{w}/")))
        })
        .collect();
    if matches.len() > 1 {
        let of_type: Vec<_> = matches
            .iter()
            .copied()
            .filter(|(_, v)| {
                v[0].site.policy_type.is_some_and(|t| {
                    t == wanted || (wanted == PolicyType::Resource && t == PolicyType::Trust)
                })
            })
            .collect();
        if of_type.len() == 1 {
            matches = of_type;
        }
    }
    let (group, alternatives) = match matches.as_slice() {
        [one] => (&one.0, &one.1),
        [] => {
            return Err(format!(
                "{name}: no policy named `{}`; the file holds:\n{}",
                wanted_name.unwrap_or_default(),
                available()
            ));
        }
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|(n, _)| format!("  {name}#{n}"))
                .collect();
            return Err(format!(
                "{name}: {} policies match{}; name one:\n{}",
                several.len(),
                wanted_name.map_or_else(String::new, |w| format!(" `#{w}`")),
                listed.join("\n")
            ));
        }
    };
    let doc = match (alternatives.as_slice(), variant) {
        ([only], None | Some(0)) => *only,
        (all, Some(i)) if i < all.len() => all[i],
        (all, _) => {
            return Err(format!(
                "{name}#{group}: the policy has {} alternatives (`Fn::If`): name one with `#{group}@0` to `#{group}@{}`",
                all.len(),
                all.len() - 1
            ));
        }
    };
    let parsed = iam_policy::parse_policy(&doc.text);
    if let Some(e) = parsed.parse.errors().first() {
        return Err(format!(
            "{name}#{group}: the embedded policy does not parse: {}",
            e.message
        ));
    }
    Ok(Embedded {
        policy: parsed.policy,
        name: format!("{name}#{group}"),
        unknowns: doc.map.placeholders.len(),
        policy_type: doc.site.policy_type,
    })
}
