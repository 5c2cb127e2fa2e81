//! The JavaScript face of the core: `WasmCore`, the sans-IO state machine as
//! JavaScript drives it (the package's `js/driver.ts`, the counterpart of the Rust
//! futures driver in `driver.rs`), and the pure `sortOrder`. All conversions between
//! Rust and JS values happen here; the TypeScript package in `js/` wraps this into the
//! public API.
//!
//! Plain updates cross as their Id, ParentId, Type, Action and byte length; others as
//! JSON text for the full reader. The updates' bytes stay on the JS side, which joins
//! them in the order the core gives at each send.

use std::cell::RefCell;

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use crate::ancestry::parse_known;
use crate::config::{Config, ConfigError, FlushPolicy};
use crate::error::{CheckpointError, ErrorCode, TransportError};
use crate::machine::{Ack, BatchInfo, Checkpointer, Event};
use crate::order::{self, Node};
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
    /// Errors made by the JS constructor `make`, with no failed call yet.
    fn new(make: Function) -> Self {
        Errors {
            make,
            last_cause: RefCell::new(JsValue::UNDEFINED),
            last: RefCell::new(None),
        }
    }

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

/// A configuration refusal, as its message: the JS side throws it as a `RangeError`
/// (making JS errors here would cost the module an import and a wrapper).
fn config_error(e: ConfigError) -> JsValue {
    JsValue::from_str(&e.message)
}

/// A finite, non-negative number, or none (NaN stands for "absent").
fn count(n: f64) -> Option<f64> {
    (n.is_finite() && n >= 0.0).then_some(n)
}

fn ids(v: &[u32]) -> JsValue {
    js_sys::Uint32Array::from(v).into()
}

/// An acknowledged batch's info as `[updates, bytes, attempts, latencyMs, operationIds]`
/// (the JS side names the fields).
fn batch_info(i: &BatchInfo) -> JsValue {
    let ids: Array = i
        .operation_ids
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect();
    Array::of5(
        &JsValue::from_f64(i.updates as f64),
        &JsValue::from_f64(i.bytes as f64),
        &JsValue::from_f64(i.attempts as f64),
        &JsValue::from_f64(i.latency_ms as f64),
        &ids,
    )
    .into()
}

/// Padding of event records (see `take_events`).
const U: JsValue = JsValue::UNDEFINED;

/// The sans-IO core as JavaScript drives it (`js/driver.ts`): inputs are method
/// calls with the time passed in, requests and outcomes come out by polling. Waiters
/// are small integers the JS side maps to its promises (0: nobody waits). All of the
/// core's decisions stay here; the JS side only carries requests and keeps time.
#[wasm_bindgen]
pub struct WasmCore {
    core: Checkpointer<u32>,
    errors: Errors,
    client_token: Function,
    /// Whether acknowledged batches report their info (an `onBatch` hook is set): its
    /// list of Ids costs a JS string per update.
    batch_info: bool,
}

#[wasm_bindgen]
impl WasmCore {
    /// Options arrive already type-checked by the TypeScript layer. `make_error(code,
    /// message, field, operationIds, cause)` builds a `CheckpointError`;
    /// `client_token()` makes a new unique ClientToken; `operations` is the
    /// invocation's initial state in the compact form of `parse_known`; `batch_info`
    /// asks for each acknowledged batch's info (for an `onBatch` hook).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        checkpoint_token: String,
        max_batch_size_bytes: f64,
        max_batch_operations: f64,
        max_batch_time_ms: f64,
        window: bool,
        make_error: Function,
        client_token: Function,
        operations: Option<String>,
        batch_info: bool,
    ) -> Result<WasmCore, JsValue> {
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
        let mut core = Checkpointer::new(config, checkpoint_token).map_err(config_error)?;
        if let Some(text) = operations {
            core.learn_operations(&parse_known(&text));
        }
        Ok(WasmCore {
            core,
            errors: Errors::new(make_error),
            client_token,
            batch_info,
        })
    }

    fn err(&self, e: &CheckpointError) -> JsValue {
        self.errors.to_js(e)
    }

    /// A plain update from its string fields and the indices of its Type and Action.
    fn plain(
        &self,
        id: String,
        parent_id: Option<String>,
        name: Option<String>,
        sub_type: Option<String>,
        type_code: u32,
        action_code: u32,
    ) -> Result<OperationUpdate, JsValue> {
        let (Some(&t), Some(&a)) = (
            OperationType::ALL.get(type_code as usize),
            OperationAction::ALL.get(action_code as usize),
        ) else {
            let e = CheckpointError::invalid("Type", "Type and Action must be known codes");
            return Err(self.err(&e));
        };
        let mut u = OperationUpdate::new(id, t, a);
        u.parent_id = parent_id;
        u.name = name;
        u.sub_type = sub_type;
        Ok(u)
    }

    /// Accepts a plain update (string fields only; the JS side has checked the shape):
    /// the core builds, validates and measures it. With `keep` the core keeps its
    /// canonical JSON for the body (a transport that takes bytes); otherwise the JS
    /// side keeps the object. Throws the refusal.
    #[wasm_bindgen(js_name = enqueuePlain)]
    #[allow(clippy::too_many_arguments)]
    pub fn enqueue_plain(
        &mut self,
        id: String,
        parent_id: Option<String>,
        name: Option<String>,
        sub_type: Option<String>,
        payload: Option<String>,
        type_code: u32,
        action_code: u32,
        keep: bool,
        waiter: u32,
        now: f64,
    ) -> Result<(), JsValue> {
        let mut u = self.plain(id, parent_id, name, sub_type, type_code, action_code)?;
        u.payload = payload;
        let w = (waiter != 0).then_some(waiter);
        let r = if keep {
            self.core.enqueue(u, w, now as u64)
        } else {
            self.core.enqueue_for_host(u, w, now as u64)
        };
        r.map_err(|e| self.err(&e))
    }

    /// `enqueuePlain` for an update with a large Payload the JS side has serialized
    /// (`JSON.stringify` is faster than copying it in and escaping it here):
    /// `payload_json` is the literal when the core keeps the bytes (`keep`), else
    /// undefined; `payload_json_len` its UTF-8 length, `payload_bytes` the Payload's.
    #[wasm_bindgen(js_name = enqueueLarge)]
    #[allow(clippy::too_many_arguments)]
    pub fn enqueue_large(
        &mut self,
        id: String,
        parent_id: Option<String>,
        name: Option<String>,
        sub_type: Option<String>,
        payload_json: Option<String>,
        payload_json_len: u32,
        payload_bytes: u32,
        type_code: u32,
        action_code: u32,
        waiter: u32,
        now: f64,
    ) -> Result<(), JsValue> {
        let u = self.plain(id, parent_id, name, sub_type, type_code, action_code)?;
        let w = (waiter != 0).then_some(waiter);
        self.core
            .enqueue_with_payload(
                u,
                payload_json,
                payload_json_len as usize,
                payload_bytes as usize,
                w,
                now as u64,
            )
            .map_err(|e| self.err(&e))
    }

    /// Accepts an update given as JSON text (the full reader, naming the offending
    /// field). With `keep`, the core keeps its canonical text for the body and answers
    /// ""; otherwise it answers the canonical text the JS side must send. Throws the
    /// refusal.
    #[wasm_bindgen(js_name = enqueueText)]
    pub fn enqueue_text(
        &mut self,
        json: &str,
        waiter: u32,
        now: f64,
        keep: bool,
    ) -> Result<String, JsValue> {
        let w = (waiter != 0).then_some(waiter);
        let r = if keep {
            self.core
                .enqueue_json(json, w, now as u64)
                .map(|()| String::new())
        } else {
            self.core.enqueue_json_for_host(json, w, now as u64)
        };
        r.map_err(|e| self.err(&e))
    }

    /// A poll (SPEC §13); throws after `close()` or the latch.
    pub fn poll(&mut self, waiter: u32, now: f64) -> Result<(), JsValue> {
        self.core.poll(waiter, now as u64).map_err(|e| self.err(&e))
    }

    /// Everything queued goes now; `waiter` is answered once it is acknowledged.
    pub fn flush(&mut self, waiter: u32) {
        self.core.flush(waiter);
    }

    /// `flush`, then refuse every later update.
    pub fn close(&mut self, waiter: u32) {
        self.core.close(waiter);
    }

    /// Closes the ancestor gate under the CONTEXT `id` (SPEC §12).
    #[wasm_bindgen(js_name = finishContext)]
    pub fn finish_context(&mut self, id: &str) -> Result<(), JsValue> {
        self.core.finish_context(id).map_err(|e| self.err(&e))
    }

    /// The queue stayed empty for one event-loop turn (idle policy).
    pub fn idle(&mut self) {
        self.core.idle();
    }

    /// Sequence number of the newest input: a change restarts the quiet-turn wait.
    #[wasm_bindgen(js_name = lastSeq)]
    pub fn last_seq(&self) -> f64 {
        self.core.last_seq() as f64
    }

    /// When the core next needs waking without other input (NaN: never).
    #[wasm_bindgen(js_name = nextTimeout)]
    pub fn next_timeout(&self) -> f64 {
        self.core.next_timeout().map_or(f64::NAN, |t| t as f64)
    }

    /// True while a throttled batch waits to be re-sent.
    #[wasm_bindgen(js_name = backingOff)]
    pub fn backing_off(&self) -> bool {
        self.core.backing_off()
    }

    /// True once nothing more can happen.
    #[wasm_bindgen(js_name = isFinished)]
    pub fn is_finished(&self) -> bool {
        self.core.is_finished()
    }

    /// The next request, if one is due: `[batch, attempt, order, checkpointToken,
    /// clientToken, body]`. `body` is the request body when the core kept every
    /// update's text, else empty: the JS side joins the first `order.length` updates
    /// it keeps, in `order`.
    #[wasm_bindgen(js_name = pollTransmit)]
    pub fn poll_transmit(&mut self, now: f64) -> JsValue {
        let f = &self.client_token;
        let mut make = || {
            f.call0(&JsValue::NULL)
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        match self.core.poll_transmit(now as u64, &mut make) {
            None => JsValue::UNDEFINED,
            Some(t) => {
                let a = Array::of5(
                    &JsValue::from_f64(t.batch as f64),
                    &JsValue::from_f64(t.attempt as f64),
                    &js_sys::Uint32Array::from(&t.order[..]).into(),
                    &JsValue::from_str(&t.checkpoint_token),
                    &JsValue::from_str(&t.client_token),
                );
                a.push(&JsValue::from_str(&t.body));
                a.into()
            }
        }
    }

    /// The service acknowledged `batch`: the next token (absent or empty ends
    /// checkpointing) and its operations in the compact form of `parse_known`.
    #[wasm_bindgen(js_name = onAck)]
    pub fn on_ack(&mut self, batch: f64, token: Option<String>, known: &str, now: f64) {
        let ack = Ack {
            checkpoint_token: token,
            operations: parse_known(known),
        };
        self.core.on_response(batch as u64, Ok(ack), now as u64);
    }

    /// The call for `batch` failed, as the JS side describes it: HTTP status and
    /// Retry-After (NaN when absent), error name, message, and the original error (the
    /// `cause` of the outcome).
    #[wasm_bindgen(js_name = onFailure)]
    #[allow(clippy::too_many_arguments)]
    pub fn on_failure(
        &mut self,
        batch: f64,
        status: f64,
        name: Option<String>,
        message: String,
        retry_after_ms: f64,
        cause: JsValue,
        now: f64,
    ) {
        *self.errors.last_cause.borrow_mut() = cause;
        let e = TransportError {
            status: count(status).map(|n| n.min(u16::MAX as f64) as u16),
            name: name.filter(|s| !s.is_empty()),
            message,
            retry_after_ms: count(retry_after_ms).map(|n| n.ceil() as u64),
        };
        self.core.on_response(batch as u64, Err(e), now as u64);
    }

    /// The outcomes since the last call, as records: `[0, waiters, polls, info]`
    /// (acknowledged), `[1, waiters, error]` (failed), `[2, waiter, error?]` (a flush or
    /// close finished), `[3, error]` (latched), each padded to five slots (one array
    /// constructor, one import). Undefined when there are none.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> JsValue {
        let mut out: Option<Array> = None;
        while let Some(ev) = self.core.poll_event() {
            let rec = match ev {
                Event::Acked {
                    waiters,
                    polls,
                    info,
                } => {
                    let info = if self.batch_info {
                        batch_info(&info)
                    } else {
                        JsValue::UNDEFINED
                    };
                    Array::of5(&0.into(), &ids(&waiters), &ids(&polls), &info, &U)
                }
                Event::Failed { waiters, error } => {
                    Array::of5(&1.into(), &ids(&waiters), &self.err(&error), &U, &U)
                }
                Event::Flushed { waiter, result } => Array::of5(
                    &2.into(),
                    &JsValue::from_f64(waiter as f64),
                    &result.err().map_or(JsValue::UNDEFINED, |e| self.err(&e)),
                    &U,
                    &U,
                ),
                Event::Latched(error) => Array::of5(&3.into(), &self.err(&error), &U, &U, &U),
            };
            out.get_or_insert_with(Array::new).push(&rec);
        }
        out.map_or(JsValue::UNDEFINED, JsValue::from)
    }

    /// The token the next call will use (undefined once checkpointing has ended).
    #[wasm_bindgen(getter, js_name = checkpointToken)]
    pub fn checkpoint_token(&self) -> Option<String> {
        self.core.checkpoint_token().map(str::to_string)
    }

    /// `[apiCalls, updatesSent, bytesSent, retries]`.
    pub fn stats(&self) -> Vec<f64> {
        let s = self.core.stats();
        vec![
            s.api_calls as f64,
            s.updates_sent as f64,
            s.bytes_sent as f64,
            s.retries as f64,
        ]
    }
}

/// Benchmark hook: orders an already-parsed batch `iterations` times, as the batcher
/// does at each send, and returns how many updates it placed in all (the caller times
/// the call; NaN when the text is not a batch).
#[wasm_bindgen(js_name = benchOrder)]
pub fn bench_order(json: &str, iterations: u32) -> f64 {
    let Ok(updates) = parse::updates_from_json(json) else {
        return f64::NAN;
    };
    let mut placed = 0;
    for _ in 0..iterations {
        placed += order::order(&updates).len();
    }
    placed as f64
}

/// The SPEC §3 order of plain updates whose Ids the JS side numbered (the fast path of
/// `sortUpdates`), or an empty order to decline. The `count` distinct Ids are nodes
/// `0..count` (distinct nodes name distinct Ids); `items` holds three numbers per
/// update: its Id's node, its ParentId's node + 1 (0 for none), and `8 × TypeCode +
/// ActionCode` (codes index the API's lists). The JS side vouches that every field is
/// plainly within the API's limits, the Ids in its format (the same rule as
/// `validate::is_id`, held to it by a test); it sends anything else to the full reader,
/// which refuses the update with the error naming its field. Numbers out of range, or an
/// update that is its own parent, are declined the same way.
#[wasm_bindgen(js_name = sortOrderNodes)]
pub fn sort_order_nodes(count: u32, items: &[u32]) -> Vec<u32> {
    let declined = Vec::new;
    let m = count as usize;
    // n updates name at most 2n distinct Ids: a larger count would only size buffers.
    if items.len() % 3 != 0 || m > 2 * (items.len() / 3) {
        return declined();
    }
    let mut nodes = Vec::with_capacity(items.len() / 3);
    for f in items.chunks_exact(3) {
        let (x, p, code) = (f[0] as usize, f[1] as usize, f[2] as usize);
        let parent = p.checked_sub(1);
        let (Some(&t), Some(&a)) = (
            OperationType::ALL.get(code / 8),
            OperationAction::ALL.get(code % 8),
        ) else {
            return declined();
        };
        // Out of range, or its own parent.
        if x >= m || parent.is_some_and(|p| p >= m || p == x) {
            return declined();
        }
        nodes.push(Node::new(x, parent, t, a));
    }
    order::order_nodes(&nodes, m)
        .into_iter()
        .map(|i| i as u32)
        .collect()
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
        Err(e) => Err(Errors::new(make_error.clone()).to_js(&e)),
    }
}
