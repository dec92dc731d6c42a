//! Group B: actions.

use iam_catalog::{api_operations, catalog};
use iam_syntax::quote_string;

use super::{ActionKind, Context, ResolvedActions, pattern_covers, redundant_item, replace_item};
use iam_policy::diagnostic::{Diagnostic, Fix, rules};
use iam_policy::model::{Statement, StringList};

pub(super) fn check_statement(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for item in &res.items {
        check_item(cx, &item.item.value, item.item, &item.kind, out);
    }
    let list = if res.negated {
        st.not_action.as_ref()
    } else {
        st.action.as_ref()
    };
    if let Some(list) = list {
        redundant(cx, list, out);
    }
}

fn check_item(
    cx: &Context<'_>,
    value: &str,
    item: &iam_policy::model::Spanned<String>,
    kind: &ActionKind<'_>,
    out: &mut Vec<Diagnostic>,
) {
    match kind {
        ActionKind::Star | ActionKind::Configured => {}
        ActionKind::Known(a) => {
            if let Some((_, name)) = value.split_once(':') {
                let (prefix, _) = value.split_once(':').unwrap_or_default();
                if super::is_retired(prefix) {
                    out.push(retired(prefix, item));
                } else if name != a.name() || prefix != a.prefix() {
                    let canonical = a.full_name();
                    out.push(
                        Diagnostic::new(
                            &rules::ACTION_CASE,
                            item.range,
                            format!("`{value}` is valid (actions are case-insensitive), but AWS spells it `{canonical}`"),
                        )
                        .with_fix(replace_item(format!("Change to `{canonical}`"), item, &canonical)),
                    );
                }
            }
        }
        ActionKind::Pattern(matches) => {
            let (prefix, _) = value.split_once(':').unwrap_or_default();
            if super::is_retired(prefix) {
                out.push(retired(prefix, item));
            } else if matches.is_empty() {
                out.push(Diagnostic::new(
                    &rules::PATTERN_MATCHES_NOTHING,
                    item.range,
                    format!("`{value}` matches no action of `{prefix}`: check the spelling of the pattern"),
                ));
            }
        }
        ActionKind::WildService => {
            let (prefix, _) = value.split_once(':').unwrap_or_default();
            let n = super::count_matching(value);
            if n == 0 {
                out.push(Diagnostic::new(
                    &rules::PATTERN_MATCHES_NOTHING,
                    item.range,
                    format!("`{value}` matches no action of any service: check the spelling of the pattern"),
                ));
            } else {
                out.push(Diagnostic::new(
                    &rules::WILDCARD_IN_SERVICE,
                    item.range,
                    format!("the service part `{prefix}` of `{value}` is a wildcard: it matches {n} actions across services, including services added later; name the services"),
                ));
            }
        }
        ActionKind::Unknown => unknown(cx, value, item, out),
    }
}

fn retired(prefix: &str, item: &iam_policy::model::Spanned<String>) -> Diagnostic {
    Diagnostic::new(
        &rules::RETIRED_SERVICE,
        item.range,
        format!(
            "`{prefix}` is a retired AWS service: the action grants nothing today; remove it when you can"
        ),
    )
}

fn unknown(
    cx: &Context<'_>,
    value: &str,
    item: &iam_policy::model::Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let cat = catalog();
    if value.contains("${") {
        return; // reported by the policy-variable check
    }
    if value.is_empty() {
        return; // A018
    }
    let Some((prefix, name)) = value.split_once(':') else {
        let mut d = Diagnostic::new(
            &rules::MALFORMED_ACTION,
            item.range,
            format!("`{value}` is not an action: write `service:Action`, e.g. `s3:GetObject`"),
        );
        if let Some(a) = cat.suggest_action(&format!("{value}:")).first() {
            d = d.with_fix(replace_item(
                format!("Change to `{a}`"),
                item,
                &a.full_name(),
            ));
        }
        out.push(d);
        return;
    };
    if super::is_retired(prefix) {
        out.push(retired(prefix, item));
        return;
    }
    if cat.service(prefix).is_none() {
        if cx.config.allows_service(prefix) {
            return;
        }
        let mut d = Diagnostic::new(
            &rules::UNKNOWN_SERVICE,
            super::sub_range(cx, item, 0, prefix.len()),
            format!("`{prefix}` is not an AWS service prefix"),
        );
        let suggestions = cat.suggest_service(prefix);
        if let Some(s) = suggestions.first() {
            let fixed = format!("{}:{name}", s.prefix());
            d.message = format!(
                "`{prefix}` is not an AWS service prefix: did you mean `{}` ({})?",
                s.prefix(),
                s.name()
            );
            d = d.with_fix(replace_item(format!("Change to `{fixed}`"), item, &fixed));
        } else {
            d.message
                .push_str(" (if the service is newer than the catalog, add it to `extra-services` in `.iam-policy-ls.toml`)");
        }
        out.push(d);
        return;
    }
    if name.is_empty() {
        // `"ecs:"`: what the document holds while the action is being typed.
        out.push(Diagnostic::new(
            &rules::MALFORMED_ACTION,
            item.range,
            format!("the action name is missing after `{prefix}:`: add it (e.g. `{prefix}:{}`), or write `{prefix}:*` for every action of the service", example_action(prefix)),
        ));
        return;
    }
    if let Some((action, note)) = api_operations::authorising_action(value) {
        out.push(
            Diagnostic::new(
                &rules::API_OPERATION,
                item.range,
                format!("`{value}` is an API operation, not an IAM action: {note}"),
            )
            .with_fix(replace_item(format!("Change to `{action}`"), item, action)),
        );
        return;
    }
    let mut d = Diagnostic::new(
        &rules::UNKNOWN_ACTION,
        item.range,
        format!("`{prefix}` has no action `{name}`"),
    );
    let suggestions = cat.suggest_action(value);
    if let Some(best) = suggestions.first() {
        let fixed = best.full_name();
        d.message = format!(
            "`{prefix}` has no action `{name}`: did you mean `{fixed}`? ({})",
            newer_action_note(cat, false)
        );
        for (i, s) in suggestions.iter().take(3).enumerate() {
            let full = s.full_name();
            let mut fix = Fix::replace(
                format!("Change to `{full}`"),
                item.range,
                quote_string(&full),
            );
            fix.preferred = i == 0;
            d = d.with_fix(fix);
        }
    } else {
        d.message = format!(
            "`{prefix}` has no action `{name}` ({})",
            newer_action_note(cat, true)
        );
    }
    out.push(d);
}

/// What to do when an action may be newer than the catalog: names the catalog's date and the
/// update command (and, when `extra` is set, the project setting).
pub fn newer_action_note(cat: &iam_catalog::Catalog, extra: bool) -> String {
    let date = &cat.metadata().date;
    let date = date.get(..10).unwrap_or(date);
    let tail = if extra {
        ", or add it to `extra-actions` in `.iam-policy-ls.toml`"
    } else {
        ""
    };
    format!("catalog of {date}; if the action is newer, run `iam-policy-ls catalog update`{tail}")
}

/// An action of the service to show in a message: its first read action, else its first action.
fn example_action(prefix: &str) -> String {
    let Some(service) = catalog().service(prefix) else {
        return "Action".to_owned();
    };
    let first_read = service
        .actions()
        .find(|a| a.access_level() == iam_catalog::AccessLevel::Read)
        .or_else(|| service.actions().next());
    first_read.map_or_else(|| "Action".to_owned(), |a| a.name().to_owned())
}

/// Duplicates (case-insensitive) and items covered by a wildcard of the same list. Linear in
/// practice: an item is compared only with the wildcard items of its own service.
fn redundant(cx: &Context<'_>, list: &StringList, out: &mut Vec<Diagnostic>) {
    use std::collections::HashMap;
    if list.items.len() < 2 {
        return;
    }
    let lower: Vec<String> = list
        .items
        .iter()
        .map(|i| i.value.to_ascii_lowercase())
        .collect();
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut by_prefix: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut global: Vec<usize> = Vec::new();
    for (i, l) in lower.iter().enumerate() {
        first.entry(l.as_str()).or_insert(i);
        if iam_catalog::has_wildcard(l) {
            match l.split_once(':') {
                Some((p, _)) if !iam_catalog::has_wildcard(p) => {
                    by_prefix.entry(p).or_default().push(i)
                }
                _ => global.push(i),
            }
        }
    }
    for (i, item) in list.items.iter().enumerate() {
        let v = &item.value;
        let l = &lower[i];
        if v.is_empty() {
            continue;
        }
        let dup = first.get(l.as_str()).copied().filter(|&j| j < i);
        let by = dup.or_else(|| {
            let prefix = l.split_once(':').map_or("", |(p, _)| p);
            by_prefix
                .get(prefix)
                .into_iter()
                .flatten()
                .chain(global.iter())
                .copied()
                .find(|&j| j != i && lower[j] != *l && pattern_covers(&lower[j], l, true))
        });
        if let Some(j) = by {
            out.push(redundant_item(
                cx,
                list,
                i,
                j,
                dup.is_some(),
                &rules::REDUNDANT_ACTION,
            ));
        }
    }
}
