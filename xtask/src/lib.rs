//! Project automation (`cargo xtask ...`). The catalog generator is a library
//! module so that its tests can run it on fixtures.

pub mod catalog;
