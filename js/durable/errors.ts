/**
 * The errors of the durable API, and their wire form ({@link ErrorObject}).
 *
 * Two families:
 *
 * - {@link DurableOperationError} and its subclasses are what a durable operation
 *   rejects with once it has failed for good (a step out of retries, a callback that timed
 *   out, ...). They are checkpointed as an `ErrorObject` and rebuilt on replay, by this SDK
 *   or by the official one, so `errorType`, messages and defaults must match it exactly.
 * - {@link UnrecoverableError} and its subclasses (internal) stop the invocation or the
 *   execution instead of failing one operation; user code never sees them as an
 *   operation's result.
 */

import type { ErrorObject } from "../core/types";
import type { CompletionReason } from "./types";

/**
 * Base class of the errors a durable operation fails with.
 *
 * `errorType` is what goes on the wire as `ErrorType` and what
 * {@link DurableOperationError.fromErrorObject} dispatches on.
 *
 * @public
 */
export abstract class DurableOperationError extends Error {
  /** The wire `ErrorType` of this class. */
  abstract readonly errorType: string;
  // The three fields are own, enumerable properties even when unset, created in this
  // order and followed by `name` and the subclass's `errorType`, as in the official
  // class: loggers that copy an error's own properties then print the same for both.
  /** What caused the failure: the user's error, or the error rebuilt from the wire. */
  override cause?: Error = undefined;
  /** The `ErrorData` recorded with the failure, if any. */
  errorData?: string = undefined;
  /** Present for parity with the official class; nothing sets it. */
  stackTrace?: string[] = undefined;

  constructor(message: string, cause?: Error, errorData?: string) {
    super(message);
    this.name = new.target.name;
    this.cause = cause;
    this.errorData = errorData;
  }

  /**
   * Rebuilds the error a failed operation recorded, for replay.
   *
   * The `cause` becomes a plain `Error` carrying the recorded message, with `name` set to
   * the recorded `ErrorType` and `stack` to the recorded `StackTrace` lines.
   *
   * As in the official SDK, an `ErrorType` it does not list becomes a {@link StepError}:
   * that includes `"BatchCompletionError"`, any user error type, and a missing type.
   */
  static fromErrorObject(errorObject: ErrorObject): DurableOperationError {
    const message = errorObject.ErrorMessage;
    const cause = new Error(message);
    cause.name = errorObject.ErrorType || "Error";
    // Assigned even when there is no trace, leaving `stack` undefined as the official does.
    cause.stack = errorObject.StackTrace?.join("\n") as string;
    const data = errorObject.ErrorData;
    const revive = REVIVERS.get(errorObject.ErrorType ?? "");
    if (revive) return revive(message, cause, data);
    return new StepError(message || "Unknown error", cause, data);
  }

  /**
   * The wire form of this error.
   *
   * `ErrorData` is this error's own data; when it has none, the first string `errorData`
   * found on a `DurableOperationError` along the `cause` chain (at most 10 links) is used
   * instead, so data survives being wrapped by `runInChildContext`. No stack trace is
   * written.
   */
  toErrorObject(): ErrorObject {
    let data = this.errorData;
    if (data === undefined) {
      let link: unknown = this.cause;
      for (let depth = 0; depth < 10 && link; depth++) {
        if (link instanceof DurableOperationError && typeof link.errorData === "string") {
          data = link.errorData;
          break;
        }
        link = link instanceof Error ? link.cause : undefined;
      }
    }
    // Key order matters: it is the order JSON.stringify writes them in.
    return { ErrorType: this.errorType, ErrorMessage: this.message, ErrorData: data, StackTrace: undefined };
  }
}

/**
 * A step failed after its last attempt, or (on replay) an operation recorded an error
 * type this SDK does not know.
 *
 * @public
 */
export class StepError extends DurableOperationError {
  readonly errorType = "StepError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Step failed", cause, errorData);
  }
}

/**
 * Any callback failure. The more specific ones below extend it, so
 * `instanceof CallbackError` catches them all; it is also thrown as is for failures that
 * fit none of them.
 *
 * @public
 */
export class CallbackError extends DurableOperationError {
  readonly errorType: string = "CallbackError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback failed", cause, errorData);
  }
}

/**
 * The external system completed the callback with a failure
 * (`SendDurableExecutionCallbackFailure`).
 *
 * @public
 */
export class CallbackExternalError extends CallbackError {
  override readonly errorType = "CallbackExternalError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback failed", cause, errorData);
  }
}

/**
 * The callback timed out (its timeout or its heartbeat timeout).
 *
 * @public
 */
export class CallbackTimeoutError extends CallbackError {
  override readonly errorType = "CallbackTimeoutError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback timed out", cause, errorData);
  }
}

/**
 * The submitter of a `waitForCallback` failed after its last attempt.
 *
 * @public
 */
export class CallbackSubmitterError extends CallbackError {
  override readonly errorType = "CallbackSubmitterError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback submitter failed", cause, errorData);
  }
}

/**
 * The function started by `context.invoke` failed, timed out or was stopped.
 *
 * @public
 */
export class InvokeError extends DurableOperationError {
  readonly errorType = "InvokeError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Invoke failed", cause, errorData);
  }
}

/**
 * The function of a `runInChildContext` threw; `cause` is what it threw.
 *
 * @public
 */
export class ChildContextError extends DurableOperationError {
  readonly errorType = "ChildContextError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Child context failed", cause, errorData);
  }
}

/**
 * A `context.promise` combinator failed.
 *
 * @public
 */
export class PromiseCombinatorError extends DurableOperationError {
  readonly errorType = "PromiseCombinatorError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Promise combinator failed", cause, errorData);
  }
}

/**
 * A `waitForCondition` check failed for good, or its wait strategy threw.
 *
 * @public
 */
export class WaitForConditionError extends DurableOperationError {
  readonly errorType = "WaitForConditionError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Wait for condition failed", cause, errorData);
  }
}

/**
 * Thrown by a map/parallel result's `throwIfError()` when a custom `shouldComplete`
 * decided the batch failed (`CUSTOM_COMPLETION_FAILED`), even if no item did.
 *
 * Not revived by {@link DurableOperationError.fromErrorObject}: as in the official SDK, a
 * recorded `BatchCompletionError` comes back as a {@link StepError}.
 *
 * @public
 */
export class BatchCompletionError extends DurableOperationError {
  // Declared rather than a parameter property: own properties come in the official
  // order (completionReason, then errorType) whichever compiler emits the class.
  /** Why the batch counts as failed. */
  readonly completionReason: CompletionReason;
  readonly errorType = "BatchCompletionError";
  constructor(completionReason: CompletionReason, message?: string, cause?: Error, errorData?: string) {
    super(message || `Batch completed as failed by shouldComplete (${completionReason})`, cause, errorData);
    this.completionReason = completionReason;
  }
}

type Reviver = (message: string | undefined, cause: Error, data: string | undefined) => DurableOperationError;

// The error types fromErrorObject knows, each with the message used when none was
// recorded. The defaults repeat the constructors' on purpose: an empty recorded message
// must give the same text as the official SDK gives.
const REVIVERS = new Map<string, Reviver>([
  ["StepError", (m, c, d) => new StepError(m || "Step failed", c, d)],
  ["CallbackError", (m, c, d) => new CallbackError(m || "Callback failed", c, d)],
  ["CallbackExternalError", (m, c, d) => new CallbackExternalError(m || "Callback failed", c, d)],
  ["CallbackTimeoutError", (m, c, d) => new CallbackTimeoutError(m || "Callback timed out", c, d)],
  ["CallbackSubmitterError", (m, c, d) => new CallbackSubmitterError(m || "Callback submitter failed", c, d)],
  ["InvokeError", (m, c, d) => new InvokeError(m || "Invoke failed", c, d)],
  ["ChildContextError", (m, c, d) => new ChildContextError(m || "Child context failed", c, d)],
  ["WaitForConditionError", (m, c, d) => new WaitForConditionError(m || "Wait for condition failed", c, d)],
  ["PromiseCombinatorError", (m, c, d) => new PromiseCombinatorError(m || "Promise combinator failed", c, d)],
]);

/**
 * A step with `AtMostOncePerRetry` semantics had started (its START was checkpointed) but
 * never finished: the invocation ended mid-attempt. Handed to the retry strategy in place
 * of the error the attempt never got to throw.
 *
 * @public
 */
export class StepInterruptedError extends Error {
  // The arguments are accepted for signature parity; like the official SDK, the message
  // names neither (it ends up on the wire, so it must be the same text).
  constructor(_stepId: string, _stepName?: string) {
    super("The step execution process was initiated but failed to reach completion due to an interruption.");
    this.name = "StepInterruptedError";
  }
}

/**
 * The wire form of anything thrown, the way the official SDK's `createErrorObjectFromError`
 * builds it, key order included (JSON.stringify follows it; both SDKs must write the same
 * bytes so an execution can resume under either):
 *
 * - a {@link DurableOperationError}: its own {@link DurableOperationError.toErrorObject};
 *   `data` is ignored;
 * - anything error-like (an `Error`, or an object with both `message` and `name`):
 *   `{ ErrorData: data, ErrorMessage: message, ErrorType: name, StackTrace: undefined }`;
 * - anything else (a string, a number, `null`, ...):
 *   `{ ErrorData: data, ErrorMessage: "Unknown error" }`, with no `ErrorType`.
 *
 * Stack traces are never written.
 */
export function errorObjectFrom(error: unknown, data?: string): ErrorObject {
  if (error instanceof DurableOperationError) return error.toErrorObject();
  if (isErrorLike(error)) {
    return { ErrorData: data, ErrorMessage: error.message, ErrorType: error.name, StackTrace: undefined };
  }
  return { ErrorData: data, ErrorMessage: "Unknown error" };
}

function isErrorLike(value: unknown): value is { message: string; name: string } {
  if (value instanceof Error) return true;
  return typeof value === "object" && value !== null && "message" in value && "name" in value;
}

/**
 * Base of the errors that end more than one operation: the invocation
 * ({@link UnrecoverableInvocationError}) or the whole execution
 * ({@link UnrecoverableExecutionError}).
 *
 * Recognised by the `isUnrecoverable` flag rather than by `instanceof`
 * ({@link isUnrecoverableError}), so a copy of this module bundled twice still agrees.
 */
export abstract class UnrecoverableError extends Error {
  /** Why the runtime terminates, e.g. `"SERDES_FAILED"` or `"NON_DETERMINISM"`. */
  abstract readonly terminationReason: string;
  /** The error that led to this one, if any. */
  readonly originalError?: Error;
  readonly isUnrecoverable = true;

  constructor(message: string, originalError?: Error) {
    super(message);
    this.originalError = originalError;
    this.name = new.target.name;
    // Keep the original trace visible in logs of the wrapping error.
    if (originalError?.stack) this.stack = `${this.stack}\nCaused by: ${originalError.stack}`;
  }
}

/**
 * Ends the whole execution: it cannot go on in any invocation. The message is prefixed
 * `[Unrecoverable Execution] `.
 */
export abstract class UnrecoverableExecutionError extends UnrecoverableError {
  readonly isUnrecoverableExecution = true;
  constructor(message: string, originalError?: Error) {
    super(`[Unrecoverable Execution] ${message}`, originalError);
  }
}

/**
 * Ends the current invocation only: the Lambda handler throws it, Lambda retries the
 * invocation and the execution may go on. The message is prefixed
 * `[Unrecoverable Invocation] `.
 */
export abstract class UnrecoverableInvocationError extends UnrecoverableError {
  readonly isUnrecoverableInvocation = true;
  constructor(message: string, originalError?: Error) {
    super(`[Unrecoverable Invocation] ${message}`, originalError);
  }
}

/**
 * A serdes `serialize` or `deserialize` threw. Ends the invocation (see
 * {@link UnrecoverableInvocationError}); nothing is checkpointed for the operation.
 */
export class SerdesFailedError extends UnrecoverableInvocationError {
  readonly terminationReason = "SERDES_FAILED";
  constructor(message?: string, originalError?: Error) {
    super(message || "Serdes operation failed", originalError);
  }
}

/**
 * Replay found an operation that does not match the code now running (another type,
 * name or subtype at the same position). Fails the execution.
 */
export class NonDeterministicExecutionError extends UnrecoverableExecutionError {
  readonly terminationReason = "NON_DETERMINISM";
  constructor(message: string) {
    super(message);
    this.name = "NonDeterministicExecutionError";
  }
}

/** Whether `error` is an {@link UnrecoverableError} (of this or any other copy of it). */
export function isUnrecoverableError(error: unknown): error is UnrecoverableError {
  return error instanceof Error && (error as Partial<UnrecoverableError>).isUnrecoverable === true;
}

/** Whether `error` is an {@link UnrecoverableExecutionError}. */
export function isUnrecoverableExecutionError(error: unknown): error is UnrecoverableExecutionError {
  return error instanceof Error && (error as Partial<UnrecoverableExecutionError>).isUnrecoverableExecution === true;
}

/** Whether `error` is an {@link UnrecoverableInvocationError}. */
export function isUnrecoverableInvocationError(error: unknown): error is UnrecoverableInvocationError {
  return error instanceof Error && (error as Partial<UnrecoverableInvocationError>).isUnrecoverableInvocation === true;
}

// Pin each class's `name` (which `error.name` is taken from, and which loggers print as
// the error type). A bundler may otherwise rename a class, e.g. esbuild turns
// `class StepError` into `var StepError = class _StepError` when the module is wrapped,
// and the name would change with it. Done outside the class bodies so that nothing
// inside them refers to the class by name (the very thing that makes esbuild rename).
// A user's subclass keeps its own name.
for (const [cls, name] of [
  [DurableOperationError, "DurableOperationError"],
  [StepError, "StepError"],
  [CallbackError, "CallbackError"],
  [CallbackExternalError, "CallbackExternalError"],
  [CallbackTimeoutError, "CallbackTimeoutError"],
  [CallbackSubmitterError, "CallbackSubmitterError"],
  [InvokeError, "InvokeError"],
  [ChildContextError, "ChildContextError"],
  [PromiseCombinatorError, "PromiseCombinatorError"],
  [WaitForConditionError, "WaitForConditionError"],
  [BatchCompletionError, "BatchCompletionError"],
  [StepInterruptedError, "StepInterruptedError"],
  [UnrecoverableError, "UnrecoverableError"],
  [UnrecoverableExecutionError, "UnrecoverableExecutionError"],
  [UnrecoverableInvocationError, "UnrecoverableInvocationError"],
  [SerdesFailedError, "SerdesFailedError"],
  [NonDeterministicExecutionError, "NonDeterministicExecutionError"],
] as const) {
  Object.defineProperty(cls, "name", { value: name, configurable: true });
}
