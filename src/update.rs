//! Wire types of the Lambda durable execution API (2025-12-01), spelled exactly as
//! the API spells them (PascalCase JSON). The field set matches
//! `@aws-sdk/client-lambda`'s `OperationUpdate`, so its objects pass unchanged.

use serde::{Deserialize, Serialize};

/// The kind of durable operation an update refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OperationType {
    /// The durable execution itself.
    Execution,
    /// A child context (runInChildContext, map, parallel...).
    Context,
    /// A step.
    Step,
    /// A timed wait.
    Wait,
    /// A callback awaited from outside.
    Callback,
    /// A chained invoke of another function. The seed spelled it `INVOKE`, which the
    /// service does not accept.
    ChainedInvoke,
}

impl OperationType {
    /// Every variant, in the order the API documents them.
    pub const ALL: [OperationType; 6] = [
        OperationType::Execution,
        OperationType::Context,
        OperationType::Step,
        OperationType::Wait,
        OperationType::Callback,
        OperationType::ChainedInvoke,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationType::Execution => "EXECUTION",
            OperationType::Context => "CONTEXT",
            OperationType::Step => "STEP",
            OperationType::Wait => "WAIT",
            OperationType::Callback => "CALLBACK",
            OperationType::ChainedInvoke => "CHAINED_INVOKE",
        }
    }

    /// Parses the wire spelling (exact, case-sensitive).
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// What an update does to its operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OperationAction {
    /// The operation starts.
    Start,
    /// The operation completed successfully.
    Succeed,
    /// The operation failed.
    Fail,
    /// The operation (a step) is to be retried.
    Retry,
    /// The operation is cancelled.
    Cancel,
}

impl OperationAction {
    /// Every variant, in the order the API documents them.
    pub const ALL: [OperationAction; 5] = [
        OperationAction::Start,
        OperationAction::Succeed,
        OperationAction::Fail,
        OperationAction::Retry,
        OperationAction::Cancel,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationAction::Start => "START",
            OperationAction::Succeed => "SUCCEED",
            OperationAction::Fail => "FAIL",
            OperationAction::Retry => "RETRY",
            OperationAction::Cancel => "CANCEL",
        }
    }

    /// Parses the wire spelling (exact, case-sensitive).
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// An error recorded on an operation (`ErrorObject` in the API).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ErrorObject {
    /// The error's type or class name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// A human-readable message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Serialized error data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_data: Option<String>,
    /// The stack trace, one frame a line (the seed had a single string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack_trace: Option<Vec<String>>,
}

/// Options of a STEP update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StepOptions {
    /// Delay before the next attempt of a retried step (1..=31622400).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_delay_seconds: Option<i64>,
}

/// Options of a WAIT update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WaitOptions {
    /// How long to wait (1..=31622400).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<i64>,
}

/// Options of a CALLBACK update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CallbackOptions {
    /// Callback timeout; 0 or absent means none (0..=99999999).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i64>,
    /// Heartbeat timeout; 0 or absent means none (0..=99999999).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_timeout_seconds: Option<i64>,
}

/// Options of a CHAINED_INVOKE update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ChainedInvokeOptions {
    /// The function to invoke (1..=256 chars, required).
    pub function_name: String,
    /// Tenant of the invocation (1..=256 chars).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// X-Ray trace header to propagate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_amzn_trace_id: Option<String>,
}

/// Options of a CONTEXT update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ContextOptions {
    /// Whether the children's results are replayed instead of the context's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replay_children: Option<bool>,
}

/// One checkpointed change to a durable operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OperationUpdate {
    /// The operation's Id: 1..=64 chars of `[A-Za-z0-9_-]`.
    pub id: String,
    /// The enclosing context's Id, same format, never equal to `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Customer-given name, 1..=256 code points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// SDK-level kind (`Step`, `Map`...), 1..=32 code points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<String>,
    /// The operation type.
    #[serde(rename = "Type")]
    pub operation_type: OperationType,
    /// The action.
    pub action: OperationAction,
    /// Result payload; at most 262,144 UTF-8 bytes except on EXECUTION.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Error of a FAIL or RETRY.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorObject>,
    /// Step options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_options: Option<StepOptions>,
    /// Wait options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_options: Option<WaitOptions>,
    /// Callback options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_options: Option<CallbackOptions>,
    /// Chained invoke options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chained_invoke_options: Option<ChainedInvokeOptions>,
    /// Context options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_options: Option<ContextOptions>,
}

impl OperationUpdate {
    /// A bare update: `id`, `Type` and `Action`, nothing else.
    pub fn new(
        id: impl Into<String>,
        operation_type: OperationType,
        action: OperationAction,
    ) -> Self {
        OperationUpdate {
            id: id.into(),
            parent_id: None,
            name: None,
            sub_type: None,
            operation_type,
            action,
            payload: None,
            error: None,
            step_options: None,
            wait_options: None,
            callback_options: None,
            chained_invoke_options: None,
            context_options: None,
        }
    }

    /// A START update.
    pub fn start(id: impl Into<String>, operation_type: OperationType) -> Self {
        Self::new(id, operation_type, OperationAction::Start)
    }

    /// A SUCCEED update carrying `payload`.
    pub fn succeed(
        id: impl Into<String>,
        operation_type: OperationType,
        payload: Option<String>,
    ) -> Self {
        let mut u = Self::new(id, operation_type, OperationAction::Succeed);
        u.payload = payload;
        u
    }

    /// A FAIL update carrying `error`.
    pub fn fail(id: impl Into<String>, operation_type: OperationType, error: ErrorObject) -> Self {
        let mut u = Self::new(id, operation_type, OperationAction::Fail);
        u.error = Some(error);
        u
    }

    /// Sets the parent context (builder style).
    pub fn with_parent(mut self, parent_id: impl Into<String>) -> Self {
        self.parent_id = Some(parent_id.into());
        self
    }

    /// True for the EXECUTION's SUCCEED or FAIL: it ends the execution and goes last.
    pub fn is_execution_completion(&self) -> bool {
        is_execution_completion(self.operation_type, self.action)
    }

    /// True for a CONTEXT START, which its descendants must follow.
    pub fn is_context_start(&self) -> bool {
        is_context_start(self.operation_type, self.action)
    }
}

/// True for the EXECUTION's SUCCEED or FAIL ([`OperationUpdate::is_execution_completion`]).
pub fn is_execution_completion(t: OperationType, a: OperationAction) -> bool {
    t == OperationType::Execution && matches!(a, OperationAction::Succeed | OperationAction::Fail)
}

/// True for a CONTEXT START ([`OperationUpdate::is_context_start`]).
pub fn is_context_start(t: OperationType, a: OperationAction) -> bool {
    t == OperationType::Context && a == OperationAction::Start
}
