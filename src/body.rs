//! The request body, `{"CheckpointToken":…,"Updates":[…],"ClientToken":…}`, and its
//! exact size. Updates are serialized once, at enqueue; a body is those bytes joined,
//! so the size accounted is the size sent (the seed estimated it).

use crate::json::{str_len, write_int, write_str};
use crate::update::{ErrorObject, OperationUpdate};

const HEAD: &str = "{\"CheckpointToken\":";
const UPDATES: &str = ",\"Updates\":[";
const CLIENT: &str = "],\"ClientToken\":";
const TAIL: &str = "}";

/// A string as a JSON literal.
pub fn json_string(s: &str) -> String {
    crate::json::quote(s)
}

/// Writes `{"Key":value,...}` members one by one, commas in between.
struct Members<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Members<'a> {
    fn open(out: &'a mut String) -> Self {
        out.push('{');
        Members { out, first: true }
    }
    fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
        self.out
    }
    fn str(&mut self, k: &str, v: &Option<String>) {
        if let Some(v) = v {
            write_str(self.key(k), v);
        }
    }
    fn int(&mut self, k: &str, v: Option<i64>) {
        if let Some(v) = v {
            write_int(self.key(k), v);
        }
    }
    fn close(self) {
        self.out.push('}');
    }
}

fn error_json(out: &mut String, e: &ErrorObject) {
    let mut m = Members::open(out);
    m.str("ErrorType", &e.error_type);
    m.str("ErrorMessage", &e.error_message);
    m.str("ErrorData", &e.error_data);
    if let Some(lines) = &e.stack_trace {
        let out = m.key("StackTrace");
        out.push('[');
        for (k, line) in lines.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            write_str(out, line);
        }
        out.push(']');
    }
    m.close();
}

/// One update as compact JSON, in the API's field order (the order, escapes and
/// omissions of serde_json over the wire types: a property test compares them).
pub fn update_json(u: &OperationUpdate) -> String {
    // The members' names and punctuation take < 80 bytes; strings mostly need no escape.
    let strings = [&u.parent_id, &u.name, &u.sub_type, &u.payload];
    let len = u.id.len()
        + strings
            .iter()
            .map(|s| s.as_ref().map_or(0, String::len))
            .sum::<usize>();
    let mut out = String::with_capacity(80 + len);
    write_update(&mut out, u);
    out
}

/// Appends `u` as compact JSON to `out` (what [`update_json`] returns).
pub fn write_update(out: &mut String, u: &OperationUpdate) {
    let mut m = Members::open(out);
    write_str(m.key("Id"), &u.id);
    m.str("ParentId", &u.parent_id);
    m.str("Name", &u.name);
    m.str("SubType", &u.sub_type);
    write_str(m.key("Type"), u.operation_type.as_str());
    write_str(m.key("Action"), u.action.as_str());
    m.str("Payload", &u.payload);
    if let Some(e) = &u.error {
        error_json(m.key("Error"), e);
    }
    if let Some(o) = &u.step_options {
        let mut n = Members::open(m.key("StepOptions"));
        n.int("NextAttemptDelaySeconds", o.next_attempt_delay_seconds);
        n.close();
    }
    if let Some(o) = &u.wait_options {
        let mut n = Members::open(m.key("WaitOptions"));
        n.int("WaitSeconds", o.wait_seconds);
        n.close();
    }
    if let Some(o) = &u.callback_options {
        let mut n = Members::open(m.key("CallbackOptions"));
        n.int("TimeoutSeconds", o.timeout_seconds);
        n.int("HeartbeatTimeoutSeconds", o.heartbeat_timeout_seconds);
        n.close();
    }
    if let Some(o) = &u.chained_invoke_options {
        let mut n = Members::open(m.key("ChainedInvokeOptions"));
        write_str(n.key("FunctionName"), &o.function_name);
        n.str("TenantId", &o.tenant_id);
        n.str("XAmznTraceId", &o.x_amzn_trace_id);
        n.close();
    }
    if let Some(o) = &u.context_options {
        let mut n = Members::open(m.key("ContextOptions"));
        if let Some(b) = o.replay_children {
            n.key("ReplayChildren")
                .push_str(if b { "true" } else { "false" });
        }
        n.close();
    }
    m.close();
}

/// The length of [`update_json`]`(u)`, counted without writing it when `u` has string
/// fields only (a plain update, nearly every START and SUCCEED); otherwise written into
/// `scratch` and measured.
pub fn update_len(u: &OperationUpdate, scratch: &mut String) -> usize {
    let has_objects = u.error.is_some()
        || u.step_options.is_some()
        || u.wait_options.is_some()
        || u.callback_options.is_some()
        || u.chained_invoke_options.is_some()
        || u.context_options.is_some();
    if has_objects {
        scratch.clear();
        write_update(scratch, u);
        return scratch.len();
    }
    // `"Key":value` per member, a comma between members, the braces.
    let member = |key: &str, v: usize| key.len() + 3 + v;
    let opt =
        |key: &str, v: &Option<String>| v.as_deref().map_or(0, |v| member(key, str_len(v)) + 1);
    2 + member("Id", str_len(&u.id))
        + opt("ParentId", &u.parent_id)
        + opt("Name", &u.name)
        + opt("SubType", &u.sub_type)
        + 1
        + member("Type", str_len(u.operation_type.as_str()))
        + 1
        + member("Action", str_len(u.action.as_str()))
        + opt("Payload", &u.payload)
}

/// Bytes of a body whose quoted tokens take `tokens_json` bytes together and whose
/// `count` updates take `updates_json` bytes together.
pub fn body_len(tokens_json: usize, updates_json: usize, count: usize) -> usize {
    HEAD.len()
        + UPDATES.len()
        + CLIENT.len()
        + TAIL.len()
        + tokens_json
        + updates_json
        + count.saturating_sub(1)
}

/// Assembles a body from already-quoted tokens and serialized updates.
#[inline(never)]
pub fn build<'a>(
    token_json: &str,
    client_token_json: &str,
    updates: impl IntoIterator<Item = &'a str>,
    capacity: usize,
) -> String {
    // `capacity`: the body's length when known (the caller has counted it), so the
    // text is written once instead of regrown.
    let mut body = String::with_capacity(capacity);
    body.push_str(HEAD);
    body.push_str(token_json);
    body.push_str(UPDATES);
    for (k, u) in updates.into_iter().enumerate() {
        if k > 0 {
            body.push(',');
        }
        body.push_str(u);
    }
    body.push_str(CLIENT);
    body.push_str(client_token_json);
    body.push_str(TAIL);
    body
}
