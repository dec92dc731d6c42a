//! The semantics of the policy language, shared by the validator, the evaluator, the IDE
//! features and access analysis: condition operators and the key types they fit
//! ([`operator`]), typed values ([`values`]), policy variables ([`variables`]), and wildcard and
//! ARN matching ([`wildcard`]), and the finite domains that decide questions about all values
//! at once: glob languages and their partitions ([`glob`]), and representatives of condition
//! values per operator family ([`domains`]).

pub mod domains;
pub mod glob;
pub mod operator;
pub mod values;
pub mod variables;
pub mod wildcard;
