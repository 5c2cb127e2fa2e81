//! The futures driver on virtual time (SPEC §4-§8): throttle schedule, Retry-After,
//! flush policies, token chain, latch, fire-and-forget failures, hooks.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::cell::RefCell;
use std::rc::Rc;

use common::sim::Sim;
use common::*;
use durable_checkpoint::driver::{Batcher, Options};
use durable_checkpoint::sim::{Call, Reply, ScriptedTransport};
use durable_checkpoint::KnownOperation;
use durable_checkpoint::OperationType::{Execution, Step};
use durable_checkpoint::{
    BatchInfo, CheckpointError, Config, ErrorCode, FlushPolicy, OperationAction, OperationType,
    OperationUpdate, Scope, TransportError,
};
use futures::FutureExt;

type Outcome = Rc<RefCell<Option<Result<(), CheckpointError>>>>;

struct Rig {
    sim: Sim,
    batcher: Batcher<Vec<KnownOperation>>,
    transport: ScriptedTransport,
    batches: Rc<RefCell<Vec<BatchInfo>>>,
    errors: Rc<RefCell<Vec<CheckpointError>>>,
}

fn rig(config: Config, responder: impl FnMut(&Call) -> Reply + 'static) -> Rig {
    let sim = Sim::new();
    let transport = ScriptedTransport::new(sim.clock.clone(), responder);
    let batches = Rc::new(RefCell::new(Vec::new()));
    let errors = Rc::new(RefCell::new(Vec::new()));
    let (b, e) = (batches.clone(), errors.clone());
    let mut n = 0;
    let (batcher, task) = Batcher::new(
        Options {
            operations: Vec::new(),
            durable_execution_arn:
                "arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/x/y".into(),
            checkpoint_token: "tok-0".into(),
            config,
            client_tokens: Box::new(move || {
                n += 1;
                format!("ct-{n}")
            }),
            on_batch: Some(Box::new(move |i: &BatchInfo| {
                b.borrow_mut().push(i.clone())
            })),
            on_error: Some(Box::new(move |x: &CheckpointError| {
                e.borrow_mut().push(x.clone())
            })),
        },
        transport.clone(),
        sim.clock.clone(),
    )
    .unwrap();
    sim.spawn(task);
    Rig {
        sim,
        batcher,
        transport,
        batches,
        errors,
    }
}

fn chaining(latency: u64) -> impl FnMut(&Call) -> Reply {
    let mut n = 0;
    move |_| {
        n += 1;
        Reply::ok(latency, Some(&format!("t{n}")))
    }
}

/// Spawns a future and returns a slot that holds its outcome once it settles.
fn watch(
    sim: &Sim,
    f: impl std::future::Future<Output = Result<(), CheckpointError>> + 'static,
) -> Outcome {
    let slot: Outcome = Rc::default();
    let s = slot.clone();
    sim.spawn(f.map(move |r| *s.borrow_mut() = Some(r)));
    slot
}

fn throttle(retry_after_ms: Option<u64>) -> TransportError {
    TransportError {
        status: Some(429),
        name: Some("TooManyRequestsException".into()),
        message: "Rate exceeded".into(),
        retry_after_ms,
    }
}

fn step(i: usize) -> OperationUpdate {
    start(&format!("op-{i}"), Step)
}

fn call_times(t: &ScriptedTransport) -> Vec<u64> {
    t.calls().iter().map(|c| c.at).collect()
}

#[test]
fn throttle_schedule_then_success() {
    let mut n = 0;
    let mut r = rig(Config::default(), move |_| {
        n += 1;
        if n <= 5 {
            Reply::err(0, throttle(None))
        } else {
            Reply::ok(0, Some("t1"))
        }
    });
    let done = watch(&r.sim, r.batcher.checkpoint(step(0)));
    r.sim.run_to_quiet(60_000);
    assert_eq!(call_times(&r.transport), [0, 100, 300, 700, 1500, 3100]);
    assert_eq!(*done.borrow(), Some(Ok(())));
    let calls = r.transport.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.transmit.body == calls[0].transmit.body),
        "same request every attempt"
    );
    assert!(calls.iter().all(|c| c.transmit.client_token == "ct-1"));
    let s = r.batcher.stats();
    assert_eq!((s.api_calls, s.retries, s.updates_sent), (1, 5, 1));
    assert_eq!(r.batches.borrow()[0].attempts, 6);
}

#[test]
fn six_throttles_fail_with_throttled() {
    let mut r = rig(Config::default(), |_| Reply::err(5, throttle(None)));
    let done = watch(&r.sim, r.batcher.checkpoint(step(0)));
    r.sim.run_to_quiet(60_000);
    assert_eq!(call_times(&r.transport), [0, 105, 310, 715, 1520, 3125]);
    let e = done.borrow().clone().unwrap().unwrap_err();
    assert_eq!(
        (e.code, e.scope(), e.retriable()),
        (ErrorCode::Throttled, Scope::Invocation, true)
    );
    assert_eq!(e.operation_ids, ["op-0"]);
    assert_eq!(e.cause.as_ref().and_then(|c| c.status), Some(429));
    let s = r.batcher.stats();
    assert_eq!(
        (s.api_calls, s.retries, s.updates_sent, s.bytes_sent),
        (0, 5, 0, 0)
    );
    assert_eq!(r.errors.borrow().len(), 1);
}

#[test]
fn retry_after_replaces_one_wait_and_is_capped() {
    let mut n = 0;
    let mut r = rig(Config::default(), move |_| {
        n += 1;
        match n {
            1 => Reply::err(0, throttle(Some(2500))),
            2 => Reply::err(0, throttle(None)),
            3 => Reply::err(0, throttle(Some(60_000))),
            _ => Reply::ok(0, Some("t1")),
        }
    });
    let done = watch(&r.sim, r.batcher.checkpoint(step(0)));
    r.sim.run_to_quiet(60_000);
    // 2500 (server), then the schedule's 200 for retry 2, then 10 s (capped server value).
    assert_eq!(call_times(&r.transport), [0, 2500, 2700, 12_700]);
    assert_eq!(*done.borrow(), Some(Ok(())));
}

#[test]
fn idle_policy_sends_without_lingering() {
    let mut r = rig(Config::default(), chaining(10));
    let b = r.batcher.clone();
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    let clock = r.sim.clock.clone();
    r.sim.spawn(async move {
        for i in 0..5 {
            b.checkpoint_async(start(&format!("s{i}"), Step)).unwrap();
            b.checkpoint(succeed(&format!("s{i}"), Step)).await.unwrap();
            l.borrow_mut().push(clock.now());
        }
    });
    r.sim.run_to_quiet(60_000);
    // One round trip a step, no waiting on the 1 s window.
    assert_eq!(*log.borrow(), [10, 20, 30, 40, 50]);
    assert_eq!(call_times(&r.transport), [0, 10, 20, 30, 40]);
    assert!(r.batches.borrow().iter().all(|b| b.updates == 2));
}

#[test]
fn window_policy_closes_batch_at_max_batch_time() {
    let config = Config {
        flush: FlushPolicy::Window,
        max_batch_time_ms: 1000,
        ..Config::default()
    };
    let mut r = rig(config, chaining(10));
    let first = watch(&r.sim, r.batcher.checkpoint(step(0)));
    r.sim.run_until(300);
    let second = watch(&r.sim, r.batcher.checkpoint(step(1)));
    r.sim.run_until(999);
    assert!(r.transport.calls().is_empty(), "window still open");
    r.sim.run_until(1010);
    assert_eq!(call_times(&r.transport), [1000]);
    assert_eq!(r.transport.calls()[0].transmit.updates, 2);
    assert_eq!(
        (first.borrow().clone(), second.borrow().clone()),
        (Some(Ok(())), Some(Ok(())))
    );
}

#[test]
fn what_queues_during_a_call_forms_the_next_batch() {
    let mut r = rig(Config::default(), chaining(10));
    let a = watch(&r.sim, r.batcher.checkpoint(step(0)));
    r.sim.run_until(5);
    assert_eq!(r.transport.calls().len(), 1);
    r.batcher.checkpoint_async(step(1)).unwrap();
    r.batcher.checkpoint_async(step(2)).unwrap();
    r.sim.run_to_quiet(1000);
    assert_eq!(call_times(&r.transport), [0, 10]);
    let second = &r.transport.calls()[1].transmit;
    assert_eq!(
        (second.updates, second.checkpoint_token.as_str()),
        (2, "t1")
    );
    assert_eq!(*a.borrow(), Some(Ok(())));
    assert_eq!(r.batcher.checkpoint_token().as_deref(), Some("t2"));
}

#[test]
fn a_burst_in_one_turn_is_one_call() {
    let mut r = rig(Config::default(), chaining(10));
    let slots: Vec<Outcome> = (0..100)
        .map(|i| watch(&r.sim, r.batcher.checkpoint(step(i))))
        .collect();
    r.sim.run_to_quiet(1000);
    assert_eq!(r.transport.calls().len(), 1);
    assert!(slots.iter().all(|s| *s.borrow() == Some(Ok(()))));
    let s = r.batcher.stats();
    assert_eq!((s.api_calls, s.updates_sent), (1, 100));
    assert_eq!(
        s.bytes_sent as usize,
        r.transport.calls()[0].transmit.body.len()
    );
}

#[test]
fn token_chains_from_call_to_call() {
    let mut r = rig(
        Config {
            max_batch_operations: 1,
            ..Config::default()
        },
        chaining(1),
    );
    for i in 0..4 {
        r.batcher.checkpoint_async(step(i)).unwrap();
    }
    let closed = watch(&r.sim, r.batcher.close());
    r.sim.run_to_quiet(1000);
    let tokens: Vec<String> = r
        .transport
        .calls()
        .iter()
        .map(|c| c.transmit.checkpoint_token.clone())
        .collect();
    assert_eq!(tokens, ["tok-0", "t1", "t2", "t3"]);
    let cts: Vec<String> = r
        .transport
        .calls()
        .iter()
        .map(|c| c.transmit.client_token.clone())
        .collect();
    assert_eq!(cts, ["ct-1", "ct-2", "ct-3", "ct-4"]);
    assert_eq!(*closed.borrow(), Some(Ok(())));
}

#[test]
fn fire_and_forget_failure_surfaces_through_flush_close_and_hook() {
    let mut r = rig(Config::default(), |_| {
        Reply::err(
            3,
            TransportError {
                status: Some(400),
                name: Some("InvalidParameterValueException".into()),
                message: "Invalid checkpoint token".into(),
                retry_after_ms: None,
            },
        )
    });
    r.batcher.checkpoint_async(step(0)).unwrap();
    let flushed = watch(&r.sim, r.batcher.flush());
    r.sim.run_to_quiet(1000);
    let e = flushed.borrow().clone().unwrap().unwrap_err();
    assert_eq!(
        (e.code, e.scope()),
        (ErrorCode::InvalidToken, Scope::Invocation)
    );
    assert_eq!(
        *r.errors.borrow(),
        vec![e.clone()],
        "hook called once with the latch error"
    );
    // Latched: later checkpoints throw the same error at once, close rejects with it.
    assert_eq!(r.batcher.checkpoint_async(step(1)).unwrap_err(), e);
    let later = watch(&r.sim, r.batcher.checkpoint(step(2)));
    let closed = watch(&r.sim, r.batcher.close());
    r.sim.run_to_quiet(1000);
    assert_eq!(later.borrow().clone(), Some(Err(e.clone())));
    assert_eq!(closed.borrow().clone(), Some(Err(e)));
    assert_eq!(r.transport.calls().len(), 1, "nothing sent after the latch");
    assert_eq!(r.errors.borrow().len(), 1);
}

#[test]
fn execution_completion_without_token_ends_cleanly() {
    let mut r = rig(Config::default(), |_| Reply::ok(2, None));
    r.batcher.checkpoint_async(step(0)).unwrap();
    r.batcher
        .checkpoint_async(succeed("exec", Execution))
        .unwrap();
    let closed = watch(&r.sim, r.batcher.close());
    r.sim.run_to_quiet(1000);
    assert_eq!(*closed.borrow(), Some(Ok(())));
    let e = r.batcher.checkpoint_async(step(1)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Closed);
    assert!(r.errors.borrow().is_empty());
}

#[test]
fn ack_without_token_revokes_the_invocation() {
    let mut r = rig(Config::default(), |_| Reply::ok(2, None));
    let first = watch(&r.sim, r.batcher.checkpoint(step(0)));
    r.sim.run_until(1);
    let queued = watch(&r.sim, r.batcher.checkpoint(step(1)));
    let closed = watch(&r.sim, r.batcher.close());
    r.sim.run_to_quiet(1000);
    assert_eq!(*first.borrow(), Some(Ok(())), "that batch was acknowledged");
    let e = queued.borrow().clone().unwrap().unwrap_err();
    assert_eq!(
        (e.code, e.scope()),
        (ErrorCode::TokenRevoked, Scope::Invocation)
    );
    assert_eq!(closed.borrow().clone(), Some(Err(e)));
    assert_eq!(r.transport.calls().len(), 1);
}

#[test]
fn hooks_may_reenter_the_batcher() {
    let sim = Sim::new();
    let transport = ScriptedTransport::new(sim.clock.clone(), |_| {
        Reply::err(
            1,
            TransportError {
                status: Some(503),
                ..Default::default()
            },
        )
    });
    let slot: Rc<RefCell<Option<Batcher<Vec<KnownOperation>>>>> = Rc::default();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let (s2, seen2) = (slot.clone(), seen.clone());
    let (batcher, task) = Batcher::new(
        Options {
            operations: Vec::new(),
            durable_execution_arn: "arn".into(),
            checkpoint_token: "tok".into(),
            config: Config::default(),
            client_tokens: Box::new(|| "ct".into()),
            on_batch: None,
            on_error: Some(Box::new(move |_| {
                let b = s2.borrow().clone().unwrap();
                seen2
                    .borrow_mut()
                    .push(b.checkpoint_async(step(9)).unwrap_err().code);
            })),
        },
        transport,
        sim.clock.clone(),
    )
    .unwrap();
    *slot.borrow_mut() = Some(batcher.clone());
    sim.spawn(task);
    let mut sim = sim;
    let done = watch(&sim, batcher.checkpoint(step(0)));
    sim.run_to_quiet(1000);
    assert_eq!(*seen.borrow(), [ErrorCode::Transient]);
    assert_eq!(
        done.borrow().clone().unwrap().unwrap_err().code,
        ErrorCode::Transient
    );
}

#[test]
fn on_batch_reports_each_call() {
    let mut r = rig(Config::default(), chaining(7));
    watch(
        &r.sim,
        r.batcher.checkpoint(with_parent(start("c", Step), "ctx")),
    );
    r.sim.run_to_quiet(1000);
    let b = r.batches.borrow();
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].updates, b[0].attempts, b[0].latency_ms), (1, 1, 7));
    assert_eq!(b[0].operation_ids, ["c"]);
    assert_eq!(b[0].bytes, r.transport.calls()[0].transmit.body.len());
}

#[test]
fn invalid_update_is_refused_synchronously_and_harms_nothing() {
    let mut r = rig(Config::default(), chaining(1));
    let bad = OperationUpdate::start("bad id!", Step);
    assert_eq!(
        r.batcher.checkpoint_async(bad.clone()).unwrap_err().code,
        ErrorCode::InvalidUpdate
    );
    let rejected = watch(&r.sim, r.batcher.checkpoint(bad));
    let ok = watch(&r.sim, r.batcher.checkpoint(step(1)));
    r.sim.run_to_quiet(1000);
    assert_eq!(
        rejected.borrow().clone().unwrap().unwrap_err().code,
        ErrorCode::InvalidUpdate
    );
    assert_eq!(*ok.borrow(), Some(Ok(())));
    assert_eq!(r.batcher.stats().updates_sent, 1);
}

type Polled = Rc<RefCell<Option<Result<Vec<KnownOperation>, CheckpointError>>>>;

fn watch_poll(rig: &Rig) -> Polled {
    let slot: Polled = Rc::default();
    let s = slot.clone();
    rig.sim
        .spawn(rig.batcher.poll().map(move |r| *s.borrow_mut() = Some(r)));
    slot
}

#[test]
fn poll_alone_makes_one_empty_call_after_a_quiet_turn() {
    let reported = vec![KnownOperation::new("cb", None, "CALLBACK", "SUCCEEDED")];
    let r2 = reported.clone();
    let mut r = rig(Config::default(), move |_| {
        Reply::ok(7, Some("t1")).with_operations(r2.clone())
    });
    let (p, q) = (watch_poll(&r), watch_poll(&r));
    r.sim.run_to_quiet(10_000);
    let calls = r.transport.calls();
    assert_eq!(calls.len(), 1, "polls of one turn share one call");
    assert_eq!(calls[0].at, 0, "sent after one quiet turn, no timer");
    assert_eq!(calls[0].transmit.updates, 0);
    assert_eq!(
        &*calls[0].transmit.body,
        r#"{"CheckpointToken":"tok-0","Updates":[],"ClientToken":"ct-1"}"#
    );
    for slot in [p, q] {
        assert_eq!(slot.borrow().clone().unwrap().unwrap(), reported);
    }
    let s = r.batcher.stats();
    assert_eq!((s.api_calls, s.updates_sent), (1, 0));
    assert_eq!(s.bytes_sent, calls[0].transmit.body.len() as u64);
    assert_eq!(r.batcher.checkpoint_token().as_deref(), Some("t1"));
    assert_eq!(r.batches.borrow()[0].updates, 0);
}

#[test]
fn poll_rides_with_the_call_after_the_one_in_flight() {
    let mut r = rig(Config::default(), chaining(10));
    let a = watch(&r.sim, r.batcher.checkpoint(start("a", Step)));
    r.sim.run_until(3);
    let p = watch_poll(&r);
    r.sim.run_until(5);
    let b = watch(&r.sim, r.batcher.checkpoint(start("b", Step)));
    r.sim.run_to_quiet(10_000);
    let calls = r.transport.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!((calls[1].at, calls[1].transmit.updates), (10, 1));
    assert!(p.borrow().as_ref().unwrap().is_ok());
    assert!(a.borrow().as_ref().unwrap().is_ok() && b.borrow().as_ref().unwrap().is_ok());
}

#[test]
fn poll_fails_with_the_latch_and_after_close() {
    let mut r = rig(Config::default(), |_| {
        Reply::err(
            1,
            TransportError {
                status: Some(500),
                message: "boom".into(),
                ..TransportError::default()
            },
        )
    });
    let p = watch_poll(&r);
    r.sim.run_to_quiet(10_000);
    let e = p.borrow().clone().unwrap().unwrap_err();
    assert_eq!(
        (e.code, e.scope()),
        (ErrorCode::Transient, Scope::Invocation)
    );
    assert_eq!(r.errors.borrow().len(), 1, "latched once");
    let later = watch_poll(&r);
    r.sim.run_to_quiet(10_000);
    assert_eq!(later.borrow().clone().unwrap().unwrap_err(), e);
    assert_eq!(r.transport.calls().len(), 1, "nothing more sent");

    let mut c = rig(Config::default(), chaining(1));
    let closed = watch(&c.sim, c.batcher.close());
    c.sim.run_to_quiet(10_000);
    assert!(closed.borrow().as_ref().unwrap().is_ok());
    let p = watch_poll(&c);
    c.sim.run_to_quiet(10_000);
    assert_eq!(
        p.borrow().clone().unwrap().unwrap_err().code,
        ErrorCode::Closed
    );
    assert!(c.transport.calls().is_empty());
}

#[test]
fn gate_refuses_descendants_of_a_finished_context_without_latching() {
    let mut r = rig(Config::default(), chaining(1));
    let ctx = |a| OperationUpdate {
        id: "ctx".into(),
        operation_type: OperationType::Context,
        action: a,
        ..start("ctx", Step)
    };
    r.batcher
        .checkpoint_async(ctx(OperationAction::Start))
        .unwrap();
    r.batcher
        .checkpoint_async(with_parent(start("kid", Step), "ctx"))
        .unwrap();
    r.batcher
        .checkpoint_async(ctx(OperationAction::Succeed))
        .unwrap();
    let e = r
        .batcher
        .checkpoint_async(with_parent(succeed("kid", Step), "ctx"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Orphaned);
    assert_eq!(e.scope(), Scope::Operation);
    assert!(!e.retriable());
    assert_eq!(e.operation_ids, vec!["kid".to_string()]);
    assert!(e.message.contains("ctx"), "{}", e.message);
    r.batcher.finish_context("other").unwrap();
    assert_eq!(
        r.batcher
            .checkpoint_async(with_parent(start("o", Step), "other"))
            .unwrap_err()
            .code,
        ErrorCode::Orphaned
    );
    assert_eq!(
        r.batcher.finish_context("not an id").unwrap_err().code,
        ErrorCode::InvalidUpdate
    );
    let f = watch(&r.sim, r.batcher.flush());
    r.sim.run_to_quiet(10_000);
    assert!(f.borrow().as_ref().unwrap().is_ok());
    assert!(r.errors.borrow().is_empty(), "ORPHANED never latches");
    let sent: Vec<usize> = r
        .transport
        .calls()
        .iter()
        .map(|c| c.transmit.updates)
        .collect();
    assert_eq!(sent, vec![3]);
}
