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
