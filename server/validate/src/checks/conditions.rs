//! Group D: conditions and policy variables. Operator names, values and variables are parsed
//! with the evaluator's parsers ([`iam_policy::semantics::operator`], [`iam_policy::semantics::values`],
//! [`iam_policy::semantics::variables`]).

use iam_catalog::{ConditionKeyType, catalog, has_wildcard, regions};
use iam_syntax::quote_string;

use super::{Context, ResolvedActions, sub_range};
use iam_policy::closest;
use iam_policy::diagnostic::{Diagnostic, Fix, rules};
use iam_policy::model::{
    ConditionBlock, ConditionEntry, ConditionOperatorBlock, ConditionValue, Spanned, Statement,
    Version,
};
use iam_policy::semantics::operator::{
    BaseOperator, OperatorError, OperatorFamily, ParsedOperator, SetQualifier,
};
use iam_policy::semantics::{values, variables};

pub(super) fn check_statement(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    out: &mut Vec<Diagnostic>,
) {
    variables_in_elements(cx, st, out);
    if let Some(block) = &st.condition {
        check_block(cx, st, res, block, out);
    }
}

/// D020-D022 outside conditions: `Resource` substitutes variables; `Action`, `NotAction` and
/// principals do not.
fn variables_in_elements(cx: &Context<'_>, st: &Statement, out: &mut Vec<Diagnostic>) {
    for (list, el) in [(&st.action, "Action"), (&st.not_action, "NotAction")] {
        for item in list.iter().flat_map(|l| &l.items) {
            if variables::may_contain_variables(&item.value) {
                out.push(Diagnostic::new(
                    &rules::VARIABLE_IN_ELEMENT,
                    item.range,
                    format!("`{el}` does not substitute policy variables, so `{}` is compared literally: use a condition instead", item.value),
                ));
            }
        }
    }
    for p in [&st.principal, &st.not_principal].into_iter().flatten() {
        if let iam_policy::model::PrincipalValue::Map(entries) = &p.value {
            for item in entries.iter().flat_map(|e| &e.values.items) {
                if variables::may_contain_variables(&item.value) {
                    out.push(Diagnostic::new(
                        &rules::VARIABLE_IN_ELEMENT,
                        item.range,
                        format!("principals do not substitute policy variables, so `{}` is compared literally: use a condition such as `aws:PrincipalArn` instead", item.value),
                    ));
                }
            }
        }
    }
    for list in [&st.resource, &st.not_resource].into_iter().flatten() {
        for item in &list.items {
            variable_syntax(cx, item, true, out);
        }
    }
}

/// Syntax of the variables in one string, and whether the version substitutes them.
fn variable_syntax(
    cx: &Context<'_>,
    item: &Spanned<String>,
    check_version: bool,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if !variables::may_contain_variables(&item.value) {
        return false;
    }
    let t = variables::parse(&item.value);
    for e in &t.errors {
        let text = item.value.get(e.range.clone()).unwrap_or("");
        let mut d = Diagnostic::new(
            &rules::INVALID_VARIABLE,
            sub_range(cx, item, e.range.start, e.range.len()),
            format!("malformed policy variable `{text}`: {e}"),
        );
        if e.kind == variables::VariableErrorKind::Unterminated {
            d = d.with_fix(super::replace_item(
                "Close the variable with `}`",
                item,
                &format!("{}}}", item.value),
            ));
        }
        out.push(d);
    }
    let has_vars = t.variables().next().is_some();
    if has_vars
        && check_version
        && cx
            .policy
            .version
            .as_ref()
            .is_some_and(|v| v.value == Version::V2008_10_17)
    {
        let (key, range) = t
            .variables()
            .next()
            .map(|(k, r)| (k.to_owned(), r))
            .unwrap_or_default();
        out.push(Diagnostic::new(
            &rules::VARIABLE_WITHOUT_VERSION,
            sub_range(cx, item, range.start, range.len()),
            format!("`${{{key}}}` is literal text under version 2008-10-17: set `\"Version\": \"2012-10-17\"`"),
        ));
    }
    has_vars
}

fn check_block(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    block: &ConditionBlock,
    out: &mut Vec<Diagnostic>,
) {
    if block.operators.is_empty() && block.range.len() <= 2 {
        out.push(Diagnostic::new(
            &rules::EMPTY_CONDITION,
            block.range,
            "the `Condition` block is empty and changes nothing: remove it or add conditions",
        ));
    }
    for ob in &block.operators {
        let Some(op) = operator(block, ob, out) else {
            continue;
        };
        if ob.entries.is_empty() && ob.range.len() <= 2 {
            out.push(Diagnostic::new(
                &rules::EMPTY_CONDITION,
                ob.range,
                format!(
                    "`{}` has no condition keys and changes nothing: remove it",
                    ob.operator.value
                ),
            ));
        }
        for (i, e) in ob.entries.iter().enumerate() {
            if let Some(prev) = ob.entries[..i].iter().find(|p| {
                p.key.value != e.key.value && p.key.value.eq_ignore_ascii_case(&e.key.value)
            }) {
                out.push(Diagnostic::new(
                    &rules::DUPLICATE_KEY_CASE,
                    e.key.range,
                    format!(
                        "`{}` repeats `{}` with different case in the same operator: merge their values under one key",
                        e.key.value, prev.key.value
                    ),
                ));
            }
            entry(cx, st, res, block, ob, op, e, out);
        }
    }
}

/// D001-D003: parses the operator name.
fn operator(
    block: &ConditionBlock,
    ob: &ConditionOperatorBlock,
    out: &mut Vec<Diagnostic>,
) -> Option<ParsedOperator> {
    let name = &ob.operator.value;
    let range = ob.operator.range;
    match ParsedOperator::parse(name) {
        Ok(op) => {
            if op.base == BaseOperator::Null && op.qualifier.is_some() {
                out.push(Diagnostic::new(
                    &rules::NULL_WITH_QUALIFIER,
                    range,
                    format!("`{name}`: `Null` tests whether a key is present; with a set qualifier the result no longer depends on the request as intended: use plain `Null`"),
                ).with_fix(rename_fix(block, ob, "Null")));
            }
            Some(op)
        }
        Err(OperatorError::NullWithIfExists) => {
            let mut d = Diagnostic::new(
                &rules::NULL_WITH_IF_EXISTS,
                range,
                format!(
                    "`{name}`: `Null` already handles missing keys and cannot take `IfExists`: use `Null`"
                ),
            );
            let fixed = name.replace("IfExists", "");
            if let Some(f) = rename(block, ob, &fixed) {
                d = d.with_fix(f);
            }
            out.push(d);
            None
        }
        Err(err) => {
            let mut d = Diagnostic::new(
                &rules::UNKNOWN_OPERATOR,
                range,
                format!("`{name}` is not a condition operator"),
            );
            if let Some(s) = suggest_operator(name, &err) {
                d.message = format!("`{name}` is not a condition operator: did you mean `{s}`?");
                if let Some(f) = rename(block, ob, &s) {
                    d = d.with_fix(f);
                }
            }
            out.push(d);
            None
        }
    }
}

fn suggest_operator(name: &str, err: &OperatorError) -> Option<String> {
    if let Ok(op) = ParsedOperator::parse_ignore_case(name) {
        return Some(op.to_string());
    }
    // Misplaced parts: `IfExistsStringEquals`, `StringEquals:ForAnyValue`, `ForAnyValues:`.
    let (qual, rest) = match name.split_once(':') {
        Some((q, r)) => {
            let q2 = closest(q, ["ForAllValues", "ForAnyValue"]);
            let r2 = closest(r, ["ForAllValues", "ForAnyValue"]);
            match (q2, r2) {
                (Some(q), _) => (Some(q), r.to_owned()),
                (None, Some(r)) => (Some(r), q.to_owned()),
                _ => (None, r.to_owned()),
            }
        }
        None => (None, name.to_owned()),
    };
    let (base_text, if_exists) = if let Some(b) = rest.strip_prefix("IfExists") {
        (b.to_owned(), true)
    } else if rest.to_ascii_lowercase().ends_with("ifexists") && rest.len() > 8 {
        (rest[..rest.len() - 8].to_owned(), true)
    } else {
        (rest, false)
    };
    let base = BaseOperator::from_name_ignore_case(&base_text)
        .map(BaseOperator::name)
        .or(match err {
            OperatorError::UnknownOperator {
                suggestion: Some(s),
                ..
            } if !if_exists => Some(*s),
            _ => None,
        })
        .or_else(|| closest(&base_text, BaseOperator::ALL.iter().map(|b| b.name())))?;
    let mut s = String::new();
    if let Some(q) = qual {
        s.push_str(q);
        s.push(':');
    }
    s.push_str(base);
    if if_exists && base != "Null" {
        s.push_str("IfExists");
    }
    (s != name).then_some(s)
}

/// Renames an operator block (unless the new name already exists in the condition).
fn rename(block: &ConditionBlock, ob: &ConditionOperatorBlock, new_name: &str) -> Option<Fix> {
    if block.operators.iter().any(|o| o.operator.value == new_name) {
        return None;
    }
    Some(Fix::replace(
        format!("Change to `{new_name}`"),
        ob.operator.range,
        quote_string(new_name),
    ))
}

fn rename_fix(block: &ConditionBlock, ob: &ConditionOperatorBlock, new_name: &str) -> Fix {
    rename(block, ob, new_name).unwrap_or_else(|| Fix {
        title: format!("Change to `{new_name}`"),
        edits: Vec::new(),
        preferred: false,
    })
}

fn family_name(f: OperatorFamily) -> &'static str {
    match f {
        OperatorFamily::String => "String",
        OperatorFamily::Numeric => "Numeric",
        OperatorFamily::Date => "Date",
        OperatorFamily::Bool => "Bool",
        OperatorFamily::Binary => "Binary",
        OperatorFamily::IpAddress => "IpAddress",
        OperatorFamily::Arn => "Arn",
        OperatorFamily::Null => "Null",
    }
}

#[allow(clippy::too_many_arguments)]
fn entry(
    cx: &Context<'_>,
    st: &Statement,
    res: &ResolvedActions<'_>,
    block: &ConditionBlock,
    ob: &ConditionOperatorBlock,
    op: ParsedOperator,
    e: &ConditionEntry,
    out: &mut Vec<Diagnostic>,
) {
    let cat = catalog();
    let key = e.key.value.as_str();
    let lower = key.to_ascii_lowercase();
    let fam = op.family();

    // Empty value arrays.
    if e.is_array && e.values.is_empty() && e.range.len() <= 2 {
        let what = match (op.qualifier, op.if_exists) {
            (Some(SetQualifier::ForAllValues), _) => {
                "with `ForAllValues:` an empty list matches only requests without the key"
            }
            (Some(SetQualifier::ForAnyValue), _) => {
                "with `ForAnyValue:` an empty list never matches, so the statement never applies"
            }
            (None, true) => "with `IfExists` an empty list matches only requests without the key",
            (None, false) => {
                "an empty list of values never matches, so the statement never applies"
            }
        };
        out.push(Diagnostic::new(
            &rules::EMPTY_CONDITION,
            e.range,
            format!("`{key}` has no values: {what}; add values or remove the key"),
        ));
    }

    // Key.
    let Some((prefix, _)) = key.split_once(':') else {
        out.push(Diagnostic::new(
            &rules::INVALID_KEY_FORMAT,
            e.key.range,
            format!("`{key}` is not a condition key: keys are `prefix:name`, e.g. `aws:SourceIp`"),
        ));
        return;
    };
    let tagless = ["aws:resourcetag", "aws:requesttag", "aws:principaltag"]
        .contains(&lower.as_str())
        || lower.ends_with(":resourcetag")
        || lower.ends_with(":requesttag")
        || lower.ends_with("tag/");
    if tagless {
        let base = key.trim_end_matches('/');
        out.push(Diagnostic::new(
            &rules::MISSING_TAG_KEY,
            e.key.range,
            format!("`{key}` needs the tag's name: write `{base}/<tag-key>`, e.g. `{base}/team`"),
        ));
        return;
    }
    if lower == "aws:arn" {
        out.push(
            Diagnostic::new(
                &rules::DEPRECATED_KEY,
                e.key.range,
                "`aws:ARN` is deprecated: use `aws:PrincipalArn`",
            )
            .with_fix(Fix::replace(
                "Change to `aws:PrincipalArn`",
                e.key.range,
                "\"aws:PrincipalArn\"",
            )),
        );
        return;
    }
    let known = cat.condition_key(key);
    let federated = prefix.contains('.') || prefix.contains('/');
    if known.is_none()
        && !federated
        && !cx.config.allows_service(prefix)
        && !super::is_retired(prefix)
    {
        let global = lower.starts_with("aws:");
        let rule = if global {
            &rules::UNKNOWN_GLOBAL_KEY
        } else {
            &rules::UNKNOWN_SERVICE_KEY
        };
        let mut d = Diagnostic::new(
            rule,
            e.key.range,
            if global {
                format!("`{key}` is not a global condition key")
            } else if cat.service(prefix).is_none() {
                format!("no service `{prefix}` defines condition keys, so `{key}` is never present")
            } else {
                format!("`{prefix}` has no condition key `{key}`")
            },
        );
        let suggestions = cat.suggest_condition_key(key);
        if let Some(s) = suggestions
            .iter()
            .find(|s| !s.is_parameterised())
            .or(suggestions.first())
        {
            let name = s.name();
            d.message.push_str(&format!(": did you mean `{name}`?"));
            if !s.is_parameterised() {
                d = d.with_fix(Fix::replace(
                    format!("Change to `{name}`"),
                    e.key.range,
                    quote_string(name),
                ));
            }
        }
        out.push(d);
    }

    let key_type = known.map(|k| k.value_type());
    if let Some(t) = key_type {
        if !fam.fits(t) {
            out.push(Diagnostic::new(
                &rules::OPERATOR_TYPE_MISMATCH,
                ob.operator.range,
                format!(
                    "`{key}` is of type {t}, but `{}` compares {} values: use {}",
                    ob.operator.value,
                    family_name(fam),
                    OperatorFamily::suggested_for(t)
                ),
            ));
        }
        if op.base != BaseOperator::Null {
            if t.is_array() && op.qualifier.is_none() {
                let mut d = Diagnostic::new(
                    &rules::MISSING_QUALIFIER,
                    e.key.range,
                    format!(
                        "`{key}` can have several values in one request: prefix the operator with `ForAnyValue:` (any value matches) or `ForAllValues:` (every value matches)"
                    ),
                );
                if ob.entries.len() == 1 {
                    if let Some(f) =
                        rename(block, ob, &format!("ForAnyValue:{}", ob.operator.value))
                    {
                        d = d.with_fix(f);
                    }
                    if let Some(mut f) =
                        rename(block, ob, &format!("ForAllValues:{}", ob.operator.value))
                    {
                        f.preferred = false;
                        d = d.with_fix(f);
                    }
                }
                out.push(d);
            }
            if !t.is_array() && op.qualifier == Some(SetQualifier::ForAllValues) {
                out.push(Diagnostic::new(
                    &rules::FORALLVALUES_SINGLE,
                    ob.operator.range,
                    format!("`{key}` has a single value, and `ForAllValues:` also matches when the key is absent: drop the qualifier"),
                ).with_fix(rename_fix(block, ob, ob.operator.value.trim_start_matches("ForAllValues:"))));
            }
        }
        if t.scalar() == ConditionKeyType::Bool && e.values.len() > 1 && fam == OperatorFamily::Bool
        {
            out.push(Diagnostic::new(
                &rules::MULTIPLE_BOOL,
                e.range,
                format!("`{key}` is a Boolean: give one value, `true` or `false` (both together match every request that has the key)"),
            ));
        }
    }

    // Key support by the statement's actions (service keys only).
    if let (Some(k), Some(actions)) = (known, res.concrete()) {
        if !k.is_global()
            && !lower.starts_with("aws:")
            && !lower.starts_with("saml:")
            && !actions.is_empty()
        {
            let unsupported: Vec<String> = actions
                .iter()
                .filter(|a| !super::supports_key(a, key))
                .map(iam_catalog::ActionRef::full_name)
                .collect();
            let deny_negated = st
                .effect
                .as_ref()
                .is_some_and(|e| e.value == iam_policy::model::Effect::Deny)
                && (op.is_negated() || op.if_exists)
                && op.qualifier.is_none()
                && op.base != BaseOperator::Null;
            if unsupported.len() == actions.len() {
                if deny_negated {
                    // H003 explains this case with an example request.
                } else {
                    out.push(Diagnostic::new(
                    &rules::KEY_UNSUPPORTED,
                    e.key.range,
                    format!("none of the statement's actions supports `{key}`, so requests never carry it: use a key these actions support, or move the condition to the statement with the actions that do"),
                ));
                }
            } else if !unsupported.is_empty() && actions.len() <= 50 {
                let list: Vec<String> = unsupported
                    .iter()
                    .take(5)
                    .map(|a| format!("`{a}`"))
                    .collect();
                let more = if unsupported.len() > 5 {
                    format!(" and {} more", unsupported.len() - 5)
                } else {
                    String::new()
                };
                out.push(Diagnostic::new(
                    &rules::KEY_PARTLY_UNSUPPORTED,
                    e.key.range,
                    format!("{}{more} do not support `{key}`: for them the key is absent; split them into their own statement if that matters", list.join(", ")),
                ));
            }
        }
    }

    // Values.
    let mut private = 0usize;
    let mut public = 0usize;
    for v in &e.values {
        let text = v.value.text();
        let as_string = Spanned::new(text.to_owned(), v.range);
        if variables::may_contain_variables(text) {
            let has_vars = variable_syntax(cx, &as_string, true, out);
            if has_vars && !fam.supports_variables() {
                out.push(Diagnostic::new(
                    &rules::VARIABLE_FOR_OPERATOR,
                    v.range,
                    format!("`{}` does not substitute policy variables, so `{text}` is compared as written: use a String or Arn operator", ob.operator.value),
                ));
            }
            continue;
        }
        let valid = match fam {
            OperatorFamily::Numeric => values::Decimal::parse(text).is_some(),
            OperatorFamily::Date => values::parse_date(text).is_some(),
            OperatorFamily::Bool | OperatorFamily::Null => values::parse_bool(text).is_some(),
            OperatorFamily::IpAddress => values::parse_cidr(text).is_some(),
            OperatorFamily::Binary => values::decode_base64(text).is_some(),
            OperatorFamily::String | OperatorFamily::Arn => true,
        };
        if !valid {
            let expected = match fam {
                OperatorFamily::Numeric => "a number such as `10` or `1.5`",
                OperatorFamily::Date => {
                    "an ISO 8601 date such as `2026-01-31T00:00:00Z` or epoch seconds"
                }
                OperatorFamily::Bool | OperatorFamily::Null => "`true` or `false`",
                OperatorFamily::IpAddress => "an IP address or CIDR range such as `203.0.113.0/24`",
                _ => "base64-encoded bytes",
            };
            out.push(Diagnostic::new(
                &rules::INVALID_CONDITION_VALUE,
                v.range,
                format!("`{text}` is not a valid value for `{}`: expected {expected}; the condition never matches it", ob.operator.value),
            ));
            continue;
        }
        match fam {
            OperatorFamily::IpAddress => {
                if let Some(net) = values::parse_cidr(text) {
                    let trunc = net.trunc();
                    if trunc != net {
                        out.push(
                            Diagnostic::new(
                                &rules::IP_HOST_BITS,
                                v.range,
                                format!("`{text}` has bits set after the /{} prefix, which are ignored: write `{trunc}`", net.prefix_len()),
                            )
                            .with_fix(Fix::replace(format!("Change to `{trunc}`"), v.range, quote_string(&trunc.to_string()))),
                        );
                    }
                    if lower == "aws:sourceip" {
                        if is_private(&net) {
                            private += 1;
                        } else {
                            public += 1;
                        }
                    }
                }
            }
            OperatorFamily::String => {
                if matches!(
                    op.base,
                    BaseOperator::StringEquals
                        | BaseOperator::StringNotEquals
                        | BaseOperator::StringEqualsIgnoreCase
                        | BaseOperator::StringNotEqualsIgnoreCase
                ) && has_wildcard(text)
                {
                    let like = match op.base {
                        BaseOperator::StringEquals => Some("StringLike"),
                        BaseOperator::StringNotEquals => Some("StringNotLike"),
                        _ => None,
                    };
                    let mut d = Diagnostic::new(
                        &rules::WILDCARD_WITHOUT_LIKE,
                        v.range,
                        format!(
                            "`{}` compares literally, so `*`/`?` in `{text}` match only themselves",
                            ob.operator.value
                        ),
                    );
                    if let Some(like) = like {
                        let mut new_name = String::new();
                        if let Some(q) = op.qualifier {
                            new_name.push_str(q.name());
                            new_name.push(':');
                        }
                        new_name.push_str(like);
                        if op.if_exists {
                            new_name.push_str("IfExists");
                        }
                        d.message
                            .push_str(&format!(": use `{new_name}` for wildcards"));
                        if let Some(f) = rename(block, ob, &new_name) {
                            d = d.with_fix(f);
                        }
                    }
                    out.push(d);
                }
                string_value_checks(&lower, key, text, v, out);
            }
            OperatorFamily::Arn => {
                super::resources::check_condition_arn_account(cx, &as_string, out)
            }
            _ => {}
        }
    }
    if private > 0 && (op.base == BaseOperator::IpAddress || op.base == BaseOperator::NotIpAddress)
    {
        if public == 0 {
            let what = if op.is_negated() {
                "so `NotIpAddress` matches every request and the statement applies regardless"
            } else {
                "so this condition never matches"
            };
            out.push(Diagnostic::new(
                &rules::PRIVATE_SOURCE_IP,
                e.range,
                format!("`aws:SourceIp` only carries public addresses, and every range here is private, {what}: use `aws:VpcSourceIp` for private addresses"),
            ));
        } else {
            out.push(Diagnostic::new(
                &rules::MIXED_PRIVATE_SOURCE_IP,
                e.range,
                "`aws:SourceIp` only carries public addresses: the private ranges here never match; use `aws:VpcSourceIp` for them",
            ));
        }
    }
}

fn string_value_checks(
    lower: &str,
    key: &str,
    text: &str,
    v: &Spanned<ConditionValue>,
    out: &mut Vec<Diagnostic>,
) {
    if has_wildcard(text) {
        return;
    }
    let vpc_prefix = match lower {
        "aws:sourcevpc" => Some("vpc-"),
        "aws:sourcevpce" => Some("vpce-"),
        _ => None,
    };
    if let Some(p) = vpc_prefix {
        let ok = text.strip_prefix(p).is_some_and(|h| {
            (8..=17).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            out.push(Diagnostic::new(
                &rules::INVALID_VPC_VALUE,
                v.range,
                format!("`{text}` is not a valid `{key}` value: expected `{p}` followed by 8 or 17 hexadecimal digits"),
            ));
        }
    }
    if lower == "aws:requestedregion" && !regions::is_region(text) {
        let mut d = Diagnostic::new(
            &rules::INVALID_REGION_VALUE,
            v.range,
            format!("`{text}` is not an AWS Region"),
        );
        let all: Vec<&str> = regions::all_regions().collect();
        if let Some(r) = closest(text, all.iter().copied()) {
            d.message.push_str(&format!(": did you mean `{r}`?"));
            d = d.with_fix(Fix::replace(
                format!("Change to `{r}`"),
                v.range,
                quote_string(r),
            ));
        }
        out.push(d);
    }
}

fn is_private(net: &ipnet::IpNet) -> bool {
    use std::net::IpAddr;
    match net.addr() {
        IpAddr::V4(a) => a.is_private() || a.is_loopback() || a.is_link_local(),
        IpAddr::V6(a) => {
            let s = a.segments()[0];
            (s & 0xfe00) == 0xfc00 || (s & 0xffc0) == 0xfe80 || a.is_loopback()
        }
    }
}
