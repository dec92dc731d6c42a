//! Group G: security warnings.

use iam_catalog::{AccessLevel, catalog, service_principals};
use iam_syntax::TextRange;

use super::{ActionKind, Context, ResolvedActions, condition_has_key, line_indent};
use iam_policy::diagnostic::{Diagnostic, Fix, TextEdit, rules};
use iam_policy::model::{Effect, PrincipalValue, Statement};
use iam_policy::policy_type::PolicyType;
use iam_policy::semantics::operator::{BaseOperator, ParsedOperator};

/// Actions that let a principal raise its own privileges on their own (Rhino Security Labs'
/// and Bishop Fox's IAM privilege-escalation research), when granted on broad resources.
const ESCALATION: &[&str] = &[
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreatePolicyVersion",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateLoginProfile",
];

/// Compute actions that run code with a passed role: with `iam:PassRole` they escalate.
const PASS_ROLE_TARGETS: &[&str] = &[
    "cloudformation:CreateStack",
    "codebuild:CreateProject",
    "datapipeline:CreatePipeline",
    "ec2:RunInstances",
    "ecs:RunTask",
    "glue:CreateDevEndpoint",
    "lambda:CreateFunction",
    "sagemaker:CreateNotebookInstance",
];

/// `prefix:*` (every action of one service).
fn service_wide(v: &str) -> bool {
    v.strip_suffix(":*").is_some_and(|p| !p.contains('*'))
}

fn is_allow(st: &Statement) -> bool {
    st.effect.as_ref().is_some_and(|e| e.value == Effect::Allow)
}

fn no_condition(st: &Statement) -> bool {
    st.condition.as_ref().is_none_or(|c| c.operators.is_empty())
}

fn star_resource(st: &Statement) -> bool {
    st.resource
        .as_ref()
        .is_some_and(|r| r.items.iter().any(|i| i.value == "*"))
}

/// `*`, or an ARN whose name part is only `*` for the given resource kind (`role/*`).
fn broad_for(st: &Statement, kind: &str) -> bool {
    st.resource.as_ref().is_some_and(|r| {
        r.items.iter().any(|i| {
            let v = &i.value;
            v == "*"
                || (v.starts_with("arn:")
                    && v.splitn(6, ':').nth(5).is_some_and(|res| {
                        res == "*"
                            || res
                                .strip_prefix(kind)
                                .is_some_and(|rest| rest == "/*" || rest == "*")
                    }))
        })
    })
}

fn wildcard_resource(st: &Statement) -> bool {
    st.resource
        .as_ref()
        .is_some_and(|r| r.items.iter().any(|i| i.value.contains('*')))
}

/// Permission boundaries, SCPs and RCPs only limit: they grant nothing themselves.
fn boundary_like(cx: &Context<'_>) -> bool {
    matches!(
        cx.policy_type,
        PolicyType::Scp | PolicyType::Rcp | PolicyType::Boundary
    )
}

pub(super) fn check_statement(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if is_allow(st) && !boundary_like(cx) {
        allow_statement(cx, st, res, out);
    }
    if st.effect.as_ref().is_some_and(|e| e.value == Effect::Deny) {
        deny_tags(st, res, out);
        mfa(st, out);
    }
    if cx.policy_type == PolicyType::Resource && is_allow(st) {
        service_principal_source(st, out);
    }
}

/// The checks that relate statements to each other.
pub(super) fn check_policy(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !boundary_like(cx) {
        escalation_combos(cx, out);
    }
}

fn allow_statement(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // G004: NotAction / NotResource with Allow.
    for (list, el, what) in [
        (&st.not_action, "NotAction", "every action not listed"),
        (&st.not_resource, "NotResource", "every resource not listed"),
    ] {
        if let Some(l) = list {
            let mut msg =
                format!("`Allow` with `{el}` grants {what}, including those AWS adds later");
            if res.grants("iam:PassRole") && (st.not_resource.is_some() || broad_for(st, "role")) {
                msg.push_str(", and `iam:PassRole` on every role");
            }
            msg.push_str(&format!(
                ": list what to allow in `{}` instead",
                el.trim_start_matches("Not")
            ));
            out.push(Diagnostic::new(&rules::ALLOW_NOT_ELEMENT, l.key_range, msg));
        }
    }
    if res.negated || st.not_resource.is_some() {
        return;
    }
    for ri in &res.items {
        let v = ri.item.value.as_str();
        match &ri.kind {
            ActionKind::Star => {
                if star_resource(st) && no_condition(st) {
                    out.push(Diagnostic::new(
                        &rules::FULL_ADMIN,
                        ri.item.range,
                        "this statement allows every action on every resource (full administrator access): grant only the actions and resources needed",
                    ));
                }
                continue;
            }
            ActionKind::Pattern(_) if service_wide(v) => {
                out.push(Diagnostic::new(
                    &rules::SERVICE_WIDE,
                    ri.item.range,
                    format!("`{v}` allows every action of the service, including ones added later: list the actions needed"),
                ));
            }
            _ => {}
        }
        let matches_action = |target: &str| iam_catalog::glob_match_ci(v, target);
        // G001 / G002: iam:PassRole.
        if matches_action("iam:PassRole") && !matches!(ri.kind, ActionKind::Star) {
            let scoped = condition_has_key(st, "iam:PassedToService");
            if broad_for(st, "role") && !scoped {
                let how = if v.eq_ignore_ascii_case("iam:PassRole") {
                    "`iam:PassRole` on every role".to_owned()
                } else {
                    format!("`{v}` includes `iam:PassRole`, here on every role")
                };
                out.push(Diagnostic::new(
                    &rules::PASS_ROLE_BROAD,
                    ri.item.range,
                    format!("{how}: whoever has it can hand any role (including admin roles) to a service; list the role ARNs and add an `iam:PassedToService` condition"),
                ));
            } else if !scoped && v.eq_ignore_ascii_case("iam:PassRole") {
                let mut d = Diagnostic::new(
                    &rules::PASS_ROLE_NO_SERVICE,
                    ri.item.range,
                    "`iam:PassRole` without an `iam:PassedToService` condition lets the roles be passed to any service: add the condition",
                );
                if let Some(f) = passed_to_service_fix(cx, st, res) {
                    d = d.with_fix(f);
                }
                out.push(d);
            }
        }
        // G003: iam:CreateServiceLinkedRole.
        if matches_action("iam:CreateServiceLinkedRole")
            && broad_for(st, "role")
            && !condition_has_key(st, "iam:AWSServiceName")
            && !service_wide(v)
        {
            out.push(Diagnostic::new(
                &rules::CREATE_SLR_BROAD,
                ri.item.range,
                format!("`{v}` allows creating the service-linked role of any service: limit the resource to `arn:aws:iam::*:role/aws-service-role/<service>/*` or add an `iam:AWSServiceName` condition"),
            ));
        }
        // G007 / G008 (single actions).
        if wildcard_resource(st) {
            if let Some(e) = ESCALATION.iter().find(|e| matches_action(e)) {
                if !service_wide(v) {
                    out.push(Diagnostic::new(
                        &rules::PRIVILEGE_ESCALATION,
                        ri.item.range,
                        format!("`{e}` on wildcard resources lets a principal grant itself more permissions (privilege escalation): limit the resources or add conditions"),
                    ));
                    continue;
                }
            }
            if star_resource(st) {
                permissions_management(ri, out);
            }
        }
    }
}

fn permissions_management(ri: &super::ResolvedItem<'_, 'static>, out: &mut Vec<Diagnostic>) {
    let v = ri.item.value.as_str();
    let names: Vec<String> = match &ri.kind {
        ActionKind::Known(a) if a.access_level() == AccessLevel::PermissionsManagement => {
            vec![a.full_name()]
        }
        ActionKind::Pattern(list) if !service_wide(v) => list
            .iter()
            .filter(|a| a.access_level() == AccessLevel::PermissionsManagement)
            .map(iam_catalog::ActionRef::full_name)
            .collect(),
        _ => Vec::new(),
    };
    if names.is_empty() || names.iter().any(|n| n.eq_ignore_ascii_case("iam:PassRole")) {
        return;
    }
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = if names.len() > 3 {
        format!(" and {} more", names.len() - 3)
    } else {
        String::new()
    };
    out.push(Diagnostic::new(
        &rules::PERMISSIONS_MANAGEMENT,
        ri.item.range,
        format!("{}{more} change who can access what (permissions management) on every resource: limit the resources", shown.join(", ")),
    ));
}

/// Inserts `"Condition": {"StringEquals": {"iam:PassedToService": "<svc>"}}` when the statement
/// has no `Condition` and the service is clear from the policy's other actions.
fn passed_to_service_fix(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
) -> Option<Fix> {
    if st.condition.is_some() {
        return None;
    }
    let mut services = res
        .items
        .iter()
        .filter_map(|i| {
            i.item
                .value
                .split_once(':')
                .map(|(p, _)| p.to_ascii_lowercase())
        })
        .filter(|p| p != "iam")
        .filter_map(|p| service_principals::passed_to_service(&p));
    let svc = services.next()?;
    let text = cx.parse.text();
    // Insert after the last member of the statement object.
    let end = st.range.end.checked_sub(1)?;
    let before = text.get(..end as usize)?;
    let last = before.trim_end().len();
    let indent = line_indent(text, st.action.as_ref()?.key_range.start);
    let at = u32::try_from(last).ok()?;
    Some(Fix {
        title: format!("Add `iam:PassedToService` = `{svc}`"),
        edits: vec![TextEdit {
            range: TextRange::empty(at),
            new_text: format!(
                ",\n{indent}\"Condition\": {{\"StringEquals\": {{\"iam:PassedToService\": \"{svc}\"}}}}"
            ),
        }],
        preferred: true,
    })
}

/// G008 (combinations): `iam:PassRole` on broad resources plus a compute action that runs code.
///
/// Reads the `Action` items as written (it runs on every edit, over every statement, so it
/// resolves only the items that spell one of the targets).
fn escalation_combos(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    fn allowed_actions(st: &Statement) -> &[iam_policy::model::Spanned<String>] {
        match &st.action {
            Some(l) if is_allow(st) => &l.items,
            _ => &[],
        }
    }
    let pass_role = cx.policy.statements.iter().any(|st| {
        broad_for(st, "role")
            && allowed_actions(st)
                .iter()
                .any(|i| i.value.eq_ignore_ascii_case("iam:PassRole"))
    });
    if !pass_role {
        return;
    }
    for st in &cx.policy.statements {
        for item in allowed_actions(st) {
            if !PASS_ROLE_TARGETS
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&item.value))
            {
                continue;
            }
            if let ActionKind::Known(a) = super::resolve_action(cx.config, &item.value) {
                let full = a.full_name();
                out.push(Diagnostic::new(
                    &rules::PRIVILEGE_ESCALATION,
                    item.range,
                    format!("`{full}` together with `iam:PassRole` on every role lets a principal run code as any role it can pass (privilege escalation): limit the roles that can be passed"),
                ));
            }
        }
    }
}

/// G009: Deny conditioned on tags, for services whose actions do not support the tag key.
fn deny_tags(st: &Statement, res: &ResolvedActions<'_>, out: &mut Vec<Diagnostic>) {
    let Some(block) = &st.condition else { return };
    let Some(actions) = res.concrete() else {
        return;
    };
    if actions.is_empty() {
        return;
    }
    let cat = catalog();
    for ob in &block.operators {
        for e in &ob.entries {
            let l = e.key.value.to_ascii_lowercase();
            let tag_key = l.starts_with("aws:resourcetag/")
                || l.starts_with("aws:requesttag/")
                || l == "aws:tagkeys";
            if !tag_key {
                continue;
            }
            let Some(k) = cat.condition_key(&e.key.value) else {
                continue;
            };
            let canonical = k.name();
            let mut unsupported: Vec<&str> = Vec::new();
            let mut supported: Vec<&str> = Vec::new();
            for a in &actions {
                let lists = a
                    .all_condition_keys()
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(canonical));
                if lists {
                    supported.push(a.prefix());
                } else {
                    unsupported.push(a.prefix());
                }
            }
            let mut services: Vec<&str> = unsupported
                .iter()
                .copied()
                .filter(|p| !supported.contains(p))
                .collect();
            services.sort_unstable();
            services.dedup();
            if !services.is_empty() {
                out.push(Diagnostic::new(
                    &rules::DENY_TAG_UNSUPPORTED,
                    e.key.range,
                    format!(
                        "the denied actions of {} never carry `{}`, so this `Deny` does not apply to them (it fails open): use another condition for those services",
                        services.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                        e.key.value
                    ),
                ));
            }
        }
    }
}

/// G010: `Bool aws:MultiFactorAuthPresent false` in a Deny does not apply to requests made with
/// long-term keys, which carry no such key.
fn mfa(st: &Statement, out: &mut Vec<Diagnostic>) {
    let Some(block) = &st.condition else { return };
    for ob in &block.operators {
        let Ok(op) = ParsedOperator::parse(&ob.operator.value) else {
            continue;
        };
        if op.base != BaseOperator::Bool || op.if_exists || op.qualifier.is_some() {
            continue;
        }
        for e in &ob.entries {
            if e.key
                .value
                .eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
                && e.values
                    .iter()
                    .any(|v| v.value.text().eq_ignore_ascii_case("false"))
            {
                let mut d = Diagnostic::new(
                    &rules::MFA_FAIL_OPEN,
                    ob.operator.range,
                    "requests signed with long-term access keys carry no `aws:MultiFactorAuthPresent`, so `Bool` ... `false` does not deny them: use `BoolIfExists`",
                );
                if !block
                    .operators
                    .iter()
                    .any(|o| o.operator.value == "BoolIfExists")
                {
                    d = d.with_fix(Fix::replace(
                        "Change to `BoolIfExists`",
                        ob.operator.range,
                        "\"BoolIfExists\"",
                    ));
                }
                out.push(d);
            }
        }
    }
}

/// G011: a service principal in a resource-based policy, not pinned to the source resource.
fn service_principal_source(st: &Statement, out: &mut Vec<Diagnostic>) {
    let Some(p) = &st.principal else { return };
    let PrincipalValue::Map(entries) = &p.value else {
        return;
    };
    if service_principals::SOURCE_KEYS
        .iter()
        .any(|k| condition_has_key(st, k))
    {
        return;
    }
    for v in entries
        .iter()
        .filter(|e| e.kind.value == "Service")
        .flat_map(|e| &e.values.items)
    {
        if service_principals::needs_source_condition(&v.value) {
            out.push(Diagnostic::new(
                &rules::SERVICE_PRINCIPAL_NO_SOURCE,
                v.range,
                format!("`{}` acts for every AWS customer: without `aws:SourceArn` or `aws:SourceAccount`, another account's resource could use this access (confused deputy); add one of them", v.value),
            ));
        }
    }
}
