//! `check --write-baseline FILE` and `check --baseline FILE`: findings recorded in a baseline are
//! not reported, so that a project can adopt the checker and fail only on new findings.
//!
//! A baseline is a JSON file (format in `docs/cli.md`):
//!
//! ```json
//! {"version": 1, "findings": [
//!   {"file": "policies/app.json", "code": "A009", "fingerprint": "5f0c2d41a8e3b7f9", "occurrence": 0, "message": "..."}
//! ]}
//! ```
//!
//! `file` is relative to the baseline's directory. `fingerprint` is a hash (64-bit FNV-1a, hex)
//! of the rule code, the finding's place in the document as a path of keys (`Statement[Sid=Read]
//! .Action`, array positions left out, statements named by their `Sid` when they have one) and
//! the text the finding points at with whitespace removed: none of these change when lines move,
//! statements are reordered or the file is reformatted. `occurrence` numbers the findings of one
//! file that have the same code and fingerprint, in document order. `message` is for the reader
//! and not compared.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use iam_syntax::{ParseOptions, Value};
use serde::{Deserialize, Serialize};

use super::check::FileReport;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub file: String,
    pub code: String,
    pub fingerprint: String,
    #[serde(default)]
    pub occurrence: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// 64-bit FNV-1a: small, stable across platforms and releases (unlike `std`'s hasher).
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The path of keys to `offset` in a JSON document (empty for other documents).
fn key_path(root: Option<Value<'_>>, offset: u32) -> String {
    let mut path = String::new();
    let mut parent_key = String::new();
    let mut value = root;
    while let Some(v) = value.take() {
        if let Some(obj) = v.as_object() {
            let Some(m) = obj.members().find(|m| m.range().contains_inclusive(offset)) else {
                break;
            };
            let Some(key) = m.key() else { break };
            let key = key.value().into_owned();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            value = m.value().filter(|v| v.range().contains_inclusive(offset));
            parent_key = key;
        } else if let Some(arr) = v.as_array() {
            let Some(item) = arr.items().find(|i| i.range().contains_inclusive(offset)) else {
                break;
            };
            let sid = (parent_key == "Statement")
                .then(|| item.as_object()?.get("Sid")?.value()?.as_string())
                .flatten()
                .map(|s| s.value().into_owned());
            match sid {
                Some(sid) => path.push_str(&format!("[Sid={sid}]")),
                None => path.push_str("[]"),
            }
            value = Some(item);
        } else {
            break;
        }
    }
    path
}

/// The fingerprints of a file's findings, in the order of `report`'s diagnostics: (code,
/// fingerprint, occurrence).
#[must_use]
pub fn fingerprints(report: &FileReport) -> Vec<(&'static str, String, usize)> {
    let Ok(c) = &report.result else {
        return Vec::new();
    };
    let parse = iam_syntax::parse(&c.text, ParseOptions::LENIENT);
    let json = parse.value().is_some_and(|v| v.as_object().is_some());
    let mut seen: HashMap<(&'static str, String), usize> = HashMap::new();
    c.diagnostics
        .iter()
        .map(|d| {
            let pointed: String = c
                .text
                .get(d.range.start as usize..d.range.end as usize)
                .unwrap_or("")
                .chars()
                .filter(|ch| !ch.is_whitespace())
                .collect();
            let context = if json {
                key_path(parse.value(), d.range.start)
            } else {
                String::new()
            };
            let fp = format!("{:016x}", fnv1a(&[d.rule.code, &context, &pointed]));
            let n = seen.entry((d.rule.code, fp.clone())).or_insert(0);
            let occurrence = *n;
            *n += 1;
            (d.rule.code, fp, occurrence)
        })
        .collect()
}

/// `path` relative to `base` when it lies under it, with `/` separators; else as given.
pub(crate) fn relative(path: &str, base: &Path) -> String {
    let abs = std::fs::canonicalize(path).ok();
    let rel: Option<PathBuf> = abs
        .as_deref()
        .and_then(|a| a.strip_prefix(base).ok())
        .map(Path::to_path_buf);
    let shown = rel.unwrap_or_else(|| PathBuf::from(path));
    let parts: Vec<String> = shown
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The directory baseline paths are relative to: the baseline file's (absolute).
fn base_dir(file: &Path) -> PathBuf {
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// The baseline of `reports`, paths relative to the directory of `file`.
#[must_use]
pub fn build(reports: &[FileReport], file: &Path) -> Baseline {
    let base = base_dir(file);
    let mut findings = Vec::new();
    for r in reports {
        let Ok(c) = &r.result else { continue };
        let rel = relative(&r.path, &base);
        for (d, (code, fingerprint, occurrence)) in c.diagnostics.iter().zip(fingerprints(r)) {
            findings.push(Entry {
                file: rel.clone(),
                code: code.to_owned(),
                fingerprint,
                occurrence,
                message: d.message.clone(),
            });
        }
    }
    findings.sort();
    Baseline {
        version: FORMAT_VERSION,
        findings,
    }
}

/// Writes `baseline` to `file`, one finding per line (diffs stay readable), atomically.
pub fn write(baseline: &Baseline, file: &Path) -> Result<(), String> {
    let mut text = format!(
        "{{\n  \"version\": {},\n  \"findings\": [",
        baseline.version
    );
    for (i, e) in baseline.findings.iter().enumerate() {
        let line = serde_json::to_string(e).map_err(|e| e.to_string())?;
        text.push_str(if i == 0 { "\n    " } else { ",\n    " });
        text.push_str(&line);
    }
    text.push_str(if baseline.findings.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.iam-policy-ls-{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, file));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {}", file.display(), super::check::io_message(&e))
    })
}

/// Reads a baseline file.
pub fn read(file: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{}: {}", file.display(), super::check::io_message(&e)))?;
    let b: Baseline = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a baseline file: {e}", file.display()))?;
    if b.version != FORMAT_VERSION {
        return Err(format!(
            "{}: baseline format {} (this version reads {FORMAT_VERSION})",
            file.display(),
            b.version
        ));
    }
    Ok(b)
}

/// Removes the findings recorded in `baseline` (read from `file`) from `reports`; returns how
/// many were removed.
pub fn apply(baseline: &Baseline, file: &Path, reports: &mut [FileReport]) -> usize {
    let base = base_dir(file);
    let known: BTreeSet<(&str, &str, &str, usize)> = baseline
        .findings
        .iter()
        .map(|e| {
            (
                e.file.as_str(),
                e.code.as_str(),
                e.fingerprint.as_str(),
                e.occurrence,
            )
        })
        .collect();
    let mut removed = 0;
    for r in reports.iter_mut() {
        let rel = relative(&r.path, &base);
        let keep: Vec<bool> = fingerprints(r)
            .into_iter()
            .map(|(code, fp, n)| !known.contains(&(rel.as_str(), code, fp.as_str(), n)))
            .collect();
        let Ok(c) = &mut r.result else { continue };
        let mut it = keep.iter();
        let before = c.diagnostics.len();
        c.diagnostics.retain(|_| it.next().copied().unwrap_or(true));
        removed += before - c.diagnostics.len();
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_name_statements_by_sid() {
        let text =
            r#"{"Statement": [{"Sid": "Read", "Action": ["s3:GetObject"]}, {"Action": "x"}]}"#;
        let parse = iam_syntax::parse(text, ParseOptions::LENIENT);
        let at = |needle: &str| u32::try_from(text.find(needle).expect("in text")).expect("small");
        assert_eq!(
            key_path(parse.value(), at("\"s3:Get")),
            "Statement[Sid=Read].Action[]"
        );
        assert_eq!(key_path(parse.value(), at("\"x\"")), "Statement[].Action");
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
