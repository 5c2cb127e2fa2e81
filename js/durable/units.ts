/**
 * The self-contained pieces of the durable API (no runtime state): errors, serdes,
 * retry and wait strategies, durations, enums, the logger. Re-exported by ./index.
 *
 * Only what the official SDK's index exports (under the same names), plus the types of
 * operation options and callbacks it leaves unexported but users still write
 * (`ChildFunc`, `CreateCallbackConfig`, `StepContext`...). Internal helpers
 * (`durationToSeconds`, `errorObjectFrom`, `serializeWith`, the unrecoverable errors,
 * the loggers' factories) are imported from their modules by the runtime.
 *
 * Held back until map and parallel exist: `BatchItemStatus`, `NestingType`,
 * `CompletionOutcome`, `completeBatch`, `continueBatch` and the map/parallel types
 * (`BatchItem`, `BatchResult`, `MapFunc`, `MapConfig`, `CompletionConfig`, ...), which
 * ./types and ./enums already define for `DurableContext`'s signatures.
 */

export type { Duration } from "./duration";

export { InvocationStatus, JitterStrategy, OperationAction, OperationStatus, OperationSubType, OperationType, StepSemantics } from "./enums";

export {
  BatchCompletionError,
  CallbackError,
  CallbackExternalError,
  CallbackSubmitterError,
  CallbackTimeoutError,
  ChildContextError,
  DurableOperationError,
  InvokeError,
  PromiseCombinatorError,
  StepError,
  StepInterruptedError,
  WaitForConditionError,
} from "./errors";

export { createClassSerdes, createClassSerdesWithDates, defaultSerdes } from "./serdes";
export type { AnySerdes, AnySerdesDeserializer, Serdes, SerdesConfig, SerdesContext } from "./serdes";

export { createLinearRetryStrategy, createRetryStrategy, retryPresets, withRetry } from "./retry";
export type { LinearRetryStrategyConfig, RetryDecision, RetryStrategyConfig, RetryableFunc, WithRetryConfig } from "./retry";

export { createWaitStrategy } from "./wait-strategy";
export type { WaitStrategyConfig } from "./wait-strategy";

export { refreshLogConfig } from "./logger";
export type { DurableContextLogger, DurableLogData, DurableLogger, DurableLoggingContext, LoggerConfig } from "./logger";

export type {
  ChildConfig,
  ChildFunc,
  CreateCallbackConfig,
  CreateCallbackResult,
  DurableContext,
  DurableExecutionClient,
  DurableExecutionConfig,
  DurableExecutionHandler,
  DurableExecutionInvocationInput,
  DurableExecutionInvocationOutput,
  DurableLambdaHandler,
  InvokeConfig,
  LambdaContext,
  OperationContext,
  StepConfig,
  StepContext,
  StepFunc,
  WaitForCallbackConfig,
  WaitForCallbackContext,
  WaitForCallbackSubmitterFunc,
  WaitForConditionCheckFunc,
  WaitForConditionConfig,
  WaitForConditionContext,
  WaitForConditionDecision,
  WaitForConditionWaitStrategyFunc,
  CheckpointDurableExecutionRequest,
  CheckpointDurableExecutionResponse,
  GetDurableExecutionStateRequest,
  GetDurableExecutionStateResponse,
  WireOperation,
  WireStepDetails,
  WireTimestamp,
  WireWaitDetails,
} from "./types";
