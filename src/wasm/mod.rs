//! WebAssembly glue: everything here touches JavaScript. The core and driver above
//! know nothing of it.

mod bindings;
mod timer;

pub use bindings::{bench_order, sort_order, sort_order_facts, WasmCore};
pub use timer::{client_token, HostTimer, JsClock, WasmTimer};
