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
 * Map and parallel: the enums `BatchItemStatus`, `NestingType`, `CompletionOutcome`, the
 * `shouldComplete` helpers `completeBatch` / `continueBatch`, and their types.
 */

export type { Duration } from "./duration";

export {
  BatchItemStatus,
  CompletionOutcome,
  InvocationStatus,
  JitterStrategy,
  NestingType,
  OperationAction,
  OperationStatus,
  OperationSubType,
  OperationType,
  StepSemantics,
} from "./enums";

export { completeBatch, continueBatch } from "./operations/batch-result";

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
  BatchItem,
  BatchResult,
  CompletionConfig,
  CompletionDecision,
  CompletionItemStatus,
  CompletionReason,
  CompletionStatus,
  ConcurrencyConfig,
  ConcurrentExecutionItem,
  ConcurrentExecutor,
  CustomCompletionConfig,
  MapConfig,
  MapFunc,
  NamedParallelBranch,
  ParallelConfig,
  ParallelFunc,
  ThresholdCompletionConfig,
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
