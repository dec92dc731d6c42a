//! The integration tests of access analysis, one binary: the table of tricky cases, and property
//! tests against the evaluator.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod cases;
mod domains;
mod managed;
mod property;
