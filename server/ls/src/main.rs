//! The `iam-policy-ls` binary: `serve` (LSP over stdio) and the CLI commands.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use iam_policy_ls::cli;

#[derive(Parser)]
#[command(name = "iam-policy-ls", version = VERSION.as_str(), about = "Language server and checker for AWS IAM policy documents")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Check policy files and report findings.
    Check(cli::check::CheckArgs),
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
}

/// mimalloc instead of the system allocator: a keystroke on a large document allocates and frees
/// hundreds of thousands of small tree nodes and findings, and glibc's malloc spent a quarter of
/// that time (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `--version`: the program's version and the catalog it embeds.
static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{}\ncatalog: {}",
        env!("CARGO_PKG_VERSION"),
        iam_catalog::catalog().metadata()
    )
});

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
    let code = match cli.command {
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
        Command::Simulate(args) => {
            cli::simulate::run(&args, &mut stdout.lock(), &mut stderr.lock())
        }
        Command::Compare(args) => cli::compare::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Grants(args) => cli::grants::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Public(args) => cli::public::run(&args, &mut stdout.lock(), &mut stderr.lock()),
        Command::Test(args) => cli::test_cmd::run(&args, &mut stdout.lock(), &mut stderr.lock()),
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
