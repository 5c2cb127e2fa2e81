//! The sans-IO core: batch collection, exact body bytes, token chain, retries,
//! latch, validation and error classification (SPEC §2, §4-§8), driven by hand with
//! time as a value. Runs natively and as WebAssembly under Node.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use durable_checkpoint::machine::Event;
use durable_checkpoint::OperationType::{ChainedInvoke, Context, Execution, Step};
use durable_checkpoint::{
    Ack, CheckpointError, Checkpointer, Config, ErrorCode, FlushPolicy, OperationUpdate, Scope,
    Transmit, TransportError,
};
use serde_json::Value;

type Core = Checkpointer<u32>;

fn core(config: Config) -> Core {
    Checkpointer::new(config, "tok-0".into()).unwrap()
}

fn ct_source() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("ct-{n}")
    }
}

fn send(c: &mut Core, now: u64) -> Option<Transmit> {
    c.poll_transmit(now, &mut ct_source())
}

fn ack(c: &mut Core, t: &Transmit, token: &str, now: u64) {
    c.on_response(t.batch, Ok(Ack::token(Some(token))), now);
}

fn events(c: &mut Core) -> Vec<Event<u32>> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

fn body_ids(t: &Transmit) -> Vec<String> {
    let v: Value = serde_json::from_str(&t.body).unwrap();
    v["Updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Id"].as_str().unwrap().to_string())
        .collect()
}

fn step(i: usize) -> OperationUpdate {
    start(&format!("op-{i}"), Step)
}

#[test]
fn body_is_exactly_the_wire_envelope() {
    let mut c = core(Config::default());
    let mut u = with_parent(start("inv-1", ChainedInvoke), "ctx");
    u.name = Some("naïve ✓".into());
    c.enqueue(u, Some(1), 0).unwrap();
    c.flush(2);
    let t = send(&mut c, 0).unwrap();
    assert_eq!(
        &*t.body,
        r#"{"CheckpointToken":"tok-0","Updates":[{"Id":"inv-1","ParentId":"ctx","Name":"naïve ✓","Type":"CHAINED_INVOKE","Action":"START"}],"ClientToken":"ct-1"}"#
    );
    assert_eq!(t.checkpoint_token, "tok-0");
    assert_eq!(t.client_token, "ct-1");
    assert_eq!((t.attempt, t.updates), (1, 1));
}

#[test]
fn error_object_serializes_stack_trace_as_list() {
    let mut c = core(Config::default());
    c.enqueue_json(
        r#"{"Id":"s","Type":"STEP","Action":"FAIL","Error":{"ErrorType":"E","ErrorMessage":"m","ErrorData":"{}","StackTrace":["a","b"]}}"#,
        None,
        0,
    )
    .unwrap();
    c.idle();
    let t = send(&mut c, 0).unwrap();
    let v: Value = serde_json::from_str(&t.body).unwrap();
    assert_eq!(
        v["Updates"][0]["Error"]["StackTrace"],
        serde_json::json!(["a", "b"])
    );
    assert_eq!(v["Updates"][0]["Error"]["ErrorData"], "{}");
}

#[test]
fn count_limit_closes_batches() {
    // Seed: batches_multiple_requests / respects_operation_count_limit.
    let mut c = core(Config {
        max_batch_operations: 3,
        flush: FlushPolicy::Window,
        ..Config::default()
    });
    for i in 0..7 {
        c.enqueue(step(i), None, 0).unwrap();
    }
    // Full batches go at once even under the window policy.
    let t1 = send(&mut c, 0).unwrap();
    assert_eq!(body_ids(&t1), ["op-0", "op-1", "op-2"]);
    assert!(send(&mut c, 0).is_none(), "one call at a time");
    ack(&mut c, &t1, "tok-1", 5);
    let t2 = send(&mut c, 5).unwrap();
    assert_eq!(t2.checkpoint_token, "tok-1");
    assert_eq!(body_ids(&t2), ["op-3", "op-4", "op-5"]);
    ack(&mut c, &t2, "tok-2", 6);
    // One left: not full, so it waits for the window.
    assert!(send(&mut c, 6).is_none());
    assert_eq!(c.next_timeout(), Some(1000));
    let t3 = send(&mut c, 1000).unwrap();
    assert_eq!(body_ids(&t3), ["op-6"]);
}

#[test]
fn size_limit_opens_next_batch_and_bytes_are_exact() {
    let payload = "x".repeat(300);
    let mk = |i: usize| {
        let mut u = step(i);
        u.payload = Some(payload.clone());
        u
    };
    // Room for exactly two of these updates.
    let one = durable_checkpoint::body::update_json(&mk(0)).len();
    let tokens = "\"tok-0\"".len() + "\"ct-1\"".len();
    let limit = durable_checkpoint::body::body_len(tokens, 2 * one, 2);
    let mut c = core(Config {
        max_batch_size_bytes: limit,
        ..Config::default()
    });
    for i in 0..5 {
        c.enqueue(mk(i), None, 0).unwrap();
    }
    let t1 = send(&mut c, 0).unwrap();
    assert_eq!(t1.body.len(), limit, "filled to the byte");
    assert_eq!(t1.updates, 2);
    ack(&mut c, &t1, "tok-1", 1);
    c.idle();
    let t2 = send(&mut c, 1).unwrap();
    assert_eq!(t2.updates, 2);
    assert!(t2.body.len() <= limit);
}

#[test]
fn an_update_larger_than_the_limit_goes_alone() {
    let mut c = core(Config {
        max_batch_size_bytes: 100,
        ..Config::default()
    });
    let mut big = step(0);
    big.payload = Some("y".repeat(500));
    c.enqueue(big, None, 0).unwrap();
    c.enqueue(step(1), None, 0).unwrap();
    let t = send(&mut c, 0).unwrap();
    assert_eq!(body_ids(&t), ["op-0"]);
    assert!(t.body.len() > 100);
}

#[test]
fn idle_policy_waits_for_a_quiet_turn_only() {
    let mut c = core(Config::default());
    c.enqueue(step(0), Some(1), 0).unwrap();
    assert!(send(&mut c, 0).is_none(), "still collecting this turn");
    c.enqueue(step(1), Some(2), 0).unwrap();
    c.idle();
    let t = send(&mut c, 0).unwrap();
    assert_eq!(body_ids(&t), ["op-0", "op-1"]);
}

/// A core cutting batches of two, with op-0..op-2 queued.
fn three_queued_for_batches_of_two() -> Core {
    let mut c = core(Config {
        max_batch_operations: 2,
        ..Config::default()
    });
    for i in 0..3 {
        c.enqueue(step(i), None, 0).unwrap();
    }
    c
}

#[test]
fn leftovers_wait_a_quiet_turn_after_the_answer() {
    // A full batch leaves op-2 queued (released by the turn that queued it). Its answer
    // counts as an input: op-2 waits for the next quiet turn, and what the answer's own
    // turn queues (awaits it released) goes in the same call.
    let mut c = three_queued_for_batches_of_two();
    c.idle();
    let t1 = send(&mut c, 0).unwrap();
    assert_eq!(body_ids(&t1), ["op-0", "op-1"]);
    let seq = c.last_seq();
    ack(&mut c, &t1, "tok-1", 10);
    assert!(
        c.last_seq() > seq,
        "the answer is an input the driver waits a turn after"
    );
    assert!(send(&mut c, 10).is_none(), "op-2 waits for a quiet turn");
    c.enqueue(step(3), None, 10).unwrap();
    c.idle();
    let t2 = send(&mut c, 10).unwrap();
    assert_eq!(body_ids(&t2), ["op-2", "op-3"]);
    // With nothing left queued an answer changes nothing.
    let seq = c.last_seq();
    ack(&mut c, &t2, "tok-2", 20);
    assert_eq!(c.last_seq(), seq);
}

#[test]
fn a_flush_skips_the_turn_after_the_answer() {
    let mut c = three_queued_for_batches_of_two();
    c.flush(7);
    let t1 = send(&mut c, 0).unwrap();
    ack(&mut c, &t1, "tok-1", 10);
    let t2 = send(&mut c, 10).expect("a flushed update goes without waiting for a turn");
    assert_eq!(body_ids(&t2), ["op-2"]);
}

#[test]
fn window_policy_ignores_idle_and_waits_for_the_deadline() {
    let mut c = core(Config {
        flush: FlushPolicy::Window,
        max_batch_time_ms: 250,
        ..Config::default()
    });
    c.enqueue(step(0), None, 10).unwrap();
    c.idle();
    assert!(send(&mut c, 100).is_none());
    assert_eq!(c.next_timeout(), Some(260));
    assert!(send(&mut c, 259).is_none());
    assert!(send(&mut c, 260).is_some());
}

#[test]
fn idle_policy_also_honours_max_batch_time() {
    let mut c = core(Config {
        max_batch_time_ms: 50,
        ..Config::default()
    });
    c.enqueue(step(0), None, 0).unwrap();
    assert!(send(&mut c, 49).is_none());
    assert!(send(&mut c, 50).is_some());
}

#[test]
fn flush_sends_at_once_under_either_policy_and_settles_after_ack() {
    for policy in [FlushPolicy::Idle, FlushPolicy::Window] {
        let mut c = core(Config {
            flush: policy,
            ..Config::default()
        });
        c.enqueue(step(0), None, 0).unwrap();
        c.flush(7);
        let t = send(&mut c, 0).unwrap();
        assert!(events(&mut c).is_empty(), "flush waits for the ack");
        ack(&mut c, &t, "tok-1", 3);
        let ev = events(&mut c);
        assert!(
            matches!(
                ev.last(),
                Some(Event::Flushed {
                    waiter: 7,
                    result: Ok(())
                })
            ),
            "{ev:?}"
        );
    }
}

#[test]
fn flush_with_nothing_queued_resolves_at_once() {
    let mut c = core(Config::default());
    c.flush(1);
    assert!(matches!(
        events(&mut c).as_slice(),
        [Event::Flushed {
            waiter: 1,
            result: Ok(())
        }]
    ));
}

#[test]
fn throttled_attempts_reuse_token_and_client_token() {
    let mut c = core(Config::default());
    c.enqueue(step(0), Some(1), 0).unwrap();
    c.idle();
    let t1 = send(&mut c, 0).unwrap();
    let throttle = TransportError {
        status: Some(429),
        ..Default::default()
    };
    c.on_response(t1.batch, Err(throttle), 10);
    assert_eq!(c.next_timeout(), Some(110));
    assert!(send(&mut c, 109).is_none());
    let t2 = send(&mut c, 110).unwrap();
    assert_eq!(
        (t2.attempt, &t2.body, &t2.client_token),
        (2, &t1.body, &t1.client_token)
    );
    ack(&mut c, &t2, "tok-1", 120);
    assert_eq!(c.stats().retries, 1);
    assert_eq!(c.stats().api_calls, 1);
    match events(&mut c).as_slice() {
        [Event::Acked { waiters, info, .. }] => {
            assert_eq!(waiters, &[1]);
            assert_eq!((info.attempts, info.latency_ms), (2, 120));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ack_without_token_revokes_and_latches() {
    let mut c = core(Config::default());
    c.enqueue(step(0), Some(1), 0).unwrap();
    c.idle();
    let t = send(&mut c, 0).unwrap();
    c.enqueue(step(1), Some(2), 1).unwrap();
    c.on_response(t.batch, Ok(Ack::token(Some(""))), 2);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[0], Event::Acked { waiters, .. } if waiters == &[1]),
        "the batch itself was acknowledged"
    );
    assert!(ev.iter().any(|e| matches!(e, Event::Failed { waiters, error } if waiters == &[2] && error.code == ErrorCode::TokenRevoked)));
    let err = c.enqueue(step(2), None, 3).unwrap_err();
    assert_eq!(
        (err.code, err.scope()),
        (ErrorCode::TokenRevoked, Scope::Invocation)
    );
    assert!(send(&mut c, 10_000).is_none());
    assert_eq!(c.checkpoint_token(), None);
}

#[test]
fn ack_without_token_after_execution_completion_closes() {
    let mut c = core(Config::default());
    c.enqueue(succeed("exec", Execution), Some(1), 0).unwrap();
    c.close(9);
    let t = send(&mut c, 0).unwrap();
    c.on_response(t.batch, Ok(Ack::token(None)), 1);
    let ev = events(&mut c);
    assert!(ev.iter().any(|e| matches!(
        e,
        Event::Flushed {
            waiter: 9,
            result: Ok(())
        }
    )));
    assert!(c.latched().is_none());
    assert_eq!(
        c.enqueue(step(1), None, 2).unwrap_err().code,
        ErrorCode::Closed
    );
}

#[test]
fn failure_latches_everything_queued_and_later() {
    let mut c = core(Config {
        max_batch_operations: 1,
        ..Config::default()
    });
    c.enqueue(step(0), Some(1), 0).unwrap();
    c.enqueue(step(1), Some(2), 0).unwrap();
    c.enqueue(step(2), None, 0).unwrap();
    let t = send(&mut c, 0).unwrap();
    let e500 = TransportError {
        status: Some(500),
        name: Some("ServiceException".into()),
        message: "boom".into(),
        ..Default::default()
    };
    c.on_response(t.batch, Err(e500.clone()), 1);
    c.flush(5);
    let ev = events(&mut c);
    let latched: Vec<&CheckpointError> = ev
        .iter()
        .filter_map(|e| {
            if let Event::Latched(x) = e {
                Some(x)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(latched.len(), 1);
    let err = latched[0];
    assert_eq!((err.code, err.retriable()), (ErrorCode::Transient, true));
    assert_eq!(err.operation_ids, ["op-0"]);
    assert_eq!(err.cause.as_deref(), Some(&e500));
    let failed: Vec<u32> = ev
        .iter()
        .flat_map(|e| {
            if let Event::Failed { waiters, .. } = e {
                waiters.clone()
            } else {
                vec![]
            }
        })
        .collect();
    assert_eq!(failed, [1, 2]);
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Flushed { waiter: 5, result: Err(x) } if x == err)));
    assert_eq!(&c.enqueue(step(3), None, 2).unwrap_err(), err);
    assert!(
        send(&mut c, 100_000).is_none(),
        "nothing is sent after the latch"
    );
}

#[test]
fn close_refuses_later_checkpoints() {
    let mut c = core(Config::default());
    c.close(1);
    let e = c.enqueue(step(0), None, 0).unwrap_err();
    assert_eq!(
        (e.code, e.scope(), e.retriable()),
        (ErrorCode::Closed, Scope::Execution, false)
    );
    assert_eq!(e.operation_ids, ["op-0"]);
}

#[test]
fn classification_table() {
    let te = |status: Option<u16>, name: &str, message: &str| TransportError {
        status,
        name: (!name.is_empty()).then(|| name.to_string()),
        message: message.into(),
        retry_after_ms: None,
    };
    use durable_checkpoint::error::Classified::{Fail, Throttle};
    let throttle = Throttle {
        retry_after_ms: None,
    };
    let cases = [
        (te(Some(429), "", ""), throttle),
        (te(Some(400), "TooManyRequestsException", ""), throttle),
        (te(None, "ThrottlingException", ""), throttle),
        (te(Some(400), "Unknown", "Rate exceeded"), throttle),
        (
            te(
                Some(400),
                "InvalidParameterValueException",
                "Invalid Checkpoint Token: consumed",
            ),
            Fail(ErrorCode::InvalidToken),
        ),
        (
            te(Some(400), "Unknown", "invalid checkpoint token"),
            Fail(ErrorCode::InvalidToken),
        ),
        (
            te(Some(400), "InvalidParameterValueException", "bad Name"),
            Fail(ErrorCode::Rejected),
        ),
        (
            te(Some(413), "RequestEntityTooLargeException", ""),
            Fail(ErrorCode::Rejected),
        ),
        (
            te(Some(502), "KMSAccessDeniedException", ""),
            Fail(ErrorCode::Rejected),
        ),
        (te(Some(500), "", ""), Fail(ErrorCode::Transient)),
        (te(Some(503), "", ""), Fail(ErrorCode::Transient)),
        (
            te(Some(400), "ServiceException", ""),
            Fail(ErrorCode::Transient),
        ),
        (
            te(None, "TimeoutError", "socket hang up"),
            Fail(ErrorCode::Transient),
        ),
    ];
    for (e, want) in cases {
        assert_eq!(e.classify(), want, "{e:?}");
    }
    assert_eq!(
        te(Some(429), "", "").classify(),
        Throttle {
            retry_after_ms: None
        }
    );
    let mut with_ra = te(Some(429), "", "");
    with_ra.retry_after_ms = Some(1500);
    assert_eq!(
        with_ra.classify(),
        Throttle {
            retry_after_ms: Some(1500)
        }
    );
    for (code, scope) in [
        (ErrorCode::InvalidUpdate, Scope::Execution),
        (ErrorCode::Throttled, Scope::Invocation),
        (ErrorCode::InvalidToken, Scope::Invocation),
        (ErrorCode::Transient, Scope::Invocation),
        (ErrorCode::Rejected, Scope::Execution),
        (ErrorCode::TokenRevoked, Scope::Invocation),
        (ErrorCode::Closed, Scope::Execution),
    ] {
        assert_eq!(code.scope(), scope);
        assert_eq!(
            CheckpointError::new(code, "").retriable(),
            scope == Scope::Invocation
        );
    }
}

fn refused(json: &str) -> CheckpointError {
    let mut c = core(Config::default());
    let e = c.enqueue_json(json, Some(1), 0).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidUpdate, "{json}");
    assert_eq!(c.last_seq(), 0, "nothing queued");
    // The core is unharmed.
    c.enqueue(step(0), None, 0).unwrap();
    e
}

#[test]
fn invalid_updates_name_the_field_and_value() {
    let cases: &[(&str, &str, &str)] = &[
        (r#"{"Type":"STEP","Action":"START"}"#, "Id", "required"),
        (
            r#"{"Id":"a b","Type":"STEP","Action":"START"}"#,
            "Id",
            "\"a b\"",
        ),
        (
            &format!(
                r#"{{"Id":"{}","Type":"STEP","Action":"START"}}"#,
                "a".repeat(65)
            ),
            "Id",
            "1-64",
        ),
        (
            r#"{"Id":"a","ParentId":"a","Type":"STEP","Action":"START"}"#,
            "ParentId",
            "\"a\"",
        ),
        (
            r#"{"Id":"a","ParentId":"p/q","Type":"STEP","Action":"START"}"#,
            "ParentId",
            "p/q",
        ),
        (
            r#"{"Id":"a","Type":"INVOKE","Action":"START"}"#,
            "Type",
            "\"INVOKE\"",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"start"}"#,
            "Action",
            "\"start\"",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"START","Name":""}"#,
            "Name",
            "1-256",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"START","SubType":5}"#,
            "SubType",
            "number 5",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"START","Extra":1}"#,
            "Extra",
            "unknown field",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"FAIL","Error":{"StackTrace":"at x"}}"#,
            "Error.StackTrace",
            "list of strings",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"FAIL","Error":{"StackTrace":["ok",3]}}"#,
            "Error.StackTrace[1]",
            "number 3",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"FAIL","Error":{"Cause":"x"}}"#,
            "Error.Cause",
            "unknown field",
        ),
        (
            r#"{"Id":"a","Type":"WAIT","Action":"START","WaitOptions":{"WaitSeconds":0}}"#,
            "WaitOptions.WaitSeconds",
            "is 0",
        ),
        (
            r#"{"Id":"a","Type":"WAIT","Action":"START","WaitOptions":{"WaitSeconds":1.5}}"#,
            "WaitOptions.WaitSeconds",
            "integer",
        ),
        (
            r#"{"Id":"a","Type":"STEP","Action":"RETRY","StepOptions":{"NextAttemptDelaySeconds":-1}}"#,
            "StepOptions.NextAttemptDelaySeconds",
            "-1",
        ),
        (
            r#"{"Id":"a","Type":"CALLBACK","Action":"START","CallbackOptions":{"TimeoutSeconds":100000000}}"#,
            "CallbackOptions.TimeoutSeconds",
            "100000000",
        ),
        (
            r#"{"Id":"a","Type":"CHAINED_INVOKE","Action":"START","ChainedInvokeOptions":{}}"#,
            "ChainedInvokeOptions.FunctionName",
            "required",
        ),
        (
            r#"{"Id":"a","Type":"CONTEXT","Action":"START","ContextOptions":{"ReplayChildren":"yes"}}"#,
            "ContextOptions.ReplayChildren",
            "boolean",
        ),
        (r#"[1,2]"#, "OperationUpdate", "object"),
        (r#"{"Id":"a""#, "OperationUpdate", "JSON"),
    ];
    for (json, field, needle) in cases {
        let e = refused(json);
        assert_eq!(e.field.as_deref(), Some(*field), "{json}: {e}");
        assert!(
            e.message.contains(field) || *field == "OperationUpdate",
            "{json}: {e}"
        );
        assert!(
            e.message.contains(needle),
            "{json}: {} lacks {needle}",
            e.message
        );
    }
}

#[test]
fn limits_count_code_points_and_payload_bytes() {
    let ok = |json: String| {
        let mut c = core(Config::default());
        c.enqueue_json(&json, None, 0)
    };
    let name256 = "é".repeat(256);
    assert!(ok(format!(
        r#"{{"Id":"a","Type":"STEP","Action":"START","Name":"{name256}"}}"#
    ))
    .is_ok());
    let name257 = "é".repeat(257);
    let e = ok(format!(
        r#"{{"Id":"a","Type":"STEP","Action":"START","Name":"{name257}"}}"#
    ))
    .unwrap_err();
    assert!(e.message.contains("257 characters"), "{e}");
    assert!(ok(format!(
        r#"{{"Id":"a","Type":"STEP","Action":"START","SubType":"{}"}}"#,
        "ü".repeat(32)
    ))
    .is_ok());
    let at_limit = "p".repeat(262_144);
    assert!(ok(format!(
        r#"{{"Id":"a","Type":"STEP","Action":"SUCCEED","Payload":"{at_limit}"}}"#
    ))
    .is_ok());
    // 131,073 two-byte characters: under the limit in characters, over it in bytes.
    let over = "é".repeat(131_073);
    let e = ok(format!(
        r#"{{"Id":"a","Type":"STEP","Action":"SUCCEED","Payload":"{over}"}}"#
    ))
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("Payload"));
    assert!(e.message.contains("262146"), "{e}");
    // EXECUTION results may be larger.
    assert!(ok(format!(
        r#"{{"Id":"a","Type":"EXECUTION","Action":"SUCCEED","Payload":"{over}"}}"#
    ))
    .is_ok());
}

#[test]
fn null_counts_as_absent_and_every_field_round_trips() {
    let mut c = core(Config::default());
    let full = r#"{"Id":"a-1","ParentId":"p_1","Name":"n","SubType":"Step","Type":"STEP","Action":"RETRY","Payload":"x","Error":{"ErrorType":"T","ErrorMessage":"M","ErrorData":"D","StackTrace":["s"]},"StepOptions":{"NextAttemptDelaySeconds":5},"WaitOptions":{"WaitSeconds":2},"CallbackOptions":{"TimeoutSeconds":0,"HeartbeatTimeoutSeconds":9},"ChainedInvokeOptions":{"FunctionName":"f","TenantId":"t","XAmznTraceId":"x"},"ContextOptions":{"ReplayChildren":true}}"#;
    c.enqueue_json(full, None, 0).unwrap();
    c.enqueue_json(
        r#"{"Id":"b","Type":"STEP","Action":"START","Name":null,"Payload":null}"#,
        None,
        0,
    )
    .unwrap();
    c.idle();
    let t = send(&mut c, 0).unwrap();
    let v: Value = serde_json::from_str(&t.body).unwrap();
    assert_eq!(
        v["Updates"][0],
        serde_json::from_str::<Value>(full).unwrap()
    );
    assert!(
        t.body
            .ends_with(r#",{"Id":"b","Type":"STEP","Action":"START"}],"ClientToken":"ct-1"}"#),
        "{}",
        t.body
    );
}

#[test]
fn bad_config_and_token_are_refused() {
    assert!(Checkpointer::<u32>::new(
        Config {
            max_batch_operations: 0,
            ..Config::default()
        },
        "t".into()
    )
    .is_err());
    assert!(Checkpointer::<u32>::new(
        Config {
            max_batch_size_bytes: 0,
            ..Config::default()
        },
        "t".into()
    )
    .is_err());
    let e = Checkpointer::<u32>::new(Config::default(), String::new()).unwrap_err();
    assert_eq!(e.field, "checkpointToken");
    assert!(Checkpointer::<u32>::new(Config::default(), "t".repeat(2049)).is_err());
    assert!(Checkpointer::<u32>::new(Config::default(), "t".repeat(2048)).is_ok());
}

#[test]
fn batches_are_ordered_before_sending() {
    let mut c = core(Config::default());
    c.enqueue(with_parent(start("child", Step), "ctx"), None, 0)
        .unwrap();
    c.enqueue(succeed("exec", Execution), None, 0).unwrap();
    c.enqueue(start("ctx", Context), None, 0).unwrap();
    c.idle();
    let t = send(&mut c, 0).unwrap();
    assert_eq!(body_ids(&t), ["ctx", "child", "exec"]);
}
