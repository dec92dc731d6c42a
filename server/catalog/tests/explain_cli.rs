//! Compiles and runs the unit tests of `server/ls/src/cli/explain.rs` (which
//! only depends on `iam_catalog` and std) from this crate, so the catalog's
//! owner can check it without building the language server.
#![allow(dead_code)]

#[path = "../../ls/src/cli/explain.rs"]
mod explain;
