//! Condition blocks (S50–S67): operators ANDed, keys ANDed, values ORed (NOR when negated),
//! missing keys, `IfExists`, set qualifiers and `Null`.

use std::cmp::Ordering;
use std::fmt;

use iam_syntax::TextRange;

use super::request::{CtxRef, EvalContext};
use iam_policy::model::{ConditionBlock, ConditionEntry, ConditionValue, Spanned};
use iam_policy::semantics::operator::{BaseOperator, OperatorFamily, ParsedOperator, SetQualifier};
use iam_policy::semantics::values::{
    Decimal, decode_base64, parse_bool, parse_cidr, parse_date, parse_ip,
};
use iam_policy::semantics::variables::{
    self, expand_pattern, expand_string, may_contain_variables,
};
use iam_policy::semantics::wildcard::{Raw, Tok, glob, is_arn, match_arn_condition};

/// Why one condition (operator + key) evaluated to false.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionReason {
    /// The operator name is not a known operator (message from the operator parser).
    UnknownOperator(String),
    /// A positive operator without `IfExists` on a key the request does not carry (S51), or a
    /// `ForAnyValue` on an absent key (S62).
    KeyAbsent,
    /// The request value matches none of the policy values (S50c).
    NoValueMatched,
    /// Negated operator: the request value matches this policy value (S50d).
    ValueExcluded { policy_value: String },
    /// The request value is not of the operator's type (S53).
    TypeMismatch {
        value: String,
        expected: &'static str,
    },
    /// A plain operator on a multivalued key (S66).
    MultivaluedKeyNeedsQualifier,
    /// `ForAllValues`: this member matched no policy value (S61).
    MemberFailed { member: String },
    /// `ForAnyValue`: no member matched (S62).
    NoMemberMatched,
    /// `ForAnyValue` on an empty set (S62).
    EmptySet,
    /// `Null`: the key is (not) null but the policy wants the opposite (S55).
    NullCheck { is_null: bool },
}

/// The first failing condition of a statement, with the values compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionFailure {
    /// The operator as written.
    pub operator: String,
    pub operator_range: TextRange,
    /// The condition key as written (empty for an unknown operator without keys).
    pub key: String,
    pub key_range: TextRange,
    /// The policy values (canonical text).
    pub policy_values: Vec<String>,
    /// The request's values, `None` when the key is absent.
    pub request_values: Option<Vec<String>>,
    /// Whether the request key is multivalued.
    pub request_multivalued: bool,
    pub reason: ConditionReason,
}

impl fmt::Display for ConditionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "condition `{}` on `{}` is false: ",
            self.operator, self.key
        )?;
        let req = match &self.request_values {
            None => "absent".to_owned(),
            Some(v) if self.request_multivalued => format!("{v:?}"),
            Some(v) => v.first().map(|s| format!("{s:?}")).unwrap_or_default(),
        };
        let pol = format!("{:?}", self.policy_values);
        match &self.reason {
            ConditionReason::UnknownOperator(m) => write!(f, "{m}"),
            ConditionReason::KeyAbsent => {
                write!(f, "the request has no `{}` (policy wants {pol})", self.key)
            }
            ConditionReason::NoValueMatched => {
                write!(f, "request value {req} matches none of {pol}")
            }
            ConditionReason::ValueExcluded { policy_value } => {
                write!(
                    f,
                    "request value {req} matches excluded value {policy_value:?}"
                )
            }
            ConditionReason::TypeMismatch { value, expected } => {
                write!(f, "request value {value:?} is not a valid {expected}")
            }
            ConditionReason::MultivaluedKeyNeedsQualifier => write!(
                f,
                "request key is multivalued ({req}); a plain operator never matches it, use ForAnyValue:/ForAllValues:"
            ),
            ConditionReason::MemberFailed { member } => {
                write!(
                    f,
                    "ForAllValues: member {member:?} of {req} does not match {pol}"
                )
            }
            ConditionReason::NoMemberMatched => {
                write!(f, "ForAnyValue: no member of {req} matches {pol}")
            }
            ConditionReason::EmptySet => write!(f, "ForAnyValue: the request set is empty"),
            ConditionReason::NullCheck { is_null: true } => {
                write!(f, "the key is absent (null) but the policy requires {pol}")
            }
            ConditionReason::NullCheck { is_null: false } => {
                write!(
                    f,
                    "the key is present ({req}) but the policy requires {pol}"
                )
            }
        }
    }
}

enum Outcome {
    Matched(usize),
    NoneMatched,
    Mismatch(&'static str),
}

/// Evaluates a condition block; `Err` carries the first failing condition.
pub(crate) fn eval_block(
    block: &ConditionBlock,
    v2012: bool,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
) -> Result<(), Box<ConditionFailure>> {
    for op_block in &block.operators {
        let op = match ParsedOperator::parse_ignore_case(&op_block.operator.value) {
            Ok(op) => op,
            Err(e) => {
                let entry = op_block.entries.first();
                return Err(Box::new(failure(
                    &op_block.operator,
                    entry,
                    ctx,
                    ConditionReason::UnknownOperator(e.to_string()),
                )));
            }
        };
        for entry in &op_block.entries {
            if let Err(reason) = eval_entry(op, entry, v2012, ctx, scratch) {
                return Err(Box::new(failure(
                    &op_block.operator,
                    Some(entry),
                    ctx,
                    reason,
                )));
            }
        }
    }
    Ok(())
}

fn failure(
    operator: &Spanned<String>,
    entry: Option<&ConditionEntry>,
    ctx: &EvalContext<'_>,
    reason: ConditionReason,
) -> ConditionFailure {
    let (key, key_range, policy_values) = entry.map_or_else(
        || (String::new(), operator.range, Vec::new()),
        |e| {
            (
                e.key.value.clone(),
                e.key.range,
                e.values.iter().map(|v| v.value.text().to_owned()).collect(),
            )
        },
    );
    let req = entry.and_then(|e| ctx.get(&e.key.value));
    let (request_values, request_multivalued) = match req {
        None => (None, false),
        Some(CtxRef::Single(s)) => (Some(vec![s.to_owned()]), false),
        Some(CtxRef::Multi(m)) => (Some(m.to_vec()), true),
    };
    ConditionFailure {
        operator: operator.value.clone(),
        operator_range: operator.range,
        key,
        key_range,
        policy_values,
        request_values,
        request_multivalued,
        reason,
    }
}

fn eval_entry(
    op: ParsedOperator,
    entry: &ConditionEntry,
    v2012: bool,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
) -> Result<(), ConditionReason> {
    let req = ctx.get(&entry.key.value);
    let values = &entry.values;
    if op.base == BaseOperator::Null {
        // S55: absent, or a present-but-empty set, is null.
        let is_null = match req {
            None => true,
            Some(CtxRef::Multi(m)) => m.is_empty(),
            Some(CtxRef::Single(_)) => false,
        };
        return if values
            .iter()
            .any(|p| parse_bool(p.value.text()) == Some(is_null))
        {
            Ok(())
        } else {
            Err(ConditionReason::NullCheck { is_null })
        };
    }
    let mut one = |v: &str| single(op.base, values, v, v2012, ctx, scratch);
    match op.qualifier {
        None => match req {
            // S51, S54
            None if op.if_exists || op.is_negated() => Ok(()),
            None => Err(ConditionReason::KeyAbsent),
            // S66
            Some(CtxRef::Multi(_)) => Err(ConditionReason::MultivaluedKeyNeedsQualifier),
            Some(CtxRef::Single(v)) => one(v),
        },
        Some(SetQualifier::ForAllValues) => {
            // S61, S64: absent, empty or null-dataset sets are vacuously true.
            let members: &[String] = match req {
                None => return Ok(()),
                Some(CtxRef::Single(v)) => {
                    return if v.is_empty() {
                        Ok(())
                    } else {
                        one(v).map_err(|_| ConditionReason::MemberFailed {
                            member: v.to_owned(),
                        })
                    };
                }
                Some(CtxRef::Multi(m)) => m,
            };
            if members.iter().all(String::is_empty) {
                return Ok(());
            }
            for m in members {
                if one(m).is_err() {
                    return Err(ConditionReason::MemberFailed { member: m.clone() });
                }
            }
            Ok(())
        }
        Some(SetQualifier::ForAnyValue) => match req {
            // S62, S64
            None if op.if_exists => Ok(()),
            None => Err(ConditionReason::KeyAbsent),
            Some(CtxRef::Single(v)) => one(v).map_err(|_| ConditionReason::NoMemberMatched),
            Some(CtxRef::Multi([])) => Err(ConditionReason::EmptySet),
            Some(CtxRef::Multi(m)) => {
                if m.iter().any(|v| one(v).is_ok()) {
                    Ok(())
                } else {
                    Err(ConditionReason::NoMemberMatched)
                }
            }
        },
    }
}

/// One request value against the policy values: OR for positive operators, NOR for negated.
fn single(
    base: BaseOperator,
    values: &[Spanned<ConditionValue>],
    v: &str,
    v2012: bool,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
) -> Result<(), ConditionReason> {
    let outcome = match_values(base.positive(), values, v, v2012, ctx, scratch);
    match (base.is_negated(), outcome) {
        (false, Outcome::Matched(_)) | (true, Outcome::NoneMatched) => Ok(()),
        (false, Outcome::NoneMatched) => Err(ConditionReason::NoValueMatched),
        (true, Outcome::Matched(i)) => Err(ConditionReason::ValueExcluded {
            policy_value: values
                .get(i)
                .map(|p| p.value.text().to_owned())
                .unwrap_or_default(),
        }),
        // S53: a request value of the wrong type matches nothing, and the negated form is false.
        (_, Outcome::Mismatch(expected)) => Err(ConditionReason::TypeMismatch {
            value: v.to_owned(),
            expected,
        }),
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn ordering_ok(base: BaseOperator, ord: Ordering) -> bool {
    use BaseOperator as B;
    match base {
        B::NumericEquals | B::DateEquals => ord == Ordering::Equal,
        B::NumericLessThan | B::DateLessThan => ord == Ordering::Less,
        B::NumericLessThanEquals | B::DateLessThanEquals => ord != Ordering::Greater,
        B::NumericGreaterThan | B::DateGreaterThan => ord == Ordering::Greater,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => ord != Ordering::Less,
        _ => false,
    }
}

fn find(values: &[Spanned<ConditionValue>], mut f: impl FnMut(&str) -> bool) -> Outcome {
    values
        .iter()
        .position(|p| f(p.value.text()))
        .map_or(Outcome::NoneMatched, Outcome::Matched)
}

/// Matches with the positive operator `base`.
fn match_values(
    base: BaseOperator,
    values: &[Spanned<ConditionValue>],
    v: &str,
    v2012: bool,
    ctx: &EvalContext<'_>,
    scratch: &mut Vec<Tok>,
) -> Outcome {
    let family = base.family();
    let vars = v2012 && family.supports_variables();
    match family {
        OperatorFamily::String => find(values, |p| {
            if vars && may_contain_variables(p) {
                let t = variables::parse(p);
                match base {
                    BaseOperator::StringLike => {
                        expand_pattern(&t, ctx, scratch) && glob(scratch.as_slice(), v, false)
                    }
                    BaseOperator::StringEqualsIgnoreCase => {
                        expand_string(&t, ctx).is_some_and(|s| eq_ignore_case(&s, v))
                    }
                    _ => expand_string(&t, ctx).is_some_and(|s| s == v),
                }
            } else {
                match base {
                    BaseOperator::StringLike => glob(&Raw(p), v, false),
                    BaseOperator::StringEqualsIgnoreCase => eq_ignore_case(p, v),
                    _ => p == v,
                }
            }
        }),
        OperatorFamily::Numeric => {
            let Some(rv) = Decimal::parse(v) else {
                return Outcome::Mismatch("number");
            };
            find(values, |p| {
                Decimal::parse(p).is_some_and(|pv| ordering_ok(base, rv.cmp(&pv)))
            })
        }
        OperatorFamily::Date => {
            let Some(rv) = parse_date(v) else {
                return Outcome::Mismatch("date");
            };
            find(values, |p| {
                parse_date(p).is_some_and(|pv| ordering_ok(base, rv.cmp(&pv)))
            })
        }
        OperatorFamily::Bool => {
            let Some(rv) = parse_bool(v) else {
                return Outcome::Mismatch("boolean");
            };
            find(values, |p| {
                if vars && may_contain_variables(p) {
                    expand_string(&variables::parse(p), ctx)
                        .is_some_and(|s| parse_bool(&s) == Some(rv))
                } else {
                    parse_bool(p) == Some(rv)
                }
            })
        }
        OperatorFamily::Binary => {
            let Some(rv) = decode_base64(v) else {
                return Outcome::Mismatch("base64 value");
            };
            find(values, |p| decode_base64(p).is_some_and(|pv| pv == rv))
        }
        OperatorFamily::IpAddress => {
            let Some(ip) = parse_ip(v) else {
                return Outcome::Mismatch("IP address");
            };
            find(values, |p| {
                parse_cidr(p).is_some_and(|net| net.contains(&ip))
            })
        }
        OperatorFamily::Arn => {
            if !is_arn(v) {
                return Outcome::Mismatch("ARN");
            }
            find(values, |p| {
                if vars && may_contain_variables(p) {
                    expand_pattern(&variables::parse(p), ctx, scratch)
                        && match_arn_condition(scratch.as_slice(), v) == Some(true)
                } else {
                    match_arn_condition(&Raw(p), v) == Some(true)
                }
            })
        }
        OperatorFamily::Null => Outcome::NoneMatched,
    }
}
