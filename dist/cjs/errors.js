"use strict";
/** The one error type every checkpoint failure arrives as (SPEC §7). */
Object.defineProperty(exports, "__esModule", { value: true });
exports.CheckpointError = void 0;
exports.makeError = makeError;
exports.invalid = invalid;
const SCOPES = {
    INVALID_UPDATE: "EXECUTION",
    THROTTLED: "INVOCATION",
    INVALID_TOKEN: "INVOCATION",
    TRANSIENT: "INVOCATION",
    REJECTED: "EXECUTION",
    TOKEN_REVOKED: "INVOCATION",
    CLOSED: "EXECUTION",
};
/** A failed checkpoint, refused update, or unusable batcher. */
class CheckpointError extends Error {
    /** What went wrong. */
    code;
    /** Who must act. */
    scope;
    /** True exactly for scope INVOCATION: a new invocation may succeed. */
    retriable;
    /** Ids of the operations whose updates this error affects. */
    operationIds;
    /** For INVALID_UPDATE: the offending field, e.g. `Error.StackTrace[1]`. */
    field;
    constructor(code, message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = "CheckpointError";
        this.code = code;
        this.scope = SCOPES[code];
        this.retriable = this.scope === "INVOCATION";
        this.operationIds = options.operationIds ?? [];
        this.field = options.field;
    }
}
exports.CheckpointError = CheckpointError;
/** Builds errors for the WebAssembly core (its `make_error`). */
function makeError(code, message, field, operationIds, cause) {
    return new CheckpointError(code, message, { field, operationIds, cause });
}
/** An INVALID_UPDATE naming `field`. */
function invalid(field, message, id) {
    return new CheckpointError("INVALID_UPDATE", message, {
        field,
        operationIds: typeof id === "string" && id !== "" ? [id] : [],
    });
}
