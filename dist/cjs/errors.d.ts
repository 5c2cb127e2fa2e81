/** The one error type every checkpoint failure arrives as (SPEC §7). */
/** What went wrong. */
export type CheckpointErrorCode = "INVALID_UPDATE" | "THROTTLED" | "INVALID_TOKEN" | "TRANSIENT" | "REJECTED" | "TOKEN_REVOKED" | "CLOSED";
/**
 * Who must act: `INVOCATION` — end this invocation and let Lambda retry it;
 * `EXECUTION` — the execution must FAIL.
 */
export type CheckpointErrorScope = "INVOCATION" | "EXECUTION";
/** A failed checkpoint, refused update, or unusable batcher. */
export declare class CheckpointError extends Error {
    /** What went wrong. */
    readonly code: CheckpointErrorCode;
    /** Who must act. */
    readonly scope: CheckpointErrorScope;
    /** True exactly for scope INVOCATION: a new invocation may succeed. */
    readonly retriable: boolean;
    /** Ids of the operations whose updates this error affects. */
    readonly operationIds: string[];
    /** For INVALID_UPDATE: the offending field, e.g. `Error.StackTrace[1]`. */
    readonly field: string | undefined;
    constructor(code: CheckpointErrorCode, message: string, options?: {
        field?: string;
        operationIds?: string[];
        cause?: unknown;
    });
}
/** Builds errors for the WebAssembly core (its `make_error`). */
export declare function makeError(code: CheckpointErrorCode, message: string, field: string | undefined, operationIds: string[], cause: unknown): CheckpointError;
/** An INVALID_UPDATE naming `field`. */
export declare function invalid(field: string, message: string, id?: unknown): CheckpointError;
