/**
 * Wire types of the Lambda durable execution API, shaped exactly like
 * `@aws-sdk/client-lambda`'s so objects pass between the two in both directions.
 */

/** The kind of a durable operation. */
export type OperationType = "EXECUTION" | "CONTEXT" | "STEP" | "WAIT" | "CALLBACK" | "CHAINED_INVOKE";
/** What an update does to its operation. */
export type OperationAction = "START" | "SUCCEED" | "FAIL" | "RETRY" | "CANCEL";
/** Where an operation stands. */
export type OperationStatus =
  | "STARTED"
  | "PENDING"
  | "READY"
  | "SUCCEEDED"
  | "FAILED"
  | "CANCELLED"
  | "TIMED_OUT"
  | "STOPPED";

/** An error recorded on an operation. */
export interface ErrorObject {
  ErrorMessage?: string | undefined;
  ErrorType?: string | undefined;
  ErrorData?: string | undefined;
  StackTrace?: string[] | undefined;
}

export interface StepOptions {
  /** 1..31622400 */
  NextAttemptDelaySeconds?: number | undefined;
}
export interface WaitOptions {
  /** 1..31622400 */
  WaitSeconds?: number | undefined;
}
export interface CallbackOptions {
  /** 0..99999999; 0 or absent: no timeout */
  TimeoutSeconds?: number | undefined;
  /** 0..99999999; 0 or absent: no heartbeat timeout */
  HeartbeatTimeoutSeconds?: number | undefined;
}
export interface ChainedInvokeOptions {
  FunctionName: string | undefined;
  TenantId?: string | undefined;
  XAmznTraceId?: string | undefined;
}
export interface ContextOptions {
  ReplayChildren?: boolean | undefined;
}

/** One checkpointed change to a durable operation. */
export interface OperationUpdate {
  /** 1-64 characters of [A-Za-z0-9_-] */
  Id: string | undefined;
  /** Same format as Id, never equal to it */
  ParentId?: string | undefined;
  /** 1-256 characters */
  Name?: string | undefined;
  Type: OperationType | undefined;
  /** 1-32 characters: Step, Wait, Callback, RunInChildContext, Map, ... */
  SubType?: string | undefined;
  Action: OperationAction | undefined;
  /** At most 262,144 UTF-8 bytes except on EXECUTION */
  Payload?: string | undefined;
  Error?: ErrorObject | undefined;
  ContextOptions?: ContextOptions | undefined;
  StepOptions?: StepOptions | undefined;
  WaitOptions?: WaitOptions | undefined;
  CallbackOptions?: CallbackOptions | undefined;
  ChainedInvokeOptions?: ChainedInvokeOptions | undefined;
}

export interface ExecutionDetails {
  InputPayload?: string | undefined;
}
export interface ContextDetails {
  ReplayChildren?: boolean | undefined;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}
export interface StepDetails {
  Attempt?: number | undefined;
  NextAttemptTimestamp?: Date | undefined;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}
export interface WaitDetails {
  ScheduledEndTimestamp?: Date | undefined;
}
export interface CallbackDetails {
  CallbackId?: string | undefined;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}
export interface ChainedInvokeDetails {
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}

/** A durable operation as the service reports it. */
export interface Operation {
  Id: string | undefined;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType | undefined;
  SubType?: string | undefined;
  StartTimestamp: Date | undefined;
  EndTimestamp?: Date | undefined;
  Status: OperationStatus | undefined;
  ExecutionDetails?: ExecutionDetails | undefined;
  ContextDetails?: ContextDetails | undefined;
  StepDetails?: StepDetails | undefined;
  WaitDetails?: WaitDetails | undefined;
  CallbackDetails?: CallbackDetails | undefined;
  ChainedInvokeDetails?: ChainedInvokeDetails | undefined;
}

/** Input of `CheckpointDurableExecution` (`CheckpointDurableExecutionCommandInput`). */
export interface CheckpointDurableExecutionInput {
  DurableExecutionArn: string | undefined;
  CheckpointToken: string | undefined;
  Updates?: OperationUpdate[] | undefined;
  ClientToken?: string | undefined;
}

/** State handed back by a checkpoint. */
export interface CheckpointUpdatedExecutionState {
  Operations?: Operation[] | undefined;
  NextMarker?: string | undefined;
}

/** Output of `CheckpointDurableExecution`. */
export interface CheckpointDurableExecutionOutput {
  CheckpointToken?: string | undefined;
  NewExecutionState: CheckpointUpdatedExecutionState | undefined;
}

/** Input of `GetDurableExecutionState`. */
export interface GetDurableExecutionStateInput {
  DurableExecutionArn: string | undefined;
  CheckpointToken: string | undefined;
  Marker?: string | undefined;
  /** 1..1000 */
  MaxItems?: number | undefined;
}

/** Output of `GetDurableExecutionState`. */
export interface GetDurableExecutionStateOutput {
  Operations: Operation[] | undefined;
  NextMarker?: string | undefined;
}

/**
 * Carries checkpoint calls to the service: any object with these methods. Inputs and
 * outputs have the shapes of the `@aws-sdk/client-lambda` commands of the same names.
 */
export interface Transport {
  checkpoint(input: CheckpointDurableExecutionInput): Promise<CheckpointDurableExecutionOutput>;
  getExecutionState?(input: GetDurableExecutionStateInput): Promise<GetDurableExecutionStateOutput>;
}

/** What one acknowledged checkpoint call did. */
export interface BatchInfo {
  updates: number;
  bytes: number;
  attempts: number;
  latencyMs: number;
  operationIds: string[];
}

/** Counters of acknowledged work. */
export interface CheckpointStats {
  apiCalls: number;
  updatesSent: number;
  bytesSent: number;
  retries: number;
}
