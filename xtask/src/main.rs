//! `cargo xtask <task>`; see `docs/catalog.md` (`catalog`), `docs/performance.md` (`bench-lsp`)
//! `codegen.rs` (`codegen`: files derived from the code, checked in CI) and `man.rs` (`man`).

use std::process::ExitCode;

mod bench_lsp;
mod codegen;
mod man;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("catalog") => run_catalog(&args[1..]),
        Some("bench-lsp") => bench_lsp::parse_args(&args[1..]).and_then(|o| bench_lsp::run(&o)),
        Some("codegen") => codegen::run(&args[1..]),
        Some("man") => man::run(&args[1..]),
        _ => Err(anyhow::anyhow!(
            "tasks: catalog, bench-lsp, codegen, man
{}
{}
{}
{}",
            iam_catalog_gen::USAGE,
            bench_lsp::USAGE,
            codegen::USAGE,
            man::USAGE
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("xtask: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run_catalog(args: &[String]) -> anyhow::Result<()> {
    use anyhow::Context;
    let (opts, out, check) = iam_catalog_gen::parse_args(args)?;
    let text = iam_catalog_gen::generate(&opts)?;
    if check {
        let old = std::fs::read_to_string(&out).unwrap_or_default();
        if old != text {
            anyhow::bail!("{} is out of date; rerun without --check", out.display());
        }
        return Ok(());
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
    #[allow(clippy::print_stderr)]
    {
        eprintln!("wrote {} ({} bytes)", out.display(), text.len());
    }
    Ok(())
}
