//! WebAssembly glue: everything here touches JavaScript. The core and driver above
//! know nothing of it. `bindings` is what the npm package uses (the sans-IO core,
//! driven from `js/driver.ts`); `timer` serves the Rust driver in WebAssembly (its
//! tests run on Node's real event loop).

mod bindings;
mod timer;

pub use bindings::{bench_order, sort_order, sort_order_nodes, WasmCore};
pub use timer::{client_token, HostTimer, JsClock, WasmTimer};

// The module's allocator: talc in place of Rust's default dlmalloc, smaller and faster
// for the many short-lived buffers a batch makes (measured in bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
