//! Data curated by this project (not generated): global condition keys,
//! retired services, Regions, API operation names and service principals.

pub mod api_operations;
mod global_keys;
pub mod regions;
mod retired;
pub mod service_principals;

pub use global_keys::{GLOBAL_CONDITION_KEYS, GlobalKeyDef};
pub use retired::{RETIRED_SERVICES, RetiredServiceDef, is_retired_prefix};
