//! Order inside a batch (SPEC §3): EXECUTION completion last, a CONTEXT START before
//! everything whose parent chain reaches it, START before other actions of the same
//! Id, enqueue order otherwise. The result is the "earliest eligible" order: at each
//! position the earliest-enqueued update whose predecessors are all placed.
//!
//! The seed mixed the stability rule into a pairwise comparator, which is not a total
//! order. Here the rules are a precedence graph walked in Kahn's manner, always taking
//! the earliest-enqueued eligible update. Chains are never materialised: parent links
//! form a functional graph whose cycles collapse into one node, leaving a forest in
//! which a node "opens" once its own CONTEXT STARTs and all its ancestors' are placed.
//! Every update waits on at most one node and one Id, so the walk is O(n log n) and
//! always terminates.

use crate::hash::FnvBuild;
use std::collections::HashMap;

use crate::update::{self, OperationAction, OperationType, OperationUpdate};

/// What ordering needs to know of an update.
pub trait Ordered {
    /// The operation Id.
    fn id(&self) -> &str;
    /// The parent's Id, if any.
    fn parent_id(&self) -> Option<&str>;
    /// True for action START (any type).
    fn is_start(&self) -> bool;
    /// True for a CONTEXT START.
    fn is_context_start(&self) -> bool;
    /// True for an EXECUTION SUCCEED or FAIL.
    fn is_execution_completion(&self) -> bool;
}

impl Ordered for OperationUpdate {
    fn id(&self) -> &str {
        &self.id
    }
    fn parent_id(&self) -> Option<&str> {
        self.parent_id.as_deref()
    }
    fn is_start(&self) -> bool {
        self.action == OperationAction::Start
    }
    fn is_context_start(&self) -> bool {
        OperationUpdate::is_context_start(self)
    }
    fn is_execution_completion(&self) -> bool {
        OperationUpdate::is_execution_completion(self)
    }
}

/// One update as the walk sees it: its Id and ParentId as node numbers (equal Ids,
/// equal numbers) and the three facts the rules ask about. Callers that already hold
/// the Ids interned (the JS API's fast path) order these directly with [`order_nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    /// Node of the update's Id.
    pub id: usize,
    /// Node of its ParentId, if any.
    pub parent: Option<usize>,
    /// Action START (any type).
    pub start: bool,
    /// A CONTEXT START.
    pub context_start: bool,
    /// An EXECUTION SUCCEED or FAIL.
    pub execution_completion: bool,
}

impl Node {
    /// The node of an update of type `t` and action `a`, its Ids numbered `id` and
    /// `parent`.
    pub fn new(id: usize, parent: Option<usize>, t: OperationType, a: OperationAction) -> Self {
        Node {
            id,
            parent,
            start: a == OperationAction::Start,
            context_start: update::is_context_start(t, a),
            execution_completion: update::is_execution_completion(t, a),
        }
    }
}

/// True when enqueue order already satisfies every rule, so that it is the earliest
/// eligible order itself (each update's predecessors come before it, so the walk would
/// take them in enqueue order). Checked without numbering the Ids for the common batch
/// with no CONTEXT START in it (sequential steps, the children of a context started
/// earlier): rule 2 is then vacuous, rule 1 needs the completions at the end, rule 3
/// that no START follows another action of its Id. Anything else goes on to
/// [`enqueue_order_holds`], then the walk.
fn already_ordered<T: Ordered>(items: &[T]) -> bool {
    // A map like `intern`'s, its values unused: the same table type, so one copy of its code.
    let mut acted: HashMap<&str, usize, FnvBuild> = HashMap::default();
    let mut completions_started = false;
    for u in items {
        if u.is_context_start() {
            return false;
        }
        if u.is_execution_completion() {
            completions_started = true;
            continue;
        }
        if completions_started {
            return false;
        }
        if u.is_start() {
            if acted.contains_key(u.id()) {
                return false;
            }
        } else {
            acted.insert(u.id(), 0);
        }
    }
    true
}

/// Sorts updates into the SPEC §3 order.
pub fn sort_updates(updates: Vec<OperationUpdate>) -> Vec<OperationUpdate> {
    let perm = order(&updates);
    let mut slots: Vec<Option<OperationUpdate>> = updates.into_iter().map(Some).collect();
    perm.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The SPEC §3 order as a permutation: `order(items)[k]` is the index of the update
/// that goes at position `k`. Every index appears exactly once.
pub fn order<T: Ordered>(items: &[T]) -> Vec<usize> {
    let n = items.len();
    if n <= 1 || already_ordered(items) {
        return (0..n).collect();
    }
    let (nodes, m) = intern(items);
    if enqueue_order_holds(&nodes, m) {
        return (0..n).collect();
    }
    walk(&nodes, m)
}

/// [`order`] of updates whose Ids are already numbered: `nodes` (below `m`, or `m`
/// grows to cover them) stand for the Ids.
pub fn order_nodes(nodes: &[Node], m: usize) -> Vec<usize> {
    let n = nodes.len();
    let m = nodes
        .iter()
        .map(|u| u.id.max(u.parent.unwrap_or(0)).saturating_add(1))
        .fold(m, usize::max);
    if n <= 1 || enqueue_order_holds(nodes, m) {
        return (0..n).collect();
    }
    walk(nodes, m)
}

/// True when enqueue order satisfies rules 1-3 with CONTEXT STARTs in the batch too
/// (a context's START followed by its children, the batch after a child context's last
/// step): then it is the walk's order as well, each update's predecessors all before it.
/// A CONTEXT START seen twice for one Id, or a parent chain longer than the work budget
/// (a cycle), says no and leaves the batch to the walk. Ids are numbered below `m`.
#[inline(never)]
fn enqueue_order_holds(items: &[Node], m: usize) -> bool {
    const NONE: usize = usize::MAX;
    // An Id with no update in the batch: its chain stops there.
    const ABSENT: usize = usize::MAX - 1;
    // Per Id: its parent by the earliest update of it (the chain rule), and where its
    // CONTEXT START is.
    let mut parent = vec![ABSENT; m];
    let mut context_start = vec![NONE; m];
    for (i, u) in items.iter().enumerate() {
        if parent[u.id] == ABSENT {
            parent[u.id] = u.parent.unwrap_or(NONE);
        }
        if u.context_start {
            if context_start[u.id] != NONE {
                return false;
            }
            context_start[u.id] = i;
        }
    }
    let mut acted = vec![false; m];
    let mut completions = false;
    let mut budget = 8 * items.len();
    for (j, u) in items.iter().enumerate() {
        // Rule 1: EXECUTION completions only at the end.
        if u.execution_completion {
            completions = true;
            continue;
        }
        if completions {
            return false;
        }
        // Rule 3: no START after another action of its Id.
        if u.start {
            if acted[u.id] {
                return false;
            }
        } else {
            acted[u.id] = true;
        }
        // Rule 2: every context on the chain started before this update.
        let mut p = u.parent.unwrap_or(NONE);
        while p < ABSENT {
            if context_start[p] != NONE && context_start[p] > j {
                return false;
            }
            if budget == 0 {
                return false;
            }
            budget -= 1;
            p = parent[p];
        }
    }
    true
}

/// Numbers the Ids and ParentIds of `items` in order of first appearance.
fn intern<T: Ordered>(items: &[T]) -> (Vec<Node>, usize) {
    let mut index: HashMap<&str, usize, FnvBuild> =
        HashMap::with_capacity_and_hasher(items.len() * 2, Default::default());
    let mut number = |id| {
        let next = index.len();
        *index.entry(id).or_insert(next)
    };
    let nodes = items
        .iter()
        .map(|u| Node {
            id: number(u.id()),
            parent: u.parent_id().map(&mut number),
            start: u.is_start(),
            context_start: u.is_context_start(),
            execution_completion: u.is_execution_completion(),
        })
        .collect();
    (nodes, index.len())
}

/// Kahn's walk over the precedence graph of `items` (Ids numbered below `m`).
#[inline(never)]
fn walk(items: &[Node], m: usize) -> Vec<usize> {
    let n = items.len();
    let g = IdGraph::build(items, m);
    let mut walk = Walk::new(items, &g);
    let non_final = items.iter().filter(|u| !u.execution_completion).count();
    let mut out = Vec::with_capacity(n);
    let mut cursor = 0;
    while out.len() < non_final {
        let next = match walk.ready.eligible.pop_min() {
            Some(i) if walk.ready.placed[i] => continue,
            Some(i) => i,
            None => {
                // Nothing eligible: a ParentId cycle. Place the earliest remaining
                // update anyway (never an EXECUTION completion) and go on.
                while walk.ready.placed[cursor] || items[cursor].execution_completion {
                    cursor += 1;
                }
                cursor
            }
        };
        walk.place(items, &g, next);
        out.push(next);
    }
    out.extend((0..n).filter(|&i| items[i].execution_completion));
    out
}

/// No node, group or item.
const NONE: usize = usize::MAX;

/// Many small lists in one buffer (list `k` is `items[start[k]..start[k + 1]]`): one
/// allocation instead of one per list, which dominates in WebAssembly. Used where an
/// item may sit on several lists; [`Chains`] where it sits on at most one.
struct Lists {
    start: Vec<usize>,
    items: Vec<usize>,
}

impl Lists {
    /// Groups `(list, item)` pairs by list.
    fn new(lists: usize, pairs: &[(usize, usize)]) -> Self {
        if pairs.is_empty() {
            return Lists {
                start: Vec::new(),
                items: Vec::new(),
            };
        }
        // Counted, summed to each list's end, then filled backwards to its start.
        let mut start = vec![0; lists + 1];
        for &(l, _) in pairs {
            start[l] += 1;
        }
        for k in 1..=lists {
            start[k] += start[k - 1];
        }
        let mut items = vec![0; pairs.len()];
        for &(l, i) in pairs.iter().rev() {
            start[l] -= 1;
            items[start[l]] = i;
        }
        Lists { start, items }
    }

    /// List `k` (empty when no list holds anything).
    fn get(&self, k: usize) -> &[usize] {
        match self.start.get(k..k + 2) {
            Some(&[from, to]) => &self.items[from..to],
            _ => &[],
        }
    }
}

/// Lists where each item sits on at most one, linked through the items: built in one
/// pass without counting. The order within a list is not kept; the walk's eligible set orders
/// what a list releases.
struct Chains {
    head: Vec<usize>,
    next: Vec<usize>,
}

impl Chains {
    fn new(lists: usize, items: usize) -> Self {
        Chains {
            head: vec![NONE; lists],
            next: vec![NONE; items],
        }
    }

    #[inline(always)]
    fn push(&mut self, list: usize, item: usize) {
        self.next[item] = self.head[list];
        self.head[list] = item;
    }

    /// The items of `list`, emptying it.
    #[inline(always)]
    fn take(&mut self, list: usize) -> ChainIter<'_> {
        let at = std::mem::replace(&mut self.head[list], NONE);
        ChainIter {
            next: &self.next,
            at,
        }
    }

    /// The items of `list`.
    #[inline(always)]
    fn iter(&self, list: usize) -> ChainIter<'_> {
        ChainIter {
            next: &self.next,
            at: self.head[list],
        }
    }
}

struct ChainIter<'a> {
    next: &'a [usize],
    at: usize,
}

impl Iterator for ChainIter<'_> {
    type Item = usize;
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        let i = self.at;
        if i == NONE {
            return None;
        }
        self.at = self.next[i];
        Some(i)
    }
}

/// Operation Ids as nodes, parent links between them, and the forest left when the
/// link cycles are collapsed ("groups").
struct IdGraph {
    /// Group of each node.
    group: Vec<usize>,
    /// Parent group of each group (`NONE` for roots and collapsed cycles).
    group_parent: Vec<usize>,
    /// Child groups of each group.
    group_children: Chains,
    /// Euler-tour interval of each group, for O(1) ancestor tests (empty when none is
    /// needed).
    enter: Vec<usize>,
    leave: Vec<usize>,
}

impl IdGraph {
    fn build(items: &[Node], m: usize) -> Self {
        // The chain follows the earliest-enqueued update of each Id.
        const UNSET: usize = NONE - 1;
        let mut link = vec![UNSET; m];
        for u in items {
            if link[u.id] == UNSET {
                link[u.id] = u.parent.unwrap_or(NONE);
            }
        }
        let next = |y: usize| (link[y] < UNSET).then(|| link[y]);

        // Collapse link cycles: each node has one outgoing link, so a walk that meets
        // its own trail has found a cycle.
        let mut group = vec![NONE; m];
        let mut trail_pos = vec![NONE; m];
        let mut groups = 0;
        let mut has_cycle = false;
        let mut trail = Vec::new();
        for start in 0..m {
            trail.clear();
            let mut x = Some(start);
            while let Some(y) = x {
                if group[y] != NONE || trail_pos[y] != NONE {
                    break;
                }
                trail_pos[y] = trail.len();
                trail.push(y);
                x = next(y);
            }
            let cycle_from = match x {
                Some(y) if group[y] == NONE => trail_pos[y],
                _ => trail.len(),
            };
            if cycle_from < trail.len() {
                has_cycle = true;
                for &y in &trail[cycle_from..] {
                    group[y] = groups;
                }
                groups += 1;
            }
            for &y in &trail[..cycle_from] {
                group[y] = groups;
                groups += 1;
            }
        }
        let mut group_parent = vec![NONE; groups];
        let mut group_children = Chains::new(groups, groups);
        for y in 0..m {
            if let Some(p) = next(y) {
                if group[p] != group[y] {
                    group_parent[group[y]] = group[p];
                    group_children.push(group[p], group[y]);
                }
            }
        }
        // The tour only serves the test for a CONTEXT START inside its own chain, which
        // takes a link cycle or an update naming another parent than its Id's earliest.
        let consistent = items.iter().all(|u| next(u.id) == u.parent);
        if !has_cycle && consistent {
            return IdGraph {
                group,
                group_parent,
                group_children,
                enter: Vec::new(),
                leave: Vec::new(),
            };
        }
        let (mut enter, mut leave) = (vec![0; groups], vec![0; groups]);
        let mut clock = 0;
        // (group, its next child to visit)
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in (0..groups).filter(|&g| group_parent[g] == NONE) {
            stack.push((root, group_children.head[root]));
            enter[root] = clock;
            clock += 1;
            while let Some(top) = stack.last_mut() {
                let (g, c) = *top;
                if c == NONE {
                    leave[g] = clock;
                    clock += 1;
                    stack.pop();
                } else {
                    top.1 = group_children.next[c];
                    enter[c] = clock;
                    clock += 1;
                    stack.push((c, group_children.head[c]));
                }
            }
        }
        IdGraph {
            group,
            group_parent,
            group_children,
            enter,
            leave,
        }
    }

    #[inline(always)]
    fn is_ancestor_or_self(&self, a: usize, b: usize) -> bool {
        // No tour: the links were shown to allow no such case (`build`).
        !self.enter.is_empty() && self.enter[a] <= self.enter[b] && self.leave[b] <= self.leave[a]
    }

    #[inline(always)]
    fn group_of_item(&self, u: &Node) -> usize {
        self.group[u.id]
    }
}

/// The state of Kahn's walk.
struct Walk {
    /// Which updates are placed, waiting or eligible.
    ready: Ready,
    /// Per node: unplaced STARTs of that Id, and the other actions waiting on them.
    starts_left: Vec<usize>,
    start_waiters: Chains,
    /// Per group: unplaced CONTEXT STARTs, whether it is open, who waits for it.
    contexts_left: Vec<usize>,
    open: Vec<bool>,
    open_waiters: Chains,
    /// Updates that wait on one particular CONTEXT START (see `new`).
    start_dependents: Lists,
    /// `open_from`'s stack, kept between calls.
    opening: Vec<usize>,
}

impl Walk {
    fn new(items: &[Node], g: &IdGraph) -> Self {
        let n = items.len();
        let nodes = g.group.len();
        let groups = g.group_parent.len();
        let mut w = Walk {
            ready: Ready {
                placed: vec![false; n],
                pending: vec![0; n],
                eligible: IndexSet::new(n),
            },
            starts_left: vec![0; nodes],
            start_waiters: Chains::new(nodes, n),
            contexts_left: vec![0; groups],
            open: vec![false; groups],
            open_waiters: Chains::new(groups, n),
            start_dependents: Lists::new(n, &[]),
            opening: Vec::new(),
        };
        let mut group_contexts = Chains::new(groups, n);
        for (i, u) in items.iter().enumerate() {
            if u.start {
                w.starts_left[u.id] += 1;
            }
            if u.context_start {
                w.contexts_left[g.group_of_item(u)] += 1;
                group_contexts.push(g.group_of_item(u), i);
            }
        }
        // Groups open from the start wake nobody: nobody waits yet.
        for root in 0..groups {
            if g.group_parent[root] == NONE && w.contexts_left[root] == 0 {
                w.open_from(g, root);
            }
        }
        let mut dependents = Vec::new();
        for (i, u) in items.iter().enumerate() {
            if u.execution_completion {
                continue; // placed after everything else
            }
            if let Some(p) = u.parent {
                let pg = g.group[p];
                if u.context_start && g.is_ancestor_or_self(g.group_of_item(u), pg) {
                    // A CONTEXT START inside its own chain (malformed links) must not
                    // wait for itself: it waits for each other START on the chain.
                    let mut c = pg;
                    while c != NONE {
                        for s in group_contexts.iter(c).filter(|&s| s != i) {
                            w.ready.pending[i] += 1;
                            dependents.push((s, i));
                        }
                        c = g.group_parent[c];
                    }
                } else if !w.open[pg] {
                    w.ready.pending[i] += 1;
                    w.open_waiters.push(pg, i);
                }
            }
            let x = u.id;
            if !u.start && w.starts_left[x] > 0 {
                w.ready.pending[i] += 1;
                w.start_waiters.push(x, i);
            }
            if w.ready.pending[i] == 0 {
                w.ready.eligible.insert(i);
            }
        }
        w.start_dependents = Lists::new(n, &dependents);
        w
    }

    fn place(&mut self, items: &[Node], g: &IdGraph, i: usize) {
        self.ready.placed[i] = true;
        let u = &items[i];
        if u.start {
            let x = u.id;
            self.starts_left[x] -= 1;
            if self.starts_left[x] == 0 {
                for k in self.start_waiters.take(x) {
                    self.ready.release(k);
                }
            }
        }
        if u.context_start {
            for &k in self.start_dependents.get(i) {
                self.ready.release(k);
            }
            let c = g.group_of_item(u);
            self.contexts_left[c] -= 1;
            let parent = g.group_parent[c];
            let parent_open = parent == NONE || self.open[parent];
            if self.contexts_left[c] == 0 && parent_open {
                self.open_from(g, c);
            }
        }
    }

    /// Opens `c` and every descendant group that has no CONTEXT START left.
    fn open_from(&mut self, g: &IdGraph, c: usize) {
        // One stack for the whole walk: a batch of many contexts opens many groups.
        self.opening.push(c);
        while let Some(c) = self.opening.pop() {
            self.open[c] = true;
            // Each group opens once, so each waiter list is released once.
            for k in self.open_waiters.take(c) {
                self.ready.release(k);
            }
            let (left, open) = (&self.contexts_left, &self.open);
            self.opening.extend(
                g.group_children
                    .iter(c)
                    .filter(|&d| left[d] == 0 && !open[d]),
            );
        }
    }
}

/// The walk's updates: which are placed, what each still waits on, which are eligible.
struct Ready {
    placed: Vec<bool>,
    /// Unplaced predecessors (or closed nodes) each update still waits on.
    pending: Vec<usize>,
    eligible: IndexSet,
}

impl Ready {
    #[inline(always)]
    fn release(&mut self, i: usize) {
        self.pending[i] = self.pending[i].saturating_sub(1);
        if self.pending[i] == 0 && !self.placed[i] {
            self.eligible.insert(i);
        }
    }
}

/// A set of indices below a fixed bound with a cheap smallest-member pop: a 64-ary tree
/// of bit words (a bit per index, then a bit per non-empty word above it, up to one
/// word), so both operations cost one word per level, O(log₆₄ n): two levels up to
/// 4,096 updates. A binary heap's sifting cost the walk more than everything else
/// together (measured natively and as wasm).
struct IndexSet {
    /// `levels[0]` holds the indices; `levels[l + 1]` a bit per non-empty word of `levels[l]`.
    levels: Vec<Vec<u64>>,
}

impl IndexSet {
    fn new(n: usize) -> Self {
        let mut levels = Vec::new();
        let mut bits = n.max(1);
        loop {
            let words = bits.div_ceil(64);
            levels.push(vec![0; words]);
            if words == 1 {
                break;
            }
            bits = words;
        }
        IndexSet { levels }
    }

    #[inline(always)]
    fn insert(&mut self, i: usize) {
        let mut i = i;
        for level in &mut self.levels {
            let word = &mut level[i / 64];
            let was_empty = *word == 0;
            *word |= 1 << (i % 64);
            if !was_empty {
                break; // the levels above already mark this word
            }
            i /= 64;
        }
    }

    fn pop_min(&mut self) -> Option<usize> {
        let top = self.levels.len() - 1;
        if self.levels[top][0] == 0 {
            return None;
        }
        let mut i = 0;
        for level in self.levels.iter().rev() {
            i = i * 64 + level[i].trailing_zeros() as usize;
        }
        let found = i;
        for level in &mut self.levels {
            let word = &mut level[i / 64];
            *word &= !(1 << (i % 64));
            if *word != 0 {
                break; // still non-empty: the levels above stay marked
            }
            i /= 64;
        }
        Some(found)
    }
}
