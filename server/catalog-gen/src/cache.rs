//! The user's catalog cache: where it is, its manifest, atomic writes, the
//! update lock, and the choice of the catalog in use (embedded, cached, or a
//! file forced by `--catalog` / `catalogPath`).
//!
//! Layout of the cache directory:
//! - `manifest.json`: [`Manifest`]; renaming it into place commits an update;
//! - `catalog-<stamp>.jsonl`: the catalog the manifest names (same format as
//!   the embedded file, decoded lazily per service);
//! - `update.lock`: present while an update runs.
//!
//! A reader follows the manifest to the file it names, so it sees either the
//! previous update or the new one, never a mix. Files are written to a
//! temporary name in the same directory, synced, then renamed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use iam_catalog::Catalog;
use serde::{Deserialize, Serialize};

/// Environment variable that overrides the cache directory.
pub const CACHE_DIR_ENV: &str = "IAM_POLICY_LS_CACHE_DIR";
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The lock file's name.
pub const LOCK: &str = "update.lock";
/// Ends every problem message of [`select`].
pub const FALLBACK_NOTE: &str = "; using the embedded catalog";

/// Bumped when the manifest's layout changes incompatibly.
pub const MANIFEST_FORMAT: u32 = 1;

/// The cache directory: `IAM_POLICY_LS_CACHE_DIR`, else the platform's cache
/// folder (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on
/// macOS, `%LOCALAPPDATA%` on Windows) joined with `iam-policy-ls`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(CACHE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    dirs::cache_dir().map(|d| d.join("iam-policy-ls"))
}

/// Validators of one downloaded document, for conditional requests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// The document's URL as downloaded.
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub manifest_format: u32,
    /// `iam_catalog::format::FORMAT_VERSION` of the catalog file.
    pub catalog_format: u32,
    /// Version of the iam-policy-ls binary that wrote it.
    pub binary_version: String,
    /// Base URL the update came from.
    pub source: String,
    /// When the update ran (UTC, ISO 8601); also the catalog's date.
    pub date: String,
    /// The catalog file in this directory.
    pub catalog_file: String,
    /// Its length in bytes (a cheap check that it is complete).
    pub catalog_bytes: u64,
    pub services: usize,
    pub actions: usize,
    /// Validators of the service list.
    #[serde(default)]
    pub listing: Validators,
    /// Validators per service prefix.
    #[serde(default)]
    pub documents: BTreeMap<String, Validators>,
}

/// A cached catalog, read and checked.
pub struct Cached {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub catalog: Catalog,
}

/// Reads the cache in `dir`. `Ok(None)` when there is no update yet; an error
/// names what is wrong (the caller reports it once and uses the embedded catalog).
pub fn load(dir: &Path) -> Result<Option<Cached>, String> {
    let mpath = dir.join(MANIFEST);
    let text = match fs::read_to_string(&mpath) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", mpath.display())),
    };
    let manifest = read_manifest(&text).map_err(|e| format!("{}: {e}", mpath.display()))?;
    let file = safe_name(&manifest.catalog_file)
        .map(|n| dir.join(n))
        .ok_or_else(|| {
            format!(
                "{}: invalid catalog file name {:?}",
                mpath.display(),
                manifest.catalog_file
            )
        })?;
    let bytes = fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if bytes.len() as u64 != manifest.catalog_bytes {
        return Err(format!(
            "{}: {} bytes, the manifest says {} (incomplete file)",
            file.display(),
            bytes.len(),
            manifest.catalog_bytes
        ));
    }
    let catalog =
        Catalog::from_bytes(Cow::Owned(bytes)).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(Some(Cached {
        dir: dir.to_path_buf(),
        manifest,
        catalog,
    }))
}

/// Parses a manifest and checks that this binary can read what it describes.
pub fn read_manifest(text: &str) -> Result<Manifest, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("invalid manifest: {e}"))?;
    let mf = v.get("manifest_format").and_then(serde_json::Value::as_u64);
    let cf = v.get("catalog_format").and_then(serde_json::Value::as_u64);
    let writer = v
        .get("binary_version")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("an unknown version");
    if mf != Some(u64::from(MANIFEST_FORMAT))
        || cf != Some(u64::from(iam_catalog::format::FORMAT_VERSION))
    {
        return Err(format!(
            "written by iam-policy-ls {writer} in a format this version ({}) does not read; run `iam-policy-ls catalog update`",
            env!("CARGO_PKG_VERSION")
        ));
    }
    serde_json::from_value(v).map_err(|e| format!("invalid manifest: {e}"))
}

fn safe_name(n: &str) -> Option<&str> {
    let ok = !n.is_empty()
        && !n.starts_with('.')
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    ok.then_some(n)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// directory, synced, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), nanos()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Commits an update: writes the catalog under a new name, then the manifest
/// (the commit point), then removes catalog files no manifest names. Call it
/// while holding the [`Lock`].
pub fn commit(dir: &Path, catalog_text: &str, mut manifest: Manifest) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let name = format!("catalog-{}-{}.jsonl", nanos(), std::process::id());
    write_atomic(&dir.join(&name), catalog_text.as_bytes())?;
    manifest.catalog_file = name.clone();
    manifest.catalog_bytes = catalog_text.len() as u64;
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    write_atomic(&dir.join(MANIFEST), &json)?;
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with("catalog-") && n.ends_with(".jsonl") && n != name {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

/// The update lock (`update.lock`, created exclusively). Removed on drop.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock, waiting up to `wait` for another update to finish. A
    /// lock file older than `stale` is left over from a crash and is replaced.
    pub fn acquire(dir: &Path, wait: Duration, stale: Duration) -> Result<Lock, String> {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join(LOCK);
        let start = std::time::Instant::now();
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok());
                    if age.is_some_and(|a| a > stale) {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    if start.elapsed() > wait {
                        return Err(format!(
                            "another update is running ({} exists; delete it if no update is running)",
                            path.display()
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Where the catalog in use comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    /// An update in this cache directory.
    Cache(PathBuf),
    /// A file or cache directory forced by `--catalog` / `catalogPath`.
    Forced(PathBuf),
}

/// The outcome of choosing the catalog in use.
pub struct Selected {
    pub catalog: Catalog,
    pub origin: Origin,
    pub manifest: Option<Manifest>,
    /// A problem to report once (unreadable cache or file); the embedded
    /// catalog is used then.
    pub problem: Option<String>,
}

/// Reads a catalog forced by `--catalog PATH` / `catalogPath`: a catalog
/// file, or a cache directory (with a manifest).
pub fn load_forced(path: &Path) -> Result<(Catalog, Option<Manifest>), String> {
    if path.is_dir() {
        return match load(path)? {
            Some(c) => Ok((c.catalog, Some(c.manifest))),
            None => Err(format!(
                "{}: no {MANIFEST} (not a catalog cache)",
                path.display()
            )),
        };
    }
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let c =
        Catalog::from_bytes(Cow::Owned(bytes)).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((c, None))
}

/// Chooses the catalog in use: the forced one if given (falling back to the
/// embedded one with a problem when it cannot be read), else the cached update
/// when it is newer than the embedded catalog, else the embedded one.
pub fn select(forced: Option<&Path>, cache_dir: Option<&Path>) -> Selected {
    let embedded = || iam_catalog::embedded();
    if let Some(p) = forced {
        return match load_forced(p) {
            Ok((catalog, manifest)) => Selected {
                catalog,
                origin: Origin::Forced(p.to_path_buf()),
                manifest,
                problem: None,
            },
            Err(e) => Selected {
                catalog: embedded(),
                origin: Origin::Embedded,
                manifest: None,
                problem: Some(format!("cannot use the catalog: {e}{FALLBACK_NOTE}")),
            },
        };
    }
    let Some(dir) = cache_dir else {
        return Selected {
            catalog: embedded(),
            origin: Origin::Embedded,
            manifest: None,
            problem: None,
        };
    };
    match load(dir) {
        Ok(Some(c)) => {
            let emb = embedded();
            if newer(&c.manifest.date, &emb.metadata().date) {
                Selected {
                    catalog: c.catalog,
                    origin: Origin::Cache(c.dir),
                    manifest: Some(c.manifest),
                    problem: None,
                }
            } else {
                Selected {
                    catalog: emb,
                    origin: Origin::Embedded,
                    manifest: Some(c.manifest),
                    problem: None,
                }
            }
        }
        Ok(None) => Selected {
            catalog: embedded(),
            origin: Origin::Embedded,
            manifest: None,
            problem: None,
        },
        Err(e) => Selected {
            catalog: embedded(),
            origin: Origin::Embedded,
            manifest: None,
            problem: Some(format!(
                "the catalog cache cannot be used ({e}){FALLBACK_NOTE}"
            )),
        },
    }
}

/// Whether ISO 8601 date `a` is later than `b` (compared as UTC calendar
/// dates and times; unparsable dates are never newer).
pub fn newer(a: &str, b: &str) -> bool {
    match (epoch_seconds(a), epoch_seconds(b)) {
        (Some(x), Some(y)) => x > y,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Seconds since 1970 of `YYYY-MM-DD[THH:MM:SS...]` (the time part is
/// optional, offsets and fractions are ignored: all our dates are UTC).
pub fn epoch_seconds(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if s.get(4..5) != Some("-") || s.get(7..8) != Some("-") || !(1..=12).contains(&m) {
        return None;
    }
    if !(1..=31).contains(&d) {
        return None;
    }
    let (hh, mm, ss) = if s.len() >= 19 {
        (num(11..13)?, num(14..16)?, num(17..19)?)
    } else {
        (0, 0, 0)
    };
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3_600 + mm * 60 + ss)
}

/// Whole days from `date` to `now` (negative when `date` is in the future).
pub fn age_days(date: &str, now: SystemTime) -> Option<i64> {
    let then = epoch_seconds(date)?;
    let now: i64 = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs()
        .try_into()
        .ok()?;
    Some((now - then).div_euclid(86_400))
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a point in time.
pub fn iso8601(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

// Howard Hinnant's algorithms (proleptic Gregorian calendar).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn dates() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_979_200 + 3_661);
        assert_eq!(iso8601(t), "2025-12-06T01:01:01Z");
        assert_eq!(
            epoch_seconds("2025-12-06T01:01:01Z"),
            Some(1_764_979_200 + 3_661)
        );
        assert_eq!(epoch_seconds("2025-12-06"), Some(1_764_979_200));
        assert_eq!(epoch_seconds("not a date"), None);
        assert_eq!(epoch_seconds("2025-13-01"), None);
        assert!(newer("2026-10-28", "2026-10-27T04:50:33.626Z"));
        assert!(!newer("2026-10-27T04:50:33Z", "2026-10-27T04:50:33.626Z"));
        assert!(!newer("garbage", "2026-10-27"));
        assert_eq!(age_days("2025-12-05T00:00:00Z", t), Some(1));
    }

    #[test]
    fn manifest_of_another_format_is_refused_with_the_writer_named() {
        let e = read_manifest(
            r#"{"manifest_format": 99, "catalog_format": 1, "binary_version": "0.0.1"}"#,
        )
        .unwrap_err();
        assert!(e.contains("0.0.1") && e.contains("catalog update"), "{e}");
        assert!(read_manifest("[").is_err());
    }

    #[test]
    fn names_outside_the_directory_are_refused() {
        assert_eq!(safe_name("catalog-1-2.jsonl"), Some("catalog-1-2.jsonl"));
        for bad in ["../x", "/etc/passwd", "", ".hidden", "a/b"] {
            assert_eq!(safe_name(bad), None, "{bad}");
        }
    }
}
