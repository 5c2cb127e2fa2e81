//! The driver on JavaScript's event loop (gloo-timers, setImmediate,
//! wasm-bindgen-futures), with a transport written in Rust. WebAssembly only:
//! `wasm-pack test --node`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use durable_checkpoint::driver::{Batcher, Options, Timer, Transport};
use durable_checkpoint::wasm::{client_token, WasmTimer};
use durable_checkpoint::{
    Ack, Config, ErrorCode, FlushPolicy, OperationType, OperationUpdate, Transmit, TransportError,
};
use futures::future::LocalBoxFuture;
use futures::FutureExt;
use wasm_bindgen_test::wasm_bindgen_test;

/// Answers after `latency_ms` of real time: the scripted replies first, then success.
#[derive(Clone, Default)]
struct JsClockTransport {
    latency_ms: u64,
    script: Rc<RefCell<Vec<Result<Ack, TransportError>>>>,
    calls: Rc<RefCell<Vec<(u64, Transmit)>>>,
}

impl Transport for JsClockTransport {
    type State = ();

    fn checkpoint(
        &self,
        _arn: &str,
        request: &Transmit,
    ) -> LocalBoxFuture<'static, Result<(Ack, ()), TransportError>> {
        let n = self.calls.borrow().len() + 1;
        self.calls
            .borrow_mut()
            .push((WasmTimer.now_ms(), request.clone()));
        let reply = if self.script.borrow().is_empty() {
            Ok(Ack::token(Some(&format!("t{n}"))))
        } else {
            self.script.borrow_mut().remove(0)
        };
        let wait = WasmTimer.sleep(self.latency_ms);
        async move {
            wait.await;
            reply.map(|ack| (ack, ()))
        }
        .boxed_local()
    }
}

fn batcher(config: Config, transport: JsClockTransport) -> Batcher<()> {
    let (b, task) = Batcher::new(
        Options {
            operations: Vec::new(),
            durable_execution_arn: "arn".into(),
            checkpoint_token: "tok-0".into(),
            config,
            client_tokens: Box::new(client_token),
            on_batch: None,
            on_error: None,
        },
        transport,
        WasmTimer,
    )
    .unwrap();
    wasm_bindgen_futures::spawn_local(task);
    b
}

fn step(id: &str, action: durable_checkpoint::OperationAction) -> OperationUpdate {
    OperationUpdate::new(id, OperationType::Step, action)
}

#[wasm_bindgen_test]
async fn idle_policy_costs_one_round_trip_per_awaited_step() {
    use durable_checkpoint::OperationAction::{Start, Succeed};
    let t = JsClockTransport {
        latency_ms: 5,
        ..Default::default()
    };
    let b = batcher(Config::default(), t.clone());
    let began = WasmTimer.now_ms();
    for i in 0..3 {
        let id = format!("s{i}");
        b.checkpoint_async(step(&id, Start)).unwrap();
        b.checkpoint(step(&id, Succeed)).await.unwrap();
    }
    let elapsed = WasmTimer.now_ms() - began;
    let calls = t.calls.borrow();
    assert_eq!(calls.len(), 3, "START and SUCCEED of a step share one call");
    let tokens: Vec<&str> = calls
        .iter()
        .map(|c| c.1.checkpoint_token.as_str())
        .collect();
    assert_eq!(tokens, ["tok-0", "t1", "t2"]);
    assert!(
        calls.iter().all(|c| c.1.client_token.len() == 36),
        "ClientToken from crypto.randomUUID"
    );
    assert_ne!(calls[0].1.client_token, calls[1].1.client_token);
    // No lingering for the 1 s window: three 5 ms round trips.
    assert!(elapsed < 500, "took {elapsed} ms");
    assert_eq!(b.stats().updates_sent, 6);
}

#[wasm_bindgen_test]
async fn window_policy_waits_for_max_batch_time() {
    let t = JsClockTransport::default();
    let config = Config {
        flush: FlushPolicy::Window,
        max_batch_time_ms: 60,
        ..Config::default()
    };
    let b = batcher(config, t.clone());
    let began = WasmTimer.now_ms();
    let first = b.checkpoint(step("a", durable_checkpoint::OperationAction::Start));
    let second = b.checkpoint(step("b", durable_checkpoint::OperationAction::Start));
    let (r1, r2) = futures::join!(first, second);
    r1.unwrap();
    r2.unwrap();
    assert!(
        WasmTimer.now_ms() - began >= 55,
        "the window was waited out"
    );
    assert_eq!(t.calls.borrow().len(), 1);
    assert_eq!(t.calls.borrow()[0].1.updates, 2);
}

#[wasm_bindgen_test]
async fn throttle_is_retried_on_a_real_timer_then_latch_on_failure() {
    let t = JsClockTransport::default();
    t.script.borrow_mut().push(Err(TransportError {
        status: Some(429),
        retry_after_ms: Some(30),
        ..Default::default()
    }));
    let b = batcher(Config::default(), t.clone());
    b.checkpoint(step("a", durable_checkpoint::OperationAction::Start))
        .await
        .unwrap();
    {
        let calls = t.calls.borrow();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].1.body, calls[1].1.body);
        assert!(calls[1].0 - calls[0].0 >= 25, "Retry-After honoured");
    }
    assert_eq!(b.stats().retries, 1);

    t.script.borrow_mut().push(Err(TransportError {
        status: Some(413),
        message: "too large".into(),
        ..Default::default()
    }));
    b.checkpoint_async(step("b", durable_checkpoint::OperationAction::Start))
        .unwrap();
    let e = b.flush().await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Rejected);
    assert_eq!(
        b.checkpoint_async(step("c", durable_checkpoint::OperationAction::Start))
            .unwrap_err(),
        e
    );
    assert_eq!(b.close().await.unwrap_err(), e);
}
