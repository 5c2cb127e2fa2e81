/** The public `CheckpointBatcher`: a TypeScript face over the WebAssembly core. */
import { CheckpointError } from "./errors";
import type { BatchInfo, CheckpointStats, Operation, OperationUpdate, Transport } from "./types";
/** Options of {@link CheckpointBatcher}. Defaults follow SPEC §4. */
export interface CheckpointBatcherOptions {
    /** The execution's ARN, from the invocation event. */
    durableExecutionArn: string;
    /** The invocation's checkpoint token, from the invocation event. */
    checkpointToken: string;
    /** Carries checkpoint calls: `lambdaClientTransport(client)`, `fetchTransport(...)` or your own. */
    transport: Transport;
    /** Largest request body, envelope and tokens included. Default 768000 (750 KiB). */
    maxBatchSizeBytes?: number;
    /** Most updates in one request. Default 250 (the service's limit). */
    maxBatchOperations?: number;
    /** Longest a batch collects, from its first update. Default 1000. */
    maxBatchTimeMs?: number;
    /**
     * `idle` (default): send once the queue stayed empty for one event-loop turn.
     * `window`: wait out `maxBatchTimeMs` like the seed.
     */
    flush?: "idle" | "window";
    /** After each acknowledged call. */
    onBatch?: (info: BatchInfo) => void;
    /** Once, with the error that stopped the batcher. */
    onError?: (error: CheckpointError) => void;
    /** With each response's `NewExecutionState.Operations`, all pages, before its checkpoints resolve. */
    onOperations?: (operations: Operation[]) => void;
}
/** An update as JSON text; keys whose value is `undefined` drop out (count as absent). */
export declare function encodeUpdate(update: unknown, label?: string): string;
/**
 * Queues operation updates, orders and batches them, and sends each batch as one
 * `CheckpointDurableExecution` call, chaining the checkpoint token (SPEC §3-§9).
 */
export declare class CheckpointBatcher {
    #private;
    constructor(options: CheckpointBatcherOptions);
    /**
     * Queues `update`; resolves once the batch holding it is acknowledged, rejects
     * with a {@link CheckpointError} otherwise (at once for bad input or a closed batcher).
     */
    checkpoint(update: OperationUpdate): Promise<void>;
    /**
     * Queues `update` without waiting. Bad input or a closed or failed batcher throws
     * here; a later failure surfaces through `flush()`, `close()` and `onError`.
     */
    checkpointAsync(update: OperationUpdate): void;
    /** Resolves once everything queued before the call is acknowledged. */
    flush(): Promise<void>;
    /** Flushes, then refuses every later checkpoint with `CLOSED`. Await it before the handler returns. */
    close(): Promise<void>;
    /** The token the next call will use; undefined once checkpointing has ended. */
    get checkpointToken(): string | undefined;
    /** Counters of acknowledged work. */
    get stats(): CheckpointStats;
}
/**
 * The SPEC §3 order of `updates` (EXECUTION completion last, CONTEXT START before its
 * descendants, START before other actions of its Id, enqueue order otherwise), as a
 * new array of the same objects. Every update is validated first.
 */
export declare function sortUpdates<T extends OperationUpdate>(updates: readonly T[]): T[];
