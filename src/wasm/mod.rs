//! WebAssembly glue: everything here touches JavaScript. The core and driver above
//! know nothing of it.

mod timer;

pub use timer::{client_token, WasmTimer};
