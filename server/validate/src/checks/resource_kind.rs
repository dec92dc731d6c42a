//! Group F, continued: the checks that need the kind of resource a resource-based policy is
//! attached to ([`Config::resource_kind`](crate::config::Config::resource_kind): set from the
//! template's resource, or from the `resource-kinds` setting for a standalone file). Access
//! Analyzer's `UNSUPPORTED_ACTION_IN_POLICY`, `UNSUPPORTED_RESOURCE_ARN_IN_POLICY` and
//! `POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA`, at the level of the service: a bucket policy
//! grants `s3` actions on `s3` ARNs.

use super::{ActionKind, Context, ResolvedActions};
use iam_policy::diagnostic::{Diagnostic, rules};
use iam_policy::model::Statement;
use iam_policy::policy_type::PolicyType;
use iam_policy::resource_kind::ResourceKind;
use iam_syntax::{TextRange, TokenKind};

fn kind(cx: &Context<'_>) -> Option<&'static ResourceKind> {
    cx.config
        .resource_kind
        .filter(|_| cx.policy_type == PolicyType::Resource)
}

/// F012 and F013 on one statement.
pub(super) fn check_statement(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(k) = kind(cx) else {
        return;
    };
    if !res.negated {
        for item in &res.items {
            if !matches!(item.kind, ActionKind::Known(_) | ActionKind::Pattern(_)) {
                continue;
            }
            let Some((prefix, _)) = item.item.value.split_once(':') else {
                continue;
            };
            if k.allows_service(prefix) {
                continue;
            }
            out.push(Diagnostic::new(
                &rules::RESOURCE_KIND_ACTION,
                item.item.range,
                format!(
                    "`{}` is not an action of {}: {} (`{}`) grants only {} actions; grant it in the policy of the resource it acts on, or in an identity-based policy",
                    item.item.value,
                    k.services_text(),
                    k.policy_name,
                    k.name,
                    k.services_text()
                ),
            ));
        }
    }
    let Some(resources) = &st.resource else {
        return;
    };
    for r in &resources.items {
        let Some(service) = arn_service(&r.value) else {
            continue;
        };
        if k.allows_service(service) {
            continue;
        }
        out.push(Diagnostic::new(
            &rules::RESOURCE_KIND_ARN,
            r.range,
            format!(
                "this ARN names a `{service}` resource, which {} (`{}`) cannot cover: it applies only to {} resources; name the resource's own ARN, or `*`",
                k.policy_name,
                k.name,
                k.services_text()
            ),
        ));
    }
}

/// The service field of an ARN when it is literal (no wildcard, no variable).
fn arn_service(arn: &str) -> Option<&str> {
    let mut fields = arn.splitn(4, ':');
    if fields.next() != Some("arn") {
        return None;
    }
    let _partition = fields.next()?;
    let service = fields.next()?;
    fields.next()?;
    (!service.is_empty() && !service.contains(['*', '?', '$', '{', '}'])).then_some(service)
}

/// F014 on the whole policy.
pub(super) fn check_policy(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(k) = kind(cx) else {
        return;
    };
    let Some(q) = &k.quota else {
        return;
    };
    let text = cx.parse.text();
    let size = super::grammar::non_whitespace_chars(text);
    if size <= q.limit {
        return;
    }
    let open = cx
        .parse
        .value()
        .and_then(|v| v.as_object())
        .and_then(|o| o.node.token(TokenKind::LBrace))
        .map_or(TextRange::empty(0), |t| t.range);
    out.push(Diagnostic::new(
        &rules::RESOURCE_KIND_SIZE,
        open,
        format!(
            "the policy is {size} characters without whitespace, over the quota of {} (`{}`): {} {}, per the {}; remove statements, merge principals or use wildcards",
            k.policy_name, k.name, q.limit, q.unit, q.source
        ),
    ));
}
