//! The integration tests of the evaluator, one binary.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod evaluate_props;
mod derived_keys;
mod evaluate_table;
