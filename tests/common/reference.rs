//! A deliberately naive implementation of SPEC §3's definition, to check the real
//! one against: at each position, the earliest remaining update all of whose
//! predecessors are placed; if none, the earliest remaining non-EXECUTION-completion.

use std::collections::HashSet;

use durable_checkpoint::Ordered;

/// Ids on `items[i]`'s parent chain, followed through the batch (first occurrence of
/// each Id decides its parent).
pub fn chain<T: Ordered>(items: &[T], i: usize) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut next = items[i].parent_id().map(str::to_string);
    while let Some(p) = next {
        if !seen.insert(p.clone()) {
            break;
        }
        next = items
            .iter()
            .find(|u| u.id() == p)
            .and_then(|u| u.parent_id().map(str::to_string));
    }
    seen
}

/// True when `items[a]` must precede `items[b]`.
pub fn precedes<T: Ordered>(items: &[T], a: usize, b: usize) -> bool {
    if a == b {
        return false;
    }
    let (x, y) = (&items[a], &items[b]);
    if y.is_execution_completion() {
        return !x.is_execution_completion();
    }
    if x.is_start() && !y.is_start() && x.id() == y.id() {
        return true;
    }
    x.is_context_start() && chain(items, b).contains(x.id())
}

pub fn order<T: Ordered>(items: &[T]) -> Vec<usize> {
    let n = items.len();
    let mut placed = vec![false; n];
    let mut out = Vec::new();
    while out.len() < n {
        let eligible = (0..n).find(|&b| !placed[b] && (0..n).all(|a| placed[a] || !precedes(items, a, b)));
        let next = eligible.unwrap_or_else(|| {
            (0..n)
                .find(|&b| !placed[b] && !items[b].is_execution_completion())
                .expect("only EXECUTION completions left, and those are always eligible")
        });
        placed[next] = true;
        out.push(next);
    }
    out
}
