//! Diagnostics: what every check produces, and the registry of rules (stable codes, names,
//! default severities). Every rule has a line in `docs/diagnostics.md`; a test checks that.

use iam_syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Information => "information",
            Self::Hint => "hint",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Self::Error),
            "warning" | "warn" => Some(Self::Warning),
            "information" | "info" => Some(Self::Information),
            "hint" => Some(Self::Hint),
            _ => None,
        }
    }
}

/// A text replacement in the document the diagnostic belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// A mechanical fix offered as a quick fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// The single best fix for the diagnostic (editors apply it with "fix all").
    pub preferred: bool,
}

impl Fix {
    pub fn replace(
        title: impl Into<String>,
        range: TextRange,
        new_text: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            edits: vec![TextEdit {
                range,
                new_text: new_text.into(),
            }],
            preferred: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    #[must_use]
    pub fn new(rule: &'static Rule, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity,
            range,
            message: message.into(),
            fixes: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    #[must_use]
    pub fn code(&self) -> &'static str {
        self.rule.code
    }
}

/// A check's identity. `code` and `name` never change once released.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `A001`. The letter is the group of `docs/diagnostics.md`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `syntax-error`.
    pub name: &'static str,
    pub severity: Severity,
    /// The IAM Access Analyzer issue code this rule corresponds to, if any.
    pub access_analyzer: Option<&'static str>,
    /// One line: what the rule finds.
    pub summary: &'static str,
}

macro_rules! rules {
    ($( $ident:ident = $code:literal, $name:literal, $sev:ident, $aa:expr, $summary:literal; )*) => {
        $( pub static $ident: Rule = Rule {
            code: $code, name: $name, severity: Severity::$sev, access_analyzer: $aa, summary: $summary,
        }; )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[ $( &$ident ),* ];
    };
}

/// The rule registry.
pub mod rules {
    use super::{Rule, Severity};

    rules! {
        SYNTAX_ERROR = "A001", "syntax-error", Error, Some("JSON_SYNTAX_ERROR"), "The document is not valid JSON.";
        DUPLICATE_KEY = "A002", "duplicate-key", Error, None, "A key appears twice in one object; only one of them takes effect.";
        UNKNOWN_ELEMENT = "A003", "unknown-element", Error, Some("INVALID_ELEMENT"), "An element name that IAM does not know (names are case-sensitive).";
        MISSING_VERSION = "A004", "missing-version", Warning, Some("MISSING_VERSION"), "No `Version`: the policy is read as 2008-10-17 and policy variables are not substituted.";
        INVALID_VERSION = "A005", "invalid-version", Error, Some("INVALID_VERSION"), "`Version` is not `2012-10-17` or `2008-10-17`.";
        OLD_VERSION = "A006", "old-version", Warning, Some("OLD_VERSION"), "`Version` 2008-10-17 does not support policy variables.";
        MISSING_STATEMENT = "A007", "missing-statement", Error, Some("MISSING_STATEMENT"), "No `Statement`, or an empty one.";
        MISSING_EFFECT = "A008", "missing-effect", Error, Some("MISSING_EFFECT"), "A statement has no `Effect`.";
        INVALID_EFFECT = "A009", "invalid-effect", Error, Some("INVALID_EFFECT_VALUE"), "`Effect` is not exactly `Allow` or `Deny`.";
        MISSING_ACTION = "A010", "missing-action", Error, Some("MISSING_ACTION"), "A statement has neither `Action` nor `NotAction`.";
        MISSING_RESOURCE = "A011", "missing-resource", Error, Some("MISSING_RESOURCE"), "A statement has neither `Resource` nor `NotResource`.";
        CONFLICTING_ELEMENTS = "A012", "conflicting-elements", Error, Some("MUTUALLY_EXCLUSIVE_ELEMENTS"), "A statement has both an element and its `Not` form.";
        INVALID_SID = "A013", "invalid-sid", Error, Some("INVALID_SID_VALUE"), "`Sid` contains characters other than ASCII letters and digits.";
        DUPLICATE_SID = "A014", "duplicate-sid", Error, Some("UNIQUE_SID_REQUIRED"), "Two statements have the same `Sid`.";
        WRONG_TYPE = "A015", "wrong-type", Error, Some("DATA_TYPE_MISMATCH"), "An element has the wrong JSON type.";
        EMPTY_VALUE = "A016", "empty-value", Warning, Some("EMPTY_ARRAY"), "An empty array or object makes the statement match nothing.";
        POLICY_SIZE = "A017", "policy-size", Error, Some("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"), "The policy is larger than its type's quota.";
        EMPTY_VALUE_STRING = "A018", "empty-string", Error, Some("EMPTY_STRING"), "An empty string where a value is required.";
    }
}
