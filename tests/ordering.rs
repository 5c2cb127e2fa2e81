//! Ordering inside a batch (SPEC §3): the seed's cases, ported, plus the cases where
//! the seed's comparator was wrong. Runs natively and as WebAssembly under Node.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use durable_checkpoint::OperationAction::{Fail, Start, Succeed};
use durable_checkpoint::OperationType::{Callback, ChainedInvoke, Context, Execution, Step, Wait};
use durable_checkpoint::{order, order_nodes, sort_updates, Node, OperationUpdate};

fn ids(us: &[OperationUpdate]) -> Vec<&str> {
    us.iter().map(|u| u.id.as_str()).collect()
}

#[test]
fn execution_completion_is_last() {
    let sorted = sort_updates(vec![
        succeed("exec-1", Execution),
        start("step-1", Step),
        succeed("step-2", Step),
    ]);
    assert_eq!(ids(&sorted), ["step-1", "step-2", "exec-1"]);
    assert_eq!(sorted[2].action, Succeed);
    assert_eq!(sorted[2].operation_type, Execution);
}

#[test]
fn execution_fail_is_last() {
    let sorted = sort_updates(vec![fail("exec-1", Execution), start("step-1", Step)]);
    assert_eq!(
        ids_actions(&sorted),
        [("step-1".into(), Start), ("exec-1".into(), Fail)]
    );
}

#[test]
fn child_after_parent_context_start() {
    let sorted = sort_updates(vec![
        with_parent(start("child-1", Step), "parent-ctx"),
        start("parent-ctx", Context),
    ]);
    assert_eq!(
        ids_actions(&sorted),
        [("parent-ctx".into(), Start), ("child-1".into(), Start)]
    );
}

#[test]
fn start_and_completion_same_operation() {
    let sorted = sort_updates(vec![succeed("step-1", Step), start("step-1", Step)]);
    assert_eq!(
        ids_actions(&sorted),
        [("step-1".into(), Start), ("step-1".into(), Succeed)]
    );
}

#[test]
fn context_start_and_completion_same_batch() {
    let sorted = sort_updates(vec![succeed("ctx-1", Context), start("ctx-1", Context)]);
    assert_eq!(
        ids_actions(&sorted),
        [("ctx-1".into(), Start), ("ctx-1".into(), Succeed)]
    );
}

#[test]
fn step_start_and_fail_same_batch() {
    let sorted = sort_updates(vec![fail("step-1", Step), start("step-1", Step)]);
    assert_eq!(
        ids_actions(&sorted),
        [("step-1".into(), Start), ("step-1".into(), Fail)]
    );
}

#[test]
fn complex_ordering_scenario() {
    let sorted = sort_updates(vec![
        succeed("exec-1", Execution),
        with_parent(start("child-1", Step), "parent-ctx"),
        succeed("parent-ctx", Context),
        start("parent-ctx", Context),
        with_parent(succeed("child-2", Step), "parent-ctx"),
    ]);
    let p = pos(&sorted, "parent-ctx", Start);
    assert!(p < pos(&sorted, "parent-ctx", Succeed));
    assert!(p < pos(&sorted, "child-1", Start));
    assert!(p < pos(&sorted, "child-2", Succeed));
    assert_eq!(pos(&sorted, "exec-1", Succeed), 4);
    // And exactly the earliest-eligible order:
    assert_eq!(
        ids(&sorted),
        ["parent-ctx", "child-1", "parent-ctx", "child-2", "exec-1"]
    );
}

#[test]
fn empty_and_single_batches() {
    assert!(sort_updates(vec![]).is_empty());
    assert_eq!(ids(&sort_updates(vec![start("step-1", Step)])), ["step-1"]);
}

#[test]
fn preserves_original_order() {
    let sorted = sort_updates(vec![
        start("step-1", Step),
        start("step-2", Step),
        start("step-3", Step),
    ]);
    assert_eq!(ids(&sorted), ["step-1", "step-2", "step-3"]);
}

#[test]
fn multiple_children_same_parent() {
    let sorted = sort_updates(vec![
        with_parent(start("child-1", Step), "parent-ctx"),
        with_parent(start("child-2", Step), "parent-ctx"),
        start("parent-ctx", Context),
        with_parent(start("child-3", Step), "parent-ctx"),
    ]);
    assert_eq!(
        ids(&sorted),
        ["parent-ctx", "child-1", "child-2", "child-3"]
    );
}

#[test]
fn nested_contexts() {
    let sorted = sort_updates(vec![
        with_parent(start("child-1", Step), "parent-ctx"),
        with_parent(start("parent-ctx", Context), "grandparent-ctx"),
        start("grandparent-ctx", Context),
    ]);
    assert_eq!(ids(&sorted), ["grandparent-ctx", "parent-ctx", "child-1"]);
}

#[test]
fn execution_start_not_affected() {
    let sorted = sort_updates(vec![
        start("step-1", Step),
        start("exec-1", Execution),
        start("step-2", Step),
    ]);
    assert_eq!(ids(&sorted), ["step-1", "exec-1", "step-2"]);
}

/// The seed's comparator says child < X < START P < child: no total order, so its
/// result could put the child before its context. Ours is the earliest-eligible order.
#[test]
fn seed_comparator_counterexample() {
    let sorted = sort_updates(vec![
        with_parent(start("child", Step), "P"),
        start("X", Step),
        start("P", Context),
    ]);
    assert_eq!(ids(&sorted), ["X", "P", "child"]);
}

#[test]
fn grandchild_waits_for_grandparent_through_chain() {
    // The chain goes child -> mid (in this batch) -> top: top's START precedes child
    // even though mid has no START here.
    let sorted = sort_updates(vec![
        with_parent(succeed("child", Step), "mid"),
        with_parent(succeed("mid", Context), "top"),
        start("top", Context),
    ]);
    assert_eq!(ids(&sorted), ["top", "child", "mid"]);
}

#[test]
fn chain_follows_earlier_update_of_an_id() {
    // "mid" appears twice with different parents; the earlier one (parent "a") decides.
    let sorted = sort_updates(vec![
        with_parent(start("leaf", Step), "mid"),
        with_parent(succeed("mid", Wait), "a"),
        with_parent(start("mid", Wait), "b"),
        start("b", Context),
        start("a", Context),
    ]);
    // leaf waits for START a (via mid -> a), not START b; mid SUCCEED waits for START mid.
    assert_eq!(ids_actions(&sorted)[0], ("b".into(), Start));
    assert!(pos(&sorted, "a", Start) < pos(&sorted, "leaf", Start));
    assert_eq!(ids(&sorted), ["b", "mid", "a", "leaf", "mid"]);
}

#[test]
fn parent_cycles_terminate_and_keep_everything() {
    // P's parent is Q and Q's parent is P: neither START is ever eligible; the earliest
    // is placed anyway and the walk goes on.
    let us = vec![
        with_parent(start("c", Step), "P"),
        with_parent(start("P", Context), "Q"),
        with_parent(start("Q", Context), "P"),
        succeed("e", Execution),
        start("z", Callback),
    ];
    let sorted = sort_updates(us.clone());
    assert_eq!(sorted.len(), us.len());
    assert_eq!(ids(&sorted), ["z", "c", "P", "Q", "e"]);
    assert_eq!(order(&us), common::reference::order(&us));
}

#[test]
fn self_parent_does_not_hang() {
    let mut u = start("s", Context);
    u.parent_id = Some("s".into());
    let us = vec![
        with_parent(start("k", Step), "s"),
        u,
        start("x", ChainedInvoke),
    ];
    assert_eq!(order(&us), common::reference::order(&us));
    assert_eq!(sort_updates(us).len(), 3);
}

#[test]
fn several_execution_completions_keep_their_order_at_the_end() {
    let sorted = sort_updates(vec![
        fail("e1", Execution),
        start("a", Step),
        succeed("e2", Execution),
    ]);
    assert_eq!(ids(&sorted), ["a", "e1", "e2"]);
}

/// Pseudo-random graphs from a fixed seed, so both builds check the same 500 cases
/// against the reference (proptest covers more natively).
#[test]
fn seeded_random_graphs_match_the_reference_in_both_builds() {
    use durable_checkpoint::{OperationAction, OperationType};
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    for _ in 0..500 {
        let n = next(40) as usize;
        let us: Vec<OperationUpdate> = (0..n)
            .map(|_| {
                let mut u = OperationUpdate::new(
                    format!("n{}", next(10)),
                    OperationType::ALL[next(6) as usize],
                    OperationAction::ALL[next(5) as usize],
                );
                if next(4) > 0 {
                    u.parent_id = Some(format!("n{}", next(10)));
                }
                u
            })
            .collect();
        let expected = common::reference::order(&us);
        assert_eq!(order(&us), expected, "{us:?}");
        // Already-numbered Ids, in a numbering other than first appearance (here
        // `n{k}` is node 9 - k), order the same way.
        let node = |id: &str| 9 - id[1..].parse::<usize>().unwrap();
        let nodes: Vec<Node> = us
            .iter()
            .map(|u| {
                let parent = u.parent_id.as_deref().map(node);
                Node::new(node(&u.id), parent, u.operation_type, u.action)
            })
            .collect();
        assert_eq!(order_nodes(&nodes, 10), expected, "{us:?}");
        // Too small a node count is widened, not trusted.
        assert_eq!(order_nodes(&nodes, 0), expected, "{us:?}");
        // Fed its own order back (mostly a batch already in order: the check that
        // spares the walk), both entries still agree with the reference.
        let sorted: Vec<OperationUpdate> = expected.iter().map(|&i| us[i].clone()).collect();
        let again = common::reference::order(&sorted);
        assert_eq!(order(&sorted), again, "{sorted:?}");
        let sorted_nodes: Vec<Node> = expected.iter().map(|&i| nodes[i]).collect();
        assert_eq!(order_nodes(&sorted_nodes, 10), again, "{sorted:?}");
    }
}
