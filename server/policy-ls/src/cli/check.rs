//! `iam-policy-ls check`: analyse policy files and report findings as text, JSON or SARIF.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use iam_syntax::{LineIndex, TextRange};
use iam_validate::{Analysis, Diagnostic, Options, PolicyType, Severity, TypeSource};
use serde_json::json;

use crate::config::{self, Settings};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// GitLab code quality (a subset of the Code Climate JSON format).
    Gitlab,
}

/// A clap parser for `--policy-type`: the names of [`PolicyType`], listed in `--help`.
#[must_use]
pub fn policy_type_parser() -> impl clap::builder::TypedValueParser<Value = PolicyType> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(PolicyType::ALL.map(PolicyType::as_str))
        .map(|s| PolicyType::parse(&s).unwrap_or_default())
}

#[derive(Clone, Debug, clap::Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Policy type of every file (default: inferred per file and shown in the output).
    #[arg(long, value_parser = policy_type_parser())]
    pub policy_type: Option<PolicyType>,
    /// Accept comments and trailing commas.
    #[arg(long)]
    pub lenient: bool,
    /// Apply the safe quick fixes (those that cannot change what the policy means), write the
    /// files, and report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`: also apply the fixes that may change what the policy means, where the
    /// finding has exactly one.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// Record the findings in this baseline file (paths relative to its folder) and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Do not report the findings recorded in this baseline file (see `--write-baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// With `-`: the file name standard input stands for (it decides the configuration, the
    /// policy type globs, whether it is a template, and the name in the report).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Files or directories (searched recursively for policy `*.json` files, CloudFormation/SAM
    /// templates `*.yaml`, `*.yml`, `*.json`, `*.template`, and Terraform `*.tf` files), or `-`
    /// for standard input (with `--fix`, the fixed text goes to standard output and the report to
    /// standard error).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

impl CheckArgs {
    /// Whether `-` (standard input) is among the paths.
    #[must_use]
    pub fn reads_stdin(&self) -> bool {
        self.paths.iter().any(|p| p.as_os_str() == "-")
    }
}

/// One checked file.
pub struct FileReport {
    pub path: String,
    pub result: Result<Checked, String>,
}

#[derive(Clone)]
pub struct Checked {
    pub text: String,
    /// Findings in ranges of `text`.
    pub diagnostics: Vec<Diagnostic>,
    /// `identity`, `resource`, ... or `embedded` for a template or Terraform file.
    pub policy_type: &'static str,
    /// "checked as ..." (text output).
    pub note: String,
    /// Why a file named on the command line was not checked (it holds no policy).
    pub skipped: Option<String>,
    /// Policy files a Terraform file reads (`file(...)`, `templatefile(...)`): checked with the
    /// type of the argument that reads them (see `host::follow_references`).
    pub references: Vec<iam_hosts::FileRef>,
}

impl Checked {
    fn policy(text: String, analysis: Analysis) -> Self {
        Self {
            text,
            policy_type: analysis.policy_type.as_str(),
            note: type_note(&analysis),
            diagnostics: analysis.diagnostics,
            skipped: None,
            references: Vec::new(),
        }
    }
}

/// Files to check: explicit files always; in directories, the candidates of
/// [`crate::discover::walk`] (policies are then told apart by content or the default globs).
pub(crate) fn collect(paths: &[PathBuf], errors: &mut Vec<FileReport>) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut unreadable = Vec::new();
                let found = crate::discover::walk(p, &mut unreadable);
                errors.extend(unreadable.iter().map(|dir| FileReport {
                    path: display(dir),
                    result: Err("cannot read directory".into()),
                }));
                out.extend(found.into_iter().map(|f| (f, false)));
            }
            Ok(_) => out.push((p.clone(), true)),
            Err(e) => errors.push(FileReport {
                path: display(p),
                result: Err(io_message(&e)),
            }),
        }
    }
    out
}

pub(crate) fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

pub(crate) fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub use crate::workspace::MAX_FILE_BYTES;

/// Reads a file for checking, fixing or formatting: at most [`MAX_FILE_BYTES`], UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_message(&e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} bytes, larger than the {MAX_FILE_BYTES}-byte limit",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| io_message(&e))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn check_file(
    path: &Path,
    explicit: bool,
    options: &Options,
    settings: &Settings,
) -> Option<FileReport> {
    match read_text(path) {
        Err(e) => Some(FileReport {
            path: display(path),
            result: Err(e),
        }),
        Ok(text) => analyze_text(path, text, explicit, options, settings),
    }
}

/// Analyses `text` as the content of `path`: a host document (template, Terraform) or a policy,
/// with the project's configuration and suppressions. `None`: a file found in a directory that is
/// not a policy.
pub(crate) fn analyze_text(
    path: &Path,
    text: String,
    explicit: bool,
    options: &Options,
    settings: &Settings,
) -> Option<FileReport> {
    let name = display(path);
    // `.iam-policy-ls.toml` (nearest parent) and `<name>.suppress.json` (docs/configuration.md).
    let project = crate::project::load(path, None);
    if let Some(problem) = project.problems.first() {
        return Some(FileReport {
            path: name,
            result: Err(problem.clone()),
        });
    }
    let mut options = options.clone();
    if options.policy_type.is_none() {
        options.policy_type = project.policy_type;
    }
    if let Some(outcome) = super::host::check(&name, &text, explicit, &project) {
        return outcome.map(|checked| FileReport {
            path: name,
            result: Ok(checked),
        });
    }
    let analysis =
        iam_validate::analyze_with_config(&text, &options, &project.config, &project.suppressions);
    if !explicit && !config::is_policy(settings, &name, "json", &analysis.parse) {
        return None;
    }
    Some(FileReport {
        path: name,
        result: Ok(Checked::policy(text, analysis)),
    })
}

/// Checks every file, in parallel on all cores, returning reports in path order.
#[must_use]
pub fn check_paths(args: &CheckArgs) -> Vec<FileReport> {
    let mut reports = Vec::new();
    let files = collect(&args.paths, &mut reports);
    let options = Options {
        policy_type: args.policy_type,
        lenient: args.lenient,
    };
    let settings = Settings::default();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, FileReport)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((path, explicit)) = files.get(i) else {
                            break;
                        };
                        if let Some(r) = check_file(path, *explicit, &options, &settings) {
                            mine.push((i, r));
                        }
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    reports.extend(results.into_iter().map(|(_, r)| r));
    super::host::follow_references(&mut reports);
    reports
}

/// Runs `check`; returns the exit code (0 clean, 1 error findings, 2 usage or I/O errors).
/// `-` among the paths reads standard input (see [`super::check_stdin`]).
pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.reads_stdin() {
        return super::check_stdin::run(args, &mut std::io::stdin().lock(), out, err);
    }
    run_with(args, out, err, &mut |_| {})
}

/// Reads `--baseline`, when given. `Err`: the exit code, the problem written to `err`.
pub(crate) fn read_baseline<'a>(
    args: &'a CheckArgs,
    err: &mut dyn Write,
) -> Result<Option<(super::baseline::Baseline, &'a PathBuf)>, u8> {
    match &args.baseline {
        Some(file) => match super::baseline::read(file) {
            Ok(b) => Ok(Some((b, file))),
            Err(e) => {
                let _ = writeln!(err, "error: --baseline: {e}");
                Err(2)
            }
        },
        None => Ok(None),
    }
}

/// [`run`] with a hook that runs before `--fix` replaces a file (tests change the file there).
pub fn run_with(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    before_rename: &mut dyn FnMut(&Path),
) -> u8 {
    let baseline = match read_baseline(args, err) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let mut reports = check_paths(args);
    let mut write_failed = false;
    if args.fix {
        let options = Options {
            policy_type: args.policy_type,
            lenient: args.lenient,
        };
        let fixes =
            super::fix::fix_reports(&mut reports, &options, args.unsafe_fixes, before_rename);
        for f in &fixes {
            if let Some(e) = &f.error {
                let _ = writeln!(err, "error: {}: {e}", f.path);
                write_failed = true;
            }
        }
        let summary = if args.format == Format::Text {
            super::fix::write_summary(&fixes, out)
        } else {
            super::fix::write_summary(&fixes, err)
        };
        if summary.is_err() {
            return 2;
        }
    }
    finish(
        args,
        &mut reports,
        baseline.as_ref(),
        write_failed,
        out,
        err,
    )
}

/// The end of a run: the baseline written or applied, errors and notes on `err`, the findings
/// on `out` in the chosen format, and the exit code.
pub(crate) fn finish(
    args: &CheckArgs,
    reports: &mut [FileReport],
    baseline: Option<&(super::baseline::Baseline, &PathBuf)>,
    write_failed: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    if let Some(file) = &args.write_baseline {
        let b = super::baseline::build(reports, file);
        if let Err(e) = super::baseline::write(&b, file) {
            let _ = writeln!(err, "error: --write-baseline: {e}");
            return 2;
        }
        let _ = writeln!(
            err,
            "wrote {} finding{} to the baseline {}",
            b.findings.len(),
            plural(b.findings.len()),
            file.display()
        );
        super::baseline::apply(&b, file, reports);
    } else if let Some((b, file)) = baseline {
        let n = super::baseline::apply(b, file, reports);
        if n > 0 {
            let _ = writeln!(
                err,
                "{n} finding{} recorded in the baseline {} not reported",
                plural(n),
                file.display()
            );
        }
    }
    let io_errors = reports.iter().filter(|r| r.result.is_err()).count();
    for r in reports.iter() {
        match &r.result {
            Err(e) => {
                let _ = writeln!(err, "error: {}: {e}", r.path);
            }
            Ok(Checked {
                skipped: Some(why), ..
            }) => {
                let _ = writeln!(err, "note: {}: skipped: {why}", r.path);
            }
            Ok(_) => {}
        }
    }
    let errors: usize = reports
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .map(|c| {
            c.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count()
        })
        .sum();
    let written = match args.format {
        Format::Text => write_text(reports, out),
        Format::Json => write_json(reports, out),
        Format::Sarif => write_sarif(reports, out),
        Format::Gitlab => super::gitlab::write(reports, out),
    };
    if written.is_err() {
        return 2;
    }
    if io_errors > 0 || write_failed {
        2
    } else if errors > 0 {
        1
    } else {
        0
    }
}

fn type_note(a: &Analysis) -> String {
    match a.type_source {
        TypeSource::Configured => format!("checked as {}", a.policy_type.with_article()),
        TypeSource::Inferred(why) => format!(
            "checked as {} (inferred: {why})",
            a.policy_type.with_article()
        ),
    }
}

fn write_text(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    let (mut files, mut errors, mut warnings, mut others) = (0, 0, 0, 0);
    for r in reports {
        let Ok(c) = &r.result else { continue };
        if c.skipped.is_some() {
            continue;
        }
        files += 1;
        let index = LineIndex::new(&c.text);
        if !c.diagnostics.is_empty() {
            writeln!(out, "{}: {}", r.path, c.note)?;
        }
        for d in &c.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => others += 1,
            }
            let start = index.line_col_utf16(&c.text, d.range.start);
            writeln!(
                out,
                "{}[{}]: {}",
                d.severity.as_str(),
                d.rule.code,
                d.message
            )?;
            let pad = " ".repeat(format!("{}", start.line + 1).len());
            writeln!(
                out,
                "{pad}--> {}:{}:{}",
                r.path,
                start.line + 1,
                start.col + 1
            )?;
            write_snippet(out, &c.text, &index, d.range)?;
            writeln!(out, "{pad} = rule: {}", d.rule.name)?;
            for f in &d.fixes {
                writeln!(out, "{pad} = fix: {}", f.title)?;
            }
            writeln!(out)?;
        }
    }
    writeln!(
        out,
        "{files} file{} checked: {errors} error{}, {warnings} warning{}, {others} note{}",
        plural(files),
        plural(errors),
        plural(warnings),
        plural(others)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn write_snippet(
    out: &mut dyn Write,
    text: &str,
    index: &LineIndex,
    range: TextRange,
) -> std::io::Result<()> {
    let start = index.line_col_utf8(text, range.start);
    let line_start = index.line_start(start.line) as usize;
    let line_end = index.line_end(start.line, text) as usize;
    let line = text.get(line_start..line_end).unwrap_or("");
    // Show at most 120 characters around the range.
    let col = (range.start as usize).saturating_sub(line_start);
    let (shown, offset) = if line.len() > 120 {
        let mut from = col.saturating_sub(40);
        while from > 0 && !line.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (from + 120).min(line.len());
        while to < line.len() && !line.is_char_boundary(to) {
            to += 1;
        }
        (&line[from..to], from)
    } else {
        (line, 0)
    };
    let gutter = format!("{}", start.line + 1);
    let pad = " ".repeat(gutter.len());
    writeln!(out, "{pad} |")?;
    writeln!(out, "{gutter} | {shown}")?;
    let prefix = line.get(offset..col.max(offset)).unwrap_or("");
    let caret_start = prefix.chars().count();
    let end_in_line = (range.end as usize)
        .min(line_end)
        .saturating_sub(line_start)
        .max(col);
    let width = line
        .get(col..end_in_line)
        .map_or(1, |s| s.chars().count())
        .max(1);
    writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(caret_start),
        "^".repeat(width.min(120))
    )
}

fn json_range(text: &str, index: &LineIndex, r: TextRange) -> serde_json::Value {
    let s = index.line_col_utf16(text, r.start);
    let e = index.line_col_utf16(text, r.end);
    json!({"start": {"line": s.line, "character": s.col}, "end": {"line": e.line, "character": e.col}})
}

fn write_json(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    let files: Vec<serde_json::Value> = reports
        .iter()
        .filter_map(|r| {
            let c = r.result.as_ref().ok().filter(|c| c.skipped.is_none())?;
            let index = LineIndex::new(&c.text);
            let diagnostics: Vec<serde_json::Value> = c
                .diagnostics
                .iter()
                .map(|d| {
                    json!({
                        "code": d.rule.code,
                        "severity": d.severity.as_str(),
                        "message": d.message,
                        "range": json_range(&c.text, &index, d.range),
                    })
                })
                .collect();
            Some(json!({"path": r.path, "policyType": c.policy_type, "diagnostics": diagnostics}))
        })
        .collect();
    serde_json::to_writer(&mut *out, &json!({ "files": files }))?;
    writeln!(out)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

fn write_sarif(reports: &[FileReport], out: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<serde_json::Value> = iam_policy::diagnostic::rules::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "helpUri": format!("https://github.com/iam-policy-ls/iam-policy-ls/blob/main/docs/diagnostics.md#{}", r.code.to_ascii_lowercase()),
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let Ok(c) = &r.result else { continue };
        let index = LineIndex::new(&c.text);
        for d in &c.diagnostics {
            let s = index.line_col_utf16(&c.text, d.range.start);
            let e = index.line_col_utf16(&c.text, d.range.end);
            results.push(json!({
                "ruleId": d.rule.code,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": r.path.replace('\\', "/")},
                    "region": {"startLine": s.line + 1, "startColumn": s.col + 1, "endLine": e.line + 1, "endColumn": e.col + 1},
                }}],
            }));
        }
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iam-policy-ls",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/iam-policy-ls/iam-policy-ls",
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}
