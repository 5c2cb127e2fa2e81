//! Helpers shared by the test files (each file uses some of them).
#![allow(dead_code)]

pub mod reference;
pub mod sim;

use durable_checkpoint::{ErrorObject, OperationAction, OperationType, OperationUpdate};

pub fn start(id: &str, t: OperationType) -> OperationUpdate {
    OperationUpdate::start(id, t)
}

pub fn succeed(id: &str, t: OperationType) -> OperationUpdate {
    OperationUpdate::succeed(id, t, Some("result".to_string()))
}

pub fn fail(id: &str, t: OperationType) -> OperationUpdate {
    OperationUpdate::fail(
        id,
        t,
        ErrorObject {
            error_type: Some("Error".into()),
            error_message: Some("message".into()),
            ..Default::default()
        },
    )
}

pub fn with_parent(u: OperationUpdate, p: &str) -> OperationUpdate {
    u.with_parent(p)
}

/// (Id, Action) pairs, for compact assertions.
pub fn ids_actions(us: &[OperationUpdate]) -> Vec<(String, OperationAction)> {
    us.iter().map(|u| (u.id.clone(), u.action)).collect()
}

pub fn pos(us: &[OperationUpdate], id: &str, a: OperationAction) -> usize {
    us.iter()
        .position(|u| u.id == id && u.action == a)
        .unwrap_or_else(|| panic!("{id} {a:?} missing"))
}
