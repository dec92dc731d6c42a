//! The integration tests of the evaluator, one binary.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod derived_keys;
mod evaluate_props;
mod evaluate_table;
