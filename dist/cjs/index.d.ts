/**
 * durable-checkpoint: the checkpoint core of AWS Lambda durable functions, compiled
 * from Rust to WebAssembly, for Node.js.
 */
export { CheckpointBatcher, sortUpdates, type CheckpointBatcherOptions } from "./batcher";
export { CheckpointError, type CheckpointErrorCode, type CheckpointErrorScope } from "./errors";
export { lambdaClientTransport, type LambdaClientLike } from "./lambda";
export { fetchTransport, type Credentials, type FetchTransportOptions } from "./fetch";
export { withDurableCheckpoints, suspend, SuspendSignal, MAX_INLINE_RESULT_BYTES, type DurableContext, type DurableCheckpointsOptions, type DurableExecutionInvocationInput, type DurableExecutionInvocationOutput, } from "./wrapper";
export type * from "./types";
