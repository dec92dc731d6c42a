//! The `iam-policy-ls` binary: `serve` (LSP over stdio) and the CLI commands.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use iam_policy_ls::cli;

#[derive(Parser)]
#[command(
    name = "iam-policy-ls",
    about = "Language server and checker for AWS IAM policy documents",
    disable_version_flag = true
)]
struct Cli {
    /// Print the version and the catalog in use.
    #[arg(short = 'V', long)]
    version: bool,
    /// Use this catalog: a catalog file or a cache directory (default: the newest of the
    /// updated copy and the embedded catalog).
    #[arg(long, global = true, value_name = "PATH")]
    catalog: Option<std::path::PathBuf>,
    /// Catalog cache directory (default: $IAM_POLICY_LS_CACHE_DIR, else the platform's cache
    /// folder, e.g. ~/.cache/iam-policy-ls).
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

/// Parsed once at start-up, so the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdio.
    Serve {
        /// Write logs to this file instead of stderr.
        #[arg(long)]
        log_file: Option<std::path::PathBuf>,
        /// Accepted and ignored: stdio is the only transport (some clients add this flag).
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Check policy files and report findings (`--fix` applies the safe quick fixes).
    Check(cli::check::CheckArgs),
    /// Format policy files as the editor does (`--check`: only say which would change).
    Fmt(cli::fmt::FmtArgs),
    /// Evaluate a request against policies: is it allowed, and by which statement?
    Simulate(cli::simulate::SimulateArgs),
    /// Run policy tests (`<name>.tests.json` beside `<name>.json`).
    Test(cli::test_cmd::TestArgs),
    /// Does NEW allow any request OLD does not? (`--git REF FILE...` compares with a revision.)
    Compare(cli::compare::CompareArgs),
    /// Can a policy allow any of these actions (on these resources)?
    Grants(cli::grants::GrantsArgs),
    /// Does a resource-based policy allow access from outside the owner's account?
    Public(cli::public::PublicArgs),
    /// Explain an action, a wildcard pattern, a condition key, a service prefix or an ARN.
    Explain {
        /// `ecs:RunTask`, `ecs:Describe*`, `ecs:cluster`, `ecs`, or an ARN.
        input: String,
    },
    /// Update the AWS catalog from AWS's Service Reference, or show the catalog in use.
    Catalog {
        #[command(subcommand)]
        command: cli::catalog::CatalogCommand,
    },
    /// Print a shell completion script (e.g. `iam-policy-ls completions bash > /etc/bash_completion.d/iam-policy-ls`).
    Completions { shell: clap_complete::Shell },
    /// Write man pages (`iam-policy-ls.1` and one per command) into DIR (`cargo xtask man`).
    #[command(hide = true)]
    Manpages {
        /// Folder to write to (created if missing).
        dir: std::path::PathBuf,
    },
}

/// mimalloc instead of the system allocator: a keystroke on a large document allocates and frees
/// hundreds of thousands of small tree nodes and findings, and glibc's malloc spent a quarter of
/// that time (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    // Choose the catalog before anything looks at it (it is loaded on first use).
    let cache_dir = iam_policy_ls::catalog_choice::cache_dir(cli.cache_dir.clone());
    iam_policy_ls::catalog_choice::install(cli.catalog.clone(), cache_dir.clone());
    let Some(command) = cli.command else {
        if cli.version {
            let _ = writeln!(
                stdout.lock(),
                "iam-policy-ls {}\ncatalog: {}",
                env!("CARGO_PKG_VERSION"),
                iam_policy_ls::catalog_choice::describe()
            );
            report_catalog_problem(&stderr);
            return ExitCode::SUCCESS;
        }
        let _ = writeln!(
            stderr.lock(),
            "error: a command is required (serve, check, fmt, simulate, test, explain, catalog); see --help"
        );
        return ExitCode::from(2);
    };
    let checks = !matches!(
        command,
        Command::Serve { .. }
            | Command::Catalog { .. }
            | Command::Fmt(_)
            | Command::Completions { .. }
            | Command::Manpages { .. }
    );
    if checks {
        if cli.catalog.is_some() {
            // A catalog the user named must be usable.
            if let Some(p) = iam_policy_ls::catalog_choice::take_problem() {
                let p = p.trim_end_matches(iam_catalog_gen::cache::FALLBACK_NOTE);
                let _ = writeln!(stderr.lock(), "error: --catalog: {p}");
                return ExitCode::from(2);
            }
        }
        report_catalog_problem(&stderr);
    }
    let code = match command {
        Command::Serve { log_file, .. } => {
            iam_policy_ls::logging::init(log_file.as_deref());
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = writeln!(stderr.lock(), "error: cannot start the runtime: {e}");
                    return ExitCode::from(2);
                }
            };
            let code = rt.block_on(iam_policy_ls::serve(
                tokio::io::stdin(),
                tokio::io::stdout(),
            ));
            // Tokio reads stdin on a blocking thread that may still be waiting for input: do not
            // wait for it (a dropped runtime would), the client has said `exit`.
            rt.shutdown_background();
            code
        }
        Command::Check(args) => cli::check::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Fmt(args) => cli::fmt::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "iam-policy-ls",
                &mut stdout.lock(),
            );
            0
        }
        Command::Manpages { dir } => {
            match cli::completions::write_man_pages(Cli::command(), &dir) {
                Ok(files) => {
                    for f in files {
                        let _ = writeln!(stdout.lock(), "{}", f.display());
                    }
                    0
                }
                Err(e) => {
                    let _ = writeln!(stderr.lock(), "error: {}: {e}", dir.display());
                    2
                }
            }
        }
        Command::Simulate(args) => {
            cli::simulate::run(&args, &mut stdout.lock(), &mut stderr.lock())
        }
        Command::Compare(args) => cli::compare::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Grants(args) => cli::grants::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Public(args) => cli::public::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Test(args) => cli::test_cmd::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Catalog { command } => {
            cli::catalog::run(&command, cache_dir, &mut stdout.lock(), &mut stderr.lock())
        }
        Command::Explain { input } => match cli::explain::explain(&input, &mut stdout.lock()) {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(e) => {
                let _ = writeln!(stderr.lock(), "error: {e}");
                2
            }
        },
    };
    ExitCode::from(code)
}

/// An unreadable cache is reported once; the embedded catalog is used.
fn report_catalog_problem(stderr: &std::io::Stderr) {
    if let Some(p) = iam_policy_ls::catalog_choice::take_problem() {
        let _ = writeln!(stderr.lock(), "warning: {p}");
    }
}
