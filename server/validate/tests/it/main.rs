//! The integration tests of the validator, one binary.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod corpus;
mod incremental;
mod rcp_coverage;
mod severity;
mod subsumption;
mod validate_config;
mod validate_examples;
mod validate_managed;
