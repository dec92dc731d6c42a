//! `check --fix` and `--unsafe-fixes`: applies the quick fixes the checks attach to their
//! findings, by the safety each rule declares (`RuleDoc::fix`, shown in `docs/diagnostics.md`).
//!
//! A finding is fixed when its rule's fix is `Safe` (with `--unsafe-fixes`, also `Unsafe`) and it
//! carries exactly one fix. Fixes whose edits overlap or touch are deferred to the next round:
//! after each round the file is analysed again (so a fix that removes a duplicate cannot collide
//! with the next), until nothing is left to fix or [`MAX_ROUNDS`] rounds have run. A round that
//! would add a syntax error is dropped. Only the edited ranges change; the file is written
//! atomically and not at all when it changed on disk meanwhile (see [`super::write`]).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use iam_policy::diagnostic::docs::FixSafety;
use iam_policy::diagnostic::{Diagnostic, Fix, TextEdit};
use iam_validate::Options;

use super::check::{Checked, FileReport, analyze_text};
use super::write::{Snapshot, apply_edits, replace_if_unchanged};
use crate::config::Settings;

/// Most analyse-and-fix rounds per file.
pub const MAX_ROUNDS: usize = 10;

/// What was done to one file.
#[derive(Debug)]
pub struct FileFixes {
    pub path: String,
    /// Fixes applied, by rule code (with the rule's name).
    pub applied: BTreeMap<&'static str, (&'static str, usize)>,
    /// Why the fixed text was not written.
    pub error: Option<String>,
}

impl FileFixes {
    #[must_use]
    pub fn count(&self) -> usize {
        self.applied.values().map(|(_, n)| n).sum()
    }
}

/// The fix to apply for `d`: there is exactly one, and its rule's safety allows it. A `Safe`
/// rule's fix counts as safe only in the shapes that cannot change meaning, each edit changing
/// letter case only or removing text (`"allow"` -> `"Allow"`, a duplicate item removed); another
/// edit of such a rule (the did-you-mean `"Alow"` -> `"Allow"`) is a guess, applied only with
/// `--unsafe-fixes`.
#[must_use]
pub fn chosen_fix<'d>(d: &'d Diagnostic, text: &str, unsafe_fixes: bool) -> Option<&'d Fix> {
    let [f] = d.fixes.as_slice() else {
        return None;
    };
    if f.edits.is_empty() {
        return None;
    }
    match d.rule.doc().map_or(FixSafety::None, |doc| doc.fix) {
        FixSafety::None => None,
        FixSafety::Unsafe => unsafe_fixes.then_some(f),
        FixSafety::Safe => {
            (unsafe_fixes || f.edits.iter().all(|e| safe_shape(e, text))).then_some(f)
        }
    }
}

/// An edit that changes letter case only, or removes text.
fn safe_shape(e: &TextEdit, text: &str) -> bool {
    let old = text.get(e.range.start as usize..e.range.end as usize);
    e.new_text.is_empty() || old.is_some_and(|o| o.eq_ignore_ascii_case(&e.new_text))
}

/// Whether two edits overlap or touch (two edits at one place could be applied in either order).
fn conflict(a: &TextEdit, b: &TextEdit) -> bool {
    a.range.start <= b.range.end && b.range.start <= a.range.end
}

/// One round: the fixes to apply together (no two of their edits conflict), in document order.
fn select<'d>(
    diagnostics: &'d [Diagnostic],
    text: &str,
    unsafe_fixes: bool,
) -> Vec<&'d Diagnostic> {
    let mut taken: Vec<&TextEdit> = Vec::new();
    let mut out = Vec::new();
    let mut candidates: Vec<(&Diagnostic, &Fix)> = diagnostics
        .iter()
        .filter_map(|d| chosen_fix(d, text, unsafe_fixes).map(|f| (d, f)))
        .collect();
    candidates.sort_by_key(|(_, f)| f.edits.iter().map(|e| e.range.start).min());
    for (d, f) in candidates {
        let inner = f
            .edits
            .iter()
            .enumerate()
            .any(|(i, a)| f.edits[i + 1..].iter().any(|b| conflict(a, b)));
        if inner || f.edits.iter().any(|e| taken.iter().any(|t| conflict(e, t))) {
            continue;
        }
        taken.extend(&f.edits);
        out.push(d);
    }
    out
}

fn syntax_errors(c: &Checked) -> usize {
    c.diagnostics
        .iter()
        .filter(|d| matches!(d.rule.code, "A001" | "I001"))
        .count()
}

/// Fixes `checked` (the analysis of the file at `path`) in memory. Returns the new analysis and
/// the fixes applied; the analysis is `checked` itself when nothing applied.
#[must_use]
pub fn fix_text(
    path: &Path,
    checked: Checked,
    options: &Options,
    unsafe_fixes: bool,
) -> (Checked, BTreeMap<&'static str, (&'static str, usize)>) {
    let settings = Settings::default();
    let mut current = checked;
    let mut applied: BTreeMap<&'static str, (&'static str, usize)> = BTreeMap::new();
    let mut seen = vec![current.text.clone()];
    for _ in 0..MAX_ROUNDS {
        let picked = select(&current.diagnostics, &current.text, unsafe_fixes);
        if picked.is_empty() {
            break;
        }
        let edits: Vec<TextEdit> = picked
            .iter()
            .filter_map(|d| chosen_fix(d, &current.text, unsafe_fixes))
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        let Some(text) = apply_edits(&current.text, &edits) else {
            break;
        };
        if seen.contains(&text) {
            break;
        }
        let Some(FileReport {
            result: Ok(next), ..
        }) = analyze_text(path, text.clone(), true, options, &settings)
        else {
            break;
        };
        if next.skipped.is_some() || syntax_errors(&next) > syntax_errors(&current) {
            break;
        }
        for d in picked {
            applied.entry(d.rule.code).or_insert((d.rule.name, 0)).1 += 1;
        }
        seen.push(text);
        current = next;
    }
    (current, applied)
}

/// Fixes every checked file of `reports` and writes the files that changed. Each report then
/// holds the findings left (or, for a file that was not written, the findings it has on disk).
/// `before_rename` runs just before each file is replaced (see [`replace_if_unchanged`]).
pub fn fix_reports(
    reports: &mut [FileReport],
    options: &Options,
    unsafe_fixes: bool,
    before_rename: &mut dyn FnMut(&Path),
) -> Vec<FileFixes> {
    let mut out = Vec::new();
    for r in reports.iter_mut() {
        let Ok(checked) = &mut r.result else { continue };
        if checked.skipped.is_some() || checked.diagnostics.iter().all(|d| d.fixes.is_empty()) {
            continue;
        }
        let path = Path::new(&r.path).to_path_buf();
        let before = Snapshot::new(&path, checked.text.clone());
        let (fixed, applied) = fix_text(&path, checked.clone(), options, unsafe_fixes);
        if applied.is_empty() {
            continue;
        }
        let error = match replace_if_unchanged(&path, &before, &fixed.text, before_rename) {
            Ok(()) => {
                *checked = fixed;
                None
            }
            Err(e) => Some(e.to_string()),
        };
        out.push(FileFixes {
            path: r.path.clone(),
            applied,
            error,
        });
    }
    out
}

/// Prints what was fixed: one line per file, then a total.
pub fn write_summary(fixes: &[FileFixes], out: &mut dyn Write) -> std::io::Result<()> {
    let mut total = 0;
    let mut files = 0;
    for f in fixes {
        if f.error.is_some() {
            continue;
        }
        files += 1;
        total += f.count();
        let what: Vec<String> = f
            .applied
            .iter()
            .map(|(code, (name, n))| format!("{n} \u{d7} {code} {name}"))
            .collect();
        writeln!(
            out,
            "fixed {}: {} fix{} ({})",
            f.path,
            f.count(),
            if f.count() == 1 { "" } else { "es" },
            what.join(", ")
        )?;
    }
    writeln!(
        out,
        "{total} fix{} applied in {files} file{}",
        if total == 1 { "" } else { "es" },
        if files == 1 { "" } else { "s" }
    )
}
