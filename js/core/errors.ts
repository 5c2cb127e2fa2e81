/** The one error type every checkpoint failure arrives as (SPEC §7). */

/** What went wrong. */
export type CheckpointErrorCode =
  | "INVALID_UPDATE"
  | "THROTTLED"
  | "INVALID_TOKEN"
  | "TRANSIENT"
  | "REJECTED"
  | "TOKEN_REVOKED"
  | "CLOSED"
  | "ORPHANED";

/**
 * Who must act: `INVOCATION` — end this invocation and let Lambda retry it;
 * `EXECUTION` — the execution must FAIL; `OPERATION` (only `ORPHANED`) — just the
 * refused update's own work must stop: neither the invocation nor the execution fails.
 */
export type CheckpointErrorScope = "INVOCATION" | "EXECUTION" | "OPERATION";

const SCOPES: Record<CheckpointErrorCode, CheckpointErrorScope> = {
  INVALID_UPDATE: "EXECUTION",
  THROTTLED: "INVOCATION",
  INVALID_TOKEN: "INVOCATION",
  TRANSIENT: "INVOCATION",
  REJECTED: "EXECUTION",
  TOKEN_REVOKED: "INVOCATION",
  CLOSED: "EXECUTION",
  ORPHANED: "OPERATION",
};

/** A failed checkpoint, refused update, or unusable batcher. */
export class CheckpointError extends Error {
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

  constructor(
    code: CheckpointErrorCode,
    message: string,
    options: { field?: string; operationIds?: string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckpointError";
    this.code = code;
    this.scope = SCOPES[code];
    this.retriable = this.scope === "INVOCATION";
    this.operationIds = options.operationIds ?? [];
    this.field = options.field;
  }
}

/** Builds errors for the WebAssembly core (its `make_error`). */
export function makeError(
  code: CheckpointErrorCode,
  message: string,
  field: string | undefined,
  operationIds: string[],
  cause: unknown,
): CheckpointError {
  return new CheckpointError(code, message, { field, operationIds, cause });
}

/** An INVALID_UPDATE naming `field`. */
export function invalid(field: string, message: string, id?: unknown): CheckpointError {
  return new CheckpointError("INVALID_UPDATE", message, {
    field,
    operationIds: typeof id === "string" && id !== "" ? [id] : [],
  });
}
