//! Shared test vectors (`tests/vectors/*.json`): scripted enqueues, flushes and
//! closes on a clock, scripted transport replies, and the exact calls and outcomes
//! expected. Replayed here natively and as WebAssembly (`wasm-pack test --node`), and by
//! `tests/js/vectors.test.mjs` through the npm package: one expectation, three runs.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use common::sim::Sim;
use durable_checkpoint::driver::{Batcher, Options};
use durable_checkpoint::sim::{Reply, ScriptedTransport};
use durable_checkpoint::{CheckpointError, Config, FlushPolicy, KnownOperation, TransportError};
use futures::FutureExt;
use serde_json::{json, Map, Value};

const FILES: [(&str, &str); 10] = [
    ("ordering", include_str!("vectors/ordering.json")),
    ("batching", include_str!("vectors/batching.json")),
    ("policy", include_str!("vectors/policy.json")),
    ("token", include_str!("vectors/token.json")),
    ("throttle", include_str!("vectors/throttle.json")),
    ("errors", include_str!("vectors/errors.json")),
    ("latch", include_str!("vectors/latch.json")),
    ("validation", include_str!("vectors/validation.json")),
    ("gate", include_str!("vectors/gate.json")),
    ("poll", include_str!("vectors/poll.json")),
];

/// Operations as vectors state them: `{Id, ParentId?, Type, Status}`.
fn operations(v: Option<&Value>) -> Vec<KnownOperation> {
    let s = |o: &Value, k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|o| {
            KnownOperation::new(
                &s(o, "Id").unwrap_or_default(),
                s(o, "ParentId").as_deref(),
                &s(o, "Type").unwrap_or_default(),
                &s(o, "Status").unwrap_or_default(),
            )
        })
        .collect()
}

fn config(v: &Value) -> Config {
    let d = Config::default();
    let n = |k: &str, dflt: u64| v.get(k).and_then(Value::as_u64).unwrap_or(dflt);
    Config {
        max_batch_operations: n("maxBatchOperations", d.max_batch_operations as u64) as usize,
        max_batch_size_bytes: n("maxBatchSizeBytes", d.max_batch_size_bytes as u64) as usize,
        max_batch_time_ms: n("maxBatchTimeMs", d.max_batch_time_ms),
        flush: if v.get("flush").and_then(Value::as_str) == Some("window") {
            FlushPolicy::Window
        } else {
            FlushPolicy::Idle
        },
    }
}

fn reply(v: &Value, n: usize) -> Reply {
    let latency = v.get("latencyMs").and_then(Value::as_u64).unwrap_or(0);
    match v.get("error") {
        Some(e) => Reply::err(
            latency,
            TransportError {
                status: e.get("status").and_then(Value::as_u64).map(|s| s as u16),
                name: e.get("name").and_then(Value::as_str).map(str::to_string),
                message: e
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                retry_after_ms: e.get("retryAfterMs").and_then(Value::as_u64),
            },
        ),
        None => match v.get("token") {
            Some(Value::Null) => Reply::ok(latency, None),
            Some(t) => Reply::ok(latency, t.as_str()),
            None => Reply::ok(latency, Some(&format!("t{n}"))),
        }
        .with_operations(operations(v.get("operations"))),
    }
}

/// Per label: how it ended ("ok" or an error code), the error's operation Ids, and
/// for polls the Ids of the operations they resolved with.
#[derive(Default)]
struct Record {
    outcomes: BTreeMap<String, Value>,
    error_ids: BTreeMap<String, Value>,
    polled: BTreeMap<String, Value>,
}

type Outcomes = Rc<RefCell<Record>>;

fn record<T>(o: &Outcomes, label: &str, r: &Result<T, CheckpointError>) {
    if label.is_empty() {
        return;
    }
    let mut o = o.borrow_mut();
    match r {
        Ok(_) => o.outcomes.insert(label.to_string(), json!("ok")),
        Err(e) => {
            o.error_ids
                .insert(label.to_string(), json!(e.operation_ids.clone()));
            o.outcomes.insert(label.to_string(), json!(e.code.as_str()))
        }
    };
}

fn to_map(m: &BTreeMap<String, Value>) -> Value {
    Value::Object(
        m.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Map<_, _>>(),
    )
}

/// Replays one vector and returns what happened, in the vectors' own shape.
fn replay(v: &Value) -> Value {
    let mut sim = Sim::new();
    let replies: Vec<Value> = v
        .get("replies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let default = v.get("defaultReply").cloned().unwrap_or(json!({}));
    let mut n = 0;
    let transport = ScriptedTransport::new(sim.clock.clone(), move |_| {
        n += 1;
        reply(replies.get(n - 1).unwrap_or(&default), n)
    });
    let errors = Rc::new(RefCell::new(Vec::new()));
    let e2 = errors.clone();
    let mut k = 0;
    let (batcher, task) = Batcher::new(
        Options {
            durable_execution_arn:
                "arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/x/y".into(),
            checkpoint_token: v
                .get("checkpointToken")
                .and_then(Value::as_str)
                .unwrap_or("tok0")
                .into(),
            config: config(v.get("config").unwrap_or(&json!({}))),
            client_tokens: Box::new(move || {
                k += 1;
                format!("ct-{k}")
            }),
            on_batch: None,
            on_error: Some(Box::new(move |e: &CheckpointError| {
                e2.borrow_mut().push(json!(e.code.as_str()))
            })),
            operations: operations(v.get("operations")),
        },
        transport.clone(),
        sim.clock.clone(),
    )
    .expect("vector config is valid");
    sim.spawn(task);
    let outcomes: Outcomes = Rc::default();
    let watch =
        |sim: &Sim,
         label: &str,
         f: futures::future::LocalBoxFuture<'static, Result<(), CheckpointError>>| {
            let (o, l) = (outcomes.clone(), label.to_string());
            sim.spawn(f.map(move |r| record(&o, &l, &r)));
        };
    let mut first = true;
    for step in v["steps"].as_array().expect("steps") {
        // Steps at the same time happen within one event-loop turn.
        let at = step.get("at").and_then(Value::as_u64).unwrap_or(0);
        if first || at > sim.clock.now() {
            sim.run_until(at);
            first = false;
        }
        let label = step.get("label").and_then(Value::as_str).unwrap_or("");
        let text = |u: &Value| serde_json::to_string(u).unwrap();
        if let Some(u) = step.get("checkpoint") {
            watch(&sim, label, batcher.checkpoint_json(&text(u)).boxed_local());
        } else if let Some(u) = step.get("checkpointAsync") {
            let r = batcher.checkpoint_async_json(&text(u));
            record(&outcomes, label, &r);
        } else if step.get("poll").is_some() {
            let (o, l) = (outcomes.clone(), label.to_string());
            sim.spawn(batcher.poll().map(move |r| {
                if let Ok(ops) = &r {
                    let ids: Vec<&str> = ops.iter().map(|op| op.id.as_str()).collect();
                    o.borrow_mut().polled.insert(l.clone(), json!(ids));
                }
                record(&o, &l, &r);
            }));
        } else if let Some(id) = step.get("finishContext") {
            let r = batcher.finish_context(id.as_str().unwrap_or_default());
            record(&outcomes, label, &r);
        } else if step.get("flush").is_some() {
            watch(&sim, label, batcher.flush().boxed_local());
        } else if step.get("close").is_some() {
            watch(&sim, label, batcher.close().boxed_local());
        } else {
            panic!("unknown step {step}");
        }
    }
    sim.run_to_quiet(1_000_000);
    let calls: Vec<Value> = transport
        .calls()
        .iter()
        .map(|c| {
            let body: Value = serde_json::from_str(&c.transmit.body).unwrap();
            let updates: Vec<Value> = body["Updates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| {
                    json!(format!(
                        "{}:{}",
                        u["Id"].as_str().unwrap(),
                        u["Action"].as_str().unwrap()
                    ))
                })
                .collect();
            json!({
                "at": c.at,
                "token": c.transmit.checkpoint_token,
                "clientToken": c.transmit.client_token,
                "attempt": c.transmit.attempt,
                "updates": updates,
                "bytes": c.transmit.body.len(),
            })
        })
        .collect();
    let s = batcher.stats();
    json!({
        "calls": calls,
        "outcomes": to_map(&outcomes.borrow().outcomes),
        "errorIds": to_map(&outcomes.borrow().error_ids),
        "polled": to_map(&outcomes.borrow().polled),
        "stats": {"apiCalls": s.api_calls, "updatesSent": s.updates_sent, "bytesSent": s.bytes_sent, "retries": s.retries},
        "checkpointToken": batcher.checkpoint_token(),
        "errors": errors.borrow().clone(),
    })
}

/// Compares what happened with what a vector expects: every call, field by field for
/// the fields the vector states; the stated counters; outcomes, final token and the
/// errors `onError` saw, exactly.
fn check(name: &str, expect: &Value, got: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let calls_e = expect["calls"].as_array().cloned().unwrap_or_default();
    let calls_g = got["calls"].as_array().cloned().unwrap_or_default();
    if calls_e.len() != calls_g.len() {
        bad.push(format!(
            "{name}: {} calls expected, {} made: {}",
            calls_e.len(),
            calls_g.len(),
            got["calls"]
        ));
    }
    for (i, (e, g)) in calls_e.iter().zip(&calls_g).enumerate() {
        for (k, ev) in e.as_object().unwrap() {
            if &g[k] != ev {
                bad.push(format!("{name}: call {i} {k}: expected {ev}, got {}", g[k]));
            }
        }
    }
    // Stats: the counters the vector states.
    for (k, ev) in expect
        .get("stats")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if &got["stats"][k] != ev {
            bad.push(format!(
                "{name}: stats.{k}: expected {ev}, got {}",
                got["stats"][k]
            ));
        }
    }
    // errorIds and polled: the labels the vector states.
    for k in ["errorIds", "polled"] {
        for (label, ev) in expect
            .get(k)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if &got[k][label] != ev {
                bad.push(format!(
                    "{name}: {k}.{label}: expected {ev}, got {}",
                    got[k][label]
                ));
            }
        }
    }
    for k in ["outcomes", "checkpointToken", "errors"] {
        if let Some(ev) = expect.get(k) {
            if &got[k] != ev {
                bad.push(format!("{name}: {k}: expected {ev}, got {}", got[k]));
            }
        }
    }
    bad
}

#[test]
fn every_vector_replays_exactly() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, text) in FILES {
        let vectors: Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}.json: {e}"));
        for v in vectors.as_array().expect("an array of vectors") {
            count += 1;
            let name = format!("{file}/{}", v["name"].as_str().expect("name"));
            failures.extend(check(&name, &v["expect"], &replay(v)));
        }
    }
    assert!(count >= 50, "only {count} vectors");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
