//! The one error type every failure reaches the caller as (SPEC §7), and the
//! classification of transport failures into its codes.

use std::fmt;

/// What went wrong, as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The update breaks the API's constraints; thrown at enqueue, nothing queued.
    InvalidUpdate,
    /// The service kept throttling after every retry.
    Throttled,
    /// The service refused the checkpoint token.
    InvalidToken,
    /// 5xx, ServiceException, network error or timeout.
    Transient,
    /// Any other 4xx, or a KMS failure: the request itself is refused.
    Rejected,
    /// The service answered without a new token: this invocation may not checkpoint more.
    TokenRevoked,
    /// Checkpoint after `close()` or after the execution completed.
    Closed,
    /// The update belongs under a CONTEXT that has already finished (SPEC §12):
    /// refused at enqueue, nothing queued, the batcher unharmed and not latched.
    Orphaned,
}

impl ErrorCode {
    /// The wire/JS spelling, e.g. `INVALID_UPDATE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidUpdate => "INVALID_UPDATE",
            ErrorCode::Throttled => "THROTTLED",
            ErrorCode::InvalidToken => "INVALID_TOKEN",
            ErrorCode::Transient => "TRANSIENT",
            ErrorCode::Rejected => "REJECTED",
            ErrorCode::TokenRevoked => "TOKEN_REVOKED",
            ErrorCode::Closed => "CLOSED",
            ErrorCode::Orphaned => "ORPHANED",
        }
    }

    /// Who must act: the table of SPEC §7.
    pub fn scope(self) -> Scope {
        match self {
            ErrorCode::Throttled
            | ErrorCode::InvalidToken
            | ErrorCode::Transient
            | ErrorCode::TokenRevoked => Scope::Invocation,
            ErrorCode::InvalidUpdate | ErrorCode::Rejected | ErrorCode::Closed => Scope::Execution,
            ErrorCode::Orphaned => Scope::Operation,
        }
    }
}

/// How far a failure reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// End this invocation; Lambda retries it.
    Invocation,
    /// The execution must FAIL.
    Execution,
    /// Only the refused update's own work is affected (`ORPHANED`): it must stop,
    /// and neither the invocation nor the execution fails because of it.
    Operation,
}

impl Scope {
    /// `INVOCATION`, `EXECUTION` or `OPERATION`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Invocation => "INVOCATION",
            Scope::Execution => "EXECUTION",
            Scope::Operation => "OPERATION",
        }
    }
}

/// A failed transport call, reduced to what classification needs. The JavaScript
/// adapter fills it from AWS SDK errors (`name`, `$metadata.httpStatusCode`,
/// `retryAfterSeconds`, `Retry-After`) or from emulator bodies (`{Type, message}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransportError {
    /// HTTP status, when the call got a response.
    pub status: Option<u16>,
    /// The error's name or type (`TooManyRequestsException`...).
    pub name: Option<String>,
    /// The error's message.
    pub message: String,
    /// A server-given Retry-After, in milliseconds.
    pub retry_after_ms: Option<u64>,
}

/// What the core does with a failed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classified {
    /// Throttled: retry the same request (maybe after a server-given wait).
    Throttle {
        /// The server's Retry-After, in milliseconds.
        retry_after_ms: Option<u64>,
    },
    /// Fail the batch with this code.
    Fail(ErrorCode),
}

impl TransportError {
    /// Classifies the failure (SPEC §6, §7). KMS failures are refusals even when they
    /// arrive as HTTP 502; a missing status means the call never got an answer.
    pub fn classify(&self) -> Classified {
        let name = self.name.as_deref().unwrap_or("");
        if name.starts_with("KMS") && name.ends_with("Exception") {
            return Classified::Fail(ErrorCode::Rejected);
        }
        if self.status == Some(429)
            || name == "TooManyRequestsException"
            || name == "ThrottlingException"
            || contains(&self.message, "Rate exceeded", false)
        {
            return Classified::Throttle {
                retry_after_ms: self.retry_after_ms,
            };
        }
        let bad_param = name == "InvalidParameterValueException" || self.status == Some(400);
        if bad_param && contains(&self.message, "invalid checkpoint token", true) {
            return Classified::Fail(ErrorCode::InvalidToken);
        }
        match self.status {
            _ if name == "ServiceException" => Classified::Fail(ErrorCode::Transient),
            // The API's client errors are refusals even when no status came with them
            // (in-process test services throw them bare).
            None if CLIENT_ERRORS.contains(&name) => Classified::Fail(ErrorCode::Rejected),
            Some(s) if s >= 500 => Classified::Fail(ErrorCode::Transient),
            Some(s) if (400..500).contains(&s) => Classified::Fail(ErrorCode::Rejected),
            // No answer at all (network error, timeout) or an unknown shape: let Lambda retry.
            _ => Classified::Fail(ErrorCode::Transient),
        }
    }
}

/// Exception names of the durable execution API that always mean HTTP 4xx.
const CLIENT_ERRORS: [&str; 4] = [
    "InvalidParameterValueException",
    "ResourceNotFoundException",
    "RequestTooLargeException",
    "ResourceConflictException",
];

/// Whether `needle` occurs in `haystack` (ASCII case ignored if asked). A plain window
/// scan: `str::contains` brings a two-way searcher (~2 KB of WebAssembly) for messages
/// of a few dozen bytes.
fn contains(haystack: &str, needle: &str, ignore_case: bool) -> bool {
    let needle = needle.as_bytes();
    haystack.as_bytes().windows(needle.len()).any(|w| {
        if ignore_case {
            w.eq_ignore_ascii_case(needle)
        } else {
            w == needle
        }
    })
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.name, self.status) {
            (Some(n), Some(s)) => write!(f, "{n} (HTTP {s}): {}", self.message),
            (Some(n), None) => write!(f, "{n}: {}", self.message),
            (None, Some(s)) => write!(f, "HTTP {s}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// Every failure the library reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointError {
    /// The code.
    pub code: ErrorCode,
    /// What happened, naming the field and value for `INVALID_UPDATE`.
    pub message: String,
    /// The offending field of an `INVALID_UPDATE` (e.g. `Error.StackTrace[2]`).
    pub field: Option<String>,
    /// The Ids of the operations whose updates this error affects.
    pub operation_ids: Vec<String>,
    /// The transport's failure, when there was one.
    pub cause: Option<Box<TransportError>>,
}

impl CheckpointError {
    /// A new error with no field, Ids or cause.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CheckpointError {
            code,
            message: message.into(),
            field: None,
            operation_ids: Vec::new(),
            cause: None,
        }
    }

    /// An `INVALID_UPDATE` naming `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(ErrorCode::InvalidUpdate, message);
        e.field = Some(field.into());
        e
    }

    /// The scope, fixed by the code.
    pub fn scope(&self) -> Scope {
        self.code.scope()
    }

    /// True exactly for scope INVOCATION: a new invocation may succeed.
    pub fn retriable(&self) -> bool {
        self.scope() == Scope::Invocation
    }
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for CheckpointError {}
