//! Property tests (native only: proptest needs OS randomness). 1000 cases each.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use common::reference;
use common::sim::Sim;
use durable_checkpoint::driver::{Batcher, Options};
use durable_checkpoint::sim::{Reply, ScriptedTransport};
use durable_checkpoint::{
    order, Ack, CheckpointError, Checkpointer, Config, FlushPolicy, OperationAction, OperationType,
    OperationUpdate, Transmit, TransportError,
};
use futures::FutureExt;
use proptest::prelude::*;
use serde::Serialize;

fn cfg() -> ProptestConfig {
    ProptestConfig::with_cases(1000)
}

const TYPES: [OperationType; 6] = OperationType::ALL;
const ACTIONS: [OperationAction; 5] = OperationAction::ALL;

/// A batch of up to 250 updates inside a random CONTEXT tree of depth <= 8, in a
/// random enqueue order.
fn nested_batch() -> impl Strategy<Value = Vec<OperationUpdate>> {
    (1usize..=30, 0usize..=250)
        .prop_flat_map(|(contexts, n)| {
            (
                // Each context's parent: none, or an earlier context (depth checked below).
                prop::collection::vec(any::<prop::sample::Index>(), contexts),
                prop::collection::vec(
                    (0usize..6, 0usize..5, any::<prop::sample::Index>(), 0u8..4),
                    n,
                ),
                Just(contexts),
            )
        })
        .prop_map(|(parents, specs, contexts)| {
            let mut depth = vec![0usize; contexts];
            let mut parent: Vec<Option<usize>> = vec![None; contexts];
            for c in 1..contexts {
                let p = parents[c].index(c + 1);
                if p < c && depth[p] < 7 {
                    parent[c] = Some(p);
                    depth[c] = depth[p] + 1;
                }
            }
            let mut us = Vec::new();
            // Every context gets a START; some also complete.
            for (c, p) in parent.iter().enumerate() {
                let mut u = OperationUpdate::start(format!("ctx{c}"), OperationType::Context);
                u.parent_id = p.map(|p| format!("ctx{p}"));
                us.push(u);
            }
            for (k, (t, a, p, kind)) in specs.into_iter().enumerate() {
                let t = TYPES[t];
                let a = ACTIONS[a];
                let host = p.index(contexts + 1);
                let parent = (host < contexts).then(|| format!("ctx{host}"));
                let id = match kind {
                    // A completion of a context.
                    0 if host < contexts => format!("ctx{host}"),
                    // An operation that may appear with several actions.
                    1 => format!("op{}", k % 7),
                    _ => format!("op{k}"),
                };
                let mut u = OperationUpdate::new(id.clone(), t, a);
                if id.starts_with("ctx") {
                    // A context's own completion keeps the context's parent.
                    u.operation_type = OperationType::Context;
                    u.parent_id = parent_of(host, &us);
                } else if t != OperationType::Execution {
                    u.parent_id = parent;
                }
                us.push(u);
            }
            us
        })
        .prop_shuffle()
}

fn parent_of(c: usize, us: &[OperationUpdate]) -> Option<String> {
    us.iter()
        .find(|u| u.id == format!("ctx{c}"))
        .and_then(|u| u.parent_id.clone())
}

/// Updates whose Ids and ParentIds come from a small pool: duplicates, self-parents
/// and cycles of every length.
fn arbitrary_graph() -> impl Strategy<Value = Vec<OperationUpdate>> {
    prop::collection::vec(
        (
            0usize..12,
            prop::option::of(0usize..12),
            0usize..6,
            0usize..5,
        ),
        0..80,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(id, p, t, a)| {
                let mut u = OperationUpdate::new(format!("n{id}"), TYPES[t], ACTIONS[a]);
                u.parent_id = p.map(|p| format!("n{p}"));
                u
            })
            .collect()
    })
}

fn check_rules(us: &[OperationUpdate], perm: &[usize]) -> Result<(), TestCaseError> {
    let mut seen = perm.to_vec();
    seen.sort_unstable();
    prop_assert_eq!(seen, (0..us.len()).collect::<Vec<_>>(), "a permutation");
    let at: HashMap<usize, usize> = perm.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    for (i, u) in us.iter().enumerate() {
        if u.is_execution_completion() {
            prop_assert!(
                us.iter()
                    .enumerate()
                    .all(|(j, v)| v.is_execution_completion() || at[&j] < at[&i]),
                "rule 1"
            );
        }
        for (j, v) in us.iter().enumerate() {
            if v.is_context_start() && i != j && reference::chain(us, i).contains(&v.id) {
                prop_assert!(at[&j] < at[&i], "rule 2: {} before {}", v.id, u.id);
            }
            if v.id == u.id
                && v.action == OperationAction::Start
                && u.action != OperationAction::Start
            {
                prop_assert!(at[&j] < at[&i], "rule 3: {}", u.id);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn nested_batches_obey_the_rules_and_match_the_reference(us in nested_batch()) {
        let perm = order(&us);
        check_rules(&us, &perm)?;
        prop_assert_eq!(perm, reference::order(&us));
    }

    #[test]
    fn a_batch_already_in_order_keeps_it(us in nested_batch()) {
        // The order's own output satisfies every rule, so it is its own order: this
        // takes the check that spares the walk on its positive side.
        let sorted: Vec<OperationUpdate> = reference::order(&us).into_iter().map(|i| us[i].clone()).collect();
        prop_assert_eq!(order(&sorted), (0..sorted.len()).collect::<Vec<_>>());
    }

    #[test]
    fn reordered_graphs_still_match_the_reference(us in arbitrary_graph()) {
        let sorted: Vec<OperationUpdate> = order(&us).into_iter().map(|i| us[i].clone()).collect();
        prop_assert_eq!(order(&sorted), reference::order(&sorted));
    }

    #[test]
    fn arbitrary_parent_graphs_terminate_and_keep_everything(us in arbitrary_graph()) {
        let perm = order(&us);
        let mut seen = perm.clone();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..us.len()).collect::<Vec<_>>());
        prop_assert_eq!(perm, reference::order(&us));
    }
}

/// The body as serde would write it: the core's concatenation must equal it exactly.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Body<'a> {
    checkpoint_token: &'a str,
    updates: Vec<&'a OperationUpdate>,
    client_token: &'a str,
}

fn sized_updates() -> impl Strategy<Value = Vec<OperationUpdate>> {
    prop::collection::vec(
        (
            0usize..400,
            "[a-zA-Z0-9_-]{1,64}",
            any::<bool>(),
            "\\PC{0,8}",
        ),
        1..60,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(k, (size, id, named, name))| {
                let mut u = OperationUpdate::succeed(
                    format!("{k}-{id}").chars().take(64).collect::<String>(),
                    OperationType::Step,
                    Some("é\"\\\n".repeat(size / 4)),
                );
                if named && !name.is_empty() {
                    u.name = Some(name);
                }
                u
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn batches_respect_limits_and_account_bytes_exactly(
        us in sized_updates(),
        max_ops in 1usize..20,
        max_bytes in 150usize..6000,
        window in any::<bool>(),
        token_len in 1usize..300,
    ) {
        let config = Config {
            max_batch_operations: max_ops,
            max_batch_size_bytes: max_bytes,
            flush: if window { FlushPolicy::Window } else { FlushPolicy::Idle },
            ..Config::default()
        };
        let mut core: Checkpointer<()> = Checkpointer::new(config, "t".repeat(token_len)).unwrap();
        let by_id: HashMap<String, OperationUpdate> = us.iter().map(|u| (u.id.clone(), u.clone())).collect();
        for u in &us {
            core.enqueue(u.clone(), None, 0).unwrap();
        }
        let mut sent: Vec<String> = Vec::new();
        let mut n = 0;
        let mut clock = 0;
        while core.has_pending() {
            clock += 1000;
            let t: Transmit = core.poll_transmit(clock, &mut || { n += 1; format!("client-{n}") }).expect("due by the deadline");
            let ids: Vec<String> = serde_json::from_str::<serde_json::Value>(&t.body).unwrap()["Updates"]
                .as_array().unwrap().iter().map(|u| u["Id"].as_str().unwrap().to_string()).collect();
            prop_assert!(ids.len() <= max_ops);
            prop_assert!(t.body.len() <= max_bytes || ids.len() == 1, "{} bytes in {} updates", t.body.len(), ids.len());
            let expected = serde_json::to_string(&Body {
                checkpoint_token: &t.checkpoint_token,
                updates: ids.iter().map(|i| &by_id[i]).collect(),
                client_token: &t.client_token,
            }).unwrap();
            prop_assert_eq!(&*t.body, expected.as_str());
            let before = core.stats().bytes_sent;
            core.on_response(t.batch, Ok(Ack::token(Some(&format!("tok{n}")))), clock);
            prop_assert_eq!(core.stats().bytes_sent - before, t.body.len() as u64, "accounted = sent");
            sent.extend(ids);
        }
        // Every update sent once, batches cut in enqueue order.
        prop_assert_eq!(sent, us.iter().map(|u| u.id.clone()).collect::<Vec<_>>());
    }
}

#[derive(Debug, Clone)]
enum Fault {
    Ok,
    NoToken,
    Throttle(Option<u64>),
    ServerError,
    InvalidToken,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        6 => Just(Fault::Ok),
        1 => Just(Fault::NoToken),
        3 => prop::option::of(0u64..3000).prop_map(Fault::Throttle),
        1 => Just(Fault::ServerError),
        1 => Just(Fault::InvalidToken),
    ]
}

#[derive(Debug, Clone)]
struct Step {
    at: u64,
    awaited: bool,
    flush: bool,
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn random_faults_settle_everything_once_and_never_reuse_a_token(
        steps in prop::collection::vec((0u64..50, any::<bool>(), prop::bool::weighted(0.1)).prop_map(|(at, awaited, flush)| Step { at, awaited, flush }), 1..40),
        faults in prop::collection::vec(fault(), 0..40),
        latency in 0u64..20,
        max_ops in 1usize..8,
    ) {
        let mut sim = Sim::new();
        // Each call's reply, decided from the fault script (then plain success).
        let replies: Rc<RefCell<Vec<(usize, bool)>>> = Rc::default();
        let (log, mut script, mut n) = (replies.clone(), faults.into_iter(), 0usize);
        let transport = ScriptedTransport::new(sim.clock.clone(), move |_| {
            n += 1;
            let f = script.next().unwrap_or(Fault::Ok);
            let e = |status, name: &str, message: &str, retry_after_ms| Reply::err(latency, TransportError { status: Some(status), name: Some(name.into()), message: message.into(), retry_after_ms });
            let reply = match f {
                Fault::Ok => Reply::ok(latency, Some(&format!("tok{n}"))),
                Fault::NoToken => Reply::ok(latency, None),
                Fault::Throttle(ra) => e(429, "TooManyRequestsException", "Rate exceeded", ra),
                Fault::ServerError => e(500, "ServiceException", "boom", None),
                Fault::InvalidToken => e(400, "InvalidParameterValueException", "invalid checkpoint token", None),
            };
            log.borrow_mut().push((n, reply.result.is_ok()));
            reply
        });
        let latches = Rc::new(RefCell::new(0));
        let l2 = latches.clone();
        let (batcher, task) = Batcher::new(
            Options {
                operations: Vec::new(),
                durable_execution_arn: "arn".into(),
                checkpoint_token: "tok0".into(),
                config: Config { max_batch_operations: max_ops, ..Config::default() },
                client_tokens: Box::new({ let mut k = 0; move || { k += 1; format!("ct{k}") } }),
                on_batch: None,
                on_error: Some(Box::new(move |_| *l2.borrow_mut() += 1)),
            },
            transport.clone(),
            sim.clock.clone(),
        ).unwrap();
        sim.spawn(task);

        type Slot = Rc<RefCell<Vec<Result<(), CheckpointError>>>>;
        let mut awaited: Vec<(String, Slot)> = Vec::new();
        let mut accepted: Vec<String> = Vec::new();
        let mut flushes: Vec<Slot> = Vec::new();
        let watch = |sim: &Sim, f: futures::future::LocalBoxFuture<'static, Result<(), CheckpointError>>| {
            let slot: Slot = Rc::default();
            let s = slot.clone();
            sim.spawn(f.map(move |r| s.borrow_mut().push(r)));
            slot
        };
        let mut sorted = steps.clone();
        sorted.sort_by_key(|s| s.at);
        for (k, s) in sorted.iter().enumerate() {
            sim.run_until(s.at);
            let id = format!("op{k}");
            let u = OperationUpdate::start(id.clone(), OperationType::Step);
            if s.awaited {
                awaited.push((id.clone(), watch(&sim, batcher.checkpoint(u).boxed_local())));
                accepted.push(id);
            } else if batcher.checkpoint_async(u).is_ok() {
                accepted.push(id);
            }
            if s.flush {
                flushes.push(watch(&sim, batcher.flush().boxed_local()));
            }
        }
        let closed = watch(&sim, batcher.close().boxed_local());
        sim.run_to_quiet(10_000_000);

        let calls = transport.calls();
        let replies = replies.borrow();
        prop_assert_eq!(calls.len(), replies.len());
        // Acknowledged calls: tokens chain and none is used twice.
        let mut token = "tok0".to_string();
        let mut used = HashSet::new();
        let mut acked_ids: Vec<String> = Vec::new();
        let mut last_failed_at = None;
        for (k, (c, (n, ok))) in calls.iter().zip(replies.iter()).enumerate() {
            prop_assert!(last_failed_at.is_none(), "call {} sent after the latch", k);
            prop_assert_eq!(&c.transmit.checkpoint_token, &token, "call {} uses the chained token", k);
            prop_assert!(!token.is_empty());
            let body: serde_json::Value = serde_json::from_str(&c.transmit.body).unwrap();
            let ids: Vec<String> = body["Updates"].as_array().unwrap().iter().map(|u| u["Id"].as_str().unwrap().to_string()).collect();
            if *ok {
                prop_assert!(used.insert(token.clone()), "token {} acknowledged twice", token);
                acked_ids.extend(ids);
                token = format!("tok{n}");
            } else if c.transmit.attempt == 6 || !is_throttle(&calls, k, &replies) {
                last_failed_at = Some(k);
            }
        }
        let unique: HashSet<&String> = acked_ids.iter().collect();
        prop_assert_eq!(unique.len(), acked_ids.len(), "no update acknowledged twice");
        // Every awaited checkpoint settled exactly once, Ok exactly when acknowledged.
        for (id, slot) in &awaited {
            let got = slot.borrow();
            prop_assert_eq!(got.len(), 1, "{} settled once", id);
            prop_assert_eq!(got[0].is_ok(), acked_ids.contains(id), "{}: {:?}", id, got[0]);
        }
        for f in &flushes {
            prop_assert_eq!(f.borrow().len(), 1);
        }
        let closed = closed.borrow();
        prop_assert_eq!(closed.len(), 1);
        // Nothing lost: close succeeds only if every accepted update was acknowledged.
        let all_acked = accepted.iter().all(|id| acked_ids.contains(id));
        if closed[0].is_ok() {
            prop_assert!(all_acked, "close resolved with updates unacknowledged");
        } else {
            prop_assert_eq!(*latches.borrow(), 1, "the hook saw the latch once");
        }
    }
}

/// True when call `k` failed with a throttle that was (or could be) retried.
fn is_throttle(
    calls: &[durable_checkpoint::sim::Call],
    k: usize,
    replies: &[(usize, bool)],
) -> bool {
    // A failed attempt followed by another attempt of the same batch was a throttle.
    calls
        .get(k + 1)
        .is_some_and(|next| next.transmit.batch == calls[k].transmit.batch)
        && !replies[k].1
}

/// Update-like JSON with valid, wrong-typed, null, unknown and out-of-range members.
fn update_like() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let scalar = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-5i64..40_000_000).prop_map(Value::from),
        (-5.0f64..5.0).prop_map(Value::from),
        "[a-zA-Z0-9_ -]{0,70}".prop_map(Value::from),
    ];
    let id = prop_oneof![3 => "[a-zA-Z0-9_-]{1,8}".prop_map(Value::from), 1 => scalar.clone()];
    let ty = prop_oneof![3 => prop::sample::select(vec!["STEP", "CONTEXT", "WAIT", "CALLBACK", "CHAINED_INVOKE", "EXECUTION", "INVOKE"]).prop_map(Value::from), 1 => scalar.clone()];
    let action = prop_oneof![3 => prop::sample::select(vec!["START", "SUCCEED", "FAIL", "RETRY", "CANCEL", "start"]).prop_map(Value::from), 1 => scalar.clone()];
    let options = prop::collection::btree_map(
        prop::sample::select(vec![
            "WaitSeconds",
            "NextAttemptDelaySeconds",
            "TimeoutSeconds",
            "FunctionName",
            "ReplayChildren",
            "StackTrace",
            "ErrorType",
            "Bogus",
        ]),
        prop_oneof![
            scalar.clone(),
            prop::collection::vec(scalar.clone(), 0..3).prop_map(Value::from)
        ],
        0..3,
    )
    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    (
        id.clone(),
        prop::option::of(id),
        ty,
        action,
        prop::option::of(scalar.clone()),
        prop::option::of((
            prop::sample::select(vec![
                "Error",
                "WaitOptions",
                "StepOptions",
                "CallbackOptions",
                "ChainedInvokeOptions",
                "ContextOptions",
                "Extra",
            ]),
            options,
        )),
    )
        .prop_map(|(id, parent, ty, action, name, opt)| {
            let mut o = json!({ "Id": id, "Type": ty, "Action": action });
            if let Some(p) = parent {
                o["ParentId"] = p;
            }
            if let Some(n) = name {
                o["Name"] = n;
            }
            if let Some((k, v)) = opt {
                o[k] = v;
            }
            o
        })
}

proptest! {
    #![proptest_config(cfg())]

    /// The hand-written JSON reader agrees with serde's typed reader wherever serde
    /// accepts the text, and the hand-written writer with serde's writer.
    #[test]
    fn json_reader_and_writer_agree_with_serde(v in update_like()) {
        let text = serde_json::to_string(&v).unwrap();
        let ours = durable_checkpoint::parse::update_from_json(&text);
        if let Ok(typed) = serde_json::from_str::<durable_checkpoint::OperationUpdate>(&text) {
            let checked = durable_checkpoint::validate::validate(&typed).map(|()| typed);
            match (&ours, &checked) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(a), Err(b)) => prop_assert_eq!(&a.field, &b.field, "{} vs {}", a, b),
                _ => prop_assert!(false, "{}: ours {:?} serde {:?}", text, ours, checked),
            }
        }
        if let Ok(u) = &ours {
            prop_assert_eq!(
                durable_checkpoint::body::update_json(u),
                serde_json::to_string(u).unwrap()
            );
            prop_assert_eq!(
                durable_checkpoint::body::update_len(u, &mut String::new()),
                durable_checkpoint::body::update_json(u).len()
            );
        }
    }
}

/// Any string, control characters, quotes, backslashes and non-ASCII included.
fn any_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('\u{7}'),
                Just('\n'),
                Just('é'),
                Just('a')
            ],
            0..12
        )
        .prop_map(|v| v.into_iter().collect()),
    ])
}

proptest! {
    #![proptest_config(cfg())]

    /// The length of a plain update counted without writing it (the object transport's
    /// path) is the length of the JSON written, whatever its strings hold.
    #[test]
    fn counted_length_is_written_length(
        id in "[a-zA-Z0-9_-]{1,64}",
        parent in prop::option::of("[a-zA-Z0-9_-]{1,64}"),
        name in any_text(),
        sub_type in any_text(),
        payload in any_text(),
        t in 0..TYPES.len(),
        a in 0..ACTIONS.len(),
    ) {
        let mut u = OperationUpdate::new(id, TYPES[t], ACTIONS[a]);
        u.parent_id = parent;
        u.name = name;
        u.sub_type = sub_type;
        u.payload = payload;
        prop_assert_eq!(
            durable_checkpoint::body::update_len(&u, &mut String::new()),
            durable_checkpoint::body::update_json(&u).len()
        );
    }
}
