//! The checkpoint token chain (SPEC §5): each acknowledged call hands the next token.

/// Where the chain stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    /// The token the next call must use.
    Current(String),
    /// The service acknowledged the EXECUTION completion without a new token: the
    /// execution is over and nothing more may be checkpointed.
    Completed,
    /// The service acknowledged a call without a new token: this invocation may not
    /// checkpoint any more (the seed went on with an empty or stale token).
    Revoked,
}

impl TokenState {
    /// The token to send, while there is one.
    pub fn current(&self) -> Option<&str> {
        match self {
            TokenState::Current(t) => Some(t),
            _ => None,
        }
    }

    /// Moves the chain on after an acknowledged call that carried
    /// `held_execution_completion`.
    pub fn acknowledge(&mut self, next: Option<String>, held_execution_completion: bool) {
        *self = match next {
            Some(t) if !t.is_empty() => TokenState::Current(t),
            _ if held_execution_completion => TokenState::Completed,
            _ => TokenState::Revoked,
        };
    }
}
