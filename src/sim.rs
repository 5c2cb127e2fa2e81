//! Deterministic simulation for tests: a virtual clock whose time moves only when
//! the test says, event-loop turns that end when every runnable task has run, and a
//! transport whose replies a script decides. Nothing here sleeps for real. The
//! executor that runs them (a `LocalPool` turned turn by turn) lives with the tests.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::future::LocalBoxFuture;
use futures::FutureExt;

use crate::ancestry::KnownOperation;
use crate::driver::{Timer, Transport};
use crate::error::TransportError;
use crate::machine::{Ack, Transmit};

#[derive(Default)]
struct Clock {
    now: u64,
    turns: u64,
    sleepers: Vec<(u64, Waker)>,
    turn_waiters: Vec<Waker>,
}

/// A clock that only moves when told.
#[derive(Clone, Default)]
pub struct VirtualTimer(Rc<RefCell<Clock>>);

impl VirtualTimer {
    /// Current virtual time (ms).
    pub fn now(&self) -> u64 {
        self.0.borrow().now
    }

    /// The earliest time a sleeper waits for.
    pub fn next_deadline(&self) -> Option<u64> {
        self.0.borrow().sleepers.iter().map(|s| s.0).min()
    }

    /// True when some task waits for the end of the turn.
    pub fn turn_pending(&self) -> bool {
        !self.0.borrow().turn_waiters.is_empty()
    }

    /// Ends the current turn: wakes its waiters.
    pub fn end_turn(&self) {
        let waiters = {
            let mut c = self.0.borrow_mut();
            c.turns += 1;
            std::mem::take(&mut c.turn_waiters)
        };
        waiters.into_iter().for_each(Waker::wake);
    }

    /// Moves time to `t` (never backwards) and wakes the sleepers it reaches.
    pub fn set(&self, t: u64) {
        let due: Vec<Waker> = {
            let mut c = self.0.borrow_mut();
            c.now = c.now.max(t);
            let now = c.now;
            let (due, rest) = std::mem::take(&mut c.sleepers)
                .into_iter()
                .partition(|s| s.0 <= now);
            c.sleepers = rest;
            due.into_iter().map(|s: (u64, Waker)| s.1).collect()
        };
        due.into_iter().for_each(Waker::wake);
    }
}

struct Sleep {
    clock: VirtualTimer,
    until: u64,
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut c = self.clock.0.borrow_mut();
        if c.now >= self.until {
            Poll::Ready(())
        } else {
            c.sleepers.push((self.until, cx.waker().clone()));
            Poll::Pending
        }
    }
}

struct Turn {
    clock: VirtualTimer,
    after: u64,
}

impl Future for Turn {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut c = self.clock.0.borrow_mut();
        if c.turns > self.after {
            Poll::Ready(())
        } else {
            c.turn_waiters.push(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Timer for VirtualTimer {
    fn now_ms(&self) -> u64 {
        self.now()
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        Sleep {
            clock: self.clone(),
            until: self.now().saturating_add(ms),
        }
        .boxed_local()
    }
    fn next_turn(&self) -> LocalBoxFuture<'static, ()> {
        Turn {
            clock: self.clone(),
            after: self.0.borrow().turns,
        }
        .boxed_local()
    }
}

/// How the scripted service answers one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Virtual time the call takes.
    pub latency_ms: u64,
    /// The answer.
    pub result: Result<Ack, TransportError>,
}

impl Reply {
    /// Success after `latency_ms`, handing `token` on.
    pub fn ok(latency_ms: u64, token: Option<&str>) -> Self {
        Reply {
            latency_ms,
            result: Ok(Ack::token(token)),
        }
    }

    /// The same answer, reporting `operations` in its execution state.
    pub fn with_operations(mut self, operations: Vec<KnownOperation>) -> Self {
        if let Ok(ack) = &mut self.result {
            ack.operations = operations;
        }
        self
    }

    /// Failure after `latency_ms`.
    pub fn err(latency_ms: u64, e: TransportError) -> Self {
        Reply {
            latency_ms,
            result: Err(e),
        }
    }
}

/// A request as the scripted service saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Virtual time it was sent.
    pub at: u64,
    /// The execution ARN.
    pub arn: String,
    /// The request.
    pub transmit: Transmit,
}

type Responder = Box<dyn FnMut(&Call) -> Reply>;

/// A transport that records every call and answers as a responder decides.
#[derive(Clone)]
pub struct ScriptedTransport {
    clock: VirtualTimer,
    calls: Rc<RefCell<Vec<Call>>>,
    responder: Rc<RefCell<Responder>>,
}

impl ScriptedTransport {
    /// Answers every call with `responder`'s reply.
    pub fn new(clock: VirtualTimer, responder: impl FnMut(&Call) -> Reply + 'static) -> Self {
        ScriptedTransport {
            clock,
            calls: Rc::default(),
            responder: Rc::new(RefCell::new(Box::new(responder))),
        }
    }

    /// A service that acknowledges every call after `latency_ms` with token `t1`, `t2`...
    pub fn chaining(clock: VirtualTimer, latency_ms: u64) -> Self {
        let mut n = 0;
        Self::new(clock, move |_| {
            n += 1;
            Reply::ok(latency_ms, Some(&format!("t{n}")))
        })
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.borrow().clone()
    }
}

impl Transport for ScriptedTransport {
    /// Polls resolve with the operations the reply reported.
    type State = Vec<KnownOperation>;

    fn checkpoint(
        &self,
        arn: &str,
        request: &Transmit,
    ) -> LocalBoxFuture<'static, Result<(Ack, Self::State), TransportError>> {
        let call = Call {
            at: self.clock.now(),
            arn: arn.to_string(),
            transmit: request.clone(),
        };
        let reply = (self.responder.borrow_mut())(&call);
        self.calls.borrow_mut().push(call);
        let wait = self.clock.sleep(reply.latency_ms);
        async move {
            wait.await;
            reply.result.map(|ack| {
                let state = ack.operations.clone();
                (ack, state)
            })
        }
        .boxed_local()
    }
}
