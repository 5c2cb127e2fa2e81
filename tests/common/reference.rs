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

pub fn order<T: Ordered>(items: &[T]) -> Vec<usize> {
    let n = items.len();
    let chains: Vec<HashSet<String>> = (0..n).map(|i| chain(items, i)).collect();
    let precedes = |a: usize, b: usize| -> bool {
        let (x, y) = (&items[a], &items[b]);
        if a == b {
            false
        } else if y.is_execution_completion() {
            !x.is_execution_completion()
        } else {
            (x.is_start() && !y.is_start() && x.id() == y.id())
                || (x.is_context_start() && chains[b].contains(x.id()))
        }
    };
    // Predecessors still unplaced, per update.
    let mut waiting: Vec<usize> = (0..n)
        .map(|b| (0..n).filter(|&a| precedes(a, b)).count())
        .collect();
    let mut placed = vec![false; n];
    let mut out = Vec::new();
    while out.len() < n {
        let eligible = (0..n).find(|&b| !placed[b] && waiting[b] == 0);
        let next = eligible.unwrap_or_else(|| {
            (0..n)
                .find(|&b| !placed[b] && !items[b].is_execution_completion())
                .expect("only EXECUTION completions left, and those are always eligible")
        });
        placed[next] = true;
        out.push(next);
        for (b, w) in waiting.iter_mut().enumerate() {
            if precedes(next, b) {
                *w -= 1;
            }
        }
    }
    out
}
