/** The Lambda handler wrapper of SPEC §10. */
import { CheckpointBatcher } from "./batcher";
import type { ErrorObject, Operation, Transport } from "./types";
/** The event Lambda invokes a durable function with. */
export interface DurableExecutionInvocationInput {
    DurableExecutionArn: string;
    CheckpointToken: string;
    InitialExecutionState: {
        Operations?: Operation[];
        NextMarker?: string;
    };
}
/** What a durable function returns to the service. */
export interface DurableExecutionInvocationOutput {
    Status: "SUCCEEDED" | "FAILED" | "PENDING";
    Result?: string;
    Error?: ErrorObject;
}
/** What the wrapped handler receives. */
export interface DurableContext<TInput = unknown> {
    /** Checkpoint through this; the wrapper closes it. */
    batcher: CheckpointBatcher;
    /** Every known operation by Id, kept current from checkpoint responses. */
    operations: Map<string, Operation>;
    /** The execution's input: `InputPayload` of the EXECUTION operation, parsed as JSON. */
    input: TInput;
    /** The raw invocation event. */
    event: DurableExecutionInvocationInput;
    /** Lambda's context object. */
    lambdaContext: unknown;
}
/** Options of {@link withDurableCheckpoints}. */
export interface DurableCheckpointsOptions {
    /** Default: `lambdaClientTransport(new LambdaClient({}))`. */
    transport?: Transport;
}
/** Results longer than this many UTF-8 bytes are checkpointed instead of returned. */
export declare const MAX_INLINE_RESULT_BYTES: number;
declare const SUSPEND: unique symbol;
/** Thrown by {@link suspend}; the wrapper turns it into `{ Status: "PENDING" }`. */
export declare class SuspendSignal extends Error {
    readonly [SUSPEND] = true;
    constructor();
}
/**
 * Ends the invocation as `{ Status: "PENDING" }` once the batcher is flushed, e.g.
 * after a WAIT or CALLBACK START was checkpointed: the service re-invokes the function
 * with the updated state later. Call it inside a wrapped handler; it throws a signal
 * (do not catch it, or rethrow it).
 */
export declare function suspend(): never;
/**
 * Wraps a durable function's handler: pages the initial state, gives the handler a
 * batcher and the operations, closes the batcher before returning whatever happens,
 * and maps the outcome to `{ Status, Result?, Error? }`.
 */
export declare function withDurableCheckpoints<TInput = unknown, TResult = unknown>(handler: (ctx: DurableContext<TInput>) => Promise<TResult> | TResult, options?: DurableCheckpointsOptions): (event: DurableExecutionInvocationInput, lambdaContext?: unknown) => Promise<DurableExecutionInvocationOutput>;
export {};
