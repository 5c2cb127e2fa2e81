/**
 * durable-checkpoint: the checkpoint core of AWS Lambda durable functions, compiled
 * from Rust to WebAssembly, for Node.js.
 */
export { CheckpointBatcher, sortUpdates, type CheckpointBatcherOptions } from "./core/batcher";
export { CheckpointError, type CheckpointErrorCode, type CheckpointErrorScope } from "./core/errors";
export { lambdaClientTransport, type LambdaClientLike } from "./core/lambda";
export { fetchTransport, type Credentials, type FetchTransportOptions } from "./core/fetch";
export {
  withDurableCheckpoints,
  suspend,
  SuspendSignal,
  MAX_INLINE_RESULT_BYTES,
  type CheckpointContext,
  type DurableCheckpointsOptions,
  type DurableExecutionInvocationInput,
  type DurableExecutionInvocationOutput,
} from "./core/wrapper";
export type * from "./core/types";
export * from "./durable";
// The wire enums exist as values too (like the official SDK's); their types are the
// same string unions as the wire types'.
export { OperationAction, OperationStatus, OperationType } from "./durable";
