//! Group F: rules that depend on the policy type.
//!
//! SCPs: since September 2025 AWS Organizations accepts the full IAM policy language in SCPs
//! (`NotAction`/`NotResource`, `Resource` ARNs and `Condition` with `Allow`, wildcards anywhere in
//! actions), so Access Analyzer's older `SCP_SYNTAX_ERROR_*` checks are not made; only
//! `Principal`/`NotPrincipal` remain unsupported (F001).

use super::{Context, statement_name, statement_open};
use iam_policy::diagnostic::{Diagnostic, rules};
use iam_policy::model::{Effect, PrincipalValue, Statement};
use iam_policy::policy_type::PolicyType;

const TRUST_ACTIONS: [&str; 7] = [
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
    "sts:assumeroot",
];

pub(super) fn check_statement(cx: &Context<'_>, st: &Statement, out: &mut Vec<Diagnostic>) {
    let t = cx.policy_type;
    let principal_key = st
        .principal
        .as_ref()
        .map(|p| p.key_range)
        .or_else(|| st.not_principal.as_ref().map(|p| p.key_range));
    match t {
        PolicyType::Identity | PolicyType::Boundary | PolicyType::Session | PolicyType::Scp => {
            if let Some(k) = principal_key {
                out.push(Diagnostic::new(
                    &rules::PRINCIPAL_NOT_ALLOWED,
                    k,
                    format!(
                        "{} applies to the principal it is attached to and cannot name principals: remove this element (or configure the file as a resource-based policy)",
                        t.with_article()
                    ),
                ));
            }
        }
        PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp => {
            if principal_key.is_none() {
                out.push(Diagnostic::new(
                    &rules::MISSING_PRINCIPAL,
                    statement_open(cx, st),
                    format!(
                        "{} in {} needs a `Principal`: add who the statement applies to",
                        statement_name(st),
                        t.with_article()
                    ),
                ));
            }
        }
    }
    if t != PolicyType::Trust {
        federated_outside_trust(st, out);
    }
    match t {
        PolicyType::Trust => trust(st, out),
        PolicyType::Rcp => rcp(st, out),
        _ => {}
    }
}

fn federated_outside_trust(st: &Statement, out: &mut Vec<Diagnostic>) {
    for p in [&st.principal, &st.not_principal].into_iter().flatten() {
        if let PrincipalValue::Map(entries) = &p.value {
            for e in entries.iter().filter(|e| e.kind.value == "Federated") {
                out.push(Diagnostic::new(
                    &rules::FEDERATED_NOT_SUPPORTED,
                    e.kind.range,
                    "federated identity providers can only be named in role trust policies: grant access to the role they assume instead",
                ));
            }
        }
    }
}

fn trust(st: &Statement, out: &mut Vec<Diagnostic>) {
    for list in [&st.resource, &st.not_resource].into_iter().flatten() {
        out.push(Diagnostic::new(
            &rules::TRUST_RESOURCE,
            list.key_range,
            "a role trust policy always applies to its role and takes no `Resource`: remove this element",
        ));
    }
    if let Some(np) = &st.not_principal {
        out.push(Diagnostic::new(
            &rules::TRUST_NOT_PRINCIPAL,
            np.key_range,
            "role trust policies do not support `NotPrincipal`: list the principals that may assume the role in `Principal`",
        ));
    }
    let allow = st.effect.as_ref().is_some_and(|e| e.value == Effect::Allow);
    let unconditioned = st.condition.as_ref().is_none_or(|c| c.operators.is_empty());
    if allow && unconditioned {
        if let Some(p) = &st.principal {
            let star = match &p.value {
                PrincipalValue::Wildcard(s) => s.value == "*",
                PrincipalValue::Map(entries) => entries.iter().any(|e| {
                    e.kind.value == "AWS" && e.values.items.iter().any(|v| v.value == "*")
                }),
            };
            if star {
                out.push(Diagnostic::new(
                    &rules::TRUST_WILDCARD_PRINCIPAL,
                    p.range,
                    "anyone in any AWS account could assume this role: name the trusted accounts or roles, or add conditions such as `aws:PrincipalOrgID`",
                ));
            }
        }
    }
    if let Some(actions) = &st.action {
        for a in &actions.items {
            let l = a.value.to_ascii_lowercase();
            if l == "*" || l.starts_with("sts:") && (l.contains('*') || l.contains('?')) {
                continue;
            }
            if !TRUST_ACTIONS.contains(&l.as_str()) && !l.contains("${") && !l.is_empty() {
                out.push(Diagnostic::new(
                    &rules::TRUST_ACTION,
                    a.range,
                    format!("`{}` has no meaning in a role trust policy, which only controls `sts:AssumeRole*`, `sts:TagSession`, `sts:SetSourceIdentity` and `sts:SetContext`: grant it in a permissions policy", a.value),
                ));
            }
        }
        roles_anywhere(st, actions, out);
    }
}

fn roles_anywhere(
    st: &Statement,
    actions: &iam_policy::model::StringList,
    out: &mut Vec<Diagnostic>,
) {
    let Some(p) = &st.principal else { return };
    let PrincipalValue::Map(entries) = &p.value else {
        return;
    };
    let Some(v) = entries
        .iter()
        .filter(|e| e.kind.value == "Service")
        .flat_map(|e| &e.values.items)
        .find(|v| v.value == "rolesanywhere.amazonaws.com")
    else {
        return;
    };
    let needed = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"];
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|n| {
            !actions
                .items
                .iter()
                .any(|a| iam_catalog::glob_match_ci(&a.value, n))
        })
        .collect();
    if !missing.is_empty() {
        out.push(Diagnostic::new(
            &rules::ROLES_ANYWHERE_ACTIONS,
            v.range,
            format!("IAM Roles Anywhere needs `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` to assume a role: add {}", missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")),
        ));
    }
}

/// F011: actions of services that resource control policies do not apply to. Only actions whose
/// service prefix is written out and known are judged (`*`, `s*:Get*` may match supported
/// services); nothing is reported when the catalog does not say which services RCPs support.
fn rcp_services(st: &Statement, out: &mut Vec<Diagnostic>) {
    let Some(actions) = &st.action else {
        return;
    };
    let cat = iam_catalog::catalog();
    let supported: Vec<&str> = cat
        .rcp_services()
        .map(iam_catalog::Service::prefix)
        .collect();
    if supported.is_empty() {
        return;
    }
    let unsupported: Vec<(&crate::model::Spanned<String>, &str)> = actions
        .items
        .iter()
        .filter_map(|item| {
            let (prefix, name) = item.value.split_once(':')?;
            if prefix.is_empty() || name.is_empty() || iam_catalog::has_wildcard(prefix) {
                return None;
            }
            let service = cat.service(prefix)?;
            (!service.rcp_supported()).then_some((item, service.prefix()))
        })
        .collect();
    if unsupported.is_empty() {
        return;
    }
    let whole_statement = unsupported.len() == actions.items.len();
    let list = supported
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for (item, prefix) in unsupported {
        let effect = if whole_statement {
            "so this statement has no effect"
        } else {
            "so this action is never denied by it"
        };
        out.push(Diagnostic::new(
            &rules::RCP_UNSUPPORTED_SERVICE,
            item.range,
            format!(
                "resource control policies do not apply to `{prefix}`, {effect}: control it with a service control policy instead. RCPs apply to {list}"
            ),
        ));
    }
}

fn rcp(st: &Statement, out: &mut Vec<Diagnostic>) {
    if let Some(e) = &st.effect {
        let full_access = st
            .principal
            .as_ref()
            .is_some_and(|p| matches!(&p.value, PrincipalValue::Wildcard(s) if s.value == "*"))
            && st
                .action
                .as_ref()
                .is_some_and(|a| a.items.len() == 1 && a.items[0].value == "*")
            && st
                .resource
                .as_ref()
                .is_some_and(|a| a.items.len() == 1 && a.items[0].value == "*")
            && st.condition.is_none();
        if e.value == Effect::Allow && !full_access {
            out.push(Diagnostic::new(
                &rules::RCP_ALLOW,
                e.range,
                "resource control policies only restrict: custom RCP statements must use `\"Effect\": \"Deny\"`",
            ));
        }
    }
    rcp_services(st, out);
    if let Some(np) = &st.not_principal {
        out.push(Diagnostic::new(
            &rules::RCP_ELEMENT,
            np.key_range,
            "resource control policies do not support `NotPrincipal`: use `\"Principal\": \"*\"` with a condition such as `aws:PrincipalArn`",
        ));
    }
    if let Some(na) = &st.not_action {
        out.push(Diagnostic::new(
            &rules::RCP_ELEMENT,
            na.key_range,
            "resource control policies do not support `NotAction`: list the actions in `Action`",
        ));
    }
    if let Some(p) = &st.principal {
        let star = matches!(&p.value, PrincipalValue::Wildcard(s) if s.value == "*");
        if !star {
            out.push(Diagnostic::new(
                &rules::RCP_ELEMENT,
                p.range,
                "resource control policies only accept `\"Principal\": \"*\"`: narrow the principals with conditions such as `aws:PrincipalArn`",
            ));
        }
    }
}
