//! durable-checkpoint: the checkpoint core of AWS Lambda durable functions.
//!
//! Updates to durable operations are validated, queued, ordered, batched and sent
//! as `CheckpointDurableExecution` calls through a transport the caller supplies,
//! chaining the checkpoint token from call to call and retrying throttled calls.
//!
//! Layers, innermost first:
//! - [`update`], [`json`], [`parse`], [`validate`]: the wire types, their JSON and constraints;
//! - [`ancestry`]: the ancestor gate (which Ids hang under finished CONTEXTs);
//! - [`order`]: the order of updates inside a request;
//! - [`body`], [`queue`], [`chunked`], [`token`], [`retry`], [`error`], [`hash`]: the pieces of the core;
//! - [`machine`]: the sans-IO state machine (no I/O, time passed in);
//! - [`driver`]: a single-threaded futures driver over transport and timer traits;
//! - [`sim`]: a virtual clock and scripted transport for deterministic tests;
//! - `wasm` (WebAssembly only): the sans-IO core as the npm package's JavaScript
//!   driver calls it (`WasmCore`), and the timer the Rust driver uses in WebAssembly.

pub mod ancestry;
pub mod body;
pub mod chunked;
pub mod config;
pub mod driver;
pub mod error;
pub mod hash;
pub mod json;
pub mod machine;
pub mod order;
pub mod parse;
pub mod queue;
pub mod retry;
pub mod sim;
pub mod token;
pub mod update;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use ancestry::KnownOperation;
pub use config::{Config, ConfigError, FlushPolicy};
pub use error::{CheckpointError, ErrorCode, Scope, TransportError};
pub use machine::{Ack, BatchInfo, Checkpointer, Event, Stats, Transmit};
pub use order::{order, order_nodes, sort_updates, Node, Ordered};
pub use update::{
    CallbackOptions, ChainedInvokeOptions, ContextOptions, ErrorObject, OperationAction,
    OperationType, OperationUpdate, StepOptions, WaitOptions,
};
