//! The language server and the command-line interface. The only crate that knows LSP.

pub mod catalog_choice;
pub mod cli;
pub mod config;
pub mod convert;
pub mod discover;
pub mod document;
pub mod encoding;
pub mod format_config;
pub mod framing;
pub mod git;
pub mod handlers;
pub mod host;
pub mod logging;
pub mod policy_tests;
pub mod project;
pub mod server;
pub mod settings_docs;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// Serves LSP over the given streams until the client exits or the input ends. Returns the
/// process exit code the LSP specification asks for: 0 when `shutdown` came before the end, 1
/// otherwise.
///
/// The input goes through [`framing::pump`] first: tower-lsp-server stops reading for good at the
/// first frame it cannot decode (with tokio-util 0.7 a decoder error ends the stream), so a single
/// malformed message would make the server exit. The pump answers malformed messages itself (a
/// JSON-RPC error) and hands the transport only well-formed frames.
pub async fn serve<I, O>(input: I, output: O) -> u8
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let shutdown = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&shutdown);
    let (service, socket) = LspService::build(move |client| server::Backend::new(client, flag))
        .custom_method(framing::REJECTED_METHOD, server::Backend::rejected_message)
        .finish();
    let (to_server, from_pump) = tokio::io::duplex(1 << 16);
    // One message at a time: tower-lsp-server otherwise runs up to four handlers concurrently and
    // does not keep notifications in order (tower-lsp-server#36), which reorders `didChange`
    // under fast typing. Every handler here is synchronous and short, so nothing is lost;
    // responses to the server's own requests are read outside this queue, so it cannot deadlock.
    let server = Server::new(from_pump, output, socket)
        .concurrency_level(1)
        .serve(service);
    let pump = async {
        framing::pump(input, to_server).await;
        // The pump dropped its end: the server sees the end of its input and finishes.
        std::future::pending::<()>().await;
    };
    tokio::select! {
        () = server => {}
        () = pump => {}
    }
    if shutdown.load(std::sync::atomic::Ordering::SeqCst) {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The server (and every module but the command line's) never reaches into `cli/`: what
    /// both need lives outside it or in a lower crate (`docs/architecture.md`, invariants).
    #[test]
    fn only_the_command_line_uses_cli() {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        // Built at run time so that this test's own text does not match.
        let needles = [format!("crate::{}::", "cli"), format!("super::{}::", "cli")];
        assert!(files.len() > 20, "{files:?}");
        let offenders: Vec<String> = files
            .iter()
            .filter(|p| !p.starts_with(src.join("cli")) && !p.ends_with("main.rs"))
            .filter(|p| {
                std::fs::read_to_string(p).is_ok_and(|t| {
                    t.lines().any(|l| {
                        !l.trim_start().starts_with("//")
                            && needles.iter().any(|n| l.contains(n.as_str()))
                    })
                })
            })
            .map(|p| p.display().to_string())
            .collect();
        assert!(
            offenders.is_empty(),
            "modules outside cli/ use it: {offenders:?}"
        );
    }
}
