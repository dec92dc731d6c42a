//! The validator: checks over the policy model, grouped as in `docs/diagnostics.md`.

mod grammar;

use iam_syntax::Parse;

use crate::diagnostic::Diagnostic;
use crate::model::Policy;
use crate::policy_type::PolicyType;

/// What the checks need besides the policy.
pub struct Context<'a> {
    pub parse: &'a Parse,
    pub policy: &'a Policy,
    pub policy_type: PolicyType,
}

pub(crate) fn validate(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    grammar::check(cx, out);
}
