/** How the batcher talks to a JavaScript transport: calls, state paging, error description. */
import type { CheckpointDurableExecutionInput, CheckpointDurableExecutionOutput, Operation, Transport } from "./types";
/**
 * A transport may also carry the exact request body the core measured (the fetch
 * transport does): the batcher then hands over those bytes instead of an object.
 */
export declare const RAW_CHECKPOINT: unique symbol;
/** A transport that can send the body bytes unchanged. */
export interface RawTransport extends Transport {
    [RAW_CHECKPOINT](arn: string, body: string): Promise<CheckpointDurableExecutionOutput>;
}
/** What the core needs to classify a failure (SPEC §6-§7), plus the original error. */
export interface FailureDescription {
    status?: number;
    name?: string;
    message: string;
    retryAfterMs?: number;
    cause: unknown;
}
/**
 * Reads what classification needs from real AWS SDK errors (`name`,
 * `$metadata.httpStatusCode`, `retryAfterSeconds`, `Retry-After`) and from emulators
 * that answer `{Type, message}` with no `x-amzn-errortype` (the SDK then calls the
 * error `Unknown`: `Type`, the status and the message decide).
 */
export declare function describeFailure(e: unknown): FailureDescription;
/** Follows `NextMarker` pages with GetDurableExecutionState and the given token. */
export declare function pageState(transport: Transport, arn: string, token: string | undefined, first: Operation[], marker: string | undefined): Promise<Operation[]>;
/** The object form of a request body, for transports that take one. */
export declare function inputFromBody(arn: string, body: string): CheckpointDurableExecutionInput;
