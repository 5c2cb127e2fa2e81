//! The request body, `{"CheckpointToken":…,"Updates":[…],"ClientToken":…}`, and its
//! exact size. Updates are serialized once, at enqueue; a body is those bytes joined,
//! so the size accounted is the size sent (the seed estimated it).

use crate::update::OperationUpdate;

const HEAD: &str = "{\"CheckpointToken\":";
const UPDATES: &str = ",\"Updates\":[";
const CLIENT: &str = "],\"ClientToken\":";
const TAIL: &str = "}";

/// A string as a JSON literal.
pub fn json_string(s: &str) -> String {
    // Serializing a str cannot fail.
    serde_json::to_string(s).unwrap_or_default()
}

/// One update as compact JSON, in the API's field order.
pub fn update_json(u: &OperationUpdate) -> String {
    // Every field is a string, bool, integer or list of those: cannot fail.
    serde_json::to_string(u).unwrap_or_default()
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
pub fn build<'a>(
    token_json: &str,
    client_token_json: &str,
    updates: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut body = String::new();
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
