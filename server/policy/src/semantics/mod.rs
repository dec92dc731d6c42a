//! The semantics of the policy language, shared by the validator, the evaluator, the IDE
//! features and access analysis: condition operators and the key types they fit
//! ([`operator`]), typed values ([`values`]), policy variables ([`variables`]), and wildcard and
//! ARN matching ([`wildcard`]).

pub mod operator;
pub mod values;
pub mod variables;
pub mod wildcard;
