//! The test binary of `iam-hosts`: one module per concern.

mod corpus;
mod properties;
mod snapshots;
