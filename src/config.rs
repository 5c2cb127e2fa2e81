//! Batcher settings and their defaults (SPEC §4).

use std::fmt;

/// When a forming batch goes out, besides the count, size and time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FlushPolicy {
    /// Send once the queue has stayed empty for one turn of the event loop (default):
    /// an awaited checkpoint costs one round trip and no lingering.
    #[default]
    Idle,
    /// Wait out `max_batch_time_ms` from the batch's first request, like the seed.
    Window,
}

impl FlushPolicy {
    /// `idle` or `window`.
    pub fn as_str(self) -> &'static str {
        match self {
            FlushPolicy::Idle => "idle",
            FlushPolicy::Window => "window",
        }
    }
}

/// Service limit on updates per request; also the default batch size.
pub const DEFAULT_MAX_BATCH_OPERATIONS: usize = 250;
/// Service limit on request bytes (750 KiB); also the default.
pub const DEFAULT_MAX_BATCH_SIZE_BYTES: usize = 768_000;
/// How long a batch may collect, from its first request.
pub const DEFAULT_MAX_BATCH_TIME_MS: u64 = 1000;

/// Batcher settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Largest request body in bytes, envelope and tokens included.
    pub max_batch_size_bytes: usize,
    /// Most updates in one request.
    pub max_batch_operations: usize,
    /// Longest a batch collects before it goes.
    pub max_batch_time_ms: u64,
    /// When a batch goes before the limits force it.
    pub flush: FlushPolicy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_batch_size_bytes: DEFAULT_MAX_BATCH_SIZE_BYTES,
            max_batch_operations: DEFAULT_MAX_BATCH_OPERATIONS,
            max_batch_time_ms: DEFAULT_MAX_BATCH_TIME_MS,
            flush: FlushPolicy::Idle,
        }
    }
}

impl Config {
    /// Refuses settings no batch could satisfy.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_batch_operations == 0 {
            return Err(ConfigError::new(
                "maxBatchOperations",
                "maxBatchOperations must be at least 1",
            ));
        }
        if self.max_batch_size_bytes == 0 {
            return Err(ConfigError::new(
                "maxBatchSizeBytes",
                "maxBatchSizeBytes must be at least 1",
            ));
        }
        Ok(())
    }
}

/// A setting (or the initial token) that cannot work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The option's name as the JavaScript API spells it.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        ConfigError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}
