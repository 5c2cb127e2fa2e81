/**
 * The runtime enumerations of the durable API. Their string values are part of the wire
 * contract shared with `@aws/durable-execution-sdk-js`: a value checkpointed by one SDK is
 * read back by the other, so none of them may change.
 *
 * The three wire enumerations (`OperationType`, `OperationStatus`, `OperationAction`) are
 * plain frozen-shape objects whose types are unions of string literals, so values coming
 * from `@aws-sdk/client-lambda` (or from `../core/types`) and values from here are mutually
 * assignable. The SDK-level ones are TypeScript `enum`s, as in the official SDK.
 *
 * The map/parallel enumerations at the end (`NestingType`, `BatchItemStatus`,
 * `CompletionOutcome`) are here because the map/parallel types of `DurableContext` need
 * them, but `./units` does not export them yet: they become public with map and parallel.
 */

import type {
  OperationAction as WireOperationAction,
  OperationStatus as WireOperationStatus,
  OperationType as WireOperationType,
} from "../core/types";

/**
 * The kind of durable operation a history entry is.
 *
 * @public
 */
export const OperationType = {
  CALLBACK: "CALLBACK",
  CHAINED_INVOKE: "CHAINED_INVOKE",
  CONTEXT: "CONTEXT",
  EXECUTION: "EXECUTION",
  STEP: "STEP",
  WAIT: "WAIT",
} as const satisfies Record<string, WireOperationType>;
/** @public */
export type OperationType = (typeof OperationType)[keyof typeof OperationType];

/**
 * Where a durable operation stands, as the service records it.
 *
 * @public
 */
export const OperationStatus = {
  CANCELLED: "CANCELLED",
  FAILED: "FAILED",
  PENDING: "PENDING",
  READY: "READY",
  STARTED: "STARTED",
  STOPPED: "STOPPED",
  SUCCEEDED: "SUCCEEDED",
  TIMED_OUT: "TIMED_OUT",
} as const satisfies Record<string, WireOperationStatus>;
/** @public */
export type OperationStatus = (typeof OperationStatus)[keyof typeof OperationStatus];

/**
 * The transition a checkpoint update asks for.
 *
 * @public
 */
export const OperationAction = {
  CANCEL: "CANCEL",
  FAIL: "FAIL",
  RETRY: "RETRY",
  START: "START",
  SUCCEED: "SUCCEED",
} as const satisfies Record<string, WireOperationAction>;
/** @public */
export type OperationAction = (typeof OperationAction)[keyof typeof OperationAction];

/**
 * The outcome a durable function reports to the service for one invocation.
 *
 * - `SUCCEEDED`: the execution finished; `Result` carries its serialized value, if any.
 * - `FAILED`: the execution failed for good; `Error` says why.
 * - `PENDING`: the invocation stopped (a wait, a callback, a retry back-off); the service
 *   invokes the function again later.
 *
 * @public
 */
export enum InvocationStatus {
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  PENDING = "PENDING",
}

/**
 * The `SubType` written on each operation, one per `DurableContext` method, so history
 * viewers can tell a `waitForCallback` from a bare `createCallback` and so on.
 *
 * @public
 */
export enum OperationSubType {
  /** `context.step` */
  STEP = "Step",
  /** `context.wait` */
  WAIT = "Wait",
  /** `context.createCallback` */
  CALLBACK = "Callback",
  /** `context.runInChildContext` */
  RUN_IN_CHILD_CONTEXT = "RunInChildContext",
  /** `context.map`, the operation around all items */
  MAP = "Map",
  /** one item of `context.map` */
  MAP_ITERATION = "MapIteration",
  /** `context.parallel`, the operation around all branches */
  PARALLEL = "Parallel",
  /** one branch of `context.parallel` */
  PARALLEL_BRANCH = "ParallelBranch",
  /** `context.waitForCallback` */
  WAIT_FOR_CALLBACK = "WaitForCallback",
  /** `context.waitForCondition` */
  WAIT_FOR_CONDITION = "WaitForCondition",
  /** `context.invoke` */
  CHAINED_INVOKE = "ChainedInvoke",
}

/**
 * How a step is checkpointed around its body. Both guarantees hold per attempt: with
 * retries a step body may still run once per attempt.
 *
 * @public
 */
export enum StepSemantics {
  /**
   * A START is checkpointed (and acknowledged) before the body runs; if the invocation
   * dies mid-body, replay does not run that attempt again but treats it as interrupted.
   */
  AtMostOncePerRetry = "AT_MOST_ONCE_PER_RETRY",
  /** The default: if the result was not checkpointed, replay runs the body again. */
  AtLeastOncePerRetry = "AT_LEAST_ONCE_PER_RETRY",
}

/**
 * How a computed back-off delay is randomised, so that many retrying executions do not
 * all come back at the same second.
 *
 * @public
 */
export enum JitterStrategy {
  /** The delay as computed. */
  NONE = "NONE",
  /** Uniformly between 0 and the delay. */
  FULL = "FULL",
  /** Uniformly between half the delay and the delay. */
  HALF = "HALF",
}

// ---------------------------------------------------------------------------------------
// map/parallel (not exported by ./units until map and parallel exist)

/**
 * How map items and parallel branches are nested in the history.
 *
 * @public
 */
export enum NestingType {
  /** Each item or branch is a CONTEXT operation of its own, with its operations inside. */
  NESTED = "NESTED",
  /**
   * Items and branches are not checkpointed as contexts; their operations hang directly
   * under the map or parallel operation. Fewer operations, less visible structure.
   */
  FLAT = "FLAT",
}

/**
 * Where one item of a map or parallel ended up.
 *
 * @public
 */
export enum BatchItemStatus {
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  /**
   * Still running when the batch completed early. For observation only: it need not be
   * reproduced when the result is rebuilt in a later invocation.
   */
  STARTED = "STARTED",
}

/**
 * Whether a batch completed early by a custom `shouldComplete` counts as a success or a
 * failure (of the whole batch, unlike {@link BatchItemStatus}).
 *
 * @public
 */
export enum CompletionOutcome {
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
