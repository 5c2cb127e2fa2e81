//! Order inside a batch (SPEC §3): EXECUTION completion last, a CONTEXT START before
//! everything whose parent chain reaches it, START before other actions of the same
//! Id, enqueue order otherwise. The result is the "earliest eligible" order: at each
//! position the earliest-enqueued update whose predecessors are all placed.
//!
//! The seed mixed the stability rule into a pairwise comparator, which is not a total
//! order. Here the rules are a precedence graph walked in Kahn's manner with a min-heap
//! on enqueue position. Chains are never materialised: parent links form a functional
//! graph whose cycles collapse into one node, leaving a forest in which a node "opens"
//! once its own CONTEXT STARTs and all its ancestors' are placed. Every update waits on
//! at most one node and one Id, so the walk is O(n log n) and always terminates.

use crate::hash::FnvBuild;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::update::{OperationAction, OperationUpdate};

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

/// True when enqueue order already satisfies every rule, so that it is the earliest
/// eligible order itself (each update's predecessors come before it, so the walk would
/// take them in enqueue order). Checked cheaply for the common batch with no CONTEXT
/// START in it (sequential steps, the children of a context started earlier): rule 2 is
/// then vacuous, rule 1 needs the completions at the end, rule 3 that no START follows
/// another action of its Id. Anything else takes the full walk.
fn already_ordered<T: Ordered>(items: &[T]) -> bool {
    let mut completions_from = None;
    let mut others: HashMap<&str, (), FnvBuild> = HashMap::default();
    for (i, u) in items.iter().enumerate() {
        if u.is_context_start() {
            return false;
        }
        if u.is_execution_completion() {
            completions_from.get_or_insert(i);
            continue;
        }
        if completions_from.is_some() {
            return false;
        }
        if u.is_start() {
            if others.contains_key(u.id()) {
                return false;
            }
        } else {
            others.insert(u.id(), ());
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
#[inline(never)]
pub fn order<T: Ordered>(items: &[T]) -> Vec<usize> {
    let n = items.len();
    if n <= 1 {
        return (0..n).collect();
    }
    if already_ordered(items) {
        return (0..n).collect();
    }
    let g = IdGraph::build(items);
    let mut walk = Walk::new(items, &g);
    let non_final = items
        .iter()
        .filter(|u| !u.is_execution_completion())
        .count();
    let mut out = Vec::with_capacity(n);
    let mut cursor = 0;
    while out.len() < non_final {
        let next = match walk.ready.pop() {
            Some(Reverse(i)) if walk.placed[i] => continue,
            Some(Reverse(i)) => i,
            None => {
                // Nothing eligible: a ParentId cycle. Place the earliest remaining
                // update anyway (never an EXECUTION completion) and go on.
                while walk.placed[cursor] || items[cursor].is_execution_completion() {
                    cursor += 1;
                }
                cursor
            }
        };
        walk.place(items, &g, next);
        out.push(next);
    }
    out.extend((0..n).filter(|&i| items[i].is_execution_completion()));
    out
}

type IdIndex<'a> = HashMap<&'a str, usize, FnvBuild>;

/// Many small lists in one buffer (list `k` is `items[start[k]..start[k + 1]]`):
/// one allocation instead of one per list, which dominates in WebAssembly.
struct Lists {
    start: Vec<usize>,
    items: Vec<usize>,
}

impl Lists {
    /// Groups `(list, item)` pairs by list, keeping their order within a list.
    fn new(lists: usize, pairs: &[(usize, usize)]) -> Self {
        let mut start = vec![0; lists + 1];
        for &(l, _) in pairs {
            start[l + 1] += 1;
        }
        for k in 0..lists {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut items = vec![0; pairs.len()];
        for &(l, i) in pairs {
            items[fill[l]] = i;
            fill[l] += 1;
        }
        Lists { start, items }
    }

    fn get(&self, k: usize) -> &[usize] {
        &self.items[self.start[k]..self.start[k + 1]]
    }
}

/// Operation Ids as nodes, parent links between them, and the forest left when the
/// link cycles are collapsed ("groups").
struct IdGraph {
    /// Node of each update's Id.
    node_of_item: Vec<usize>,
    /// Node of each update's ParentId.
    parent_node_of_item: Vec<Option<usize>>,
    /// Group of each node.
    group: Vec<usize>,
    /// Parent group of each group (none for roots and collapsed cycles).
    group_parent: Vec<Option<usize>>,
    group_children: Lists,
    /// Euler-tour interval of each group, for O(1) ancestor tests.
    enter: Vec<usize>,
    leave: Vec<usize>,
}

impl IdGraph {
    fn build<T: Ordered>(items: &[T]) -> Self {
        let mut index: IdIndex =
            HashMap::with_capacity_and_hasher(items.len() * 2, Default::default());
        let mut link: Vec<Option<usize>> = Vec::new();
        let mut linked: Vec<bool> = Vec::new();
        let mut intern = |id, link: &mut Vec<Option<usize>>, linked: &mut Vec<bool>| -> usize {
            let next = link.len();
            *index.entry(id).or_insert_with(|| {
                link.push(None);
                linked.push(false);
                next
            })
        };
        let mut node_of_item = Vec::with_capacity(items.len());
        let mut parent_node_of_item = Vec::with_capacity(items.len());
        for u in items {
            let x = intern(u.id(), &mut link, &mut linked);
            let p = u.parent_id().map(|p| intern(p, &mut link, &mut linked));
            // The chain follows the earliest-enqueued update of each Id.
            if !linked[x] {
                linked[x] = true;
                link[x] = p;
            }
            node_of_item.push(x);
            parent_node_of_item.push(p);
        }
        let m = link.len();

        // Collapse link cycles: each node has one outgoing link, so a walk that meets
        // its own trail has found a cycle.
        const NEW: usize = usize::MAX;
        let mut group = vec![NEW; m];
        let mut trail_pos = vec![NEW; m];
        let mut groups = 0;
        let mut trail = Vec::new();
        for start in 0..m {
            trail.clear();
            let mut x = Some(start);
            while let Some(y) = x {
                if group[y] != NEW || trail_pos[y] != NEW {
                    break;
                }
                trail_pos[y] = trail.len();
                trail.push(y);
                x = link[y];
            }
            let cycle_from = match x {
                Some(y) if group[y] == NEW => trail_pos[y],
                _ => trail.len(),
            };
            if cycle_from < trail.len() {
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
        let mut group_parent = vec![None; groups];
        for y in 0..m {
            if let Some(p) = link[y] {
                if group[p] != group[y] {
                    group_parent[group[y]] = Some(group[p]);
                }
            }
        }
        let child_pairs: Vec<(usize, usize)> = group_parent
            .iter()
            .enumerate()
            .filter_map(|(g, p)| p.map(|p| (p, g)))
            .collect();
        let group_children = Lists::new(groups, &child_pairs);
        let (mut enter, mut leave) = (vec![0; groups], vec![0; groups]);
        let mut clock = 0;
        let mut stack = Vec::new();
        for root in (0..groups).filter(|&g| group_parent[g].is_none()) {
            stack.push((root, 0));
            enter[root] = clock;
            clock += 1;
            while let Some((g, k)) = stack.pop() {
                if let Some(&c) = group_children.get(g).get(k) {
                    stack.push((g, k + 1));
                    enter[c] = clock;
                    clock += 1;
                    stack.push((c, 0));
                } else {
                    leave[g] = clock;
                    clock += 1;
                }
            }
        }
        IdGraph {
            node_of_item,
            parent_node_of_item,
            group,
            group_parent,
            group_children,
            enter,
            leave,
        }
    }

    fn is_ancestor_or_self(&self, a: usize, b: usize) -> bool {
        self.enter[a] <= self.enter[b] && self.leave[b] <= self.leave[a]
    }

    fn group_of_item(&self, i: usize) -> usize {
        self.group[self.node_of_item[i]]
    }
}

/// The state of Kahn's walk.
struct Walk {
    placed: Vec<bool>,
    /// Unplaced predecessors (or closed nodes) each update still waits on.
    pending: Vec<usize>,
    ready: BinaryHeap<Reverse<usize>>,
    /// Per node: unplaced STARTs of that Id, and the other actions waiting on them.
    starts_left: Vec<usize>,
    start_waiters: Lists,
    /// Per group: unplaced CONTEXT STARTs, whether it is open, who waits for it.
    contexts_left: Vec<usize>,
    open: Vec<bool>,
    open_waiters: Lists,
    /// Updates that wait on one particular CONTEXT START (see `new`).
    start_dependents: Lists,
}

impl Walk {
    fn new<T: Ordered>(items: &[T], g: &IdGraph) -> Self {
        let n = items.len();
        let nodes = g.group.len();
        let groups = g.group_parent.len();
        let mut w = Walk {
            placed: vec![false; n],
            pending: vec![0; n],
            ready: BinaryHeap::with_capacity(n),
            starts_left: vec![0; nodes],
            start_waiters: Lists::new(nodes, &[]),
            contexts_left: vec![0; groups],
            open: vec![false; groups],
            open_waiters: Lists::new(groups, &[]),
            start_dependents: Lists::new(n, &[]),
        };
        let mut context_pairs = Vec::new();
        for (i, u) in items.iter().enumerate() {
            if u.is_start() {
                w.starts_left[g.node_of_item[i]] += 1;
            }
            if u.is_context_start() {
                w.contexts_left[g.group_of_item(i)] += 1;
                context_pairs.push((g.group_of_item(i), i));
            }
        }
        let group_contexts = Lists::new(groups, &context_pairs);
        // Groups open from the start wake nobody: nobody waits yet.
        for root in 0..groups {
            if g.group_parent[root].is_none() && w.contexts_left[root] == 0 {
                w.open_from(g, root);
            }
        }
        let (mut dependents, mut open_waits, mut start_waits) =
            (Vec::new(), Vec::new(), Vec::new());
        for (i, u) in items.iter().enumerate() {
            if u.is_execution_completion() {
                continue; // placed after everything else
            }
            if let Some(p) = g.parent_node_of_item[i] {
                let pg = g.group[p];
                if u.is_context_start() && g.is_ancestor_or_self(g.group_of_item(i), pg) {
                    // A CONTEXT START inside its own chain (malformed links) must not
                    // wait for itself: it waits for each other START on the chain.
                    let mut at = Some(pg);
                    while let Some(c) = at {
                        for &s in group_contexts.get(c).iter().filter(|&&s| s != i) {
                            w.pending[i] += 1;
                            dependents.push((s, i));
                        }
                        at = g.group_parent[c];
                    }
                } else if !w.open[pg] {
                    w.pending[i] += 1;
                    open_waits.push((pg, i));
                }
            }
            let x = g.node_of_item[i];
            if !u.is_start() && w.starts_left[x] > 0 {
                w.pending[i] += 1;
                start_waits.push((x, i));
            }
            if w.pending[i] == 0 {
                w.ready.push(Reverse(i));
            }
        }
        w.start_dependents = Lists::new(n, &dependents);
        w.open_waiters = Lists::new(groups, &open_waits);
        w.start_waiters = Lists::new(nodes, &start_waits);
        w
    }

    fn place<T: Ordered>(&mut self, items: &[T], g: &IdGraph, i: usize) {
        self.placed[i] = true;
        let u = &items[i];
        if u.is_start() {
            let x = g.node_of_item[i];
            self.starts_left[x] -= 1;
            if self.starts_left[x] == 0 {
                for k in self.start_waiters.start[x]..self.start_waiters.start[x + 1] {
                    self.release(self.start_waiters.items[k]);
                }
            }
        }
        if u.is_context_start() {
            for k in self.start_dependents.start[i]..self.start_dependents.start[i + 1] {
                self.release(self.start_dependents.items[k]);
            }
            let c = g.group_of_item(i);
            self.contexts_left[c] -= 1;
            let parent_open = g.group_parent[c].is_none_or(|p| self.open[p]);
            if self.contexts_left[c] == 0 && parent_open {
                self.open_from(g, c);
            }
        }
    }

    /// Opens `c` and every descendant group that has no CONTEXT START left.
    fn open_from(&mut self, g: &IdGraph, c: usize) {
        let mut stack = vec![c];
        while let Some(c) = stack.pop() {
            self.open[c] = true;
            // Each group opens once, so each waiter list is released once.
            for k in self.open_waiters.start[c]..self.open_waiters.start[c + 1] {
                self.release(self.open_waiters.items[k]);
            }
            stack.extend(
                g.group_children
                    .get(c)
                    .iter()
                    .filter(|&&d| self.contexts_left[d] == 0 && !self.open[d]),
            );
        }
    }

    fn release(&mut self, i: usize) {
        self.pending[i] = self.pending[i].saturating_sub(1);
        if self.pending[i] == 0 && !self.placed[i] {
            self.ready.push(Reverse(i));
        }
    }
}
