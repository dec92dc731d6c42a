//! Logging: `tracing` to stderr (never stdout, which is the protocol) or to a log file. The level
//! comes from `RUST_LOG`, else `info`, and the `logLevel` setting changes it at run time.

use std::sync::OnceLock;

use tracing_subscriber::{
    EnvFilter, Registry, layer::SubscriberExt, reload, util::SubscriberInitExt,
};

static RELOAD: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();

/// Installs the global subscriber. Call once, before serving.
pub fn init(log_file: Option<&std::path::Path>) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (filter, handle) = reload::Layer::new(filter);
    let _ = RELOAD.set(handle);
    let file = log_file.and_then(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .ok()
    });
    let fmt = tracing_subscriber::fmt::layer().with_ansi(false);
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match file {
        Some(f) => registry
            .with(fmt.with_writer(std::sync::Mutex::new(f)))
            .try_init(),
        None => registry.with(fmt.with_writer(std::io::stderr)).try_init(),
    };
}

/// Changes the level (`error`, `warn`, `info`, `debug`, `trace`, or any `RUST_LOG` directive).
/// Does nothing when logging was not initialised (tests); an invalid level is an error.
pub fn set_level(level: &str) -> Result<(), String> {
    let filter =
        EnvFilter::try_new(level).map_err(|e| format!("invalid log level `{level}`: {e}"))?;
    if let Some(handle) = RELOAD.get() {
        handle.reload(filter).map_err(|e| e.to_string())?;
    }
    Ok(())
}
