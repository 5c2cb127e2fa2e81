//! The checkpoint state machine: updates in, requests out, replies in, outcomes out.
//! No I/O and no clock of its own: the caller passes `now` (milliseconds, any epoch)
//! and carries requests to the service. Modelled on quinn-proto's connection: inputs
//! are method calls, outputs are polled (`poll_transmit`, `poll_event`, `next_timeout`).

use std::collections::VecDeque;
use std::rc::Rc;

use crate::ancestry::{Ancestry, KnownOperation};
use crate::body;
use crate::config::{Config, ConfigError, FlushPolicy};
use crate::error::{CheckpointError, Classified, ErrorCode, TransportError};
use crate::json;
use crate::order::{self, Ordered};
use crate::parse;
use crate::queue::{Entry, Queue};
use crate::retry;
use crate::token::TokenState;
use crate::update::{OperationAction, OperationType, OperationUpdate};
use crate::validate;

/// One request for the transport to carry: `POST …/checkpoint` with `body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Which batch this is (from 1); pass it back to `on_response`.
    pub batch: u64,
    /// 1 for the first attempt, up to 6 after throttles.
    pub attempt: u32,
    /// The exact request body: `{"CheckpointToken","Updates","ClientToken"}`. Empty
    /// when the host keeps the updates' bytes (the WebAssembly build): it joins its
    /// own texts in `order` into the same envelope, `bytes` long.
    pub body: Rc<str>,
    /// The body's length in bytes (what the limits and `bytesSent` count).
    pub bytes: usize,
    /// The batch is the first `updates` accepted updates still unsent, in enqueue
    /// order; `order[k]` is the index among them of the update that goes k-th.
    pub order: Rc<[u32]>,
    /// The token the body carries.
    pub checkpoint_token: String,
    /// The batch's ClientToken, the same on every attempt.
    pub client_token: String,
    /// Number of updates in the body.
    pub updates: usize,
}

/// The service's answer to a checkpoint call, as far as the core needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ack {
    /// The next token; absent or empty ends checkpointing (SPEC §5).
    pub checkpoint_token: Option<String>,
    /// What the gate needs of the response's `NewExecutionState.Operations` (SPEC §12).
    pub operations: Vec<KnownOperation>,
}

impl Ack {
    /// An answer handing on `token` and reporting no operations.
    pub fn token(token: Option<&str>) -> Self {
        Ack {
            checkpoint_token: token.map(str::to_string),
            operations: Vec::new(),
        }
    }
}

/// What an acknowledged call achieved (the JavaScript `onBatch` info).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchInfo {
    /// The batch number.
    pub batch: u64,
    /// Updates acknowledged.
    pub updates: usize,
    /// Body bytes sent.
    pub bytes: usize,
    /// Attempts it took (1 without throttling).
    pub attempts: u32,
    /// From the first attempt's send to the acknowledgement.
    pub latency_ms: u64,
    /// The Ids of the updates, in body order.
    pub operation_ids: Vec<String>,
}

/// Counters of acknowledged work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Acknowledged calls.
    pub api_calls: u64,
    /// Updates in acknowledged calls.
    pub updates_sent: u64,
    /// Body bytes of acknowledged calls.
    pub bytes_sent: u64,
    /// Attempts re-sent after a throttle.
    pub retries: u64,
}

/// An outcome for the caller.
#[derive(Debug)]
pub enum Event<W> {
    /// A batch was acknowledged; these awaited checkpoints succeed.
    Acked {
        /// Waiters of the batch's awaited updates.
        waiters: Vec<W>,
        /// Polls this call answered: they get the response's operations.
        polls: Vec<W>,
        /// What the call did.
        info: BatchInfo,
    },
    /// These awaited checkpoints fail.
    Failed {
        /// Waiters to reject.
        waiters: Vec<W>,
        /// Why.
        error: CheckpointError,
    },
    /// A `flush` or `close` finished.
    Flushed {
        /// Its waiter.
        waiter: W,
        /// Ok once everything queued before it is acknowledged.
        result: Result<(), CheckpointError>,
    },
    /// The batcher latched on this error (emitted once): nothing more is sent.
    Latched(CheckpointError),
}

/// The batch on the wire, or waiting to be re-sent after a throttle.
#[derive(Debug)]
struct InFlight<W> {
    transmit: Transmit,
    /// Members in body order: (Id, waiter, sequence number).
    members: Vec<(String, Option<W>, u64)>,
    /// Polls riding with this call: (sequence number, waiter).
    polls: Vec<(u64, W)>,
    holds_execution_completion: bool,
    first_sent_at: u64,
    /// Set while backing off: when to re-send.
    resend_at: Option<u64>,
}

/// The checkpoint core. `W` is whatever the caller uses to reach a waiting caller
/// (a oneshot sender, a promise's resolvers, an id); the core only hands it back.
#[derive(Debug)]
pub struct Checkpointer<W> {
    config: Config,
    token: TokenState,
    queue: Queue<W>,
    in_flight: Option<InFlight<W>>,
    latch: Option<CheckpointError>,
    closed: bool,
    /// Sequence number of the newest input (update or poll).
    last_seq: u64,
    /// Polls waiting for the next call: (sequence number, waiter), oldest first.
    polls: Vec<(u64, W)>,
    /// When the oldest waiting poll was made.
    polls_since: u64,
    /// Parents and finished CONTEXTs (SPEC §12).
    ancestry: Ancestry,
    /// Reused for measuring updates the host keeps.
    scratch: String,
    batches: u64,
    /// ClientToken drawn for the next batch (its size counts toward the body).
    next_client_token: Option<String>,
    /// `flush`/`close` waiters: done once everything up to the sequence number settles.
    flushes: Vec<(u64, W)>,
    stats: Stats,
    events: VecDeque<Event<W>>,
}

impl<W> Checkpointer<W> {
    /// A core that will send its first batch with `checkpoint_token`, the token of
    /// the invocation.
    pub fn new(config: Config, checkpoint_token: String) -> Result<Self, ConfigError> {
        config.validate()?;
        validate::checkpoint_token("checkpointToken", &checkpoint_token)
            .map_err(|e| ConfigError::new("checkpointToken", e.message))?;
        Ok(Checkpointer {
            config,
            token: TokenState::Current(checkpoint_token),
            queue: Queue::default(),
            in_flight: None,
            latch: None,
            closed: false,
            last_seq: 0,
            polls: Vec::new(),
            polls_since: 0,
            ancestry: Ancestry::default(),
            scratch: String::new(),
            batches: 0,
            next_client_token: None,
            flushes: Vec::new(),
            stats: Stats::default(),
            events: VecDeque::new(),
        })
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The token the next call will use, while checkpointing can go on.
    pub fn checkpoint_token(&self) -> Option<&str> {
        self.token.current()
    }

    /// Counters of acknowledged work.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The error the batcher latched on, if it did.
    pub fn latched(&self) -> Option<&CheckpointError> {
        self.latch.as_ref()
    }

    /// Sequence number of the newest input, an accepted update or a poll (0 before
    /// any). The driver waits for a quiet turn whenever it changes.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// True while anything is queued, waiting to poll or on the wire.
    pub fn has_pending(&self) -> bool {
        !self.queue.is_empty() || !self.polls.is_empty() || self.in_flight.is_some()
    }

    /// Learns the parents and finished CONTEXTs of operations the caller was handed
    /// (the invocation's initial state). Responses feed the gate through [`Ack`].
    pub fn learn_operations<'a>(&mut self, ops: impl IntoIterator<Item = &'a KnownOperation>) {
        for op in ops {
            self.ancestry.learn_operation(op);
        }
    }

    /// Closes the gate under the CONTEXT `id` (SPEC §12): every later update whose
    /// parent chain reaches it is refused `ORPHANED`. For an SDK that serializes a
    /// context's result asynchronously and must close the gate before it awaits.
    pub fn finish_context(&mut self, id: &str) -> Result<(), CheckpointError> {
        validate::id_format("id", id)?;
        self.ancestry.finish(id);
        Ok(())
    }

    /// True once the CONTEXT `id` is known to have finished.
    pub fn is_context_finished(&self, id: &str) -> bool {
        self.ancestry.is_finished(id)
    }

    /// Number of distinct Ids the gate knows (bounded by the Ids seen).
    pub fn known_ids(&self) -> usize {
        self.ancestry.len()
    }

    /// True once nothing more can happen: closed or latched or completed, and drained.
    pub fn is_finished(&self) -> bool {
        !self.has_pending() && self.flushes.is_empty() && self.refusal().is_some()
    }

    /// Accepts an update, or refuses it with nothing queued: `INVALID_UPDATE` for bad
    /// input, the latched error, or `CLOSED`.
    pub fn enqueue(
        &mut self,
        update: OperationUpdate,
        waiter: Option<W>,
        now: u64,
    ) -> Result<(), CheckpointError> {
        validate::validate(&update)?;
        self.accept(update, waiter, now)
    }

    /// `enqueue` for an update given as JSON text.
    pub fn enqueue_json(
        &mut self,
        json: &str,
        waiter: Option<W>,
        now: u64,
    ) -> Result<(), CheckpointError> {
        let update = parse::update_from_json(json)?;
        self.accept(update, waiter, now)
    }

    /// `enqueue_json` for a host that keeps the bytes itself: answers the canonical
    /// compact JSON the host must send for this update (and in what `order` says).
    pub fn enqueue_json_for_host(
        &mut self,
        json: &str,
        waiter: Option<W>,
        now: u64,
    ) -> Result<String, CheckpointError> {
        let update = parse::update_from_json(json)?;
        let canonical = body::update_json(&update);
        self.admit(update, waiter, |u, seq| {
            Entry::kept_by_host(u, canonical.len(), seq, now)
        })?;
        Ok(canonical)
    }

    /// `enqueue` for a host that keeps its own copy of the update (an object
    /// transport's): the core validates all of it and counts its canonical JSON's
    /// length, but keeps no bytes.
    pub fn enqueue_for_host(
        &mut self,
        update: OperationUpdate,
        waiter: Option<W>,
        now: u64,
    ) -> Result<(), CheckpointError> {
        validate::validate(&update)?;
        let len = body::update_len(&update, &mut self.scratch);
        self.admit(update, waiter, |u, seq| {
            Entry::kept_by_host(u, len, seq, now)
        })
    }

    /// `enqueue` for an update whose Payload the host has already serialized (a large
    /// one: the host's JSON writer is faster): `payload_json` is its JSON string
    /// literal, `payload_json_len` that literal's UTF-8 length and `payload_bytes` the
    /// raw Payload's. With `payload_json` the core keeps the update's bytes; without,
    /// the host keeps its own copy and the core only counts. `update` has no Payload
    /// and no field after it in the API's order (a plain update).
    pub fn enqueue_with_payload(
        &mut self,
        update: OperationUpdate,
        payload_json: Option<String>,
        payload_json_len: usize,
        payload_bytes: usize,
        waiter: Option<W>,
        now: u64,
    ) -> Result<(), CheckpointError> {
        validate::payload_size(update.operation_type, payload_bytes)
            .map_err(|e| validate::with_id(e, &update.id))?;
        validate::validate(&update)?;
        self.scratch.clear();
        body::write_update(&mut self.scratch, &update);
        // `{…}` becomes `{…,"Payload":<literal>}`.
        const KEY: &str = ",\"Payload\":";
        let len = self.scratch.len() + KEY.len() + payload_json_len;
        let json = payload_json.map(|p| {
            let mut j = String::with_capacity(len);
            j.push_str(json::sub(&self.scratch, 0, self.scratch.len() - 1));
            j.push_str(KEY);
            j.push_str(&p);
            j.push('}');
            j
        });
        self.admit(update, waiter, |u, seq| {
            Entry::kept_by_host(u, len, seq, now).with_json(json)
        })
    }

    fn accept(
        &mut self,
        update: OperationUpdate,
        waiter: Option<W>,
        now: u64,
    ) -> Result<(), CheckpointError> {
        self.admit(update, waiter, |u, seq| Entry::new(u, seq, now))
    }

    /// The gate, the refusals, then the queue; `entry` builds the queued entry.
    fn admit(
        &mut self,
        update: OperationUpdate,
        waiter: Option<W>,
        entry: impl FnOnce(OperationUpdate, u64) -> Entry<W>,
    ) -> Result<(), CheckpointError> {
        let seq = self.gate(&update)?;
        let mut e = entry(update, seq);
        e.waiter = waiter;
        self.queue.push(e);
        Ok(())
    }

    /// `admit`'s checks and bookkeeping; answers the update's sequence number. Kept out
    /// of `admit`, which each enqueue path instantiates with its own `entry`, so that the
    /// module holds these checks once.
    #[inline(never)]
    fn gate(&mut self, update: &OperationUpdate) -> Result<u64, CheckpointError> {
        let parent = update.parent_id.as_deref();
        if let Some(ancestor) = self.ancestry.finished_ancestor(&update.id, parent) {
            return Err(orphaned(update, &ancestor));
        }
        if let Some(mut e) = self.refusal() {
            if e.code == ErrorCode::Closed {
                e.operation_ids = vec![update.id.clone()];
            }
            return Err(e);
        }
        self.ancestry.learn(&update.id, parent);
        if update.operation_type == OperationType::Context
            && matches!(
                update.action,
                OperationAction::Succeed | OperationAction::Fail
            )
        {
            self.ancestry.finish(&update.id);
        }
        self.last_seq += 1;
        Ok(self.last_seq)
    }

    /// Why a new update would be refused right now.
    fn refusal(&self) -> Option<CheckpointError> {
        if let Some(e) = &self.latch {
            return Some(e.clone());
        }
        match self.token {
            TokenState::Completed => Some(CheckpointError::new(
                ErrorCode::Closed,
                "the execution has completed: no more checkpoints are accepted",
            )),
            _ if self.closed => Some(CheckpointError::new(
                ErrorCode::Closed,
                "the batcher is closed: no more checkpoints are accepted",
            )),
            _ => None,
        }
    }

    /// Asks for the service's current state with the next call (SPEC §13): `waiter`
    /// is answered by an `Event::Acked` whose `polls` hold it, or by an
    /// `Event::Failed`. It rides with a forming batch, or with the call after the one
    /// in flight; alone, it makes a call with no updates when an update would go.
    /// Refused at once (nothing kept) after `close()` or the latch.
    pub fn poll(&mut self, waiter: W, now: u64) -> Result<(), CheckpointError> {
        if let Some(e) = self.refusal() {
            return Err(e);
        }
        self.last_seq += 1;
        if self.polls.is_empty() {
            self.polls_since = now;
        }
        self.polls.push((self.last_seq, waiter));
        Ok(())
    }

    /// True when waiting polls should go now even with nothing queued.
    fn polls_due(&self, now: u64) -> bool {
        self.polls
            .first()
            .is_some_and(|&(seq, _)| self.queue.released(seq) || now >= self.polls_deadline())
    }

    fn polls_deadline(&self) -> u64 {
        self.polls_since
            .saturating_add(self.config.max_batch_time_ms)
    }

    /// Idle policy: the queue has stayed empty for one turn of the event loop, so
    /// everything queued may go. Ignored under the window policy.
    pub fn idle(&mut self) {
        if self.config.flush == FlushPolicy::Idle {
            self.queue.release_through(self.last_seq);
        }
    }

    /// Sends everything queued so far at once; `waiter` is answered (an
    /// `Event::Flushed`) once all of it is acknowledged, or with the error that stopped it.
    pub fn flush(&mut self, waiter: W) {
        self.queue.release_through(self.last_seq);
        self.flushes.push((self.last_seq, waiter));
        self.settle_flushes();
    }

    /// `flush`, and refuse every later update with `CLOSED`.
    pub fn close(&mut self, waiter: W) {
        self.closed = true;
        self.flush(waiter);
    }

    /// True while a throttled batch waits to be re-sent.
    pub fn backing_off(&self) -> bool {
        self.in_flight
            .as_ref()
            .is_some_and(|f| f.resend_at.is_some())
    }

    /// When `poll_transmit` may next have something without any other input.
    pub fn next_timeout(&self) -> Option<u64> {
        match &self.in_flight {
            Some(f) => f.resend_at,
            None if self.token.current().is_some() && self.latch.is_none() => {
                let polls = (!self.polls.is_empty()).then(|| self.polls_deadline());
                match (self.queue.deadline(&self.config), polls) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            }
            None => None,
        }
    }

    /// The next request to send, if one is due at `now`. `client_token` makes a new
    /// unique ClientToken (1-64 printable ASCII); it is called at most once a batch.
    pub fn poll_transmit(
        &mut self,
        now: u64,
        client_token: &mut dyn FnMut() -> String,
    ) -> Option<Transmit> {
        if let Some(f) = &mut self.in_flight {
            let due = f.resend_at.is_some_and(|t| now >= t);
            if !due {
                return None;
            }
            f.resend_at = None;
            f.transmit.attempt += 1;
            self.stats.retries += 1;
            return Some(f.transmit.clone());
        }
        if self.latch.is_some() || (self.queue.is_empty() && self.polls.is_empty()) {
            return None;
        }
        let token = self.token.current()?;
        let client = self.next_client_token.get_or_insert_with(client_token);
        // Counted, not quoted: most polls find nothing due.
        let tokens_json = json::str_len(token) + json::str_len(client);
        if !self.queue.ready(&self.config, tokens_json, now) && !self.polls_due(now) {
            return None;
        }
        Some(self.transmit(tokens_json, now))
    }

    /// Cuts, orders and records the next batch (`poll_transmit` found one due). Kept out
    /// of line, as are its parts (here and in wasm-opt's flags, see Cargo.toml): one
    /// large WebAssembly function costs V8's optimizing tier far more to compile than
    /// the same code in several (measured: the inlined whole took ~70 ms of TurboFan
    /// time in a 1000-step run).
    #[inline(never)]
    fn transmit(&mut self, tokens_json: usize, now: u64) -> Transmit {
        let token = self.token.current().unwrap_or_default();
        let client = self.next_client_token.as_deref().unwrap_or_default();
        let entries = self.queue.cut(&self.config, tokens_json);
        let ordered = order::order(&entries);
        let bytes = body::body_len(
            tokens_json,
            entries.iter().map(|e| e.len).sum(),
            entries.len(),
        );
        // The core builds the body when it holds every update's bytes (natively);
        // otherwise the host joins its own in `order`.
        let body: Rc<str> = if entries.iter().all(|e| e.json.is_some()) {
            body::build(
                &body::json_string(token),
                &body::json_string(client),
                ordered
                    .iter()
                    .map(|&i| entries[i].json.as_deref().unwrap_or_default()),
                bytes,
            )
            .into()
        } else {
            Rc::from("")
        };
        let order: Rc<[u32]> = ordered.iter().map(|&i| i as u32).collect();
        let holds_execution_completion = entries.iter().any(Ordered::is_execution_completion);
        let mut slots: Vec<Option<Entry<W>>> = entries.into_iter().map(Some).collect();
        let members = ordered
            .iter()
            .filter_map(|&i| slots[i].take())
            .map(|e| (e.id, e.waiter, e.seq))
            .collect::<Vec<_>>();
        self.batches += 1;
        let transmit = Transmit {
            batch: self.batches,
            attempt: 1,
            body,
            bytes,
            order,
            checkpoint_token: token.to_string(),
            client_token: self.next_client_token.take().unwrap_or_default(),
            updates: members.len(),
        };
        self.in_flight = Some(InFlight {
            transmit: transmit.clone(),
            members,
            polls: std::mem::take(&mut self.polls),
            holds_execution_completion,
            first_sent_at: now,
            resend_at: None,
        });
        transmit
    }

    /// The transport's answer for `batch`. Answers for any other batch are ignored.
    pub fn on_response(&mut self, batch: u64, result: Result<Ack, TransportError>, now: u64) {
        let attempt = match &self.in_flight {
            Some(f) if f.transmit.batch == batch && f.resend_at.is_none() => f.transmit.attempt,
            _ => return,
        };
        let error = match result {
            Ok(ack) => {
                if let Some(f) = self.in_flight.take() {
                    self.acknowledged(f, ack, now);
                }
                return;
            }
            Err(e) => e,
        };
        self.failed(attempt, error, now);
    }

    /// A failed call: a throttle is retried while attempts remain, anything else ends
    /// the batch and latches. Out of line, as `transmit`.
    #[inline(never)]
    fn failed(&mut self, attempt: u32, error: TransportError, now: u64) {
        match error.classify() {
            Classified::Throttle { retry_after_ms } if attempt <= retry::MAX_RETRIES => {
                if let Some(f) = &mut self.in_flight {
                    f.resend_at =
                        Some(now.saturating_add(retry::delay_ms(attempt, retry_after_ms)));
                }
            }
            Classified::Throttle { .. } => self.fail_in_flight(ErrorCode::Throttled, error),
            Classified::Fail(code) => self.fail_in_flight(code, error),
        }
    }

    #[inline(never)]
    fn acknowledged(&mut self, f: InFlight<W>, ack: Ack, now: u64) {
        self.learn_operations(&ack.operations);
        let bytes = f.transmit.bytes;
        self.stats.api_calls += 1;
        self.stats.updates_sent += f.members.len() as u64;
        self.stats.bytes_sent += bytes as u64;
        let mut operation_ids = Vec::with_capacity(f.members.len());
        let mut waiters = Vec::new();
        for (id, waiter, _) in f.members {
            operation_ids.push(id);
            waiters.extend(waiter);
        }
        self.events.push_back(Event::Acked {
            waiters,
            polls: f.polls.into_iter().map(|(_, w)| w).collect(),
            info: BatchInfo {
                batch: f.transmit.batch,
                updates: operation_ids.len(),
                bytes,
                attempts: f.transmit.attempt,
                latency_ms: now.saturating_sub(f.first_sent_at),
                operation_ids,
            },
        });
        self.token
            .acknowledge(ack.checkpoint_token, f.holds_execution_completion);
        match self.token {
            TokenState::Current(_) => {}
            TokenState::Completed => {
                let e = CheckpointError::new(
                    ErrorCode::Closed,
                    "the execution completed before this checkpoint was sent",
                );
                self.fail_queued(e);
            }
            TokenState::Revoked => {
                let mut e = CheckpointError::new(
                    ErrorCode::TokenRevoked,
                    "the service acknowledged a checkpoint without a new CheckpointToken: this invocation cannot checkpoint further",
                );
                // The updates this ends are the ones still queued.
                e.operation_ids = self.queue.ids();
                self.set_latch(e);
            }
        }
        self.settle_flushes();
        self.hold_for_a_turn();
    }

    /// Idle policy: what was queued while a call was in flight waits for one quiet turn
    /// after its answer, so that the awaits the answer releases join the same batch (as
    /// the official SDK does with its setImmediate). Only `flush`/`close` skip the wait.
    /// Counting the answer as an input makes every driver wait for that turn.
    fn hold_for_a_turn(&mut self) {
        if self.config.flush != FlushPolicy::Idle || self.queue.is_empty() || self.latch.is_some() {
            return;
        }
        let flushed = self.flushes.iter().map(|&(seq, _)| seq).max().unwrap_or(0);
        self.queue.hold_after(flushed);
        self.last_seq += 1;
    }

    fn fail_in_flight(&mut self, code: ErrorCode, cause: TransportError) {
        let Some(f) = self.in_flight.take() else {
            return;
        };
        let mut e = CheckpointError::new(
            code,
            format!("checkpoint batch {} failed: {cause}", f.transmit.batch),
        );
        e.operation_ids = f.members.iter().map(|(id, _, _)| id.clone()).collect();
        e.cause = Some(Box::new(cause));
        let waiters: Vec<W> = f
            .members
            .into_iter()
            .filter_map(|(_, w, _)| w)
            .chain(f.polls.into_iter().map(|(_, w)| w))
            .collect();
        self.events.push_back(Event::Failed {
            waiters,
            error: e.clone(),
        });
        self.set_latch(e);
    }

    /// Latches on `e`: everything queued and every later update fails with it.
    fn set_latch(&mut self, e: CheckpointError) {
        if self.latch.is_some() {
            return;
        }
        self.latch = Some(e.clone());
        self.events.push_back(Event::Latched(e.clone()));
        self.fail_queued(e);
        self.settle_flushes();
    }

    fn fail_queued(&mut self, e: CheckpointError) {
        let waiters: Vec<W> = self
            .queue
            .drain()
            .into_iter()
            .filter_map(|x| x.waiter)
            .chain(self.polls.drain(..).map(|(_, w)| w))
            .collect();
        if !waiters.is_empty() {
            self.events.push_back(Event::Failed { waiters, error: e });
        }
    }

    /// Answers the flushes whose updates have all settled.
    fn settle_flushes(&mut self) {
        // Polls count as inputs too: a flush waits for the calls that answer them.
        let in_flight = self.in_flight.as_ref().and_then(|f| {
            let members = f.members.iter().map(|m| m.2);
            members.chain(f.polls.iter().map(|p| p.0)).min()
        });
        let waiting = [self.queue.head_seq(), self.polls.first().map(|p| p.0)];
        let oldest_unsettled = in_flight
            .into_iter()
            .chain(waiting.into_iter().flatten())
            .min()
            .unwrap_or(u64::MAX);
        let outcome = match (&self.latch, &self.token) {
            (Some(e), _) => Some(Err(e.clone())),
            (None, TokenState::Completed) => Some(Ok(())),
            _ => None,
        };
        let mut k = 0;
        while k < self.flushes.len() {
            let done = outcome
                .clone()
                .or_else(|| (self.flushes[k].0 < oldest_unsettled).then_some(Ok(())));
            match done {
                Some(result) => {
                    let (_, waiter) = self.flushes.remove(k);
                    self.events.push_back(Event::Flushed { waiter, result });
                }
                None => k += 1,
            }
        }
    }

    /// The next outcome for the caller.
    pub fn poll_event(&mut self) -> Option<Event<W>> {
        self.events.pop_front()
    }
}

/// The `ORPHANED` refusal of `u`, which would land under the finished `ancestor`.
fn orphaned(u: &OperationUpdate, ancestor: &str) -> CheckpointError {
    let mut e = CheckpointError::new(
        ErrorCode::Orphaned,
        format!(
            "update {} ({} {}) belongs under CONTEXT {ancestor}, which has already finished: it is not sent",
            u.id,
            u.operation_type.as_str(),
            u.action.as_str()
        ),
    );
    e.operation_ids = vec![u.id.clone()];
    e
}
