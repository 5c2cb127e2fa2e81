//! A single-threaded futures driver over the core: a `Batcher` handle that callers
//! checkpoint through, and a task that carries requests to a [`Transport`], keeps time
//! with a [`Timer`] and wakes on a channel. It owns no threads and no runtime: the
//! caller spawns the task (wasm-bindgen-futures in WebAssembly, any local executor
//! natively) and supplies the clock, so the same code runs in both builds.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::task::Poll;

use futures::channel::{mpsc, oneshot};
use futures::future::{poll_fn, LocalBoxFuture};
use futures::{FutureExt, StreamExt};

use crate::ancestry::KnownOperation;
use crate::config::{Config, ConfigError};
use crate::error::{CheckpointError, ErrorCode, TransportError};
use crate::machine::{Ack, BatchInfo, Checkpointer, Event, Stats, Transmit};
use crate::update::OperationUpdate;

/// Carries checkpoint requests to the service.
pub trait Transport {
    /// The response's execution state as the host keeps it (JavaScript `Operation`
    /// objects in WebAssembly): what a [`Batcher::poll`] resolves with.
    type State: Clone + 'static;

    /// Sends `request` (`request.body` is the exact body) for the execution `arn`,
    /// and answers with what the core needs plus the state for polls.
    fn checkpoint(
        &self,
        arn: &str,
        request: &Transmit,
    ) -> LocalBoxFuture<'static, Result<(Ack, Self::State), TransportError>>;
}

/// Time, as the host's event loop keeps it.
pub trait Timer {
    /// Milliseconds on a monotonic clock.
    fn now_ms(&self) -> u64;
    /// Completes after `ms` milliseconds.
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()>;
    /// Completes after the current turn of the event loop (what is runnable now runs
    /// first): the idle policy's measure of "nothing more is coming".
    fn next_turn(&self) -> LocalBoxFuture<'static, ()>;
}

/// Called after each acknowledged call.
pub type BatchHook = Box<dyn Fn(&BatchInfo)>;
/// Called once, with the error that latched the batcher.
pub type ErrorHook = Box<dyn Fn(&CheckpointError)>;

/// Everything a batcher needs besides its transport and timer.
pub struct Options {
    /// The execution's ARN (goes in the request URL, not the body).
    pub durable_execution_arn: String,
    /// The invocation's checkpoint token.
    pub checkpoint_token: String,
    /// Limits and flush policy.
    pub config: Config,
    /// Makes a unique ClientToken for each batch.
    pub client_tokens: Box<dyn FnMut() -> String>,
    /// Called after each acknowledged call.
    pub on_batch: Option<BatchHook>,
    /// Called once, with the error that latched the batcher.
    pub on_error: Option<ErrorHook>,
    /// The operations the invocation started with, for the ancestor gate (SPEC §12).
    pub operations: Vec<KnownOperation>,
}

type Settled = oneshot::Sender<Result<(), CheckpointError>>;

/// Who waits on the core: an awaited checkpoint, a flush or close, or a poll.
enum Waiter<S> {
    Settle(Settled),
    Poll(oneshot::Sender<Result<S, CheckpointError>>),
}

impl<S> Waiter<S> {
    fn fail(self, e: &CheckpointError) {
        match self {
            Waiter::Settle(w) => {
                let _ = w.send(Err(e.clone()));
            }
            Waiter::Poll(w) => {
                let _ = w.send(Err(e.clone()));
            }
        }
    }
}

struct Shared<S> {
    core: RefCell<Checkpointer<Waiter<S>>>,
    /// The state of the newest acknowledged response, until its polls are answered.
    state: RefCell<Option<(u64, S)>>,
    on_batch: Option<BatchHook>,
    on_error: Option<ErrorHook>,
    /// True from a wake-up sent until the task takes it: later calls need not send
    /// another (each send wakes the task, which in Node queues a microtask).
    wake_pending: std::cell::Cell<bool>,
}

impl<S: Clone> Shared<S> {
    /// Hands the core's outcomes to their waiters and hooks. No borrow of the core is
    /// held while user code runs, so a hook may checkpoint again.
    fn dispatch(&self) {
        loop {
            let event = self.core.borrow_mut().poll_event();
            match event {
                None => return,
                Some(Event::Acked {
                    waiters,
                    polls,
                    info,
                }) => {
                    let state = self
                        .state
                        .borrow_mut()
                        .take()
                        .filter(|(batch, _)| *batch == info.batch)
                        .map(|(_, s)| s);
                    if let Some(hook) = &self.on_batch {
                        hook(&info);
                    }
                    for w in waiters {
                        if let Waiter::Settle(w) = w {
                            let _ = w.send(Ok(()));
                        }
                    }
                    for w in polls {
                        if let (Waiter::Poll(w), Some(s)) = (w, &state) {
                            let _ = w.send(Ok(s.clone()));
                        }
                    }
                }
                Some(Event::Failed { waiters, error }) => {
                    for w in waiters {
                        w.fail(&error);
                    }
                }
                Some(Event::Flushed { waiter, result }) => {
                    if let Waiter::Settle(w) = waiter {
                        let _ = w.send(result);
                    }
                }
                Some(Event::Latched(error)) => {
                    if let Some(hook) = &self.on_error {
                        hook(&error);
                    }
                }
            }
        }
    }
}

/// The handle callers checkpoint through. Cheap to clone; all clones share one queue.
/// `S` is the transport's [`Transport::State`], what polls resolve with.
pub struct Batcher<S> {
    shared: Rc<Shared<S>>,
    /// One sender for all clones of the handle: a sender's slot coalesces wake-ups
    /// (a clone per call would queue one message each). Dropped with the last handle,
    /// which tells the task no more input is coming.
    wake: Rc<RefCell<mpsc::Sender<()>>>,
    timer: Rc<dyn Timer>,
}

impl<S> Clone for Batcher<S> {
    fn clone(&self) -> Self {
        Batcher {
            shared: self.shared.clone(),
            wake: self.wake.clone(),
            timer: self.timer.clone(),
        }
    }
}

impl<S: Clone + 'static> Batcher<S> {
    /// A batcher and the task that drives it, which the caller must spawn.
    pub fn new<T, C>(
        options: Options,
        transport: T,
        timer: C,
    ) -> Result<(Batcher<S>, impl Future<Output = ()>), ConfigError>
    where
        T: Transport<State = S> + 'static,
        C: Timer + 'static,
    {
        let mut core = Checkpointer::new(options.config, options.checkpoint_token)?;
        core.learn_operations(&options.operations);
        let shared = Rc::new(Shared {
            core: RefCell::new(core),
            state: RefCell::new(None),
            wake_pending: std::cell::Cell::new(false),
            on_batch: options.on_batch,
            on_error: options.on_error,
        });
        // Capacity 0: the one sender's slot coalesces any number of wake-ups.
        let (wake, wake_rx) = mpsc::channel(0);
        let timer: Rc<dyn Timer> = Rc::new(timer);
        let task = drive(
            shared.clone(),
            wake_rx,
            transport,
            timer.clone(),
            options.durable_execution_arn,
            options.client_tokens,
        );
        Ok((
            Batcher {
                shared,
                wake: Rc::new(RefCell::new(wake)),
                timer,
            },
            task,
        ))
    }

    /// Queues `update` and resolves once the batch holding it is acknowledged.
    /// Refusals (bad input, closed, latched) are known at once and nothing is queued.
    pub fn checkpoint(
        &self,
        update: OperationUpdate,
    ) -> impl Future<Output = Result<(), CheckpointError>> {
        let (tx, rx) = oneshot::channel();
        let queued = self.enqueue(|core, now| core.enqueue(update, Some(Waiter::Settle(tx)), now));
        settle(queued.map(|_| rx))
    }

    /// `checkpoint` for an update given as JSON text.
    pub fn checkpoint_json(&self, json: &str) -> impl Future<Output = Result<(), CheckpointError>> {
        let (tx, rx) = oneshot::channel();
        let queued =
            self.enqueue(|core, now| core.enqueue_json(json, Some(Waiter::Settle(tx)), now));
        settle(queued.map(|_| rx))
    }

    /// Queues `update` without waiting. A later failure surfaces through `flush`,
    /// `close` and the `on_error` hook.
    pub fn checkpoint_async(&self, update: OperationUpdate) -> Result<(), CheckpointError> {
        self.enqueue(|core, now| core.enqueue(update, None, now))
    }

    /// `checkpoint_async` for an update given as JSON text.
    pub fn checkpoint_async_json(&self, json: &str) -> Result<(), CheckpointError> {
        self.enqueue(|core, now| core.enqueue_json(json, None, now))
    }

    /// Resolves once everything queued before the call is acknowledged; rejects with
    /// the error that latched the batcher otherwise.
    pub fn flush(&self) -> impl Future<Output = Result<(), CheckpointError>> {
        let (tx, rx) = oneshot::channel();
        self.shared.core.borrow_mut().flush(Waiter::Settle(tx));
        self.after_call();
        settle(Ok(rx))
    }

    /// `flush`, then refuse every later checkpoint with `CLOSED`.
    pub fn close(&self) -> impl Future<Output = Result<(), CheckpointError>> {
        let (tx, rx) = oneshot::channel();
        self.shared.core.borrow_mut().close(Waiter::Settle(tx));
        self.after_call();
        settle(Ok(rx))
    }

    /// Resolves with the execution state of the response to the next call (SPEC §13):
    /// it rides with a forming batch or the call after the one in flight, or makes a
    /// call with no updates when an update would go. Refused at once after `close` or
    /// the latch.
    pub fn poll(&self) -> impl Future<Output = Result<S, CheckpointError>> {
        let (tx, rx) = oneshot::channel();
        let queued = self
            .enqueue(|core, now| core.poll(Waiter::Poll(tx), now))
            .map(|()| rx);
        async move { queued?.await.unwrap_or_else(|_| Err(stopped())) }
    }

    /// Closes the ancestor gate under the CONTEXT `id` (SPEC §12): later updates
    /// under it are refused `ORPHANED`. `INVALID_UPDATE` if `id` is not an Id.
    pub fn finish_context(&self, id: &str) -> Result<(), CheckpointError> {
        self.shared.core.borrow_mut().finish_context(id)
    }

    /// The token the next call will use, while there is one.
    pub fn checkpoint_token(&self) -> Option<String> {
        self.shared
            .core
            .borrow()
            .checkpoint_token()
            .map(str::to_string)
    }

    /// Counters of acknowledged work.
    pub fn stats(&self) -> Stats {
        self.shared.core.borrow().stats()
    }

    fn enqueue(
        &self,
        f: impl FnOnce(&mut Checkpointer<Waiter<S>>, u64) -> Result<(), CheckpointError>,
    ) -> Result<(), CheckpointError> {
        self.enqueue_returning(f)
    }

    fn enqueue_returning<R>(
        &self,
        f: impl FnOnce(&mut Checkpointer<Waiter<S>>, u64) -> Result<R, CheckpointError>,
    ) -> Result<R, CheckpointError> {
        let now = self.timer.now_ms();
        let r = f(&mut self.shared.core.borrow_mut(), now);
        if r.is_ok() {
            self.after_call();
        }
        r
    }

    fn after_call(&self) {
        self.shared.dispatch();
        if self.shared.wake_pending.replace(true) {
            return;
        }
        // Full means a wake-up is already pending; closed means the task is done.
        let _ = self.wake.borrow_mut().try_send(());
    }
}

async fn settle(
    queued: Result<oneshot::Receiver<Result<(), CheckpointError>>, CheckpointError>,
) -> Result<(), CheckpointError> {
    queued?.await.unwrap_or_else(|_| Err(stopped()))
}

fn stopped() -> CheckpointError {
    CheckpointError::new(
        ErrorCode::Transient,
        "the batcher's task stopped before this checkpoint settled",
    )
}

type Answer<S> = Result<(Ack, S), TransportError>;

enum Wake<S> {
    Response(u64, Answer<S>),
    Input,
    InputClosed,
    Turn,
    Timeout,
}

async fn drive<T: Transport>(
    shared: Rc<Shared<T::State>>,
    mut wake_rx: mpsc::Receiver<()>,
    transport: T,
    timer: Rc<dyn Timer>,
    arn: String,
    mut client_tokens: Box<dyn FnMut() -> String>,
) {
    let mut call: Option<(u64, LocalBoxFuture<'static, Answer<T::State>>)> = None;
    let mut turn: Option<LocalBoxFuture<'static, ()>> = None;
    let mut sleep: Option<(u64, LocalBoxFuture<'static, ()>)> = None;
    let mut input_open = true;
    let mut seen_seq = 0;
    loop {
        let now = timer.now_ms();
        if call.is_none() {
            let transmit = shared
                .core
                .borrow_mut()
                .poll_transmit(now, &mut *client_tokens);
            if let Some(t) = transmit {
                call = Some((t.batch, transport.checkpoint(&arn, &t)));
            }
        }
        shared.dispatch();
        let (last_seq, deadline, backing_off, finished, pending) = {
            let core = shared.core.borrow();
            (
                core.last_seq(),
                core.next_timeout(),
                core.backing_off(),
                core.is_finished(),
                core.has_pending(),
            )
        };
        if finished || (!input_open && !pending) {
            return;
        }
        // Idle policy: every new update restarts the wait for a quiet turn.
        if last_seq != seen_seq {
            seen_seq = last_seq;
            turn = Some(timer.next_turn());
        }
        // While a quiet-turn check is pending, every turn re-checks the batch window
        // anyway: a timer per batch would only be armed and cleared again. Back-offs
        // always get their timer.
        let deadline = deadline.filter(|_| backing_off || turn.is_none());
        match deadline {
            Some(d) if sleep.as_ref().map(|s| s.0) != Some(d) => {
                sleep = Some((d, timer.sleep(d.saturating_sub(now))));
            }
            Some(_) => {}
            None => sleep = None,
        }
        let woke = poll_fn(|cx| {
            if let Some((batch, f)) = &mut call {
                if let Poll::Ready(r) = f.poll_unpin(cx) {
                    return Poll::Ready(Wake::Response(*batch, r));
                }
            }
            if input_open {
                let mut any = false;
                loop {
                    match wake_rx.poll_next_unpin(cx) {
                        Poll::Ready(Some(())) => any = true,
                        Poll::Ready(None) => return Poll::Ready(Wake::InputClosed),
                        Poll::Pending => break,
                    }
                }
                if any {
                    return Poll::Ready(Wake::Input);
                }
            }
            if let Some(f) = &mut turn {
                if f.poll_unpin(cx).is_ready() {
                    return Poll::Ready(Wake::Turn);
                }
            }
            if let Some((_, f)) = &mut sleep {
                if f.poll_unpin(cx).is_ready() {
                    return Poll::Ready(Wake::Timeout);
                }
            }
            Poll::Pending
        })
        .await;
        match woke {
            Wake::Response(batch, r) => {
                call = None;
                let r = r.map(|(ack, state)| {
                    *shared.state.borrow_mut() = Some((batch, state));
                    ack
                });
                shared
                    .core
                    .borrow_mut()
                    .on_response(batch, r, timer.now_ms());
            }
            Wake::Input => shared.wake_pending.set(false),
            Wake::InputClosed => input_open = false,
            Wake::Turn => {
                turn = None;
                let mut core = shared.core.borrow_mut();
                if core.last_seq() == seen_seq {
                    core.idle();
                }
            }
            Wake::Timeout => sleep = None,
        }
    }
}
