//! Reads an `OperationUpdate` from JSON, refusing unknown fields and wrong types
//! with an error that names the field. `null` counts as absent, like a JavaScript
//! `undefined` (which `JSON.stringify` drops).

use std::borrow::Cow;

use crate::json::{self, Value};

use crate::error::CheckpointError;
use crate::update::{
    CallbackOptions, ChainedInvokeOptions, ContextOptions, ErrorObject, OperationAction,
    OperationType, OperationUpdate, StepOptions, WaitOptions,
};
use crate::validate::{show, validate};

/// Parses and validates one update from JSON text.
pub fn update_from_json(text: &str) -> Result<OperationUpdate, CheckpointError> {
    let v = json::parse(text).map_err(|e| {
        CheckpointError::invalid(
            "OperationUpdate",
            format!("OperationUpdate is not valid JSON: {e}"),
        )
    })?;
    update_from_value(&v)
}

/// Parses and validates a JSON array of updates; errors name `updates[i]`.
pub fn updates_from_json(text: &str) -> Result<Vec<OperationUpdate>, CheckpointError> {
    let items = match json::parse(text) {
        Ok(Value::Arr(items)) => items,
        _ => {
            return Err(CheckpointError::invalid(
                "updates",
                "updates must be an array of OperationUpdate objects",
            ))
        }
    };
    let mut updates = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        match update_from_value(v) {
            Ok(u) => updates.push(u),
            Err(mut e) => {
                let field = e.field.take().unwrap_or_default();
                e.field = Some(if field == "OperationUpdate" {
                    format!("updates[{i}]")
                } else {
                    format!("updates[{i}].{field}")
                });
                e.message = format!("updates[{i}]: {}", e.message);
                return Err(e);
            }
        }
    }
    Ok(updates)
}

/// Parses and validates one update from a JSON value.
pub fn update_from_value(v: &Value) -> Result<OperationUpdate, CheckpointError> {
    let u = read_update(v).map_err(|e| {
        let mut e = e;
        if let Some(Value::Str(id)) = v.get("Id") {
            e.operation_ids = vec![id.to_string()];
        }
        e
    })?;
    validate(&u)?;
    Ok(u)
}

const UPDATE_FIELDS: &[&str] = &[
    "Id",
    "ParentId",
    "Name",
    "SubType",
    "Type",
    "Action",
    "Payload",
    "Error",
    "StepOptions",
    "WaitOptions",
    "CallbackOptions",
    "ChainedInvokeOptions",
    "ContextOptions",
];

fn read_update(v: &Value) -> Result<OperationUpdate, CheckpointError> {
    let o = Obj::new("OperationUpdate", "", v, UPDATE_FIELDS)?;
    let id = o.req_str("Id")?.to_string();
    let type_name = o.req_str("Type")?;
    let operation_type = OperationType::from_wire(type_name).ok_or_else(|| {
        let all: Vec<&str> = OperationType::ALL.iter().map(|t| t.as_str()).collect();
        CheckpointError::invalid(
            "Type",
            format!("Type {} must be one of {}", show(type_name), all.join(", ")),
        )
    })?;
    let action_name = o.req_str("Action")?;
    let action = OperationAction::from_wire(action_name).ok_or_else(|| {
        let all: Vec<&str> = OperationAction::ALL.iter().map(|a| a.as_str()).collect();
        CheckpointError::invalid(
            "Action",
            format!(
                "Action {} must be one of {}",
                show(action_name),
                all.join(", ")
            ),
        )
    })?;
    Ok(OperationUpdate {
        id,
        parent_id: o.opt_string("ParentId")?,
        name: o.opt_string("Name")?,
        sub_type: o.opt_string("SubType")?,
        operation_type,
        action,
        payload: o.opt_string("Payload")?,
        error: o.opt_obj("Error", read_error)?,
        step_options: o.opt_obj("StepOptions", |o| {
            Ok(StepOptions {
                next_attempt_delay_seconds: o.opt_int("NextAttemptDelaySeconds")?,
            })
        })?,
        wait_options: o.opt_obj("WaitOptions", |o| {
            Ok(WaitOptions {
                wait_seconds: o.opt_int("WaitSeconds")?,
            })
        })?,
        callback_options: o.opt_obj("CallbackOptions", |o| {
            Ok(CallbackOptions {
                timeout_seconds: o.opt_int("TimeoutSeconds")?,
                heartbeat_timeout_seconds: o.opt_int("HeartbeatTimeoutSeconds")?,
            })
        })?,
        chained_invoke_options: o.opt_obj("ChainedInvokeOptions", |o| {
            Ok(ChainedInvokeOptions {
                function_name: o.req_str("FunctionName")?.to_string(),
                tenant_id: o.opt_string("TenantId")?,
                x_amzn_trace_id: o.opt_string("XAmznTraceId")?,
            })
        })?,
        context_options: o.opt_obj("ContextOptions", |o| {
            Ok(ContextOptions {
                replay_children: o.opt_bool("ReplayChildren")?,
            })
        })?,
    })
}

fn read_error(o: &Obj) -> Result<ErrorObject, CheckpointError> {
    let stack_trace = match o.get("StackTrace") {
        None => None,
        Some(Value::Arr(items)) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::Str(s) => Ok(s.to_string()),
                    other => Err(CheckpointError::invalid(
                        format!("{}StackTrace[{i}]", o.prefix),
                        format!(
                            "{}StackTrace[{i}] must be a string, got {}",
                            o.prefix,
                            kind(other)
                        ),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => return Err(o.wrong_type("StackTrace", "a list of strings", other)),
    };
    Ok(ErrorObject {
        error_type: o.opt_string("ErrorType")?,
        error_message: o.opt_string("ErrorMessage")?,
        error_data: o.opt_string("ErrorData")?,
        stack_trace,
    })
}

/// A JSON object being read, with the dotted prefix of its fields for messages.
struct Obj<'a, 'j> {
    map: &'a [(Cow<'j, str>, Value<'j>)],
    prefix: String,
}

impl<'a, 'j> Obj<'a, 'j> {
    fn new(
        what: &str,
        prefix: &str,
        v: &'a Value<'j>,
        fields: &[&str],
    ) -> Result<Self, CheckpointError> {
        let Value::Obj(map) = v else {
            let field = if prefix.is_empty() {
                what.to_string()
            } else {
                prefix.trim_end_matches('.').to_string()
            };
            return Err(CheckpointError::invalid(
                field.clone(),
                format!("{field} must be an object, got {}", kind(v)),
            ));
        };
        if let Some((unknown, _)) = map.iter().find(|(k, _)| !fields.contains(&k.as_ref())) {
            return Err(CheckpointError::invalid(
                format!("{prefix}{unknown}"),
                format!(
                    "unknown field {} in {what}; expected one of {}",
                    show(&format!("{prefix}{unknown}")),
                    fields.join(", ")
                ),
            ));
        }
        Ok(Obj {
            map,
            prefix: prefix.to_string(),
        })
    }

    /// The field's value (the last, if repeated); `null` counts as absent.
    fn get(&self, key: &str) -> Option<&'a Value<'j>> {
        self.map
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    fn wrong_type(&self, key: &str, want: &str, got: &Value) -> CheckpointError {
        let field = format!("{}{key}", self.prefix);
        CheckpointError::invalid(
            field.clone(),
            format!("{field} must be {want}, got {}", kind(got)),
        )
    }

    fn req_str(&self, key: &str) -> Result<&'a str, CheckpointError> {
        match self.get(key) {
            Some(Value::Str(s)) => Ok(s),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
            None => {
                let field = format!("{}{key}", self.prefix);
                Err(CheckpointError::invalid(
                    field.clone(),
                    format!("{field} is required"),
                ))
            }
        }
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, CheckpointError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.to_string())),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>, CheckpointError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(key, "a boolean", other)),
        }
    }

    fn opt_int(&self, key: &str) -> Result<Option<i64>, CheckpointError> {
        match self.get(key) {
            None => Ok(None),
            // JavaScript numbers arrive as floats; whole ones are integers.
            Some(n @ Value::Num(_)) => n
                .as_int()
                .map(Some)
                .ok_or_else(|| self.wrong_type(key, "an integer", n)),
            Some(other) => Err(self.wrong_type(key, "an integer", other)),
        }
    }

    fn opt_obj<T>(
        &self,
        key: &str,
        read: impl FnOnce(&Obj<'_, 'j>) -> Result<T, CheckpointError>,
    ) -> Result<Option<T>, CheckpointError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let fields: &[&str] = match key {
            "Error" => &["ErrorType", "ErrorMessage", "ErrorData", "StackTrace"],
            "StepOptions" => &["NextAttemptDelaySeconds"],
            "WaitOptions" => &["WaitSeconds"],
            "CallbackOptions" => &["TimeoutSeconds", "HeartbeatTimeoutSeconds"],
            "ChainedInvokeOptions" => &["FunctionName", "TenantId", "XAmznTraceId"],
            "ContextOptions" => &["ReplayChildren"],
            _ => &[],
        };
        let inner = Obj::new(key, &format!("{}{key}.", self.prefix), v, fields)?;
        read(&inner).map(Some)
    }
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Num(n) => format!("number {n}"),
        Value::Str(s) => format!("string {}", show(s)),
        Value::Arr(a) => format!("a list of {} items", a.len()),
        Value::Obj(_) => "an object".into(),
    }
}
