//! Time and randomness from the JavaScript host: gloo-timers for sleeps,
//! `setImmediate` (or `setTimeout(0)` where it is missing) for one event-loop turn,
//! `performance.now()` for the clock, `crypto.randomUUID()` for ClientTokens.

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
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

/// A clock supplied by JavaScript (`now()`, `sleep(ms)` and `turn()` returning
/// promises), so tests can replay scenarios on virtual time through the package.
#[derive(Debug, Clone)]
pub struct JsClock {
    now: Function,
    sleep: Function,
    turn: Function,
}

impl JsClock {
    /// Reads the three functions off `env`; none if any is missing.
    pub fn from_env(env: &JsValue) -> Option<Self> {
        let f = |k: &str| {
            js_sys::Reflect::get(env, &JsValue::from_str(k))
                .ok()?
                .dyn_into::<Function>()
                .ok()
        };
        Some(JsClock {
            now: f("now")?,
            sleep: f("sleep")?,
            turn: f("turn")?,
        })
    }
}

fn await_js(p: Result<JsValue, JsValue>) -> LocalBoxFuture<'static, ()> {
    let p = Promise::resolve(&p.unwrap_or(JsValue::UNDEFINED));
    JsFuture::from(p).map(|_| ()).boxed_local()
}

/// The production timer, or a JavaScript-supplied one for deterministic tests.
#[derive(Debug, Clone, Default)]
pub struct HostTimer(pub Option<JsClock>);

impl Timer for HostTimer {
    fn now_ms(&self) -> u64 {
        match &self.0 {
            Some(c) => c
                .now
                .call0(&JsValue::NULL)
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0)
                .max(0.0) as u64,
            None => WasmTimer.now_ms(),
        }
    }

    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        match &self.0 {
            Some(c) => await_js(c.sleep.call1(&JsValue::NULL, &JsValue::from_f64(ms as f64))),
            None => WasmTimer.sleep(ms),
        }
    }

    fn next_turn(&self) -> LocalBoxFuture<'static, ()> {
        match &self.0 {
            Some(c) => await_js(c.turn.call0(&JsValue::NULL)),
            None => WasmTimer.next_turn(),
        }
    }
}

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
