//! The test binary of `iam-syntax`: one module per concern.

mod parse;
mod parse_props;
