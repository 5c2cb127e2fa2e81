//! The ancestor gate (SPEC §12): which Ids hang under which, which CONTEXTs have
//! finished, and whether a new update would land under a finished one.
//!
//! Ids are interned once each, so what the gate keeps is bounded by the distinct Ids
//! the batcher has seen (its own accepted updates and the operations it was handed).
//! A lookup walks parent links, O(depth); Brent's cycle finding stops the walk on any
//! ParentId graph, cycles included, in at most about twice the chain's length.

use std::collections::HashMap;
use std::rc::Rc;

use crate::hash::FnvBuild;
use crate::validate;

/// What the gate needs of an operation the service reported (the invocation's
/// initial state, a response's `NewExecutionState`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownOperation {
    /// The operation's Id.
    pub id: String,
    /// Its ParentId, if any.
    pub parent_id: Option<String>,
    /// True for a CONTEXT whose Status is SUCCEEDED, FAILED, CANCELLED, TIMED_OUT or
    /// STOPPED.
    pub finished_context: bool,
}

impl KnownOperation {
    /// Reads an operation's `Type` and `Status` as the service spells them.
    pub fn new(id: &str, parent_id: Option<&str>, op_type: &str, status: &str) -> Self {
        KnownOperation {
            id: id.to_string(),
            parent_id: parent_id.map(str::to_string),
            finished_context: op_type == "CONTEXT" && is_terminal_status(status),
        }
    }
}

/// Reads the compact form the JavaScript layer hands operations over in: one line
/// per operation, `Id<TAB>ParentId<TAB>F`, where ParentId may be empty and `F` is `1`
/// for a finished CONTEXT. Malformed lines are skipped (the gate only ever needs
/// well-formed Ids, which hold neither tab nor newline).
pub fn parse_known(text: &str) -> Vec<KnownOperation> {
    text.split('\n')
        .filter_map(|line| {
            let mut f = line.split('\t');
            let (id, parent, flag) = (f.next()?, f.next()?, f.next()?);
            (!id.is_empty()).then(|| KnownOperation {
                id: id.to_string(),
                parent_id: (!parent.is_empty()).then(|| parent.to_string()),
                finished_context: flag == "1",
            })
        })
        .collect()
}

/// Operation statuses after which nothing more happens under the operation.
pub fn is_terminal_status(status: &str) -> bool {
    matches!(
        status,
        "SUCCEEDED" | "FAILED" | "CANCELLED" | "TIMED_OUT" | "STOPPED"
    )
}

const NONE: u32 = u32::MAX;

#[derive(Debug)]
struct Node {
    id: Rc<str>,
    /// Index of the parent, or `NONE`. The first parent learned for an Id stays (as
    /// ordering follows the earlier-enqueued ParentId).
    parent: u32,
    finished: bool,
}

/// Parent links and finished CONTEXTs, per batcher.
#[derive(Debug, Default)]
pub struct Ancestry {
    index: HashMap<Rc<str>, u32, FnvBuild>,
    nodes: Vec<Node>,
}

impl Ancestry {
    /// Number of distinct Ids known.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True before anything is known.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    fn lookup(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    fn intern(&mut self, id: &str) -> u32 {
        if let Some(i) = self.lookup(id) {
            return i;
        }
        // More than u32::MAX - 1 distinct Ids cannot fit in one process's memory anyway.
        let i = self.nodes.len() as u32;
        let id: Rc<str> = id.into();
        self.index.insert(id.clone(), i);
        self.nodes.push(Node {
            id,
            parent: NONE,
            finished: false,
        });
        i
    }

    /// Records that `id` hangs under `parent_id` (if it is not known already). An Id
    /// with no parent is not kept: nothing would be learned from it (it is interned
    /// once something names it as a parent, or once it finishes).
    pub fn learn(&mut self, id: &str, parent_id: Option<&str>) {
        let Some(p) = parent_id.filter(|p| *p != id) else {
            return;
        };
        let i = self.intern(id);
        if self.nodes[i as usize].parent == NONE {
            let p = self.intern(p);
            self.nodes[i as usize].parent = p;
        }
    }

    /// Marks the CONTEXT `id` finished: nothing more may be sent under it.
    pub fn finish(&mut self, id: &str) {
        let i = self.intern(id);
        self.nodes[i as usize].finished = true;
    }

    /// True once `id` was marked finished.
    pub fn is_finished(&self, id: &str) -> bool {
        self.lookup(id)
            .is_some_and(|i| self.nodes[i as usize].finished)
    }

    /// Learns what an operation from the service says. Operations whose Id or ParentId
    /// breaks the Id format are skipped: no accepted update can name them.
    pub fn learn_operation(&mut self, op: &KnownOperation) {
        if validate::id_format("Id", &op.id).is_err()
            || op
                .parent_id
                .as_deref()
                .is_some_and(|p| validate::id_format("ParentId", p).is_err())
        {
            return;
        }
        self.learn(&op.id, op.parent_id.as_deref());
        if op.finished_context {
            self.finish(&op.id);
        }
    }

    /// The finished CONTEXT an update of `id` under `parent_id` would land under, if
    /// any. The chain starts at `parent_id`, or at the parent already known for `id`
    /// when the update names none; the update's own Id is not its own ancestor.
    pub fn finished_ancestor(&self, id: &str, parent_id: Option<&str>) -> Option<Rc<str>> {
        let start = match parent_id {
            Some(p) if p != id => self.lookup(p)?,
            Some(_) => return None,
            None => {
                let parent = self.nodes[self.lookup(id)? as usize].parent;
                if parent == NONE {
                    return None;
                }
                parent
            }
        };
        // Brent: `hare` visits the chain node by node; meeting `tortoise` means the
        // whole cycle (and the path into it) has been visited.
        let (mut tortoise, mut hare) = (NONE, start);
        let (mut power, mut steps) = (1u64, 0u64);
        while hare != NONE && hare != tortoise {
            let node = &self.nodes[hare as usize];
            if node.finished {
                return Some(node.id.clone());
            }
            if steps == power {
                tortoise = hare;
                power *= 2;
                steps = 0;
            }
            hare = node.parent;
            steps += 1;
        }
        None
    }
}
