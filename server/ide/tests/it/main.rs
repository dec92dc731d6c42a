//! The integration tests of the IDE features, one binary.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod actions;
mod analysis_props;
mod completion;
mod format;
mod hover;
mod navigation;
mod support;
