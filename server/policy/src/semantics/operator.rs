//! Condition operator names: family, negation, `IfExists` and set qualifiers (spec S8, S50–S66).
//!
//! The one operator table of the project: the validator, the evaluator, completion and hover all
//! read it (`ParsedOperator::parse("ForAnyValue:StringLikeIfExists")`, [`BaseOperator::summary`],
//! [`OperatorFamily::fits`]).

use std::fmt;

use iam_catalog::ConditionKeyType;

/// `ForAllValues:` / `ForAnyValue:` (S61, S62).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

impl SetQualifier {
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::ForAllValues => "ForAllValues",
            Self::ForAnyValue => "ForAnyValue",
        }
    }
}

/// The operator family, which decides how values are typed and compared (S53 table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

impl OperatorFamily {
    /// Whether policy variables are substituted in this family's values (S41).
    #[must_use]
    pub const fn supports_variables(self) -> bool {
        matches!(self, Self::String | Self::Arn | Self::Bool)
    }

    /// Whether operators of this family compare values of a key of type `ty`: the one table the
    /// validator (rule D008), completion and hover use. `Null` fits every key; String operators
    /// fit ARN keys and ARN operators fit String keys (ARNs are strings, and AWS compares them);
    /// `BinaryEquals` fits String keys (their base64 bytes).
    #[must_use]
    pub fn fits(self, ty: ConditionKeyType) -> bool {
        use ConditionKeyType as T;
        matches!(
            (self, ty.scalar()),
            (Self::Null, _)
                | (Self::String | Self::Arn, T::String | T::Arn)
                | (Self::Numeric, T::Numeric)
                | (Self::Date, T::Date)
                | (Self::Bool, T::Bool)
                | (Self::IpAddress, T::IpAddress)
                | (Self::Binary, T::Binary | T::String)
        )
    }

    /// The operators to use for a key of type `ty`, as a message names them.
    #[must_use]
    pub fn suggested_for(ty: ConditionKeyType) -> &'static str {
        match ty.scalar() {
            ConditionKeyType::Numeric => "`Numeric...` operators",
            ConditionKeyType::Date => "`Date...` operators",
            ConditionKeyType::Bool => "`Bool`",
            ConditionKeyType::IpAddress => "`IpAddress`/`NotIpAddress`",
            ConditionKeyType::Binary => "`BinaryEquals`",
            ConditionKeyType::Arn => "`Arn...` operators",
            _ => "`String...` operators",
        }
    }
}

macro_rules! base_operators {
    ($( $variant:ident => $name:literal, $family:ident, $negated:literal, $wild:literal, $positive:ident, $summary:literal; )*) => {
        /// A condition operator without qualifier and `IfExists` suffix.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum BaseOperator { $( $variant, )* }

        impl BaseOperator {
            /// Every operator, in documentation order.
            pub const ALL: &'static [BaseOperator] = &[ $( BaseOperator::$variant, )* ];

            /// The operator's name as AWS spells it.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $( Self::$variant => $name, )* }
            }

            #[must_use]
            pub const fn family(self) -> OperatorFamily {
                match self { $( Self::$variant => OperatorFamily::$family, )* }
            }

            /// True for `StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ... (S51).
            #[must_use]
            pub const fn is_negated(self) -> bool {
                match self { $( Self::$variant => $negated, )* }
            }

            /// Whether `*` and `?` in policy values are wildcards.
            #[must_use]
            pub const fn supports_wildcards(self) -> bool {
                match self { $( Self::$variant => $wild, )* }
            }

            /// What the operator tests, in one or two sentences of Markdown (hover and completion
            /// documentation).
            #[must_use]
            pub const fn summary(self) -> &'static str {
                match self { $( Self::$variant => $summary, )* }
            }

            /// The positive partner of a negated operator (itself when not negated).
            #[must_use]
            pub const fn positive(self) -> BaseOperator {
                match self { $( Self::$variant => Self::$positive, )* }
            }
        }
    };
}

base_operators! {
    StringEquals => "StringEquals", String, false, false, StringEquals,
        "The request value equals one of the policy values exactly (case-sensitive; `*` is a literal character).";
    StringNotEquals => "StringNotEquals", String, true, false, StringEquals,
        "The request value equals none of the policy values (case-sensitive).";
    StringEqualsIgnoreCase => "StringEqualsIgnoreCase", String, false, false, StringEqualsIgnoreCase,
        "The request value equals one of the policy values, ignoring case.";
    StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase", String, true, false, StringEqualsIgnoreCase,
        "The request value equals none of the policy values, ignoring case.";
    StringLike => "StringLike", String, false, true, StringLike,
        "The request value matches one of the policy patterns: `*` matches any run of characters, `?` exactly one; the whole value must match (case-sensitive).";
    StringNotLike => "StringNotLike", String, true, true, StringLike,
        "The request value matches none of the policy patterns (`*`, `?`; case-sensitive).";
    NumericEquals => "NumericEquals", Numeric, false, false, NumericEquals,
        "The request value is numerically equal to one of the policy values (`100` equals `100.0`).";
    NumericNotEquals => "NumericNotEquals", Numeric, true, false, NumericEquals,
        "The request value is numerically equal to none of the policy values.";
    NumericLessThan => "NumericLessThan", Numeric, false, false, NumericLessThan,
        "The request value is less than the policy value (a numeric comparison, not a string one).";
    NumericLessThanEquals => "NumericLessThanEquals", Numeric, false, false, NumericLessThanEquals,
        "The request value is less than or equal to the policy value.";
    NumericGreaterThan => "NumericGreaterThan", Numeric, false, false, NumericGreaterThan,
        "The request value is greater than the policy value.";
    NumericGreaterThanEquals => "NumericGreaterThanEquals", Numeric, false, false, NumericGreaterThanEquals,
        "The request value is greater than or equal to the policy value.";
    DateEquals => "DateEquals", Date, false, false, DateEquals,
        "The request date is the same instant as the policy date (ISO 8601 such as `2024-06-01T12:00:00Z`, or epoch seconds).";
    DateNotEquals => "DateNotEquals", Date, true, false, DateEquals,
        "The request date is not the same instant as any policy date.";
    DateLessThan => "DateLessThan", Date, false, false, DateLessThan,
        "The request date is before the policy date.";
    DateLessThanEquals => "DateLessThanEquals", Date, false, false, DateLessThanEquals,
        "The request date is before or at the policy date.";
    DateGreaterThan => "DateGreaterThan", Date, false, false, DateGreaterThan,
        "The request date is after the policy date.";
    DateGreaterThanEquals => "DateGreaterThanEquals", Date, false, false, DateGreaterThanEquals,
        "The request date is at or after the policy date.";
    Bool => "Bool", Bool, false, false, Bool,
        "The request value is the boolean `true` or `false` given in the policy.";
    BinaryEquals => "BinaryEquals", Binary, false, false, BinaryEquals,
        "The request value's bytes equal the base64-decoded policy value.";
    IpAddress => "IpAddress", IpAddress, false, false, IpAddress,
        "The request IP address lies in one of the policy CIDR ranges (a bare address is a /32 or /128; IPv4 never matches an IPv6 range).";
    NotIpAddress => "NotIpAddress", IpAddress, true, false, IpAddress,
        "The request IP address lies in none of the policy CIDR ranges.";
    ArnEquals => "ArnEquals", Arn, false, true, ArnEquals,
        "The request ARN matches one of the policy ARNs, part by part (`*` and `?` are wildcards, as in `ArnLike`; case-sensitive).";
    ArnLike => "ArnLike", Arn, false, true, ArnLike,
        "The request ARN matches one of the policy ARN patterns, part by part (`*` any run, `?` one character; case-sensitive).";
    ArnNotEquals => "ArnNotEquals", Arn, true, true, ArnEquals,
        "The request ARN matches none of the policy ARNs.";
    ArnNotLike => "ArnNotLike", Arn, true, true, ArnLike,
        "The request ARN matches none of the policy ARN patterns.";
    Null => "Null", Null, false, false, Null,
        "`\"true\"`: the key is absent from the request. `\"false\"`: the key is present (with a non-empty value).";
}

impl BaseOperator {
    /// Looks an operator up by exact (case-sensitive) name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// Looks an operator up ignoring ASCII case.
    #[must_use]
    pub fn from_name_ignore_case(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|op| op.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for BaseOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A fully parsed operator name: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParsedOperator {
    pub qualifier: Option<SetQualifier>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

/// Why an operator name did not parse. Byte ranges are relative to the operator text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorError {
    /// Empty operator name.
    Empty,
    /// A `Something:` prefix that is not `ForAllValues:` or `ForAnyValue:`.
    UnknownQualifier {
        qualifier: String,
        range: std::ops::Range<usize>,
    },
    /// The base operator is unknown. `suggestion` is a close known name, if any.
    UnknownOperator {
        name: String,
        range: std::ops::Range<usize>,
        suggestion: Option<&'static str>,
    },
    /// `NullIfExists` (S8: `Null` cannot take `IfExists`).
    NullWithIfExists,
}

impl fmt::Display for OperatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty condition operator"),
            Self::UnknownQualifier { qualifier, .. } => write!(
                f,
                "unknown set qualifier `{qualifier}:` (expected `ForAllValues:` or `ForAnyValue:`)"
            ),
            Self::UnknownOperator {
                name,
                suggestion: Some(s),
                ..
            } => {
                write!(
                    f,
                    "unknown condition operator `{name}` (did you mean `{s}`?)"
                )
            }
            Self::UnknownOperator { name, .. } => write!(f, "unknown condition operator `{name}`"),
            Self::NullWithIfExists => f.write_str("`Null` cannot take the `IfExists` suffix"),
        }
    }
}

impl std::error::Error for OperatorError {}

impl ParsedOperator {
    /// Whether the operator as written fits a key of type `ty`, as the validator judges it: the
    /// family fits ([`OperatorFamily::fits`], rule D008); a multivalued key has a set qualifier,
    /// and a single-valued key is not under `ForAllValues:` (which also matches a missing key).
    #[must_use]
    pub fn fits_key(&self, ty: ConditionKeyType) -> bool {
        let family = self.base.family();
        family.fits(ty)
            && (family == OperatorFamily::Null
                || match self.qualifier {
                    None => !ty.is_array(),
                    Some(SetQualifier::ForAllValues) => ty.is_array(),
                    Some(SetQualifier::ForAnyValue) => true,
                })
    }

    /// Parses an operator name exactly as AWS spells it (case-sensitive, as the validator wants).
    pub fn parse(text: &str) -> Result<Self, OperatorError> {
        Self::parse_with(text, false)
    }

    /// Parses ignoring ASCII case (what evaluation accepts, spec §10).
    pub fn parse_ignore_case(text: &str) -> Result<Self, OperatorError> {
        Self::parse_with(text, true)
    }

    fn parse_with(text: &str, ignore_case: bool) -> Result<Self, OperatorError> {
        if text.is_empty() {
            return Err(OperatorError::Empty);
        }
        let eq = |a: &str, b: &str| {
            if ignore_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        let (qualifier, rest, rest_start) = match text.find(':') {
            Some(colon) => {
                let q = &text[..colon];
                let qualifier = if eq(q, "ForAllValues") {
                    SetQualifier::ForAllValues
                } else if eq(q, "ForAnyValue") {
                    SetQualifier::ForAnyValue
                } else {
                    return Err(OperatorError::UnknownQualifier {
                        qualifier: q.to_owned(),
                        range: 0..colon,
                    });
                };
                (Some(qualifier), &text[colon + 1..], colon + 1)
            }
            None => (None, text, 0),
        };
        let lookup = |name: &str| {
            if ignore_case {
                BaseOperator::from_name_ignore_case(name)
            } else {
                BaseOperator::from_name(name)
            }
        };
        if let Some(base) = lookup(rest) {
            return Ok(Self {
                qualifier,
                base,
                if_exists: false,
            });
        }
        const SUFFIX: &str = "IfExists";
        if rest.len() > SUFFIX.len() && rest.is_char_boundary(rest.len() - SUFFIX.len()) {
            let (head, tail) = rest.split_at(rest.len() - SUFFIX.len());
            if eq(tail, SUFFIX) {
                if let Some(base) = lookup(head) {
                    if base == BaseOperator::Null {
                        return Err(OperatorError::NullWithIfExists);
                    }
                    return Ok(Self {
                        qualifier,
                        base,
                        if_exists: true,
                    });
                }
            }
        }
        Err(OperatorError::UnknownOperator {
            name: rest.to_owned(),
            range: rest_start..text.len(),
            suggestion: suggest(rest),
        })
    }

    #[must_use]
    pub const fn family(self) -> OperatorFamily {
        self.base.family()
    }

    #[must_use]
    pub const fn is_negated(self) -> bool {
        self.base.is_negated()
    }
}

fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let stripped = lower.strip_suffix("ifexists").unwrap_or(&lower);
    iam_catalog::similar::closest(stripped, BaseOperator::ALL.iter().map(|op| op.name()))
}

impl fmt::Display for ParsedOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            write!(f, "{}:", q.name())?;
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s8_parses_qualifier_and_if_exists() {
        let op = ParsedOperator::parse("ForAnyValue:StringLikeIfExists").expect("parses");
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
    }

    #[test]
    fn s8_null_cannot_take_if_exists() {
        assert_eq!(
            ParsedOperator::parse("NullIfExists"),
            Err(OperatorError::NullWithIfExists)
        );
    }

    #[test]
    fn s8_case_and_unknown() {
        assert!(ParsedOperator::parse("stringequals").is_err());
        assert!(ParsedOperator::parse_ignore_case("stringequals").is_ok());
        match ParsedOperator::parse("StringEqual") {
            Err(OperatorError::UnknownOperator { suggestion, .. }) => {
                assert_eq!(suggestion, Some("StringEquals"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            ParsedOperator::parse("ForSomeValues:StringEquals"),
            Err(OperatorError::UnknownQualifier { .. })
        ));
        assert!(ParsedOperator::parse("IfExists").is_err());
        assert!(ParsedOperator::parse("ForAllValues:").is_err());
        assert!(ParsedOperator::parse("é").is_err());
    }

    #[test]
    fn s51_negated_partners() {
        for op in BaseOperator::ALL {
            assert!(!op.positive().is_negated(), "{op}");
            assert_eq!(op.positive().family(), op.family());
        }
        assert!(BaseOperator::NotIpAddress.is_negated());
    }
}
