//! The IAM policy model and what every other part shares: lowering from the JSON tree to the
//! model, policy types, diagnostics and the registry of rule codes, and the semantics of the
//! policy language (condition operators, typed values, policy variables, wildcard and ARN
//! matching) in [`semantics`]. Plain types over byte offsets; no LSP types, no catalog.

pub mod diagnostic;
pub mod lower;
pub mod model;
pub mod policy_type;
pub mod resource_kind;
pub mod semantics;
mod suggest;

use iam_syntax::{Parse, ParseOptions};

pub use diagnostic::{Diagnostic, Fix, Rule, Severity, TextEdit};
pub use lower::{STATEMENT_ELEMENTS, StatementSource, TOP_LEVEL_ELEMENTS};
pub use policy_type::PolicyType;
pub use suggest::closest;

/// Parses and lowers `text` (strict JSON) without validating: for the evaluator and tools.
#[must_use]
pub fn parse_policy(text: &str) -> ParsedPolicy {
    let parse = iam_syntax::parse(text, ParseOptions::STRICT);
    let mut diagnostics: Vec<Diagnostic> = parse
        .errors()
        .iter()
        .map(|e| Diagnostic::new(&diagnostic::rules::SYNTAX_ERROR, e.range, e.message.clone()))
        .collect();
    let policy = lower::lower(&parse, &mut diagnostics, &mut lower::Fresh);
    ParsedPolicy {
        parse,
        policy,
        diagnostics,
    }
}

/// The result of [`parse_policy`]: `diagnostics` holds syntax and structural errors only.
#[derive(Debug)]
pub struct ParsedPolicy {
    pub parse: Parse,
    pub policy: model::Policy,
    pub diagnostics: Vec<Diagnostic>,
}

/// Infers the policy type from the document: a `Principal` suggests a resource-based policy, and
/// `sts:AssumeRole*` actions with a `Principal` a role trust policy; anything else is identity.
#[must_use]
pub fn infer_policy_type(policy: &model::Policy) -> (PolicyType, &'static str) {
    let has_principal = policy
        .statements
        .iter()
        .any(|s| s.principal.is_some() || s.not_principal.is_some());
    if !has_principal {
        return (PolicyType::Identity, "no statement has a `Principal`");
    }
    let assume = policy
        .statements
        .iter()
        .filter(|s| s.principal.is_some() || s.not_principal.is_some())
        .all(|s| {
            s.action.as_ref().is_some_and(|a| {
                !a.items.is_empty()
                    && a.items.iter().all(|i| {
                        let l = i.value.to_ascii_lowercase();
                        l.starts_with("sts:assumerole")
                            || l == "sts:tagsession"
                            || l == "sts:setsourceidentity"
                            || l == "sts:setcontext"
                    })
            })
        });
    if assume {
        (
            PolicyType::Trust,
            "its statements have a `Principal` and only `sts:AssumeRole*` actions",
        )
    } else {
        (PolicyType::Resource, "a statement has a `Principal`")
    }
}
