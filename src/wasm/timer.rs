//! Time and randomness from the JavaScript host: gloo-timers for sleeps,
//! `setImmediate` (or `setTimeout(0)` where it is missing) for one event-loop turn,
//! `performance.now()` for the clock, `crypto.randomUUID()` for ClientTokens.

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::driver::Timer;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;

    #[wasm_bindgen(catch, js_name = setImmediate)]
    fn set_immediate(f: &Function) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: i32) -> JsValue;

    #[wasm_bindgen(catch, js_namespace = crypto, js_name = randomUUID)]
    fn random_uuid() -> Result<String, JsValue>;
}

/// The host's event loop as a [`Timer`].
#[derive(Debug, Clone, Copy, Default)]
pub struct WasmTimer;

impl Timer for WasmTimer {
    fn now_ms(&self) -> u64 {
        performance_now().max(0.0) as u64
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        TimeoutFuture::new(ms.min(i32::MAX as u64) as u32).boxed_local()
    }

    fn next_turn(&self) -> LocalBoxFuture<'static, ()> {
        // setImmediate runs after pending I/O callbacks: one macrotask turn, microseconds
        // in Node (setTimeout(0) would cost a millisecond per batch).
        let turn = Promise::new(&mut |resolve, _| {
            if set_immediate(&resolve).is_err() {
                set_timeout(&resolve, 0);
            }
        });
        JsFuture::from(turn).map(|_| ()).boxed_local()
    }
}

/// A fresh ClientToken: a random UUID (36 printable ASCII characters).
pub fn client_token() -> String {
    random_uuid().unwrap_or_else(|_| {
        // No Web Crypto: fall back to time and Math.random, still unique enough for
        // the service's 15-minute de-duplication window.
        format!(
            "{:x}-{:x}",
            (performance_now() * 1000.0) as u64,
            (js_sys::Math::random() * 1e15) as u64
        )
    })
}
