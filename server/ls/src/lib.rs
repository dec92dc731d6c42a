//! The language server and the command-line interface. The only crate that knows LSP.

pub mod cli;
pub mod config;
pub mod convert;
pub mod document;
pub mod encoding;
pub mod handlers;
pub mod policy_tests;
pub mod server;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// Serves LSP over the given streams until the client exits or the input ends. Returns the
/// process exit code the LSP specification asks for: 0 when `shutdown` came before the end, 1
/// otherwise.
pub async fn serve<I, O>(input: I, output: O) -> u8
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let shutdown = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&shutdown);
    let (service, socket) = LspService::new(move |client| server::Backend::new(client, flag));
    Server::new(input, output, socket).serve(service).await;
    if shutdown.load(std::sync::atomic::Ordering::SeqCst) { 0 } else { 1 }
}
