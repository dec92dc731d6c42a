//! `iam-policy-ls fmt [--check] PATH...`: the server's formatting (`iam_ide::format`) on the
//! command line. `-` formats standard input to standard output. Templates and Terraform files are
//! never rewritten (they are skipped with a note); a file with syntax errors is left as it is and
//! named on stderr.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use iam_ide::FormatOptions;
use iam_syntax::ParseOptions;
use iam_validate::config::FormatConfig;

use super::check::{FileReport, collect, display, read_text};
use super::write::{Snapshot, apply_edits, replace_if_unchanged};
use crate::config::{self, Settings};

#[derive(Clone, Debug, clap::Args)]
pub struct FmtArgs {
    /// Change nothing: exit 1 and name the files that would be reformatted.
    #[arg(long)]
    pub check: bool,
    /// Spaces per indentation level (default: `[format]` of `.iam-policy-ls.toml`, else 4).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub indent: Option<u32>,
    /// Indent with tabs instead of spaces.
    #[arg(long)]
    pub tabs: bool,
    /// Keep arrays of strings on one line when they fit in 100 columns.
    #[arg(long)]
    pub compact_arrays: bool,
    /// Accept (and keep) comments and trailing commas.
    #[arg(long)]
    pub lenient: bool,
    /// With `-`: the file name standard input stands for (its `.iam-policy-ls.toml` gives the
    /// `[format]` options, and messages name it).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Files or directories (policy `*.json` files are formatted), or `-` for standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

impl FmtArgs {
    /// The options for a file: the project's `[format]` over the defaults, the flags over both.
    #[must_use]
    pub fn options(&self, project: &FormatConfig) -> FormatOptions {
        let mut o = crate::format_config::apply(project, FormatOptions::default());
        if self.tabs || self.indent.is_some() {
            o.indent = FormatOptions::with_indent(self.indent.unwrap_or(4), !self.tabs).indent;
        }
        if self.compact_arrays {
            o.compact_arrays = true;
        }
        o
    }

    /// The options for `path`, or the problem of its `.iam-policy-ls.toml`.
    fn options_for(&self, path: &Path) -> Result<FormatOptions, String> {
        let project = crate::project::load(path, None);
        match project.problems.first() {
            Some(problem) => Err(problem.clone()),
            None => Ok(self.options(&project.config.format)),
        }
    }

    fn parse_options(&self) -> ParseOptions {
        if self.lenient {
            ParseOptions::LENIENT
        } else {
            ParseOptions::STRICT
        }
    }
}

/// The formatted text, `Ok(None)` when it is already formatted, `Err` when it cannot be
/// formatted (syntax errors).
pub fn format_text(
    text: &str,
    options: &FormatOptions,
    parse_options: ParseOptions,
) -> Result<Option<String>, String> {
    let parse = iam_syntax::parse(text, parse_options);
    let Some(edits) = iam_ide::format(&parse, options) else {
        let hint = if parse_options == ParseOptions::STRICT {
            " (comments and trailing commas need --lenient)"
        } else {
            ""
        };
        return Err(format!(
            "not formatted: the document has syntax errors{hint}; `iam-policy-ls check` shows them"
        ));
    };
    if edits.is_empty() {
        return Ok(None);
    }
    let new =
        apply_edits(text, &edits).ok_or("not formatted: the formatter's edits do not apply")?;
    Ok((new != text).then_some(new))
}

/// Why a file is not formatted at all: it is a template or a Terraform file.
fn host_note(name: &str, text: &str) -> Option<&'static str> {
    let kind = iam_hosts::HostKind::from_path(name, text)?;
    match kind {
        iam_hosts::HostKind::Json => iam_hosts::extract(kind, text)
            .is_host
            .then_some("a CloudFormation template; templates are not formatted"),
        iam_hosts::HostKind::Yaml => Some("a YAML file; only JSON policies are formatted"),
        iam_hosts::HostKind::Terraform => {
            Some("a Terraform file; only JSON policies are formatted")
        }
    }
}

fn pick<'a>(to_err: bool, out: &'a mut dyn Write, err: &'a mut dyn Write) -> &'a mut dyn Write {
    if to_err { err } else { out }
}

/// Runs `fmt`; returns the exit code: 0 done (or, with `--check`, nothing to change), 1 with
/// `--check` when a file would change, 2 when a file could not be read, formatted or written.
pub fn run(args: &FmtArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_with(args, &mut std::io::stdin(), out, err, &mut |_| {})
}

/// [`run`] with standard input given, and a hook run before each file is replaced.
pub fn run_with(
    args: &FmtArgs,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
    before_rename: &mut dyn FnMut(&Path),
) -> u8 {
    let parse_options = args.parse_options();
    let mut failed = false;
    let (mut changed, mut unchanged) = (0usize, 0usize);
    let (stdin_args, file_args): (Vec<PathBuf>, Vec<PathBuf>) = args
        .paths
        .iter()
        .cloned()
        .partition(|p| p.as_os_str() == "-");
    if args.stdin_filename.is_some() && stdin_args.is_empty() {
        let _ = writeln!(
            err,
            "error: --stdin-filename names what standard input stands for: give `-` as a path"
        );
        return 2;
    }
    if !stdin_args.is_empty() {
        let mut text = String::new();
        if let Err(e) = stdin.read_to_string(&mut text) {
            let _ = writeln!(err, "error: -: cannot read standard input: {e}");
            return 2;
        }
        // The configuration of the file the input stands for, else of the working directory
        // (a file `-` there).
        let named = args.stdin_filename.as_deref();
        let shown = named.map_or_else(|| "-".to_owned(), |p| p.display().to_string());
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let here = named.map_or_else(|| cwd.join("-"), |p| cwd.join(p));
        let note = named.and_then(|p| host_note(&p.to_string_lossy(), &text));
        let formatted = match note {
            // A template or a Terraform file: given back as it is.
            Some(note) => {
                let _ = writeln!(err, "note: {shown}: not formatted: {note}");
                Ok(None)
            }
            None => args
                .options_for(&here)
                .and_then(|options| format_text(&text, &options, parse_options)),
        };
        match formatted {
            Err(e) => {
                let _ = writeln!(err, "error: {shown}: {e}");
                failed = true;
            }
            Ok(new) => {
                if new.is_some() {
                    changed += 1;
                }
                if args.check {
                    if new.is_some() {
                        let _ = writeln!(out, "would reformat: {shown}");
                    }
                } else if out
                    .write_all(new.as_deref().unwrap_or(&text).as_bytes())
                    .is_err()
                {
                    return 2;
                }
            }
        }
    }
    // Standard output holds the formatted input: messages go to stderr then.
    let to_err = !stdin_args.is_empty() && !args.check;
    let mut errors: Vec<FileReport> = Vec::new();
    let files = collect(&file_args, &mut errors);
    for e in &errors {
        if let Err(msg) = &e.result {
            let _ = writeln!(err, "error: {}: {msg}", e.path);
            failed = true;
        }
    }
    let settings = Settings::default();
    for (path, explicit) in files {
        let name = display(&path);
        let text = match read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(err, "error: {name}: {e}");
                failed = true;
                continue;
            }
        };
        if let Some(note) = host_note(&name, &text) {
            if explicit {
                let _ = writeln!(err, "note: {name}: skipped: {note}");
            }
            continue;
        }
        if !explicit {
            let parse = iam_syntax::parse(&text, ParseOptions::LENIENT);
            if !config::is_policy(&settings, &name, "json", &parse) {
                continue;
            }
        }
        let snapshot = Snapshot::new(&path, text);
        match args
            .options_for(&path)
            .and_then(|options| format_text(&snapshot.text, &options, parse_options))
        {
            Err(e) => {
                let _ = writeln!(err, "error: {name}: {e}");
                failed = true;
            }
            Ok(None) => unchanged += 1,
            Ok(Some(new)) => {
                changed += 1;
                if args.check {
                    let _ = writeln!(out, "would reformat: {name}");
                } else if let Err(e) = replace_if_unchanged(&path, &snapshot, &new, before_rename) {
                    let _ = writeln!(err, "error: {name}: {e}");
                    changed -= 1;
                    failed = true;
                } else {
                    let _ = writeln!(pick(to_err, out, err), "reformatted: {name}");
                }
            }
        }
    }
    if !file_args.is_empty() {
        let verb = if args.check {
            "would be reformatted"
        } else {
            "reformatted"
        };
        let _ = writeln!(
            pick(to_err, out, err),
            "{changed} file{} {verb}, {unchanged} file{} already formatted",
            if changed == 1 { "" } else { "s" },
            if unchanged == 1 { "" } else { "s" }
        );
    }
    if failed {
        2
    } else if args.check && changed > 0 {
        1
    } else {
        0
    }
}
