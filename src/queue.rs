//! The sans-IO batch collector (SPEC §4): accepted updates wait here, already
//! serialized, until a batch is cut from the front. Time is a value passed in.

use crate::body;
use crate::chunked::Chunked;
use crate::config::Config;
use crate::order::Ordered;
use crate::update::{OperationAction, OperationUpdate};

/// An accepted update: what ordering needs, its wire bytes, and who waits for it.
#[derive(Debug)]
pub struct Entry<W> {
    /// Enqueue sequence number, from 1.
    pub seq: u64,
    /// When it was enqueued (ms).
    pub enqueued_at: u64,
    /// The update as compact JSON, when the core keeps it; `None` when the host
    /// keeps the bytes (WebAssembly: the JavaScript side holds the text or object).
    pub json: Option<String>,
    /// Its UTF-8 length in the request body.
    pub len: usize,
    /// Operation Id.
    pub id: String,
    /// Parent Id.
    pub parent_id: Option<String>,
    start: bool,
    context_start: bool,
    execution_completion: bool,
    /// The caller awaiting the outcome, if any (none for fire-and-forget).
    pub waiter: Option<W>,
}

impl<W> Entry<W> {
    /// Serializes `u` (already validated) into an entry. Nobody waits on it yet.
    pub fn new(u: OperationUpdate, seq: u64, now: u64) -> Self {
        let json = body::update_json(&u);
        Self::kept_by_host(u, json.len(), seq, now).with_json(Some(json))
    }

    /// An entry whose `len` bytes of JSON the host keeps (and joins into the body).
    pub fn kept_by_host(u: OperationUpdate, len: usize, seq: u64, now: u64) -> Self {
        Entry {
            seq,
            enqueued_at: now,
            json: None,
            len,
            start: u.action == OperationAction::Start,
            context_start: u.is_context_start(),
            execution_completion: u.is_execution_completion(),
            id: u.id,
            parent_id: u.parent_id,
            waiter: None,
        }
    }

    /// The same entry, the core keeping `json` (its `len` bytes) for the body.
    pub fn with_json(mut self, json: Option<String>) -> Self {
        self.json = json;
        self
    }
}

impl<W> Ordered for Entry<W> {
    fn id(&self) -> &str {
        &self.id
    }
    fn parent_id(&self) -> Option<&str> {
        self.parent_id.as_deref()
    }
    fn is_start(&self) -> bool {
        self.start
    }
    fn is_context_start(&self) -> bool {
        self.context_start
    }
    fn is_execution_completion(&self) -> bool {
        self.execution_completion
    }
}

/// Accepted updates not yet sent, oldest first.
#[derive(Debug)]
pub struct Queue<W> {
    entries: Chunked<Entry<W>>,
    /// Sum of the entries' JSON lengths.
    json_bytes: usize,
    /// Entries up to this sequence number go without waiting (flush, close, idle).
    released_through: u64,
}

impl<W> Default for Queue<W> {
    fn default() -> Self {
        Queue {
            entries: Chunked::default(),
            json_bytes: 0,
            released_through: 0,
        }
    }
}

impl<W> Queue<W> {
    /// Appends an entry.
    pub fn push(&mut self, e: Entry<W>) {
        self.json_bytes += e.len;
        self.entries.push_back(e);
    }

    /// Number of queued entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sequence number of the oldest entry.
    pub fn head_seq(&self) -> Option<u64> {
        self.entries.front().map(|e| e.seq)
    }

    /// True once inputs up to `seq` may go without waiting.
    pub fn released(&self, seq: u64) -> bool {
        seq <= self.released_through
    }

    /// The Ids of the queued entries, oldest first.
    pub fn ids(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.id.clone()).collect()
    }

    /// Lets everything queued so far go at once.
    pub fn release_through(&mut self, seq: u64) {
        self.released_through = self.released_through.max(seq);
    }

    /// Makes entries after `seq` wait again (for the next release).
    pub fn hold_after(&mut self, seq: u64) {
        self.released_through = self.released_through.min(seq);
    }

    /// True when the queue holds more than one request can carry.
    fn full(&self, cfg: &Config, tokens_json: usize) -> bool {
        self.entries.len() >= cfg.max_batch_operations
            || body::body_len(tokens_json, self.json_bytes, self.entries.len())
                > cfg.max_batch_size_bytes
    }

    /// When the forming batch must go at the latest.
    pub fn deadline(&self, cfg: &Config) -> Option<u64> {
        self.entries
            .front()
            .map(|e| e.enqueued_at.saturating_add(cfg.max_batch_time_ms))
    }

    /// True when a batch should be cut now. `tokens_json` is the size of both quoted
    /// tokens the request will carry.
    pub fn ready(&self, cfg: &Config, tokens_json: usize, now: u64) -> bool {
        let Some(head) = self.entries.front() else {
            return false;
        };
        head.seq <= self.released_through
            || self.deadline(cfg).is_some_and(|d| now >= d)
            || self.full(cfg, tokens_json)
    }

    /// Takes the next batch from the front, in enqueue order: as many entries as fit
    /// the count and byte limits, at least one.
    #[inline(never)]
    pub fn cut(&mut self, cfg: &Config, tokens_json: usize) -> Vec<Entry<W>> {
        let mut count = 0;
        let mut bytes = 0;
        for e in self.entries.iter() {
            if count == cfg.max_batch_operations {
                break;
            }
            let more = bytes + e.len;
            if count > 0 && body::body_len(tokens_json, more, count + 1) > cfg.max_batch_size_bytes
            {
                break;
            }
            bytes = more;
            count += 1;
        }
        self.json_bytes -= bytes;
        self.entries.take_front(count)
    }

    /// Takes everything (to fail it).
    pub fn drain(&mut self) -> Vec<Entry<W>> {
        self.json_bytes = 0;
        self.entries.take_front(usize::MAX)
    }
}
