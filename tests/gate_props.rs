//! The ancestor gate (SPEC §12) against a model, driven through the sans-IO core,
//! with the order of every body sent checked against SPEC §3. Native only: proptest
//! needs OS randomness. The case count is proptest's default, so `PROPTEST_CASES`
//! decides it.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{HashMap, HashSet};

use durable_checkpoint::{
    Ack, CheckpointError, Checkpointer, Config, ErrorCode, ErrorObject, Event, FlushPolicy,
    KnownOperation, OperationAction, OperationType, OperationUpdate, Transmit,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

fn cfg() -> ProptestConfig {
    // Default config (reads PROPTEST_CASES); failures are reported, not persisted to
    // a regressions file next to this one.
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Operation statuses as the service spells them; the last five are terminal (§12).
const STATUSES: [&str; 8] = [
    "STARTED",
    "PENDING",
    "READY",
    "SUCCEEDED",
    "FAILED",
    "CANCELLED",
    "TIMED_OUT",
    "STOPPED",
];

fn terminal(status: &str) -> bool {
    STATUSES[3..].contains(&status)
}

// ---------------------------------------------------------------------------------
// The model of the gate: first-known parents and finished CONTEXTs.

#[derive(Debug, Default)]
struct Model {
    parent: HashMap<String, String>,
    /// Finished CONTEXTs, with what finished them first.
    finished: HashMap<String, &'static str>,
}

impl Model {
    fn learn(&mut self, id: &str, parent: Option<&str>) {
        if let Some(p) = parent.filter(|p| *p != id) {
            self.parent
                .entry(id.to_string())
                .or_insert_with(|| p.to_string());
        }
    }

    fn learn_op(&mut self, op: &KnownOperation, how: &'static str) {
        self.learn(&op.id, op.parent_id.as_deref());
        if op.finished_context {
            self.finish(&op.id, how);
        }
    }

    fn finish(&mut self, id: &str, how: &'static str) {
        self.finished.entry(id.to_string()).or_insert(how);
    }

    /// The finished CONTEXTs on the chain of an update of `id` naming `parent`,
    /// nearest first. The chain starts at `parent`, or at the parent known for `id`.
    fn finished_on_chain(&self, id: &str, parent: Option<&str>) -> Vec<String> {
        let mut at = match parent {
            Some(p) => Some(p.to_string()),
            None => self.parent.get(id).cloned(),
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        while let Some(x) = at {
            if !seen.insert(x.clone()) {
                break;
            }
            if self.finished.contains_key(&x) {
                out.push(x.clone());
            }
            at = self.parent.get(&x).cloned();
        }
        out
    }

    fn accept(&mut self, u: &OperationUpdate) {
        self.learn(&u.id, u.parent_id.as_deref());
        if u.operation_type == OperationType::Context
            && matches!(u.action, OperationAction::Succeed | OperationAction::Fail)
        {
            self.finish(&u.id, "update");
        }
    }
}

/// True when `message` names `id` as a whole word (Ids are `[A-Za-z0-9_-]`).
fn names(message: &str, id: &str) -> bool {
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .any(|w| w == id)
}

// ---------------------------------------------------------------------------------
// SPEC §3, naively: what ordering needs of an update, the chain through the batch,
// and the earliest-eligible order.

#[derive(Debug, Clone)]
struct Item {
    id: String,
    parent: Option<String>,
    start: bool,
    context_start: bool,
    execution_completion: bool,
}

impl Item {
    fn of(u: &OperationUpdate) -> Self {
        Item {
            id: u.id.clone(),
            parent: u.parent_id.clone(),
            start: u.action == OperationAction::Start,
            context_start: u.is_context_start(),
            execution_completion: u.is_execution_completion(),
        }
    }
}

/// Ids on `items[i]`'s parent chain through the batch (the first update of each Id
/// decides its parent).
fn chain(items: &[Item], i: usize) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut next = items[i].parent.clone();
    while let Some(p) = next {
        if !seen.insert(p.clone()) {
            break;
        }
        next = items
            .iter()
            .find(|u| u.id == p)
            .and_then(|u| u.parent.clone());
    }
    seen
}

/// `pred[b]`: the updates that rules 1, 2 and 3 put before `b`.
fn predecessors(items: &[Item]) -> Vec<Vec<usize>> {
    let chains: Vec<HashSet<String>> = (0..items.len()).map(|i| chain(items, i)).collect();
    (0..items.len())
        .map(|b| {
            (0..items.len())
                .filter(|&a| {
                    if items[b].execution_completion || items[a].execution_completion {
                        return !items[a].execution_completion;
                    }
                    a != b
                        && ((items[a].context_start && chains[b].contains(&items[a].id))
                            || (items[a].start && !items[b].start && items[a].id == items[b].id))
                })
                .collect()
        })
        .collect()
}

/// At each position the earliest-enqueued update whose predecessors are placed.
fn reference_order(items: &[Item]) -> Vec<usize> {
    let pred = predecessors(items);
    let mut placed = vec![false; items.len()];
    let mut out = Vec::new();
    while out.len() < items.len() {
        let next = (0..items.len())
            .find(|&b| !placed[b] && pred[b].iter().all(|&a| placed[a]))
            .or_else(|| (0..items.len()).find(|&b| !placed[b] && !items[b].execution_completion))
            .unwrap();
        placed[next] = true;
        out.push(next);
    }
    out
}

// ---------------------------------------------------------------------------------
// Generated cases.

/// Where an update puts its ParentId.
#[derive(Debug, Clone)]
enum ParentMode {
    /// The tree's parent.
    Tree,
    /// None: the gate must use the parent it already knows for the Id.
    Omitted,
    /// Some other context's Id (a step only; a confused SDK).
    Stray(Index),
}

#[derive(Debug, Clone)]
struct CtxSpec {
    /// An earlier context, when depth allows.
    parent: Option<Index>,
    /// 0: never completes by update, 1: SUCCEED, 2: FAIL.
    end: u8,
    end_parent: ParentMode,
}

#[derive(Debug, Clone)]
struct StepSpec {
    parent: Option<Index>,
    start: bool,
    retry: bool,
    retry_parent: ParentMode,
    fail: bool,
    end_parent: ParentMode,
}

#[derive(Debug, Clone)]
enum Control {
    /// `finish_context` on a context.
    Finish(Index),
    /// `learn_operations` with a CONTEXT in one of `STATUSES`.
    Learn(Index, usize),
    /// `learn_operations` with a terminal STEP (teaches a parent, finishes nothing):
    /// under its tree parent, or under another context (a parent that conflicts
    /// with what updates say; the first known one must win).
    LearnStep(Index, Option<Index>),
    /// A CONTEXT in one of `STATUSES`, in the next response's operations.
    AckOp(Index, usize),
    Idle,
    Flush,
    /// Acknowledge the batch in flight, if any.
    Respond,
    Tick(u64),
}

#[derive(Debug, Clone)]
struct Case {
    ctxs: Vec<CtxSpec>,
    steps: Vec<StepSpec>,
    controls: Vec<Control>,
    choices: Vec<Index>,
    /// Children may be enqueued before their context's START (racing code).
    relaxed: bool,
    max_ops: usize,
    window: bool,
    /// Where the script enqueues the EXECUTION's SUCCEED, if it does.
    complete_at: Option<Index>,
    /// Whether the service answers that batch without a token (ending checkpointing).
    end_without_token: bool,
}

fn ctx_parent_mode() -> impl Strategy<Value = ParentMode> {
    prop_oneof![3 => Just(ParentMode::Tree), 1 => Just(ParentMode::Omitted)]
}

fn step_parent_mode() -> impl Strategy<Value = ParentMode> {
    prop_oneof![
        6 => Just(ParentMode::Tree),
        2 => Just(ParentMode::Omitted),
        1 => any::<Index>().prop_map(ParentMode::Stray),
    ]
}

fn control() -> impl Strategy<Value = Control> {
    prop_oneof![
        2 => any::<Index>().prop_map(Control::Finish),
        2 => (any::<Index>(), 0..STATUSES.len()).prop_map(|(i, s)| Control::Learn(i, s)),
        2 => (any::<Index>(), prop::option::weighted(0.5, any::<Index>()))
            .prop_map(|(j, p)| Control::LearnStep(j, p)),
        2 => (any::<Index>(), 0..STATUSES.len()).prop_map(|(i, s)| Control::AckOp(i, s)),
        3 => Just(Control::Idle),
        1 => Just(Control::Flush),
        4 => Just(Control::Respond),
        1 => (0u64..1500).prop_map(Control::Tick),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    let ctx = (
        prop::option::weighted(0.8, any::<Index>()),
        0u8..3,
        ctx_parent_mode(),
    )
        .prop_map(|(parent, end, end_parent)| CtxSpec {
            parent,
            end,
            end_parent,
        });
    let step = (
        prop::option::weighted(0.85, any::<Index>()),
        any::<bool>(),
        prop::bool::weighted(0.3),
        step_parent_mode(),
        prop::bool::weighted(0.3),
        step_parent_mode(),
    )
        .prop_map(
            |(parent, start, retry, retry_parent, fail, end_parent)| StepSpec {
                parent,
                start,
                retry,
                retry_parent,
                fail,
                end_parent,
            },
        );
    (
        prop::collection::vec(ctx, 1..=8),
        prop::collection::vec(step, 0..=14),
        prop::collection::vec(control(), 0..40),
        prop::collection::vec(any::<Index>(), 100),
        prop::bool::weighted(0.25),
        prop_oneof![1 => Just(250usize), 2 => 1usize..=5],
        prop::bool::weighted(0.25),
        prop::option::weighted(0.3, any::<Index>()),
        prop::bool::weighted(0.7),
    )
        .prop_map(
            |(
                ctxs,
                steps,
                controls,
                choices,
                relaxed,
                max_ops,
                window,
                complete_at,
                end_without_token,
            )| Case {
                ctxs,
                steps,
                controls,
                choices,
                relaxed,
                max_ops,
                window,
                complete_at,
                end_without_token,
            },
        )
}

/// What the script does next.
#[derive(Debug, Clone)]
enum Ev {
    Update(Box<OperationUpdate>),
    Control(Control),
}

/// The tree of a case: Ids and parents of the contexts and steps.
struct Tree {
    ctx_parent: Vec<Option<usize>>,
    step_parent: Vec<Option<usize>>,
}

impl Tree {
    fn ctx(i: usize) -> String {
        format!("c{i}")
    }
    fn step(j: usize) -> String {
        format!("s{j}")
    }
    fn ctx_parent_id(&self, i: usize) -> Option<String> {
        self.ctx_parent[i].map(Tree::ctx)
    }
    fn step_parent_id(&self, j: usize) -> Option<String> {
        self.step_parent[j].map(Tree::ctx)
    }
}

/// The tree, and the script: per node events (a context's START first) interleaved
/// with the controls by the case's choices. Unless `relaxed`, a node's events keep
/// their order and come after its context's START.
fn build(case: &Case) -> (Tree, Vec<Ev>, bool) {
    let nc = case.ctxs.len();
    let mut depth = vec![0usize; nc];
    let mut ctx_parent = vec![None; nc];
    for (i, c) in case.ctxs.iter().enumerate().skip(1) {
        if let Some(p) = c.parent.map(|x| x.index(i)) {
            if depth[p] < 4 {
                ctx_parent[i] = Some(p);
                depth[i] = depth[p] + 1;
            }
        }
    }
    let step_parent: Vec<Option<usize>> = case
        .steps
        .iter()
        .map(|s| s.parent.map(|x| x.index(nc)))
        .collect();
    let tree = Tree {
        ctx_parent,
        step_parent,
    };
    let mut straight = !case.relaxed;
    let with_parent = |mut u: OperationUpdate, mode: &ParentMode, tree_parent: Option<String>| {
        u.parent_id = match mode {
            ParentMode::Tree => tree_parent,
            ParentMode::Omitted => None,
            ParentMode::Stray(x) => Some(Tree::ctx(x.index(nc))),
        };
        u
    };
    // Node k < nc is context k, else step k - nc; `owner[k]` is its context.
    let mut events: Vec<Vec<OperationUpdate>> = Vec::new();
    let mut owner: Vec<Option<usize>> = Vec::new();
    for (i, c) in case.ctxs.iter().enumerate() {
        let id = Tree::ctx(i);
        let p = tree.ctx_parent_id(i);
        let mut us = vec![with_parent(
            OperationUpdate::start(&id, OperationType::Context),
            &ParentMode::Tree,
            p.clone(),
        )];
        match c.end {
            1 => us.push(OperationUpdate::succeed(
                &id,
                OperationType::Context,
                Some("done".into()),
            )),
            2 => us.push(OperationUpdate::fail(
                &id,
                OperationType::Context,
                ErrorObject::default(),
            )),
            _ => {}
        }
        if let Some(last) = us.get_mut(1) {
            *last = with_parent(last.clone(), &c.end_parent, p);
        }
        events.push(us);
        owner.push(tree.ctx_parent[i]);
    }
    for (j, s) in case.steps.iter().enumerate() {
        let id = Tree::step(j);
        let p = tree.step_parent_id(j);
        let mut us = Vec::new();
        if s.start {
            us.push(OperationUpdate::start(&id, OperationType::Step).with_parent_opt(p.clone()));
        }
        if s.retry {
            us.push(with_parent(
                OperationUpdate::new(&id, OperationType::Step, OperationAction::Retry),
                &s.retry_parent,
                p.clone(),
            ));
        }
        let end = if s.fail {
            OperationUpdate::fail(&id, OperationType::Step, ErrorObject::default())
        } else {
            OperationUpdate::succeed(&id, OperationType::Step, Some("1".into()))
        };
        us.push(with_parent(end, &s.end_parent, p));
        let stray = |m: &ParentMode| matches!(m, ParentMode::Stray(_));
        if stray(&s.end_parent) || (s.retry && stray(&s.retry_parent)) {
            straight = false;
        }
        events.push(us);
        owner.push(tree.step_parent[j]);
    }
    let mut started = vec![false; nc];
    let mut controls = case.controls.iter();
    let mut next_control = controls.next();
    let mut script = Vec::new();
    for t in 0.. {
        // (node, position in its remaining events), or the next control.
        let mut pool: Vec<Option<(usize, usize)>> = Vec::new();
        for (k, us) in events.iter().enumerate() {
            if us.is_empty() {
                continue;
            }
            if case.relaxed {
                pool.extend((0..us.len()).map(|e| Some((k, e))));
            } else if owner[k].is_none_or(|p| started[p]) {
                pool.push(Some((k, 0)));
            }
        }
        if next_control.is_some() {
            pool.push(None);
        }
        if pool.is_empty() {
            break;
        }
        let pick = case.choices.get(t).map_or(0, |c| c.index(pool.len()));
        match pool[pick] {
            Some((k, e)) => {
                let u = events[k].remove(e);
                if k < nc && u.action == OperationAction::Start {
                    started[k] = true;
                }
                script.push(Ev::Update(Box::new(u)));
            }
            None => {
                script.push(Ev::Control(next_control.unwrap().clone()));
                next_control = controls.next();
            }
        }
    }
    if let Some(at) = case.complete_at {
        let u = OperationUpdate::succeed("exec", OperationType::Execution, Some("out".into()));
        script.insert(at.index(script.len() + 1), Ev::Update(Box::new(u)));
    }
    (tree, script, straight)
}

trait WithParentOpt {
    fn with_parent_opt(self, p: Option<String>) -> Self;
}

impl WithParentOpt for OperationUpdate {
    fn with_parent_opt(mut self, p: Option<String>) -> Self {
        self.parent_id = p;
        self
    }
}

// ---------------------------------------------------------------------------------
// Running a script against the core and the model.

/// One enqueue attempt (its update carries `Name` "u{k}").
#[derive(Debug)]
struct Record {
    update: OperationUpdate,
    accepted: bool,
}

struct Harness {
    core: Checkpointer<u32>,
    model: Model,
    records: Vec<Record>,
    /// Record numbers in acceptance order.
    accepted: Vec<usize>,
    sent: Vec<Transmit>,
    in_flight: Option<Transmit>,
    ack_ops: Vec<KnownOperation>,
    now: u64,
    token: String,
    tokens: u32,
    clients: u32,
    flushes: u32,
    flushed: u32,
    refusals: usize,
    /// The batch holding the EXECUTION completion was acknowledged without a token
    /// (SPEC §5): later updates fail CLOSED, queued ones are dropped.
    completed: bool,
    /// How the service answers the EXECUTION completion.
    end_without_token: bool,
    /// Refusals by what finished the nearest finished ancestor (statistics).
    refused_by: HashMap<&'static str, usize>,
    trace: Vec<String>,
}

impl Harness {
    fn new(config: Config) -> Self {
        Harness {
            core: Checkpointer::new(config, "tok0".into()).unwrap(),
            model: Model::default(),
            records: Vec::new(),
            accepted: Vec::new(),
            sent: Vec::new(),
            in_flight: None,
            ack_ops: Vec::new(),
            now: 0,
            token: "tok0".into(),
            tokens: 0,
            clients: 0,
            flushes: 0,
            flushed: 0,
            refusals: 0,
            completed: false,
            end_without_token: false,
            refused_by: HashMap::new(),
            trace: Vec::new(),
        }
    }

    fn trace(&self) -> String {
        self.trace.join("\n")
    }

    fn enqueue(&mut self, mut u: OperationUpdate) -> Result<(), TestCaseError> {
        let k = self.records.len();
        u.name = Some(format!("u{k}"));
        let expected = self.model.finished_on_chain(&u.id, u.parent_id.as_deref());
        let seq = self.core.last_seq();
        let result = self.core.enqueue(u.clone(), None, self.now);
        self.trace.push(format!(
            "enqueue u{k} {} {} {} parent={:?} -> {}",
            u.id,
            u.operation_type.as_str(),
            u.action.as_str(),
            u.parent_id,
            match &result {
                Ok(()) => "ok".to_string(),
                Err(e) => format!("{e}"),
            }
        ));
        match result {
            Ok(()) => {
                prop_assert!(
                    expected.is_empty(),
                    "accepted u{} although {:?} finished on its chain\n{}",
                    k,
                    expected,
                    self.trace()
                );
                prop_assert!(
                    !self.completed,
                    "accepted u{} after completion\n{}",
                    k,
                    self.trace()
                );
                prop_assert_eq!(self.core.last_seq(), seq + 1);
                self.model.accept(&u);
                self.records.push(Record {
                    update: u,
                    accepted: true,
                });
                self.accepted.push(k);
            }
            // After the execution completed; which refusal wins when the update is
            // also orphaned is not this file's business.
            Err(e) if self.completed && e.code == ErrorCode::Closed => {
                prop_assert_eq!(&e.operation_ids, &vec![u.id.clone()]);
                prop_assert_eq!(self.core.last_seq(), seq, "nothing queued");
                self.records.push(Record {
                    update: u,
                    accepted: false,
                });
            }
            Err(e) => {
                prop_assert!(
                    !expected.is_empty(),
                    "refused u{}: {}\n{}",
                    k,
                    e,
                    self.trace()
                );
                check_orphaned(&e, &u.id, &expected)
                    .map_err(|m| TestCaseError::fail(format!("u{k}: {m}\n{}", self.trace())))?;
                prop_assert_eq!(self.core.last_seq(), seq, "nothing queued");
                prop_assert!(self.core.latched().is_none(), "not latched");
                self.refusals += 1;
                let nearest = self.model.finished[&expected[0]];
                *self.refused_by.entry(nearest).or_default() += 1;
                if u.parent_id.is_none() {
                    *self.refused_by.entry("no ParentId").or_default() += 1;
                }
                let id = u.id.clone();
                self.records.push(Record {
                    update: u,
                    accepted: false,
                });
                // The batcher is unharmed: a valid update right after goes in.
                if !self.completed {
                    let probe = OperationUpdate::succeed(
                        format!("probe{k}"),
                        OperationType::Step,
                        Some(id),
                    );
                    let before = self.accepted.len();
                    self.enqueue(probe)?;
                    prop_assert_eq!(self.accepted.len(), before + 1, "probe accepted");
                }
            }
        }
        Ok(())
    }

    /// Sends the next batch if one is due and none is in flight.
    fn pump(&mut self) -> Result<(), TestCaseError> {
        if self.in_flight.is_some() {
            return Ok(());
        }
        let clients = &mut self.clients;
        let t = self.core.poll_transmit(self.now, &mut || {
            *clients += 1;
            format!("client-{clients}")
        });
        if let Some(t) = t {
            self.trace
                .push(format!("send batch {} ({} updates)", t.batch, t.updates));
            prop_assert_eq!(&t.checkpoint_token, &self.token, "token chained");
            prop_assert_eq!(t.attempt, 1);
            self.sent.push(t.clone());
            self.in_flight = Some(t);
        }
        Ok(())
    }

    fn respond(&mut self) -> Result<(), TestCaseError> {
        let Some(t) = self.in_flight.take() else {
            return Ok(());
        };
        let holds_completion = body_updates(&t)
            .iter()
            .any(|(k, _)| self.records[*k].update.is_execution_completion());
        // The service ends the execution by answering its completion without a token
        // (SPEC §5); with one, checkpointing goes on.
        let ends = holds_completion && self.end_without_token;
        self.tokens += 1;
        self.token = format!("tok{}", self.tokens);
        let operations = std::mem::take(&mut self.ack_ops);
        self.trace.push(format!(
            "ack batch {}{} with {:?}",
            t.batch,
            if ends { " without a token" } else { "" },
            operations
                .iter()
                .map(|o| (&o.id, o.finished_context))
                .collect::<Vec<_>>()
        ));
        for op in &operations {
            self.model.learn_op(op, "ack");
        }
        let ack = Ack {
            checkpoint_token: (!ends).then(|| self.token.clone()),
            operations,
        };
        self.core.on_response(t.batch, Ok(ack), self.now);
        self.completed |= ends;
        let mut acked = false;
        while let Some(ev) = self.core.poll_event() {
            match ev {
                Event::Acked { info, .. } => {
                    prop_assert_eq!(info.batch, t.batch);
                    prop_assert_eq!(info.updates, t.updates);
                    acked = true;
                }
                Event::Flushed { result, .. } => {
                    prop_assert!(result.is_ok(), "{:?}", result);
                    self.flushed += 1;
                }
                other => prop_assert!(false, "unexpected {:?}\n{}", other, self.trace()),
            }
        }
        prop_assert!(acked);
        Ok(())
    }

    fn learn(&mut self, op: KnownOperation) {
        self.trace.push(format!(
            "learn {} parent={:?} finished={}",
            op.id, op.parent_id, op.finished_context
        ));
        self.model.learn_op(&op, "learn_operations");
        self.core.learn_operations(&[op]);
    }

    fn control(&mut self, c: &Control, tree: &Tree) -> Result<(), TestCaseError> {
        let nc = tree.ctx_parent.len();
        match c {
            Control::Finish(x) => {
                let id = Tree::ctx(x.index(nc));
                self.trace.push(format!("finish_context {id}"));
                self.core.finish_context(&id).unwrap();
                self.model.finish(&id, "finish_context");
            }
            Control::Learn(x, s) => {
                let i = x.index(nc);
                let op = KnownOperation::new(
                    &Tree::ctx(i),
                    tree.ctx_parent_id(i).as_deref(),
                    "CONTEXT",
                    STATUSES[*s],
                );
                prop_assert_eq!(op.finished_context, terminal(STATUSES[*s]));
                self.learn(op);
            }
            Control::LearnStep(x, stray) => {
                if !tree.step_parent.is_empty() {
                    let j = x.index(tree.step_parent.len());
                    let p = match stray {
                        Some(c) => Some(Tree::ctx(c.index(nc))),
                        None => tree.step_parent_id(j),
                    };
                    let op = KnownOperation::new(&Tree::step(j), p.as_deref(), "STEP", "SUCCEEDED");
                    prop_assert!(!op.finished_context);
                    self.learn(op);
                }
            }
            Control::AckOp(x, s) => {
                let i = x.index(nc);
                let op = KnownOperation::new(
                    &Tree::ctx(i),
                    tree.ctx_parent_id(i).as_deref(),
                    "CONTEXT",
                    STATUSES[*s],
                );
                prop_assert_eq!(op.finished_context, terminal(STATUSES[*s]));
                self.ack_ops.push(op);
            }
            Control::Idle => self.core.idle(),
            Control::Flush => self.flush()?,
            Control::Respond => self.respond()?,
            Control::Tick(ms) => self.now += ms,
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), TestCaseError> {
        self.flushes += 1;
        self.core.flush(self.flushes);
        while let Some(ev) = self.core.poll_event() {
            match ev {
                Event::Flushed { result, .. } => {
                    prop_assert!(result.is_ok(), "{:?}", result);
                    self.flushed += 1;
                }
                other => prop_assert!(false, "unexpected {:?}", other),
            }
        }
        Ok(())
    }

    /// Flushes and acknowledges everything left.
    fn drain(&mut self) -> Result<(), TestCaseError> {
        self.flush()?;
        for _ in 0..10_000 {
            self.pump()?;
            if self.in_flight.is_none() {
                break;
            }
            self.respond()?;
        }
        prop_assert!(!self.core.has_pending(), "drained\n{}", self.trace());
        prop_assert_eq!(self.flushed, self.flushes, "every flush answered");
        Ok(())
    }
}

/// `e` is the ORPHANED refusal of an update of `id`, naming one of `finished`.
fn check_orphaned(e: &CheckpointError, id: &str, finished: &[String]) -> Result<(), String> {
    if e.code != ErrorCode::Orphaned {
        return Err(format!("code {:?}, not ORPHANED: {e}", e.code));
    }
    if e.operation_ids != [id] {
        return Err(format!("operation_ids {:?}, not [{id}]", e.operation_ids));
    }
    if !finished.iter().any(|a| names(&e.message, a)) {
        return Err(format!(
            "message {:?} names none of {finished:?}",
            e.message
        ));
    }
    if e.retriable() {
        return Err("ORPHANED must not be retriable".into());
    }
    Ok(())
}

/// The updates of a body, with the record number their Name gives.
fn body_updates(t: &Transmit) -> Vec<(usize, Value)> {
    let v: Value = serde_json::from_str(&t.body).expect("body is JSON");
    assert_eq!(v.as_object().unwrap().len(), 3, "{}", t.body);
    assert_eq!(v["CheckpointToken"], t.checkpoint_token.as_str());
    assert_eq!(v["ClientToken"], t.client_token.as_str());
    v["Updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let name = u["Name"].as_str().expect("every update is named");
            (name[1..].parse().unwrap(), u.clone())
        })
        .collect()
}

fn check_bodies(h: &Harness, max_ops: usize, straight: bool) -> Result<(), TestCaseError> {
    let mut sent_once: HashSet<usize> = HashSet::new();
    let mut cursor = 0;
    // Acceptance position of each record.
    let rank: HashMap<usize, usize> = h
        .accepted
        .iter()
        .enumerate()
        .map(|(r, &k)| (k, r))
        .collect();
    for t in &h.sent {
        let ups = body_updates(t);
        prop_assert_eq!(ups.len(), t.updates);
        prop_assert!(ups.len() <= max_ops, "{} > {} updates", ups.len(), max_ops);
        for (k, v) in &ups {
            let r = &h.records[*k];
            // (1) nothing refused is ever sent; (2) nothing is sent twice.
            prop_assert!(r.accepted, "refused u{} was sent\n{}", k, h.trace());
            prop_assert!(sent_once.insert(*k), "u{} sent twice", k);
            let u = &r.update;
            prop_assert_eq!(v["Id"].as_str(), Some(u.id.as_str()));
            prop_assert_eq!(v["Action"].as_str(), Some(u.action.as_str()));
            prop_assert_eq!(v["Type"].as_str(), Some(u.operation_type.as_str()));
            prop_assert_eq!(v["ParentId"].as_str(), u.parent_id.as_deref());
        }
        // A batch is the next run of accepted updates, in enqueue order.
        let mut ks: Vec<usize> = ups.iter().map(|(k, _)| *k).collect();
        ks.sort_by_key(|k| rank[k]);
        prop_assert_eq!(&ks[..], &h.accepted[cursor..cursor + ks.len()]);
        cursor += ks.len();
        // (3) SPEC §3 inside the body.
        let items: Vec<Item> = ks.iter().map(|&k| Item::of(&h.records[k].update)).collect();
        let at: HashMap<usize, usize> = ups.iter().enumerate().map(|(p, (k, _))| (*k, p)).collect();
        let pos: Vec<usize> = ks.iter().map(|k| at[k]).collect();
        let pred = predecessors(&items);
        for b in 0..items.len() {
            for &a in &pred[b] {
                prop_assert!(
                    pos[a] < pos[b],
                    "rule {}: u{} ({} {}) must precede u{} ({})\nbody {}\n{}",
                    if items[b].execution_completion {
                        1
                    } else if items[a].id == items[b].id {
                        3
                    } else {
                        2
                    },
                    ks[a],
                    items[a].id,
                    if items[a].context_start {
                        "CONTEXT START"
                    } else {
                        "START"
                    },
                    ks[b],
                    items[b].id,
                    t.body,
                    h.trace()
                );
            }
            // Rule 4: an update nothing waits on keeps its place before every later one.
            if pred[b].is_empty() {
                for c in b + 1..items.len() {
                    prop_assert!(
                        pos[b] < pos[c],
                        "rule 4: u{} before u{}\nbody {}",
                        ks[b],
                        ks[c],
                        t.body
                    );
                }
            }
        }
        let expected: Vec<usize> = reference_order(&items).into_iter().map(|i| ks[i]).collect();
        let actual: Vec<usize> = ups.iter().map(|(k, _)| *k).collect();
        prop_assert_eq!(
            &actual,
            &expected,
            "earliest-eligible order\nbody {}",
            t.body
        );
        if straight {
            // Nothing but the EXECUTION completion (last) moves.
            let mut want = ks.clone();
            want.sort_by_key(|&k| h.records[k].update.is_execution_completion());
            prop_assert_eq!(&actual, &want, "SDK order needs no reordering");
        }
    }
    // (2) every accepted update is sent: all of them, or (SPEC §5) those cut before
    // the EXECUTION completion was acknowledged, the rest failing CLOSED.
    let completion = h
        .accepted
        .iter()
        .any(|&k| h.records[k].update.is_execution_completion());
    prop_assert_eq!(completion && h.end_without_token, h.completed);
    if !h.completed {
        prop_assert_eq!(cursor, h.accepted.len(), "every accepted update sent");
    }
    Ok(())
}

fn run(case: &Case) -> Result<Harness, TestCaseError> {
    let (tree, script, straight) = build(case);
    let config = Config {
        max_batch_operations: case.max_ops,
        flush: if case.window {
            FlushPolicy::Window
        } else {
            FlushPolicy::Idle
        },
        ..Config::default()
    };
    let mut h = Harness::new(config);
    h.end_without_token = case.end_without_token;
    let ctx_ids: Vec<String> = (0..tree.ctx_parent.len()).map(Tree::ctx).collect();
    for ev in &script {
        match ev {
            Ev::Update(u) => h.enqueue((**u).clone())?,
            Ev::Control(c) => h.control(c, &tree)?,
        }
        h.pump()?;
        for c in &ctx_ids {
            prop_assert_eq!(
                h.core.is_context_finished(c),
                h.model.finished.contains_key(c),
                "finished({})\n{}",
                c,
                h.trace()
            );
        }
    }
    h.drain()?;
    check_bodies(&h, case.max_ops, straight)?;
    Ok(h)
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn gate_agrees_with_the_model_and_bodies_keep_the_order(case in case()) {
        run(&case)?;
    }
}

/// Sanity of the generator: over a fixed sample, refusals, splitting and several
/// batches all happen (so the property above is not vacuous).
#[test]
fn the_generator_exercises_refusals_and_batches() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        RunnerConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let cases = 200;
    let (mut refusing, mut multi_batch, mut reordering, mut completing) = (0, 0, 0, 0);
    let mut by: HashMap<&'static str, usize> = HashMap::new();
    for _ in 0..cases {
        let c = case().new_tree(&mut runner).unwrap().current();
        let h = run(&c).unwrap_or_else(|e| panic!("{e}\n{c:?}"));
        refusing += usize::from(h.refusals > 0);
        completing += usize::from(h.completed);
        multi_batch += usize::from(h.sent.len() > 2);
        reordering += usize::from(h.sent.iter().any(|t| {
            let ks: Vec<usize> = body_updates(t).into_iter().map(|(k, _)| k).collect();
            ks.windows(2).any(|w| w[0] > w[1])
        }));
        for (k, n) in h.refused_by {
            *by.entry(k).or_default() += n;
        }
    }
    eprintln!(
        "{cases} cases: {refusing} refuse, {multi_batch} send 3+ batches, \
         {reordering} reorder a body, {completing} end the execution; \
         refusals by cause {by:?}"
    );
    assert!(refusing > cases / 3, "{refusing} of {cases} cases refuse");
    assert!(multi_batch > cases / 4, "{multi_batch} of {cases} split");
    assert!(reordering > cases / 20, "{reordering} of {cases} reorder");
    assert!(completing > cases / 20, "{completing} of {cases} complete");
    for how in [
        "update",
        "finish_context",
        "learn_operations",
        "ack",
        "no ParentId",
    ] {
        assert!(by.get(how).copied().unwrap_or(0) > 5, "{how}: {by:?}");
    }
}

// ---------------------------------------------------------------------------------
// Concrete scenarios.

fn core() -> Checkpointer<u32> {
    Checkpointer::new(Config::default(), "tok0".into()).unwrap()
}

fn ctx_start(id: &str, parent: Option<&str>) -> OperationUpdate {
    OperationUpdate::start(id, OperationType::Context).with_parent_opt(parent.map(Into::into))
}

fn step(id: &str, action: OperationAction, parent: Option<&str>) -> OperationUpdate {
    OperationUpdate::new(id, OperationType::Step, action).with_parent_opt(parent.map(Into::into))
}

fn refused(c: &mut Checkpointer<u32>, u: OperationUpdate, ancestor: &str) {
    let id = u.id.clone();
    let seq = c.last_seq();
    let e = c.enqueue(u, None, 0).expect_err("must be refused");
    check_orphaned(&e, &id, &[ancestor.to_string()]).unwrap();
    assert_eq!(c.last_seq(), seq);
    assert!(c.latched().is_none());
}

fn accepted(c: &mut Checkpointer<u32>, u: OperationUpdate) {
    c.enqueue(u, None, 0).expect("must be accepted");
}

/// Flushes and acknowledges everything; the (Id, Action) pairs sent, in body order.
fn send_all(c: &mut Checkpointer<u32>, ops: Vec<KnownOperation>) -> Vec<(String, String)> {
    c.flush(0);
    let mut out = Vec::new();
    let mut n = 0;
    let mut ops = Some(ops);
    while let Some(t) = c.poll_transmit(0, &mut || "client".into()) {
        n += 1;
        out.extend(ids_actions(&t));
        let ack = Ack {
            checkpoint_token: Some(format!("next{n}")),
            operations: ops.take().unwrap_or_default(),
        };
        c.on_response(t.batch, Ok(ack), 0);
    }
    while let Some(ev) = c.poll_event() {
        assert!(
            matches!(
                ev,
                Event::Acked { .. } | Event::Flushed { result: Ok(()), .. }
            ),
            "{ev:?}"
        );
    }
    assert!(!c.has_pending());
    out
}

/// (Id, Action) of each update in a body, in body order.
fn ids_actions(t: &Transmit) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(&t.body).unwrap();
    v["Updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let s = |k: &str| u[k].as_str().unwrap().to_string();
            (s("Id"), s("Action"))
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn grandchildren_are_refused_once_the_grandparent_finishes() {
    use OperationAction::{Start, Succeed};
    for how in [
        "SUCCEED",
        "FAIL",
        "finish_context",
        "learn_operations",
        "Ack",
    ] {
        let mut c = core();
        accepted(&mut c, ctx_start("G", None));
        accepted(&mut c, ctx_start("C", Some("G")));
        accepted(&mut c, step("s", Start, Some("C")));
        let mut sent = Vec::new();
        match how {
            "SUCCEED" => accepted(
                &mut c,
                OperationUpdate::succeed("G", OperationType::Context, None),
            ),
            "FAIL" => accepted(
                &mut c,
                OperationUpdate::fail("G", OperationType::Context, ErrorObject::default()),
            ),
            "finish_context" => c.finish_context("G").unwrap(),
            "learn_operations" => {
                c.learn_operations(&[KnownOperation::new("G", None, "CONTEXT", "SUCCEEDED")])
            }
            _ => {
                let op = KnownOperation::new("G", None, "CONTEXT", "TIMED_OUT");
                sent = send_all(&mut c, vec![op]);
            }
        }
        assert!(c.is_context_finished("G"), "{how}");
        assert!(!c.is_context_finished("C"), "{how}");
        refused(&mut c, step("s", Succeed, Some("C")), "G");
        refused(&mut c, step("s", Succeed, None), "G");
        refused(&mut c, step("t", Start, Some("C")), "G");
        refused(&mut c, ctx_start("C2", Some("C")), "G");
        refused(
            &mut c,
            OperationUpdate::succeed("C", OperationType::Context, None).with_parent("G"),
            "G",
        );
        // Not latched: an unrelated update goes in and everything accepted is sent.
        accepted(&mut c, step("x", Succeed, None));
        sent.extend(send_all(&mut c, Vec::new()));
        let mut want = vec![("G", "START"), ("C", "START"), ("s", "START")];
        match how {
            "SUCCEED" => want.push(("G", "SUCCEED")),
            "FAIL" => want.push(("G", "FAIL")),
            _ => {}
        }
        want.push(("x", "SUCCEED"));
        assert_eq!(sent, pairs(&want), "{how}");
    }
}

#[test]
fn parent_cycles_terminate_and_refuse_only_through_a_finished_context_on_them() {
    use OperationAction::{Start, Succeed};
    let mut c = core();
    let known =
        |id: &str, p: &str, status: &str| KnownOperation::new(id, Some(p), "CONTEXT", status);
    c.learn_operations(&[
        known("a", "b", "STARTED"),
        known("b", "a", "STARTED"),
        known("p", "q", "STARTED"),
        known("q", "r", "STARTED"),
        known("r", "p", "STARTED"),
        // Finished, but below the cycles, not on them.
        known("d", "a", "SUCCEEDED"),
        known("e", "r", "CANCELLED"),
    ]);
    c.learn_operations(&[KnownOperation::new("z", None, "CONTEXT", "SUCCEEDED")]);
    for u in [
        step("x", Start, Some("a")),
        step("y", Start, Some("p")),
        ctx_start("a", None),
        ctx_start("b", None),
        ctx_start("q", None),
        step("w", Start, Some("b")),
    ] {
        accepted(&mut c, u);
    }
    refused(&mut c, step("under-d", Start, Some("d")), "d");
    refused(&mut c, step("under-e", Start, Some("e")), "e");
    // `a` on the 2-cycle finishes: everything whose chain reaches it is refused,
    // `b` (whose parent is `a`) and `a` itself (its chain b -> a comes back to it).
    c.learn_operations(&[known("a", "b", "FAILED")]);
    refused(&mut c, step("x", Succeed, None), "a");
    refused(&mut c, step("x2", Start, Some("b")), "a");
    refused(&mut c, ctx_start("b", None), "a");
    refused(&mut c, ctx_start("a", None), "a");
    // The 3-cycle is untouched.
    accepted(&mut c, step("y", Succeed, None));
    accepted(&mut c, step("y2", Start, Some("q")));
    let sent = send_all(&mut c, Vec::new());
    assert_eq!(
        sent,
        pairs(&[
            // In the batch `a` names no parent, so `x` waits only for a's START; `y`
            // hangs under `p`, which has no update here, so nothing holds it back.
            ("y", "START"),
            ("a", "START"),
            ("x", "START"),
            ("b", "START"),
            ("q", "START"),
            ("w", "START"),
            ("y", "SUCCEED"),
            ("y2", "START"),
        ])
    );
}

#[test]
fn finish_context_on_an_unseen_id_closes_the_gate_under_it() {
    use OperationAction::{Start, Succeed};
    let mut c = core();
    assert!(!c.is_context_finished("ghost"));
    c.finish_context("ghost").unwrap();
    c.finish_context("ghost").unwrap();
    assert!(c.is_context_finished("ghost"));
    refused(&mut c, step("s", Start, Some("ghost")), "ghost");
    refused(&mut c, ctx_start("child", Some("ghost")), "ghost");
    // The context's own update is not under itself.
    accepted(&mut c, ctx_start("ghost", None));
    // A parent learned later, for an Id first seen without one, counts.
    accepted(&mut c, step("k", Start, None));
    c.learn_operations(&[KnownOperation::new("k", Some("ghost"), "STEP", "STARTED")]);
    refused(&mut c, step("k", Succeed, None), "ghost");
    // A malformed Id is refused and finishes nothing.
    let e = c.finish_context("not valid!").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidUpdate);
    assert!(!c.is_context_finished("not valid!"));
    accepted(&mut c, step("free", Succeed, None));
    let sent = send_all(&mut c, Vec::new());
    assert_eq!(
        sent,
        pairs(&[("ghost", "START"), ("k", "START"), ("free", "SUCCEED")])
    );
}

#[test]
fn a_parentless_update_follows_the_parent_known_for_its_id() {
    use OperationAction::{Start, Succeed};
    let mut c = core();
    accepted(&mut c, ctx_start("C", None));
    accepted(&mut c, ctx_start("L", None));
    accepted(&mut c, step("s", Start, Some("C")));
    accepted(&mut c, step("u", Start, Some("C")));
    c.learn_operations(&[KnownOperation::new("t", Some("C"), "STEP", "STARTED")]);
    accepted(
        &mut c,
        OperationUpdate::succeed("C", OperationType::Context, None),
    );
    // No ParentId: the chain starts at the parent known for the Id.
    refused(&mut c, step("s", Succeed, None), "C");
    refused(&mut c, step("t", Succeed, None), "C");
    // A ParentId given: the chain starts there, and the first-known parent stays.
    accepted(&mut c, step("u", Succeed, Some("L")));
    refused(&mut c, step("u", Succeed, None), "C");
    let sent = send_all(&mut c, Vec::new());
    assert_eq!(
        sent,
        pairs(&[
            ("C", "START"),
            ("L", "START"),
            ("s", "START"),
            ("u", "START"),
            ("C", "SUCCEED"),
            ("u", "SUCCEED"),
        ])
    );
}
