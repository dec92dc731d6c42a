//! Error-tolerant, lossless JSON parser with byte ranges.
//!
//! Knows nothing about IAM. See `docs/architecture.md`.

mod text_range;
pub use text_range::TextRange;
