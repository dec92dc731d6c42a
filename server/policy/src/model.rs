//! The policy model: a typed view of a policy document lowered from the tolerant syntax tree.
//!
//! Every value keeps the byte range it came from. Lowering is total: missing parts are `None`,
//! malformed parts are dropped from the lists below and reported as diagnostics by `lower`.

use iam_syntax::TextRange;

/// A value with the byte range of the JSON token it came from (for strings: including quotes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub const fn new(value: T, range: TextRange) -> Self {
        Self { value, range }
    }
}

/// Policy language version. Anything else is `Other` (an error for the validator); policy
/// variables are substituted only under `V2012_10_17`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V2012_10_17,
    V2008_10_17,
    Other,
}

#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Range of the whole top-level object (or the whole document when it is not an object).
    pub range: TextRange,
    pub version: Option<Spanned<Version>>,
    /// The raw text of `Version` when it is a string.
    pub version_text: Option<Spanned<String>>,
    pub id: Option<Spanned<String>>,
    /// Range of the `Statement` key, when present.
    pub statement_key: Option<TextRange>,
    pub statements: Vec<Statement>,
}

impl Policy {
    /// The version that governs evaluation: a missing `Version` behaves as 2008-10-17.
    #[must_use]
    pub fn effective_version(&self) -> Version {
        self.version
            .as_ref()
            .map_or(Version::V2008_10_17, |v| v.value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Debug, Default)]
pub struct Statement {
    /// Index of the statement in the policy (0-based).
    pub index: usize,
    /// Range of the statement object.
    pub range: TextRange,
    pub sid: Option<Spanned<String>>,
    /// `None` when missing or not exactly `Allow`/`Deny` (the validator reports which).
    pub effect: Option<Spanned<Effect>>,
    pub principal: Option<PrincipalElement>,
    pub not_principal: Option<PrincipalElement>,
    pub action: Option<StringList>,
    pub not_action: Option<StringList>,
    pub resource: Option<StringList>,
    pub not_resource: Option<StringList>,
    pub condition: Option<ConditionBlock>,
    /// Every key of the statement object as written (known or not, with or without a value).
    pub keys: Vec<Spanned<String>>,
}

/// A string-or-array-of-strings element such as `Action` or `Resource`.
#[derive(Clone, Debug, Default)]
pub struct StringList {
    /// Range of the element's key (`"Action"`).
    pub key_range: TextRange,
    /// Range of the element's value (the string or the array).
    pub range: TextRange,
    pub is_array: bool,
    /// The string items, decoded (escapes resolved). Non-string items are dropped.
    pub items: Vec<Spanned<String>>,
}

/// `Principal` / `NotPrincipal`.
#[derive(Clone, Debug)]
pub struct PrincipalElement {
    pub key_range: TextRange,
    pub range: TextRange,
    pub value: PrincipalValue,
}

#[derive(Clone, Debug)]
pub enum PrincipalValue {
    /// `"Principal": "*"` (or another string, which the validator rejects).
    Wildcard(Spanned<String>),
    /// `{"AWS": [...], "Service": "...", ...}`; keys keep their spelling.
    Map(Vec<PrincipalEntry>),
}

#[derive(Clone, Debug)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated`, `CanonicalUser` (or anything else, which the validator rejects).
    pub kind: Spanned<String>,
    pub values: StringList,
}

/// `Condition`: `{ operator: { key: value-or-values } }`.
#[derive(Clone, Debug, Default)]
pub struct ConditionBlock {
    pub key_range: TextRange,
    pub range: TextRange,
    pub operators: Vec<ConditionOperatorBlock>,
}

#[derive(Clone, Debug)]
pub struct ConditionOperatorBlock {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: Spanned<String>,
    /// Range of the operator's object value.
    pub range: TextRange,
    pub entries: Vec<ConditionEntry>,
}

#[derive(Clone, Debug)]
pub struct ConditionEntry {
    /// The condition key as written, e.g. `aws:PrincipalTag/team`.
    pub key: Spanned<String>,
    /// Range of the value (a scalar or an array).
    pub range: TextRange,
    pub is_array: bool,
    pub values: Vec<Spanned<ConditionValue>>,
}

/// A condition value as written in JSON. AWS accepts strings, booleans and numbers and compares
/// them as text, so `text()` gives the canonical text form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionValue {
    String(String),
    Bool(bool),
    /// The number's source text, e.g. `10` or `1.5`.
    Number(String),
}

impl ConditionValue {
    #[must_use]
    pub fn text(&self) -> &str {
        match self {
            Self::String(s) | Self::Number(s) => s,
            Self::Bool(true) => "true",
            Self::Bool(false) => "false",
        }
    }
}
