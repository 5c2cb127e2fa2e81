//! The JavaScript face of the core: a `WasmBatcher` class over the driver, and the
//! pure `sortOrder`. All conversions between Rust and JS values happen here; the
//! TypeScript package in `js/` wraps this into the public API.
//!
//! Updates cross as JSON text (`JSON.stringify` drops `undefined` keys, as the SPEC
//! wants): one string copy, parsed once and re-serialized canonically by the core.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::ancestry::parse_known;
use crate::config::{Config, ConfigError, FlushPolicy};
use crate::driver::{Batcher, Options, Transport};
use crate::error::{CheckpointError, ErrorCode, TransportError};
use crate::machine::{Ack, BatchInfo, Transmit};
use crate::order;
use crate::parse;
use crate::update::{OperationAction, OperationType, OperationUpdate};

/// Turns Rust errors into the package's `CheckpointError` objects, keeping one JS
/// object per latched error so every caller sees the very same error.
struct Errors {
    make: Function,
    /// The JS error of the last failed transport call: the `cause` of its outcome.
    last_cause: RefCell<JsValue>,
    last: RefCell<Option<(CheckpointError, JsValue)>>,
}

impl Errors {
    fn to_js(&self, e: &CheckpointError) -> JsValue {
        if let Some((known, js)) = &*self.last.borrow() {
            if known == e {
                return js.clone();
            }
        }
        let ids: Array = e
            .operation_ids
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect();
        let cause = if e.cause.is_some() {
            self.last_cause.borrow().clone()
        } else {
            JsValue::UNDEFINED
        };
        let args = Array::of5(
            &JsValue::from_str(e.code.as_str()),
            &JsValue::from_str(&e.message),
            &e.field
                .as_deref()
                .map(JsValue::from_str)
                .unwrap_or(JsValue::UNDEFINED),
            &ids,
            &cause,
        );
        let js = self
            .make
            .apply(&JsValue::NULL, &args)
            .unwrap_or_else(|thrown| thrown);
        // Refusals of one update are never shared; keeping them out of the cache keeps
        // the latched error's one JS object alive across them.
        if !matches!(e.code, ErrorCode::InvalidUpdate | ErrorCode::Orphaned) {
            *self.last.borrow_mut() = Some((e.clone(), js.clone()));
        }
        js
    }
}

fn config_error(e: ConfigError) -> JsValue {
    js_sys::RangeError::new(&e.message).into()
}

/// Reads the description the JS transport wrapper rejects with:
/// `{ status?, name?, message?, retryAfterMs?, cause }`.
fn describe(v: &JsValue, errors: &Errors) -> TransportError {
    let get = |k: &str| Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    *errors.last_cause.borrow_mut() = if v.is_object() {
        get("cause")
    } else {
        v.clone()
    };
    let num = |k: &str| get(k).as_f64().filter(|n| n.is_finite() && *n >= 0.0);
    TransportError {
        status: num("status").map(|n| n.min(u16::MAX as f64) as u16),
        name: get("name").as_string().filter(|s| !s.is_empty()),
        message: get("message")
            .as_string()
            .or_else(|| v.as_string())
            .unwrap_or_default(),
        retry_after_ms: num("retryAfterMs").map(|n| n.ceil() as u64),
    }
}

struct JsTransport {
    send: Function,
    errors: Rc<Errors>,
}

impl Transport for JsTransport {
    /// The response's operations as JavaScript `Operation` objects.
    type State = JsValue;

    fn checkpoint(
        &self,
        _arn: &str,
        t: &Transmit,
    ) -> LocalBoxFuture<'static, Result<(Ack, JsValue), TransportError>> {
        // `send(batch, attempt, order, checkpointToken, clientToken)`: the JS side
        // keeps the updates and joins the first `order.length` of its queue in `order`.
        let args = Array::of5(
            &JsValue::from_f64(t.batch as f64),
            &JsValue::from_f64(t.attempt as f64),
            &js_sys::Uint32Array::from(&t.order[..]).into(),
            &JsValue::from_str(&t.checkpoint_token),
            &JsValue::from_str(&t.client_token),
        );
        let called = self.send.apply(&JsValue::NULL, &args);
        let errors = self.errors.clone();
        async move {
            let settled = match called {
                Ok(p) => JsFuture::from(Promise::resolve(&p)).await,
                Err(thrown) => Err(thrown),
            };
            // The JS side answers `[token, known operations (compact), operations]`.
            match settled {
                Ok(answer) => {
                    let answer: Array = answer.dyn_into().unwrap_or_default();
                    let ack = Ack {
                        checkpoint_token: answer.get(0).as_string(),
                        operations: answer
                            .get(1)
                            .as_string()
                            .map(|t| parse_known(&t))
                            .unwrap_or_default(),
                    };
                    Ok((ack, answer.get(2)))
                }
                Err(e) => Err(describe(&e, &errors)),
            }
        }
        .boxed_local()
    }
}

fn batch_info(i: &BatchInfo) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("updates", JsValue::from_f64(i.updates as f64));
    set("bytes", JsValue::from_f64(i.bytes as f64));
    set("attempts", JsValue::from_f64(i.attempts as f64));
    set("latencyMs", JsValue::from_f64(i.latency_ms as f64));
    let ids: Array = i
        .operation_ids
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect();
    set("operationIds", ids.into());
    o.into()
}

/// A JS promise of an outcome, rejecting with the package's `CheckpointError`.
fn promise(
    done: impl std::future::Future<Output = Result<(), CheckpointError>> + 'static,
    errors: Rc<Errors>,
) -> Promise {
    future_to_promise(async move {
        done.await
            .map(|()| JsValue::UNDEFINED)
            .map_err(|e| errors.to_js(&e))
    })
}

/// The batcher, as the TypeScript `CheckpointBatcher` drives it.
#[wasm_bindgen]
pub struct WasmBatcher {
    inner: Batcher<JsValue>,
    errors: Rc<Errors>,
}

#[wasm_bindgen]
impl WasmBatcher {
    /// Options arrive already type-checked by the TypeScript layer. `send(batch,
    /// attempt, order, checkpointToken, clientToken)` returns a promise of
    /// `[token, known, operations]` (`known`: the
    /// operations in the compact form of `parse_known`); `make_error(code, message,
    /// field, operationIds, cause)` builds a `CheckpointError`; `operations` is the
    /// invocation's initial state in the compact form. `test_env`, for deterministic
    /// tests only, supplies `now`, `sleep`, `turn` and `clientToken`.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        durable_execution_arn: String,
        checkpoint_token: String,
        max_batch_size_bytes: f64,
        max_batch_operations: f64,
        max_batch_time_ms: f64,
        window: bool,
        send: Function,
        make_error: Function,
        on_batch: Option<Function>,
        on_error: Option<Function>,
        operations: Option<String>,
        test_env: Option<Object>,
    ) -> Result<WasmBatcher, JsValue> {
        let env: JsValue = test_env.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let clock = super::JsClock::from_env(&env);
        let client_tokens: Box<dyn FnMut() -> String> =
            match Reflect::get(&env, &JsValue::from_str("clientToken"))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
            {
                Some(f) => Box::new(move || {
                    f.call0(&JsValue::NULL)
                        .ok()
                        .and_then(|v| v.as_string())
                        .unwrap_or_default()
                }),
                None => Box::new(super::client_token),
            };
        let errors = Rc::new(Errors {
            make: make_error,
            last_cause: RefCell::new(JsValue::UNDEFINED),
            last: RefCell::new(None),
        });
        let config = Config {
            max_batch_size_bytes: max_batch_size_bytes as usize,
            max_batch_operations: max_batch_operations as usize,
            max_batch_time_ms: max_batch_time_ms as u64,
            flush: if window {
                FlushPolicy::Window
            } else {
                FlushPolicy::Idle
            },
        };
        let hook_errors = errors.clone();
        let (inner, task) = Batcher::new(
            Options {
                durable_execution_arn,
                checkpoint_token,
                config,
                client_tokens,
                on_batch: on_batch.map(|f| -> crate::driver::BatchHook {
                    Box::new(move |i: &BatchInfo| {
                        let _ = f.call1(&JsValue::NULL, &batch_info(i));
                    })
                }),
                on_error: on_error.map(|f| -> crate::driver::ErrorHook {
                    Box::new(move |e: &CheckpointError| {
                        let _ = f.call1(&JsValue::NULL, &hook_errors.to_js(e));
                    })
                }),
                operations: operations.as_deref().map(parse_known).unwrap_or_default(),
            },
            JsTransport {
                send,
                errors: errors.clone(),
            },
            super::HostTimer(clock),
        )
        .map_err(config_error)?;
        wasm_bindgen_futures::spawn_local(task);
        Ok(WasmBatcher { inner, errors })
    }

    /// Queues an update the JS side has read (the fast path): `id`, `parent_id` ("" for
    /// none), the indices of its Type and Action in the API's lists, and the UTF-8
    /// length of the JSON the JS side keeps for it. Answers the promise of its batch's
    /// outcome when `awaited`, else undefined; throws at once if it is refused.
    #[wasm_bindgen(js_name = checkpointFacts)]
    pub fn checkpoint_facts(
        &self,
        id: String,
        parent_id: String,
        type_code: u32,
        action_code: u32,
        len: u32,
        awaited: bool,
    ) -> Result<JsValue, JsValue> {
        let (Some(&t), Some(&a)) = (
            OperationType::ALL.get(type_code as usize),
            OperationAction::ALL.get(action_code as usize),
        ) else {
            let e = CheckpointError::invalid("Type", "Type and Action must be known codes");
            return Err(self.errors.to_js(&e));
        };
        let mut facts = OperationUpdate::new(id, t, a);
        facts.parent_id = (!parent_id.is_empty()).then_some(parent_id);
        let len = len as usize;
        if !awaited {
            return self
                .inner
                .checkpoint_async_facts(facts, len)
                .map(|()| JsValue::UNDEFINED)
                .map_err(|e| self.errors.to_js(&e));
        }
        let mut done = Box::pin(self.inner.checkpoint_facts(facts, len));
        // A refusal is known before the first poll: surface it synchronously.
        if let Some(Err(e)) = (&mut done).now_or_never() {
            return Err(self.errors.to_js(&e));
        }
        Ok(promise(done, self.errors.clone()).into())
    }

    /// Queues an update given as JSON text (the full reader, naming the offending
    /// field). Answers `[canonical JSON the JS side must send, promise | undefined]`;
    /// throws at once if it is refused.
    #[wasm_bindgen(js_name = checkpointText)]
    pub fn checkpoint_text(&self, json: &str, awaited: bool) -> Result<Array, JsValue> {
        if !awaited {
            let text = self
                .inner
                .checkpoint_async_json_for_host(json)
                .map_err(|e| self.errors.to_js(&e))?;
            return Ok(Array::of2(&JsValue::from_str(&text), &JsValue::UNDEFINED));
        }
        let (text, done) = self
            .inner
            .checkpoint_json_for_host(json)
            .map_err(|e| self.errors.to_js(&e))?;
        let p = promise(done, self.errors.clone());
        Ok(Array::of2(&JsValue::from_str(&text), &p))
    }

    /// Resolves with the operations of the response to the next call (SPEC §13);
    /// throws at once after `close()` or the latch.
    pub fn poll(&self) -> Result<Promise, JsValue> {
        let errors = self.errors.clone();
        let mut done = Box::pin(self.inner.poll());
        if let Some(Err(e)) = (&mut done).now_or_never() {
            return Err(errors.to_js(&e));
        }
        Ok(future_to_promise(async move {
            done.await.map_err(|e| errors.to_js(&e))
        }))
    }

    /// Closes the ancestor gate under the CONTEXT `id` (SPEC §12).
    #[wasm_bindgen(js_name = finishContext)]
    pub fn finish_context(&self, id: &str) -> Result<(), JsValue> {
        self.inner
            .finish_context(id)
            .map_err(|e| self.errors.to_js(&e))
    }

    /// Resolves once everything queued before the call is acknowledged.
    pub fn flush(&self) -> Promise {
        promise(self.inner.flush(), self.errors.clone())
    }

    /// Flushes, then refuses every later checkpoint.
    pub fn close(&self) -> Promise {
        promise(self.inner.close(), self.errors.clone())
    }

    /// The token the next call will use (undefined once checkpointing has ended).
    #[wasm_bindgen(getter, js_name = checkpointToken)]
    pub fn checkpoint_token(&self) -> Option<String> {
        self.inner.checkpoint_token()
    }

    /// `[apiCalls, updatesSent, bytesSent, retries]`.
    pub fn stats(&self) -> Vec<f64> {
        let s = self.inner.stats();
        vec![
            s.api_calls as f64,
            s.updates_sent as f64,
            s.bytes_sent as f64,
            s.retries as f64,
        ]
    }
}

/// Benchmark hook: orders an already-parsed batch `iterations` times, as the batcher
/// does at each send, and returns the mean microseconds per ordering.
#[wasm_bindgen(js_name = benchOrder)]
pub fn bench_order(json: &str, iterations: u32) -> f64 {
    let Ok(updates) = parse::updates_from_json(json) else {
        return f64::NAN;
    };
    let t0 = js_sys::Date::now();
    let mut keep = 0;
    for _ in 0..iterations.max(1) {
        keep += order::order(&updates).len();
    }
    let ms = js_sys::Date::now() - t0;
    if keep == 0 && !updates.is_empty() {
        return f64::NAN;
    }
    ms * 1000.0 / iterations.max(1) as f64
}

/// The SPEC §3 order of a JSON array of updates, as indices into it. Every update is
/// validated first; the error names `updates[i].Field`.
#[wasm_bindgen(js_name = sortOrder)]
pub fn sort_order(json: &str, make_error: &Function) -> Result<Vec<u32>, JsValue> {
    match parse::updates_from_json(json) {
        Ok(updates) => Ok(order::order(&updates)
            .into_iter()
            .map(|i| i as u32)
            .collect()),
        Err(e) => {
            let errors = Errors {
                make: make_error.clone(),
                last_cause: RefCell::new(JsValue::UNDEFINED),
                last: RefCell::new(None),
            };
            Err(errors.to_js(&e))
        }
    }
}
