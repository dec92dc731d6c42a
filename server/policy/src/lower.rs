//! Lowering: syntax tree -> [`Policy`]. Total: never fails, never panics. Structural problems it
//! meets (wrong JSON types, duplicate keys, unknown elements, invalid `Version`/`Effect` values)
//! are reported here; the rest of group A lives in `validate::grammar`.

use std::collections::HashSet;

use iam_syntax::{Array, Object, Parse, TextRange, Value};

use crate::diagnostic::{Diagnostic, Fix, rules};
use crate::model::{
    ConditionBlock, ConditionEntry, ConditionOperatorBlock, ConditionValue, Effect, Policy,
    PrincipalElement, PrincipalEntry, PrincipalValue, Spanned, Statement, StringList, Version,
};
use crate::suggest::closest;

pub const TOP_LEVEL_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
pub const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Where lowered statements come from: lowering itself ([`Fresh`]), or a cache of the last
/// analysis of the document that reuses statements whose text did not change (the validator's
/// incremental analysis). Lowering calls [`StatementSource::statement`] once per statement, in
/// document order.
pub trait StatementSource {
    /// The lowered statement at `span`, the `index`th (in a `Statement` array when `in_array`).
    /// `lower` lowers it afresh; its lowering diagnostics go to `diags`.
    fn statement(
        &mut self,
        span: TextRange,
        index: usize,
        in_array: bool,
        diags: &mut Vec<Diagnostic>,
        lower: impl FnOnce(&mut Vec<Diagnostic>) -> Statement,
    ) -> Statement;
}

/// Lowers every statement afresh.
pub struct Fresh;

impl StatementSource for Fresh {
    fn statement(
        &mut self,
        _span: TextRange,
        _index: usize,
        _in_array: bool,
        diags: &mut Vec<Diagnostic>,
        lower: impl FnOnce(&mut Vec<Diagnostic>) -> Statement,
    ) -> Statement {
        lower(diags)
    }
}

/// Lowers the tree; statements come from `source` (see [`StatementSource`]).
pub fn lower(
    parse: &Parse,
    diags: &mut Vec<Diagnostic>,
    source: &mut impl StatementSource,
) -> Policy {
    let mut policy = Policy {
        range: parse.root().range,
        ..Policy::default()
    };
    let Some(root) = parse.value() else {
        return policy;
    };
    let Some(obj) = root.as_object() else {
        if !matches!(root, Value::Error(_)) {
            diags.push(Diagnostic::new(
                &rules::WRONG_TYPE,
                root.range(),
                format!("a policy must be a JSON object, found {}", root.type_name()),
            ));
        }
        return policy;
    };
    policy.range = obj.range();
    check_duplicates(obj, diags);
    for member in obj.members() {
        let Some(key) = member.key() else { continue };
        let key_text = key.value();
        let value = member.value();
        match key_text.as_ref() {
            "Version" => {
                let Some(v) = value else { continue };
                if let Some(s) = v.as_string() {
                    let text = s.value().into_owned();
                    let version = match text.as_str() {
                        "2012-10-17" => Version::V2012_10_17,
                        "2008-10-17" => Version::V2008_10_17,
                        _ => Version::Other,
                    };
                    if version == Version::Other {
                        diags.push(
                            Diagnostic::new(
                                &rules::INVALID_VERSION,
                                s.range(),
                                format!(
                                    "`{text}` is not a policy language version: use `2012-10-17`"
                                ),
                            )
                            .with_fix(Fix::replace(
                                "Use version 2012-10-17",
                                s.range(),
                                "\"2012-10-17\"",
                            )),
                        );
                    }
                    policy.version = Some(Spanned::new(version, s.range()));
                    policy.version_text = Some(Spanned::new(text, s.range()));
                } else {
                    wrong_type(diags, "Version", "a string", v);
                }
            }
            "Id" => {
                let Some(v) = value else { continue };
                if let Some(s) = v.as_string() {
                    policy.id = Some(Spanned::new(s.value().into_owned(), s.range()));
                } else {
                    wrong_type(diags, "Id", "a string", v);
                }
            }
            "Statement" => {
                policy.statement_key = Some(key.range());
                let Some(v) = value else { continue };
                match v {
                    Value::Object(o) => {
                        policy.statements.push(
                            source.statement(o.range(), 0, false, diags, |d| {
                                lower_statement(o, 0, d)
                            }),
                        )
                    }
                    Value::Array(a) => {
                        for item in a.items() {
                            let index = policy.statements.len();
                            match item {
                                Value::Object(o) => policy.statements.push(source.statement(
                                    o.range(),
                                    index,
                                    true,
                                    diags,
                                    |d| lower_statement(o, index, d),
                                )),
                                Value::Error(_) => {}
                                other => wrong_type(diags, "a statement", "an object", other),
                            }
                        }
                    }
                    other => wrong_type(
                        diags,
                        "Statement",
                        "an object or an array of objects",
                        other,
                    ),
                }
            }
            other => unknown_element(diags, other, key.range(), TOP_LEVEL_ELEMENTS, "top-level"),
        }
    }
    policy
}

fn unknown_element(
    diags: &mut Vec<Diagnostic>,
    name: &str,
    range: TextRange,
    known: &[&str],
    place: &str,
) {
    let mut d = Diagnostic::new(
        &rules::UNKNOWN_ELEMENT,
        range,
        format!("`{name}` is not a {place} policy element"),
    );
    if let Some(s) = closest(name, known.iter().copied()) {
        d.message = format!("`{name}` is not a {place} policy element: did you mean `{s}`?");
        d = d.with_fix(Fix::replace(
            format!("Change to `{s}`"),
            range,
            format!("\"{s}\""),
        ));
    } else {
        d.message
            .push_str(&format!(" (expected one of {})", known.join(", ")));
    }
    diags.push(d);
}

fn wrong_type(diags: &mut Vec<Diagnostic>, what: &str, expected: &str, found: Value<'_>) {
    if matches!(found, Value::Error(_)) {
        return; // already a syntax error
    }
    diags.push(Diagnostic::new(
        &rules::WRONG_TYPE,
        found.range(),
        format!("{what} must be {expected}, found {}", found.type_name()),
    ));
}

fn check_duplicates(obj: Object<'_>, diags: &mut Vec<Diagnostic>) {
    // Policy objects are small: compare with the earlier keys directly (no set to allocate); a
    // set only for large objects, so that a huge one stays linear.
    const SMALL: usize = 16;
    let mut small: [Option<std::borrow::Cow<'_, str>>; SMALL] = std::array::from_fn(|_| None);
    let mut n = 0;
    let mut large: Option<HashSet<std::borrow::Cow<'_, str>, rustc_hash::FxBuildHasher>> = None;
    for m in obj.members() {
        let Some(k) = m.key() else { continue };
        let name = k.value();
        let seen = match &mut large {
            Some(set) => !set.insert(name.clone()),
            None => {
                let seen = small[..n].iter().flatten().any(|earlier| *earlier == name);
                if !seen {
                    if n < SMALL {
                        small[n] = Some(name.clone());
                        n += 1;
                    } else {
                        let mut set: HashSet<_, rustc_hash::FxBuildHasher> =
                            small.iter_mut().filter_map(Option::take).collect();
                        set.insert(name.clone());
                        large = Some(set);
                    }
                }
                seen
            }
        };
        if seen {
            diags.push(Diagnostic::new(
                &rules::DUPLICATE_KEY,
                k.range(),
                format!("`{name}` appears more than once in this object: only one of them takes effect; merge their values"),
            ));
        }
    }
}

fn lower_statement(obj: Object<'_>, index: usize, diags: &mut Vec<Diagnostic>) -> Statement {
    check_duplicates(obj, diags);
    let mut st = Statement {
        index,
        range: obj.range(),
        ..Statement::default()
    };
    for member in obj.members() {
        let Some(key) = member.key() else { continue };
        let key_text = key.value();
        st.keys
            .push(Spanned::new(key_text.to_string(), key.range()));
        let Some(value) = member.value() else {
            // A key with no value yet: keep the element's position for completion, report nothing
            // more than the syntax error.
            continue;
        };
        let kr = key.range();
        match key_text.as_ref() {
            "Sid" => match value.as_string() {
                Some(s) => st.sid = Some(Spanned::new(s.value().into_owned(), s.range())),
                None => wrong_type(diags, "Sid", "a string", value),
            },
            "Effect" => match value.as_string() {
                Some(s) => {
                    let text = s.value();
                    match text.as_ref() {
                        "Allow" => st.effect = Some(Spanned::new(Effect::Allow, s.range())),
                        "Deny" => st.effect = Some(Spanned::new(Effect::Deny, s.range())),
                        other => {
                            let mut d = Diagnostic::new(
                                &rules::INVALID_EFFECT,
                                s.range(),
                                format!(
                                    "`Effect` must be exactly `Allow` or `Deny`, found `{other}`"
                                ),
                            );
                            if let Some(fix) = ["Allow", "Deny"]
                                .into_iter()
                                .find(|e| e.eq_ignore_ascii_case(other.trim()))
                                .or_else(|| closest(other, ["Allow", "Deny"]))
                            {
                                d.message.push_str(&format!(": did you mean `{fix}`?"));
                                d = d.with_fix(Fix::replace(
                                    format!("Change to `{fix}`"),
                                    s.range(),
                                    format!("\"{fix}\""),
                                ));
                            }
                            diags.push(d);
                        }
                    }
                }
                None => wrong_type(diags, "Effect", "the string `Allow` or `Deny`", value),
            },
            "Action" => st.action = Some(string_list(kr, value, "Action", diags)),
            "NotAction" => st.not_action = Some(string_list(kr, value, "NotAction", diags)),
            "Resource" => st.resource = Some(string_list(kr, value, "Resource", diags)),
            "NotResource" => st.not_resource = Some(string_list(kr, value, "NotResource", diags)),
            "Principal" => st.principal = lower_principal(kr, value, "Principal", diags),
            "NotPrincipal" => st.not_principal = lower_principal(kr, value, "NotPrincipal", diags),
            "Condition" => st.condition = lower_condition(kr, value, diags),
            other => unknown_element(diags, other, kr, STATEMENT_ELEMENTS, "statement"),
        }
    }
    st
}

/// A string or an array of strings.
fn string_list(
    key_range: TextRange,
    value: Value<'_>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> StringList {
    let mut list = StringList {
        key_range,
        range: value.range(),
        is_array: false,
        items: Vec::new(),
    };
    match value {
        Value::Array(a) => {
            list.is_array = true;
            string_items(a, what, diags, &mut list.items);
        }
        other => match other.as_string() {
            Some(s) => list
                .items
                .push(Spanned::new(s.value().into_owned(), s.range())),
            None => wrong_type(diags, what, "a string or an array of strings", other),
        },
    }
    list
}

fn string_items(
    a: Array<'_>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Spanned<String>>,
) {
    for item in a.items() {
        match item.as_string() {
            Some(s) => out.push(Spanned::new(s.value().into_owned(), s.range())),
            None => wrong_type(diags, &format!("each item of `{what}`"), "a string", item),
        }
    }
}

fn lower_principal(
    key_range: TextRange,
    value: Value<'_>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<PrincipalElement> {
    let range = value.range();
    let value = match value {
        Value::Object(o) => {
            check_duplicates(o, diags);
            let mut entries = Vec::new();
            for m in o.members() {
                let (Some(k), Some(v)) = (m.key(), m.value()) else {
                    continue;
                };
                let kind = Spanned::new(k.value().into_owned(), k.range());
                let values = string_list(k.range(), v, &format!("{what}.{}", kind.value), diags);
                entries.push(PrincipalEntry { kind, values });
            }
            PrincipalValue::Map(entries)
        }
        other => match other.as_string() {
            Some(s) => PrincipalValue::Wildcard(Spanned::new(s.value().into_owned(), s.range())),
            None => {
                wrong_type(
                    diags,
                    what,
                    "`\"*\"` or an object such as `{\"AWS\": ...}`",
                    other,
                );
                return None;
            }
        },
    };
    Some(PrincipalElement {
        key_range,
        range,
        value,
    })
}

fn lower_condition(
    key_range: TextRange,
    value: Value<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<ConditionBlock> {
    let Some(obj) = value.as_object() else {
        wrong_type(diags, "Condition", "an object of operators", value);
        return None;
    };
    check_duplicates(obj, diags);
    let mut block = ConditionBlock {
        key_range,
        range: obj.range(),
        operators: Vec::new(),
    };
    for m in obj.members() {
        let (Some(op), Some(v)) = (m.key(), m.value()) else {
            continue;
        };
        let operator = Spanned::new(op.value().into_owned(), op.range());
        let Some(keys) = v.as_object() else {
            wrong_type(
                diags,
                &format!("the value of `{}`", operator.value),
                "an object of condition keys",
                v,
            );
            continue;
        };
        check_duplicates(keys, diags);
        let mut entries = Vec::new();
        for km in keys.members() {
            let (Some(k), Some(kv)) = (km.key(), km.value()) else {
                continue;
            };
            let key = Spanned::new(k.value().into_owned(), k.range());
            let mut entry = ConditionEntry {
                key,
                range: kv.range(),
                is_array: false,
                values: Vec::new(),
            };
            match kv {
                Value::Array(a) => {
                    entry.is_array = true;
                    for item in a.items() {
                        if let Some(cv) = condition_value(item, diags) {
                            entry.values.push(cv);
                        }
                    }
                }
                other => {
                    if let Some(cv) = condition_value(other, diags) {
                        entry.values.push(cv);
                    }
                }
            }
            entries.push(entry);
        }
        block.operators.push(ConditionOperatorBlock {
            operator,
            range: keys.range(),
            entries,
        });
    }
    Some(block)
}

fn condition_value(v: Value<'_>, diags: &mut Vec<Diagnostic>) -> Option<Spanned<ConditionValue>> {
    if let Value::Scalar(s) = v {
        if let Some(st) = s.as_string() {
            return Some(Spanned::new(
                ConditionValue::String(st.value().into_owned()),
                st.range(),
            ));
        }
        if let Some(b) = s.as_bool() {
            return Some(Spanned::new(ConditionValue::Bool(b), s.token.range));
        }
        if s.kind() == iam_syntax::TokenKind::Number {
            return Some(Spanned::new(
                ConditionValue::Number(s.raw().to_owned()),
                s.token.range,
            ));
        }
    }
    wrong_type(diags, "a condition value", "a string, number or boolean", v);
    None
}
