/**
 * The types of the durable API: `DurableContext`, the options and callbacks of its
 * operations, the handler types and the invocation payloads. Shaped like the official
 * SDK's so that code written against one type-checks against the other. Types only:
 * nothing here exists at run time.
 */

import type {
  CheckpointDurableExecutionInput,
  CheckpointUpdatedExecutionState,
  ErrorObject,
  GetDurableExecutionStateInput,
  Operation,
  StepDetails,
  Transport,
  BatchInfo,
} from "../core/types";
import type { CheckpointError } from "../core/errors";
import type { LambdaClientLike } from "../core/lambda";
import type { Duration } from "./duration";
import type { BatchItemStatus, CompletionOutcome, InvocationStatus, NestingType, StepSemantics } from "./enums";
import type { ChildContextError, DurableOperationError } from "./errors";
import type { DurableContextLogger, DurableLogger, LoggerConfig } from "./logger";
import type { DurablePromise } from "./promise";
import type { RetryDecision } from "./retry";
import type { Serdes, SerdesConfig } from "./serdes";

// ---------------------------------------------------------------------------------------
// What operation bodies receive

/**
 * The base of what a step, a `waitForCondition` check or a callback submitter receives.
 *
 * @public
 */
export interface OperationContext<Logger extends DurableLogger> {
  /** Logs with the operation's id, name and attempt in each record. */
  logger: Logger;
}

/**
 * What a step's function receives.
 *
 * @public
 */
export interface StepContext<Logger extends DurableLogger> extends OperationContext<DurableContextLogger<Logger>> {
  /** This attempt's number: 1 the first time, one more on each retry. */
  attempt: number;
}

/**
 * What a `waitForCondition` check receives.
 *
 * @public
 */
export interface WaitForConditionContext<Logger extends DurableLogger>
  extends OperationContext<DurableContextLogger<Logger>> {
  /** This check's number: 1 the first time, one more after each wait. */
  attempt: number;
}

/**
 * What a `waitForCallback` submitter receives.
 *
 * @public
 */
export type WaitForCallbackContext<Logger extends DurableLogger> = OperationContext<DurableContextLogger<Logger>>;

// ---------------------------------------------------------------------------------------
// Steps and child contexts

/**
 * Options of `context.step`.
 *
 * @public
 */
export interface StepConfig<T> {
  /** Decides after each failed attempt; by default, `retryPresets.default`. */
  retryStrategy?: (error: Error, attemptCount: number) => RetryDecision;
  /** How the step is checkpointed around its body. @defaultValue `AtLeastOncePerRetry` */
  semantics?: StepSemantics;
  /** How the result is checkpointed. */
  serdes?: Serdes<T>;
}

/**
 * The body of a step. It runs once per attempt, and not again once its result is
 * checkpointed; it cannot use durable operations itself (use a child context for that).
 *
 * @public
 */
export type StepFunc<T, Logger extends DurableLogger = DurableLogger> = (context: StepContext<Logger>) => Promise<T>;

/**
 * Options of `context.runInChildContext`.
 *
 * @public
 */
export interface ChildConfig<T> {
  /** How the result is checkpointed. */
  serdes?: Serdes<T>;
  /** The operation's `SubType`. @defaultValue `"RunInChildContext"` */
  subType?: string;
  /** What to checkpoint instead of a result too large to checkpoint (used by map/parallel). */
  summaryGenerator?: (result: T) => string;
  /** Replaces the `ChildContextError` a failure becomes. */
  errorMapper?: (originalError: DurableOperationError) => DurableOperationError;
  /** Checkpoint no CONTEXT operation: the child's operations hang under the parent's parent. */
  virtualContext?: boolean;
}

/**
 * The body of a child context: it gets a context of its own (its own operation ids) and
 * may use any durable operation.
 *
 * @public
 */
export type ChildFunc<T, Logger extends DurableLogger = DurableLogger> = (context: DurableContext<Logger>) => Promise<T>;

// ---------------------------------------------------------------------------------------
// Invoke and callbacks

/**
 * Options of `context.invoke`.
 *
 * @public
 */
export interface InvokeConfig<I, O> {
  /** How the input is written. */
  payloadSerdes?: Serdes<I>;
  /** How the invoked function's result is read. */
  resultSerdes?: Serdes<O>;
  /** The tenant, for a tenant-isolated function. */
  tenantId?: string;
}

/**
 * Options of `context.createCallback`.
 *
 * @public
 */
export interface CreateCallbackConfig<TOutput = string> {
  /** How long the callback may take to be completed. */
  timeout?: Duration;
  /** How long it may go without a heartbeat. */
  heartbeatTimeout?: Duration;
  /** How the completion's payload is read; by default it is returned as the raw string. */
  serdes?: Omit<Serdes<TOutput>, "serialize">;
}

/**
 * Options of `context.waitForCallback`.
 *
 * @public
 */
export interface WaitForCallbackConfig<TOutput = string> {
  /** How long the callback may take to be completed. */
  timeout?: Duration;
  /** How long it may go without a heartbeat. */
  heartbeatTimeout?: Duration;
  /** Decides after each failed submitter attempt. */
  retryStrategy?: (error: Error, attemptCount: number) => RetryDecision;
  /** How the completion's payload is read; by default it is returned as the raw string. */
  serdes?: Omit<Serdes<TOutput>, "serialize">;
}

/**
 * What `context.createCallback` resolves to: the promise of the completion's value, and
 * the id to give whoever completes it.
 *
 * @public
 */
export type CreateCallbackResult<T = string> = [DurablePromise<T>, string];

/**
 * Hands the callback id to the system that will complete it; runs as a step.
 *
 * @public
 */
export type WaitForCallbackSubmitterFunc<TLogger extends DurableLogger> = (
  callbackId: string,
  context: WaitForCallbackContext<TLogger>,
) => Promise<void>;

// ---------------------------------------------------------------------------------------
// waitForCondition

/**
 * One check of a `waitForCondition`: the new state, from the previous one.
 *
 * @public
 */
export type WaitForConditionCheckFunc<T, Logger extends DurableLogger = DurableLogger> = (
  state: T,
  context: WaitForConditionContext<Logger>,
) => Promise<T>;

/**
 * After each check: whether to check again, and when. `attempt` counts checks from 1.
 *
 * @public
 */
export type WaitForConditionWaitStrategyFunc<T> = (state: T, attempt: number) => WaitForConditionDecision;

/**
 * What a `waitForCondition` wait strategy decided.
 *
 * @public
 */
export type WaitForConditionDecision = { shouldContinue: true; delay: Duration } | { shouldContinue: false };

/**
 * Options of `context.waitForCondition`.
 *
 * @public
 */
export interface WaitForConditionConfig<T> {
  /** Decides after each check; see `createWaitStrategy`. */
  waitStrategy: WaitForConditionWaitStrategyFunc<T>;
  /** The state the first check starts from. */
  initialState: T;
  /** How states are checkpointed. */
  serdes?: Serdes<T>;
}

// ---------------------------------------------------------------------------------------
// map and parallel (the runtime arrives later; ./units does not export these yet)

/**
 * One item's outcome in a {@link BatchResult}.
 *
 * @public
 */
export interface BatchItem<TResult> {
  /** Its result, when it succeeded. */
  result?: TResult;
  /** Its error, when it failed (items run in child contexts, hence the type). */
  error?: ChildContextError;
  /** Its position in the input. */
  index: number;
  status: BatchItemStatus;
}

/**
 * Why a batch completed.
 *
 * @public
 */
export type CompletionReason =
  | "ALL_COMPLETED"
  | "MIN_SUCCESSFUL_REACHED"
  | "FAILURE_TOLERANCE_EXCEEDED"
  | "CUSTOM_COMPLETION_SUCCEEDED"
  | "CUSTOM_COMPLETION_FAILED";

/**
 * The result of `context.map` or `context.parallel`. The counts and filtered views are
 * computed once: treat `all` as read-only. `STARTED` items (running when the batch
 * completed early) need not survive into a later invocation; the completed ones and
 * `completionReason` do.
 *
 * @public
 */
export interface BatchResult<TResult> {
  all: Array<BatchItem<TResult>>;
  succeeded(): Array<BatchItem<TResult> & { result: TResult }>;
  failed(): Array<BatchItem<TResult> & { error: ChildContextError }>;
  started(): Array<BatchItem<TResult> & { status: BatchItemStatus.STARTED }>;
  /** `FAILED` if any item failed or a custom completion said so. */
  status: BatchItemStatus.SUCCEEDED | BatchItemStatus.FAILED;
  completionReason: CompletionReason;
  hasFailure: boolean;
  /** Throws the first item's error, or a `BatchCompletionError`, if the batch failed. */
  throwIfError(): void;
  getResults(): Array<TResult>;
  getErrors(): Array<ChildContextError>;
  successCount: number;
  failureCount: number;
  startedCount: number;
  totalCount: number;
}

/**
 * What a custom `shouldComplete` decided.
 *
 * @public
 */
export type CompletionDecision =
  | { complete: false }
  | {
      complete: true;
      /** @defaultValue `CompletionOutcome.SUCCEEDED` */
      outcome?: CompletionOutcome;
    };

/**
 * Complete a batch early on counts. When several items finish together, more may have
 * completed than the threshold by the time it is checked.
 *
 * @public
 */
export interface ThresholdCompletionConfig {
  minSuccessful?: number;
  toleratedFailureCount?: number;
  /** 0 to 100. */
  toleratedFailurePercentage?: number;
  shouldComplete?: never;
}

/**
 * Complete a batch early by a predicate of its progress. The predicate must be
 * deterministic: it sees only the {@link CompletionStatus}.
 *
 * @public
 */
export interface CustomCompletionConfig {
  shouldComplete: (status: CompletionStatus) => CompletionDecision;
  minSuccessful?: never;
  toleratedFailureCount?: never;
  toleratedFailurePercentage?: never;
}

/**
 * When a batch may complete before all its items have.
 *
 * @public
 */
export type CompletionConfig = ThresholdCompletionConfig | CustomCompletionConfig;

/**
 * One item as a `shouldComplete` predicate sees it.
 *
 * @public
 */
export interface CompletionItemStatus {
  index: number;
  name?: string;
  /** `undefined` while not started. */
  status?: BatchItemStatus;
}

/**
 * A batch's progress as a `shouldComplete` predicate sees it; `items[i]` is input `i`.
 *
 * @public
 */
export interface CompletionStatus {
  successCount: number;
  failureCount: number;
  completedCount: number;
  totalCount: number;
  items: readonly CompletionItemStatus[];
}

/**
 * The function `context.map` applies to each item, in the item's own child context.
 *
 * @public
 */
export type MapFunc<TInput, TOutput, Logger extends DurableLogger> = (
  context: DurableContext<Logger>,
  item: TInput,
  index: number,
  array: TInput[],
) => Promise<TOutput>;

/**
 * Options of `context.map`.
 *
 * @public
 */
export interface MapConfig<TItem, TResult> {
  /** @defaultValue unlimited */
  maxConcurrency?: number;
  itemNamer?: (item: TItem, index: number) => string;
  serdes?: Serdes<BatchResult<TResult>>;
  itemSerdes?: Serdes<TResult>;
  completionConfig?: CompletionConfig;
  summaryGenerator?: (result: BatchResult<TResult>) => string;
  /** @defaultValue `NestingType.NESTED` */
  nesting?: NestingType;
}

/**
 * One branch of `context.parallel`, in its own child context.
 *
 * @public
 */
export type ParallelFunc<TResult, Logger extends DurableLogger = DurableLogger> = (
  context: DurableContext<Logger>,
) => Promise<TResult>;

/**
 * A parallel branch with a name.
 *
 * @public
 */
export interface NamedParallelBranch<TResult, Logger extends DurableLogger> {
  name?: string;
  func: ParallelFunc<TResult, Logger>;
}

/**
 * Options of `context.parallel`.
 *
 * @public
 */
export interface ParallelConfig<TResult> {
  /** @defaultValue unlimited */
  maxConcurrency?: number;
  serdes?: Serdes<BatchResult<TResult>>;
  itemSerdes?: Serdes<TResult>;
  completionConfig?: CompletionConfig;
  summaryGenerator?: (result: BatchResult<TResult>) => string;
  /** @defaultValue `NestingType.NESTED` */
  nesting?: NestingType;
}

/**
 * One item of a concurrent execution (what map and parallel are built on).
 *
 * @public
 */
export interface ConcurrentExecutionItem<T> {
  id: string;
  data: T;
  index: number;
  name?: string;
}

/**
 * Runs one item of a concurrent execution.
 *
 * @public
 */
export type ConcurrentExecutor<TItem, TResult, Logger extends DurableLogger> = (
  item: ConcurrentExecutionItem<TItem>,
  childContext: DurableContext<Logger>,
) => Promise<TResult>;

/**
 * Options of a concurrent execution.
 *
 * @public
 */
export interface ConcurrencyConfig<TResult> {
  maxConcurrency?: number;
  topLevelSubType?: string;
  iterationSubType?: string;
  summaryGenerator?: (result: BatchResult<TResult>) => string;
  serdes?: Serdes<BatchResult<TResult>>;
  itemSerdes?: Serdes<TResult>;
  completionConfig?: CompletionConfig;
  nesting?: NestingType;
}

// The result type of parallel's inferring overloads: the union of the branches' results.
type BranchResult<Branches extends readonly unknown[], TLogger extends DurableLogger> =
  Branches[number] extends ParallelFunc<infer R, TLogger>
    ? R
    : Branches[number] extends NamedParallelBranch<infer R, TLogger>
      ? R
      : never;

// ---------------------------------------------------------------------------------------
// DurableContext

/**
 * What a durable handler (and each child context) works with. Every operation returns a
 * {@link DurablePromise}: nothing waits until it is awaited. On replay, operations that
 * completed in an earlier invocation return their recorded outcome without running again.
 *
 * @public
 */
export interface DurableContext<TLogger extends DurableLogger = DurableLogger> {
  /** Lambda's context object for this invocation. */
  lambdaContext: LambdaContext;
  /**
   * Logs through the configured logger (the default one writes JSON lines carrying the
   * execution ARN, request id and operation id), dropping records while replaying unless
   * `configureLogger({ modeAware: false })`.
   */
  logger: DurableContextLogger<TLogger>;
  executionContext: {
    /** The ARN of this durable execution. */
    readonly durableExecutionArn: string;
  };

  /**
   * Runs `fn` as a step: checkpointed once it succeeds, retried by the retry strategy
   * when it throws. A step cannot contain durable operations; use `runInChildContext`.
   *
   * @throws StepError once the retry strategy gives up
   */
  step<TOutput>(
    name: string | undefined,
    fn: StepFunc<TOutput, TLogger>,
    config?: StepConfig<TOutput>,
  ): DurablePromise<TOutput>;
  /** {@inheritDoc DurableContext.(step:1)} */
  step<TOutput>(fn: StepFunc<TOutput, TLogger>, config?: StepConfig<TOutput>): DurablePromise<TOutput>;

  /**
   * Invokes another function (`funcId`: a name or ARN; durable functions need a version or
   * alias qualifier) and waits for its result.
   *
   * @throws InvokeError when it fails, times out or is stopped
   */
  invoke<TInput, TOutput>(
    name: string,
    funcId: string,
    input?: TInput,
    config?: InvokeConfig<TInput, TOutput>,
  ): DurablePromise<TOutput>;
  /** {@inheritDoc DurableContext.(invoke:1)} */
  invoke<TInput, TOutput>(funcId: string, input?: TInput, config?: InvokeConfig<TInput, TOutput>): DurablePromise<TOutput>;

  /**
   * Runs `fn` in a child context: a group of durable operations checkpointed as one
   * operation. Its body should contain at least one durable operation; plain computation
   * belongs in a step.
   *
   * @throws ChildContextError when `fn` throws
   */
  runInChildContext<TOutput>(
    name: string | undefined,
    fn: ChildFunc<TOutput, TLogger>,
    config?: ChildConfig<TOutput>,
  ): DurablePromise<TOutput>;
  /** {@inheritDoc DurableContext.(runInChildContext:1)} */
  runInChildContext<TOutput>(fn: ChildFunc<TOutput, TLogger>, config?: ChildConfig<TOutput>): DurablePromise<TOutput>;

  /** Waits `duration` durably: the invocation may end and a later one resume after it. */
  wait(name: string, duration: Duration): DurablePromise<void>;
  /** {@inheritDoc DurableContext.(wait:1)} */
  wait(duration: Duration): DurablePromise<void>;

  /**
   * Checks a state until the wait strategy says to stop, waiting durably in between;
   * resolves to the last state.
   *
   * @throws WaitForConditionError when a check fails for good or the strategy throws
   */
  waitForCondition<TOutput>(
    name: string | undefined,
    checkFunc: WaitForConditionCheckFunc<TOutput, TLogger>,
    config: WaitForConditionConfig<TOutput>,
  ): DurablePromise<TOutput>;
  /** {@inheritDoc DurableContext.(waitForCondition:1)} */
  waitForCondition<TOutput>(
    checkFunc: WaitForConditionCheckFunc<TOutput, TLogger>,
    config: WaitForConditionConfig<TOutput>,
  ): DurablePromise<TOutput>;

  /**
   * Creates a callback an external system completes
   * (`SendDurableExecutionCallbackSuccess`/`Failure`); resolves to its promise and id.
   * The promise rejects with a `CallbackError` when the callback fails or times out.
   */
  createCallback<TOutput = string>(
    name: string | undefined,
    config?: CreateCallbackConfig<TOutput>,
  ): DurablePromise<CreateCallbackResult<TOutput>>;
  /** {@inheritDoc DurableContext.(createCallback:1)} */
  createCallback<TOutput = string>(config?: CreateCallbackConfig<TOutput>): DurablePromise<CreateCallbackResult<TOutput>>;

  /**
   * Creates a callback, hands its id to `submitter` (run as a step) and waits for its
   * completion.
   *
   * @throws CallbackError (or a subclass) when the submitter or the callback fails
   */
  waitForCallback<TOutput = string>(
    name: string | undefined,
    submitter: WaitForCallbackSubmitterFunc<TLogger>,
    config?: WaitForCallbackConfig<TOutput>,
  ): DurablePromise<TOutput>;
  /** {@inheritDoc DurableContext.(waitForCallback:1)} */
  waitForCallback<TOutput = string>(
    submitter: WaitForCallbackSubmitterFunc<TLogger>,
    config?: WaitForCallbackConfig<TOutput>,
  ): DurablePromise<TOutput>;

  /** Applies `mapFunc` to each item, each in its own child context, with bounded concurrency. */
  map<TInput, TOutput>(
    name: string | undefined,
    items: TInput[],
    mapFunc: MapFunc<TInput, TOutput, TLogger>,
    config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  /** {@inheritDoc DurableContext.(map:1)} */
  map<TInput, TOutput>(
    items: TInput[],
    mapFunc: MapFunc<TInput, TOutput, TLogger>,
    config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;

  /** Runs branches concurrently, each in its own child context; all return `TOutput`. */
  parallel<TOutput>(
    name: string | undefined,
    branches: (ParallelFunc<TOutput, TLogger> | NamedParallelBranch<TOutput, TLogger>)[],
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  /** {@inheritDoc DurableContext.(parallel:1)} */
  parallel<TOutput>(
    branches: (ParallelFunc<TOutput, TLogger> | NamedParallelBranch<TOutput, TLogger>)[],
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  /**
   * Runs branches concurrently, inferring the union of their result types. Typed as
   * returning a plain `Promise`, as in the official SDK (the value is still a
   * `DurablePromise`).
   */
  parallel<Branches extends readonly unknown[]>(
    name: string | undefined,
    branches: Branches,
    config?: ParallelConfig<BranchResult<Branches, TLogger>>,
  ): Promise<BatchResult<BranchResult<Branches, TLogger>>>;
  /** Runs branches concurrently, inferring the union of their result types. */
  parallel<Branches extends readonly unknown[]>(
    branches: Branches,
    config?: ParallelConfig<BranchResult<Branches, TLogger>>,
  ): DurablePromise<BatchResult<BranchResult<Branches, TLogger>>>;

  /**
   * Combinators over durable promises that are already running: no concurrency control,
   * no completion policy. For anything long or many, prefer `map` or `parallel`.
   */
  promise: {
    /** Like `Promise.all`. */
    all<TOutput>(name: string | undefined, promises: DurablePromise<TOutput>[]): DurablePromise<TOutput[]>;
    all<TOutput>(promises: DurablePromise<TOutput>[]): DurablePromise<TOutput[]>;
    /** Like `Promise.allSettled`. */
    allSettled<TOutput>(
      name: string | undefined,
      promises: DurablePromise<TOutput>[],
    ): DurablePromise<PromiseSettledResult<TOutput>[]>;
    allSettled<TOutput>(promises: DurablePromise<TOutput>[]): DurablePromise<PromiseSettledResult<TOutput>[]>;
    /** Like `Promise.any`. */
    any<TOutput>(name: string | undefined, promises: DurablePromise<TOutput>[]): DurablePromise<TOutput>;
    any<TOutput>(promises: DurablePromise<TOutput>[]): DurablePromise<TOutput>;
    /** Like `Promise.race`. */
    race<TOutput>(name: string | undefined, promises: DurablePromise<TOutput>[]): DurablePromise<TOutput>;
    race<TOutput>(promises: DurablePromise<TOutput>[]): DurablePromise<TOutput>;
  };

  /** Replaces the logger and/or turns replay suppression on or off, for this context. */
  configureLogger(config: LoggerConfig<TLogger>): void;
  /** Sets this context's default serdes (see {@link SerdesConfig}). */
  configureSerdes(config: SerdesConfig): void;
}

// ---------------------------------------------------------------------------------------
// Lambda's context object, structurally (so that @types/aws-lambda is not needed)

/**
 * The identity of an Amazon Cognito caller.
 *
 * @public
 */
export interface CognitoIdentity {
  cognitoIdentityId: string;
  cognitoIdentityPoolId: string;
}

/**
 * The client context of a mobile SDK caller.
 *
 * @public
 */
export interface ClientContext {
  client: {
    installationId: string;
    appTitle: string;
    appVersionName: string;
    appVersionCode: string;
    appPackageName: string;
  };
  Custom?: any;
  env: {
    platformVersion: string;
    platform: string;
    make: string;
    model: string;
    locale: string;
  };
}

/**
 * Lambda's context object, the shape of `Context` in `@types/aws-lambda`.
 *
 * @public
 */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: CognitoIdentity | undefined;
  clientContext?: ClientContext | undefined;
  tenantId?: string | undefined;
  getRemainingTimeInMillis(): number;
  /** @deprecated Return or throw from the handler instead. */
  done(error?: Error, result?: any): void;
  /** @deprecated Throw from the handler instead. */
  fail(error: Error | string): void;
  /** @deprecated Return from the handler instead. */
  succeed(messageOrObject: any): void;
  /** @deprecated Return from the handler instead. */
  succeed(message: string, object: any): void;
}

// ---------------------------------------------------------------------------------------
// The wire, as a DurableExecutionClient sees it

/**
 * A timestamp as it arrives: a `Date` from the AWS SDK, a string from a JSON payload.
 *
 * @public
 */
export type WireTimestamp = Date | string;

/** @public */
export interface WireStepDetails extends Omit<StepDetails, "NextAttemptTimestamp"> {
  NextAttemptTimestamp?: WireTimestamp | undefined;
}

/** @public */
export interface WireWaitDetails {
  ScheduledEndTimestamp?: WireTimestamp | undefined;
}

/**
 * An operation as it arrives, before its timestamps are turned into `Date`s.
 *
 * @public
 */
export interface WireOperation
  extends Omit<Operation, "StartTimestamp" | "EndTimestamp" | "StepDetails" | "WaitDetails"> {
  StartTimestamp: WireTimestamp | undefined;
  EndTimestamp?: WireTimestamp | undefined;
  StepDetails?: WireStepDetails | undefined;
  WaitDetails?: WireWaitDetails | undefined;
}

/** @public */
export type CheckpointDurableExecutionRequest = CheckpointDurableExecutionInput;

/** @public */
export interface CheckpointDurableExecutionResponse {
  CheckpointToken?: string | undefined;
  NewExecutionState:
    | (Omit<CheckpointUpdatedExecutionState, "Operations"> & { Operations?: WireOperation[] | undefined })
    | undefined;
}

/** @public */
export type GetDurableExecutionStateRequest = GetDurableExecutionStateInput;

/** @public */
export interface GetDurableExecutionStateResponse {
  Operations: WireOperation[] | undefined;
  NextMarker?: string | undefined;
}

/**
 * The two calls the SDK makes to the durable execution service, for a backend of your
 * own (`DurableExecutionConfig.durableExecutionClient`).
 *
 * @public
 */
export interface DurableExecutionClient {
  /** A page of the execution's operations. */
  getExecutionState(
    params: GetDurableExecutionStateRequest,
    logger?: DurableLogger,
  ): Promise<GetDurableExecutionStateResponse>;
  /** Records a batch of operation updates; returns the next checkpoint token. */
  checkpoint(params: CheckpointDurableExecutionRequest, logger?: DurableLogger): Promise<CheckpointDurableExecutionResponse>;
}

// ---------------------------------------------------------------------------------------
// Handlers and invocations

/**
 * What the service sends a durable function on each invocation.
 *
 * @public
 */
export interface DurableExecutionInvocationInput {
  DurableExecutionArn: string;
  /** The token the first checkpoint of this invocation must carry. */
  CheckpointToken: string;
  /**
   * Ids of the operations that changed since the previous invocation (a wait ended, a
   * callback completed...); absent on the first invocation.
   */
  UpdatedOperationIds?: string[];
  InitialExecutionState: {
    /** The first page of the execution's operations. */
    Operations: WireOperation[];
    /** Where the next page starts, when there is one. */
    NextMarker?: string | undefined;
  };
}

interface DurableExecutionInvocationOutputSucceeded {
  Status: InvocationStatus.SUCCEEDED;
  /** The serialized result; absent for `undefined` or when checkpointed instead. */
  Result?: string;
}

interface DurableExecutionInvocationOutputFailed {
  Status: InvocationStatus.FAILED;
  Error: ErrorObject;
}

interface DurableExecutionInvocationOutputPending {
  Status: InvocationStatus.PENDING;
}

/**
 * What a durable function answers the service with.
 *
 * @public
 */
export type DurableExecutionInvocationOutput =
  | DurableExecutionInvocationOutputSucceeded
  | DurableExecutionInvocationOutputFailed
  | DurableExecutionInvocationOutputPending;

/**
 * A durable handler: the event (the execution's input) and a {@link DurableContext}.
 * It runs again from the start on each invocation; completed operations replay.
 *
 * @public
 */
export type DurableExecutionHandler<TEvent = any, TResult = any, TLogger extends DurableLogger = DurableLogger> = (
  event: TEvent,
  context: DurableContext<TLogger>,
) => Promise<TResult>;

/**
 * The Lambda handler `withDurableExecution` makes of a durable handler.
 *
 * @public
 */
export type DurableLambdaHandler = (
  event: DurableExecutionInvocationInput,
  context: LambdaContext,
) => Promise<DurableExecutionInvocationOutput>;

/**
 * Options of `withDurableExecution`. Give at most one of `client`,
 * `durableExecutionClient` and `transport`; with none, a `LambdaClient` is created.
 *
 * @public
 */
export interface DurableExecutionConfig {
  /**
   * The `LambdaClient` (from `@aws-sdk/client-lambda`) to call the service with.
   *
   * @deprecated As in the official SDK: prefer `durableExecutionClient` or `transport`.
   */
  client?: LambdaClientLike;
  /** A backend of your own, with the official SDK's client interface. */
  durableExecutionClient?: DurableExecutionClient;
  /** A transport of this package (`lambdaClientTransport`, `fetchTransport`, your own). */
  transport?: Transport;
  /** durable-checkpoint: called after each acknowledged checkpoint call (see `CheckpointBatcherOptions.onBatch`). */
  onBatch?: (info: BatchInfo) => void;
  /** durable-checkpoint: called once when checkpointing fails for good (see `CheckpointBatcherOptions.onError`). */
  onError?: (error: CheckpointError) => void;
}
