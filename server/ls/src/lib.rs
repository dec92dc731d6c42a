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

/// Serves LSP over the given streams until the client exits.
pub async fn serve<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let (service, socket) = LspService::new(server::Backend::new);
    Server::new(input, output, socket).serve(service).await;
}
