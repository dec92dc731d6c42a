//! The LSP test client of `iam-test-support`, plus a server started in-process.

pub use iam_test_support::lsp::*;

/// Starts the real server in-process, connected by in-memory pipes.
pub fn in_process() -> Client<
    tokio::io::ReadHalf<tokio::io::DuplexStream>,
    tokio::io::WriteHalf<tokio::io::DuplexStream>,
> {
    let (client_side, server_side) = tokio::io::duplex(1 << 20);
    let (server_read, server_write) = tokio::io::split(server_side);
    tokio::spawn(iam_policy_ls::serve(server_read, server_write));
    let (read, write) = tokio::io::split(client_side);
    Client::new(read, write)
}
