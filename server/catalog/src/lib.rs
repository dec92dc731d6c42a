//! The AWS authorization catalog: every service, action, resource type, ARN
//! format and condition key, embedded in the binary.
//!
//! ```
//! let cat = iam_catalog::catalog();
//! let run = cat.action("ecs:runtask").expect("known action");
//! assert_eq!(run.name(), "RunTask");
//! assert_eq!(run.access_level(), iam_catalog::AccessLevel::Write);
//! assert!(cat.expand("ecs:Describe*").iter().any(|a| a.name() == "DescribeClusters"));
//! ```
//!
//! # Data and loading
//! The data lives in `data/catalog.jsonl`, written by `cargo xtask catalog`
//! (see `docs/catalog.md`), compressed at build time (`build.rs`: each service
//! deflated on its own) and embedded with `include_bytes!`. On first use
//! only the header (service list and metadata) is decoded; each service's line
//! is inflated and decoded the first time that service is needed. Lookups that span every
//! service (`expand("*:Get*")`, `actions_supporting_key("aws:TagKeys")`, a
//! wildcarded ARN service) decode all services once (tens of milliseconds).
//!
//! The catalog in use is the embedded one unless the program chose another
//! before the first use with [`set_loader`] (the CLI and the server load the
//! user's updated copy that way; this crate itself does no I/O).
//!
//! All name lookups are ASCII case-insensitive and return canonical spellings.
//!
//! # Layout
//! `enums.rs` (access levels, key types), `catalog.rs` ([`Catalog`] and its
//! lookups), `service.rs`, `action.rs`, `resource_type.rs`, `condition_key.rs`
//! (the views), `matching.rs` (wildcards, ARN formats), `similar.rs` (the did-you-mean ranker), `format.rs` (the file
//! format) and `curated/` (the tables this project maintains by hand).

#![forbid(unsafe_code)]

mod action;
mod catalog;
mod compact;
mod condition_key;
pub mod curated;
mod enums;
pub mod format;
mod matching;
mod resource_type;
mod service;
pub mod similar;

use std::borrow::Cow;
use std::fmt;
use std::sync::{Mutex, OnceLock};

pub use action::{ActionRef, ActionResource};
pub use catalog::{Catalog, Metadata};
pub use condition_key::ConditionKeyRef;
pub use curated::{GlobalKeyDef, RetiredServiceDef, api_operations, regions, service_principals};
pub use enums::{AccessLevel, ConditionKeyType};
pub use matching::{glob_match_ci, has_wildcard};
pub use resource_type::{ArnMatch, ResourceTypeRef};
pub use service::Service;

/// Former home of the discontinued-services list, now merged into
/// [`curated::RETIRED_SERVICES`]; kept so that existing callers compile.
pub mod discontinued {
    /// Whether `prefix` (any case) is a curated retired service.
    pub fn is_discontinued(prefix: &str) -> bool {
        crate::curated::is_retired_prefix(prefix)
    }
}

/// The embedded catalog: `data/catalog.jsonl` compressed at build time (`build.rs`), each service
/// on its own (layout in `compact.rs`). [`Catalog::from_bytes`] reads this form and the plain one.
pub static CATALOG_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.z"));

static CATALOG: OnceLock<Catalog> = OnceLock::new();

type Loader = Box<dyn FnOnce() -> Catalog + Send>;
static LOADER: Mutex<Option<Loader>> = Mutex::new(None);

/// The catalog in use (decoded lazily, once per process): the one produced by
/// the loader given to [`set_loader`], else the embedded one.
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(|| {
        let loader = LOADER.lock().ok().and_then(|mut l| l.take());
        match loader {
            Some(load) => load(),
            None => embedded(),
        }
    })
}

/// Chooses the catalog that [`catalog()`] returns. `load` runs once, on the
/// first call of [`catalog()`] (so that start-up does not wait for it), and
/// must not call [`catalog()`] itself. Returns false, and changes nothing, when
/// the catalog is already in use.
pub fn set_loader(load: impl FnOnce() -> Catalog + Send + 'static) -> bool {
    if CATALOG.get().is_some() {
        return false;
    }
    match LOADER.lock() {
        Ok(mut l) => {
            *l = Some(Box::new(load));
            true
        }
        Err(_) => false,
    }
}

/// Whether the catalog in use has been loaded yet.
pub fn is_loaded() -> bool {
    CATALOG.get().is_some()
}

/// A fresh copy of the embedded catalog (only its header is decoded here).
pub fn embedded() -> Catalog {
    // The embedded file is checked by tests; an empty catalog is a safe fallback.
    Catalog::from_bytes(Cow::Borrowed(CATALOG_BYTES)).unwrap_or_else(|_| Catalog::empty())
}

/// The embedded catalog's metadata, without loading the catalog in use.
pub fn embedded_metadata() -> Metadata {
    embedded().metadata().clone()
}

/// Error decoding a catalog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError(pub String);

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid catalog: {}", self.0)
    }
}

impl std::error::Error for CatalogError {}
