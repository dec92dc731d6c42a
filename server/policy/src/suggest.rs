//! "Did you mean" for short closed vocabularies (element names, operators): the project's one
//! ranker, [`iam_catalog::similar`], re-exported where the policy crates look for it.

pub use iam_catalog::similar::closest;
