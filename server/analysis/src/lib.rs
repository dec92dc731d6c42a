//! IAM policy analysis: the policy model, validation, evaluation and IDE features.
//! Plain types over byte offsets; no LSP types.

pub mod model;
