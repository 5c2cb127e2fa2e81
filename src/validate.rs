//! The API model's constraints on an `OperationUpdate` (SPEC §2), checked at enqueue
//! so a bad update is refused alone instead of failing a whole batch at the service.

use crate::error::CheckpointError;
use crate::update::{OperationType, OperationUpdate};

/// Largest payload the service takes on anything but an EXECUTION (bytes of UTF-8).
pub const MAX_PAYLOAD_BYTES: usize = 262_144;
/// Largest `CheckpointToken` the API accepts (characters).
pub const MAX_CHECKPOINT_TOKEN_CHARS: usize = 2048;
const MAX_ID_CHARS: usize = 64;
const MAX_NAME_CHARS: usize = 256;
const MAX_SUB_TYPE_CHARS: usize = 32;
const MAX_DELAY_SECONDS: i64 = 31_622_400;
const MAX_CALLBACK_TIMEOUT_SECONDS: i64 = 99_999_999;
const MAX_FUNCTION_NAME_CHARS: usize = 256;
const MAX_TENANT_ID_CHARS: usize = 256;

/// Checks every constraint; the error names the field and the offending value.
pub fn validate(u: &OperationUpdate) -> Result<(), CheckpointError> {
    check(u).map_err(|e| with_id(e, &u.id))
}

/// Checks an update's `Id` and `ParentId` (format, and not its own parent).
pub fn ids(id: &str, parent_id: Option<&str>) -> Result<(), CheckpointError> {
    id_format("Id", id)?;
    if let Some(p) = parent_id {
        id_format("ParentId", p)?;
        if p == id {
            return Err(CheckpointError::invalid(
                "ParentId",
                format!(
                    "ParentId {} must differ from Id: an operation cannot be its own parent",
                    show(p)
                ),
            ));
        }
    }
    Ok(())
}

fn check(u: &OperationUpdate) -> Result<(), CheckpointError> {
    ids(&u.id, u.parent_id.as_deref())?;
    if let Some(n) = &u.name {
        char_len("Name", n, MAX_NAME_CHARS)?;
    }
    if let Some(s) = &u.sub_type {
        char_len("SubType", s, MAX_SUB_TYPE_CHARS)?;
    }
    if let Some(p) = &u.payload {
        payload_size(u.operation_type, p.len())?;
    }
    if let Some(o) = &u.step_options {
        int_range(
            "StepOptions.NextAttemptDelaySeconds",
            o.next_attempt_delay_seconds,
            1,
            MAX_DELAY_SECONDS,
        )?;
    }
    if let Some(o) = &u.wait_options {
        int_range(
            "WaitOptions.WaitSeconds",
            o.wait_seconds,
            1,
            MAX_DELAY_SECONDS,
        )?;
    }
    if let Some(o) = &u.callback_options {
        int_range(
            "CallbackOptions.TimeoutSeconds",
            o.timeout_seconds,
            0,
            MAX_CALLBACK_TIMEOUT_SECONDS,
        )?;
        int_range(
            "CallbackOptions.HeartbeatTimeoutSeconds",
            o.heartbeat_timeout_seconds,
            0,
            MAX_CALLBACK_TIMEOUT_SECONDS,
        )?;
    }
    if let Some(o) = &u.chained_invoke_options {
        char_len(
            "ChainedInvokeOptions.FunctionName",
            &o.function_name,
            MAX_FUNCTION_NAME_CHARS,
        )?;
        if let Some(t) = &o.tenant_id {
            char_len("ChainedInvokeOptions.TenantId", t, MAX_TENANT_ID_CHARS)?;
        }
    }
    Ok(())
}

/// Refuses a Payload of `bytes` UTF-8 bytes on an update of type `t` when the service
/// would (over 262,144 on anything but an EXECUTION).
pub fn payload_size(t: OperationType, bytes: usize) -> Result<(), CheckpointError> {
    if t != OperationType::Execution && bytes > MAX_PAYLOAD_BYTES {
        return Err(CheckpointError::invalid(
            "Payload",
            format!(
                "Payload is {bytes} UTF-8 bytes; a {} update may carry at most {MAX_PAYLOAD_BYTES}",
                t.as_str()
            ),
        ));
    }
    Ok(())
}

/// Checks a `CheckpointToken`: 1..=2048 characters.
pub fn checkpoint_token(field: &str, token: &str) -> Result<(), CheckpointError> {
    char_len(field, token, MAX_CHECKPOINT_TOKEN_CHARS)
}

/// `e` naming the update `id` among its operation Ids.
pub fn with_id(mut e: CheckpointError, id: &str) -> CheckpointError {
    if !id.is_empty() {
        e.operation_ids = vec![id.to_string()];
    }
    e
}

/// True when `v` is in the API's Id format: 1-64 characters of `[A-Za-z0-9_-]` (the
/// JS fast path of `sortUpdates` applies the same rule, `isId` in js/core/batcher.ts).
pub fn is_id(v: &str) -> bool {
    let ok = |b: u8| matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'_' | b'-');
    (1..=MAX_ID_CHARS).contains(&v.len()) && v.bytes().all(ok)
}

/// Refuses an Id (or ParentId) outside the API's format, naming `field`.
pub fn id_format(field: &str, v: &str) -> Result<(), CheckpointError> {
    if !is_id(v) {
        return Err(CheckpointError::invalid(
            field,
            format!(
                "{field} {} must be 1-{MAX_ID_CHARS} characters of [A-Za-z0-9_-]",
                show(v)
            ),
        ));
    }
    Ok(())
}

fn char_len(field: &str, v: &str, max: usize) -> Result<(), CheckpointError> {
    let n = char_count(v);
    if n == 0 || n > max {
        return Err(CheckpointError::invalid(
            field,
            format!("{field} {} is {n} characters; it must be 1-{max}", show(v)),
        ));
    }
    Ok(())
}

fn int_range(field: &str, v: Option<i64>, min: i64, max: i64) -> Result<(), CheckpointError> {
    match v {
        Some(n) if n < min || n > max => Err(CheckpointError::invalid(
            field,
            format!("{field} is {n}; it must be an integer from {min} to {max}"),
        )),
        _ => Ok(()),
    }
}

/// A value for an error message: JSON-quoted, shortened when long.
pub(crate) fn show(v: &str) -> String {
    const KEEP: usize = 48;
    // A character after the first KEEP exists exactly when the text is longer.
    match v.char_indices().nth(KEEP).and_then(|(end, _)| v.get(..end)) {
        Some(head) => format!(
            "{}… ({} characters)",
            crate::json::quote(head),
            char_count(v)
        ),
        None => crate::json::quote(v),
    }
}

/// The characters (Unicode scalar values) of `v`: its bytes that start one. Smaller in
/// WebAssembly than `chars().count()`, which brings a vectorized counter.
fn char_count(v: &str) -> usize {
    v.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}
