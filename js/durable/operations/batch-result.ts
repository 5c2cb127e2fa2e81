/**
 * What `context.map` and `context.parallel` return, and how it is recorded.
 *
 * - {@link BatchResultImpl}: the {@link BatchResult}. Only `all` and `completionReason`
 *   are own enumerable properties, so `JSON.stringify` of a result gives
 *   `{"all":[...],"completionReason":...}`, the same as the official class.
 * - {@link batchResultSerdes}: the default serdes of the batch's CONTEXT payload. Item
 *   errors go out as ErrorObjects with their `Cause` chain and come back as errors of
 *   the recorded types.
 * - The summaries written instead of a payload over 256 KiB: a small JSON record of the
 *   counts, the completion reason and one marker per item (`S`, `F` or `-`), which a
 *   later invocation reads back to rebuild the result from the items' own records.
 *
 * The wire shapes here are shared with `@aws/durable-execution-sdk-js` 2.4.0: an
 * execution may be resumed by either SDK, so none of them may change.
 */
import type { ErrorObject } from "../../core/types";
import { BatchItemStatus, CompletionOutcome } from "../enums";
import {
  BatchCompletionError,
  DurableOperationError,
  type ChildContextError,
} from "../errors";
import type { Serdes } from "../serdes";
import type { BatchItem, BatchResult, CompletionDecision, CompletionReason } from "../types";

/**
 * A `shouldComplete` answer: keep going.
 *
 * @public
 */
export const continueBatch = (): CompletionDecision => ({ complete: false });

/**
 * A `shouldComplete` answer: complete the batch now, as a success unless `outcome` says
 * `FAILED` (then its status is FAILED and `throwIfError()` throws even if no item failed).
 *
 * @public
 */
export const completeBatch = (outcome: CompletionOutcome = CompletionOutcome.SUCCEEDED): CompletionDecision => ({ complete: true, outcome });

/** Every completion reason; a recorded one outside this list is not trusted. */
export const COMPLETION_REASONS: ReadonlySet<string> = new Set<CompletionReason>([
  "ALL_COMPLETED",
  "MIN_SUCCESSFUL_REACHED",
  "FAILURE_TOLERANCE_EXCEEDED",
  "CUSTOM_COMPLETION_SUCCEEDED",
  "CUSTOM_COMPLETION_FAILED",
]);

/** The result of one map or parallel. */
export class BatchResultImpl<T> implements BatchResult<T> {
  // The only two own enumerable fields, in this order (what JSON.stringify writes).
  readonly all: Array<BatchItem<T>>;
  readonly completionReason: CompletionReason;
  // Counted once; `all` is not expected to change afterwards.
  readonly #counts = { succeeded: 0, failed: 0, started: 0 };
  #views: { succeeded?: BatchItem<T>[]; failed?: BatchItem<T>[]; started?: BatchItem<T>[] } = {};

  constructor(all: Array<BatchItem<T>>, completionReason: CompletionReason) {
    this.all = all;
    this.completionReason = completionReason;
    for (const item of all) {
      if (item.status === BatchItemStatus.SUCCEEDED) this.#counts.succeeded++;
      else if (item.status === BatchItemStatus.FAILED) this.#counts.failed++;
      else if (item.status === BatchItemStatus.STARTED) this.#counts.started++;
    }
  }

  /** Items that succeeded with a value (one that resolved to `undefined` is left out, as officially). */
  succeeded(): Array<BatchItem<T> & { result: T }> {
    this.#views.succeeded ??= this.all.filter((i) => i.status === BatchItemStatus.SUCCEEDED && i.result !== undefined);
    return this.#views.succeeded.slice() as Array<BatchItem<T> & { result: T }>;
  }

  failed(): Array<BatchItem<T> & { error: ChildContextError }> {
    this.#views.failed ??= this.all.filter((i) => i.status === BatchItemStatus.FAILED && i.error !== undefined);
    return this.#views.failed.slice() as Array<BatchItem<T> & { error: ChildContextError }>;
  }

  started(): Array<BatchItem<T> & { status: BatchItemStatus.STARTED }> {
    this.#views.started ??= this.all.filter((i) => i.status === BatchItemStatus.STARTED);
    return this.#views.started.slice() as Array<BatchItem<T> & { status: BatchItemStatus.STARTED }>;
  }

  /** A custom completion's outcome decides; otherwise FAILED when any item failed. */
  get status(): BatchItemStatus.SUCCEEDED | BatchItemStatus.FAILED {
    if (this.completionReason === "CUSTOM_COMPLETION_FAILED") return BatchItemStatus.FAILED;
    if (this.completionReason === "CUSTOM_COMPLETION_SUCCEEDED") return BatchItemStatus.SUCCEEDED;
    return this.hasFailure ? BatchItemStatus.FAILED : BatchItemStatus.SUCCEEDED;
  }

  get hasFailure(): boolean {
    return this.#counts.failed > 0;
  }

  throwIfError(): void {
    const first = this.all.find((i) => i.status === BatchItemStatus.FAILED)?.error;
    if (first) throw first;
    if (this.status === BatchItemStatus.FAILED) throw new BatchCompletionError(this.completionReason);
  }

  getResults(): T[] {
    return this.succeeded().map((i) => i.result);
  }

  getErrors(): ChildContextError[] {
    return this.failed().map((i) => i.error);
  }

  get successCount(): number {
    return this.#counts.succeeded;
  }

  get failureCount(): number {
    return this.#counts.failed;
  }

  get startedCount(): number {
    return this.#counts.started;
  }

  get totalCount(): number {
    return this.all.length;
  }
}

// region errors in the payload

/** An ErrorObject with the error's `cause` chain under `Cause`. */
interface ChainedErrorObject extends ErrorObject {
  Cause?: ChainedErrorObject;
}

/** The error types rebuilt as durable errors (anything else comes back a plain Error). */
const DURABLE_ERROR_TYPES = new Set([
  "StepError",
  "CallbackError",
  "CallbackExternalError",
  "CallbackTimeoutError",
  "CallbackSubmitterError",
  "InvokeError",
  "ChildContextError",
  "PromiseCombinatorError",
  "WaitForConditionError",
]);

function errorToWire(error: Error): ChainedErrorObject {
  const wire: ChainedErrorObject =
    error instanceof DurableOperationError ? error.toErrorObject() : { ErrorType: error.name, ErrorMessage: error.message };
  if (error.cause instanceof Error) wire.Cause = errorToWire(error.cause);
  return wire;
}

function errorFromWire(wire: ChainedErrorObject): Error {
  let error: Error;
  if (wire.ErrorType && DURABLE_ERROR_TYPES.has(wire.ErrorType)) {
    error = DurableOperationError.fromErrorObject(wire);
  } else {
    error = new Error(wire.ErrorMessage);
    error.name = wire.ErrorType || "Error";
    error.stack = wire.StackTrace?.join("\n") as string;
  }
  // The recorded cause replaces the one fromErrorObject makes up from the top fields.
  if (wire.Cause) error.cause = errorFromWire(wire.Cause);
  return error;
}

// region the payload

/** A BatchResult again from what its payload parsed to (or the value itself if it is one). */
export function restoreBatchResult<T>(data: unknown): BatchResultImpl<T> {
  if (data instanceof BatchResultImpl) return data as BatchResultImpl<T>;
  if (data !== null && typeof data === "object" && "all" in data && Array.isArray((data as { all: unknown }).all)) {
    const parsed = data as { all: Array<Record<string, unknown>>; completionReason: CompletionReason };
    const all = parsed.all.map(
      (item) =>
        ({
          ...item,
          result: item.result,
          error: item.error ? errorFromWire(item.error as ChainedErrorObject) : undefined,
        }) as unknown as BatchItem<T>,
    );
    return new BatchResultImpl(all, parsed.completionReason);
  }
  return new BatchResultImpl<T>([], "ALL_COMPLETED");
}

/** Whether `v` looks like a BatchResult (an object with an `all` array). */
export function isBatchLike(v: unknown): boolean {
  return v !== null && typeof v === "object" && "all" in v && Array.isArray((v as { all: unknown }).all);
}

/** The default serdes of a batch's CONTEXT payload: `{"all":[...],"completionReason":...}`. */
export function batchResultSerdes<T>(): Serdes<BatchResult<T>> {
  return {
    serialize: async (value) => {
      if (!value) return undefined;
      return JSON.stringify({
        all: value.all.map((item) => ({ ...item, error: item.error instanceof Error ? errorToWire(item.error) : undefined })),
        completionReason: value.completionReason,
      });
    },
    deserialize: async (data) => {
      if (!data) return undefined;
      return restoreBatchResult<T>(JSON.parse(data));
    },
  };
}

// region summaries (payloads over 256 KiB)

const SUCCEEDED_MARK = "S";
const FAILED_MARK = "F";
/** Running when the batch completed, or never started: not rebuilt on replay. */
const OPEN_MARK = "-";

/**
 * One marker per item up to the highest index in `all`. They tell a later invocation
 * which items the live result held: an item whose record says finished but which
 * finished after the batch completed must stay out of the rebuilt result.
 */
export function itemMarkers(result: BatchResult<unknown>): string {
  return markersOf(result.all ?? []);
}

/** The markers of items `{ index, status }` (of a live result or a recorded `all`); "" when none has an index. */
function markersOf(items: ReadonlyArray<{ index?: unknown; status?: unknown }>): string {
  let top = -1;
  for (const item of items) if (typeof item.index === "number" && item.index > top) top = item.index;
  if (top < 0) return "";
  const marks: string[] = new Array<string>(top + 1).fill(OPEN_MARK);
  for (const item of items) {
    if (typeof item.index !== "number") continue;
    if (item.status === BatchItemStatus.SUCCEEDED) marks[item.index] = SUCCEEDED_MARK;
    else if (item.status === BatchItemStatus.FAILED) marks[item.index] = FAILED_MARK;
  }
  return marks.join("");
}

/** The summary a map records (`type: "MapResult"`); parallel's also counts started branches. */
export function summaryGeneratorFor(kind: "map" | "parallel"): (result: BatchResult<unknown>) => string {
  return (r) =>
    JSON.stringify(
      kind === "map"
        ? {
            type: "MapResult",
            totalCount: r.totalCount,
            successCount: r.successCount,
            failureCount: r.failureCount,
            completionReason: r.completionReason,
            status: r.status,
            itemStatuses: itemMarkers(r),
          }
        : {
            type: "ParallelResult",
            totalCount: r.totalCount,
            successCount: r.successCount,
            failureCount: r.failureCount,
            startedCount: r.startedCount,
            completionReason: r.completionReason,
            status: r.status,
            itemStatuses: itemMarkers(r),
          },
    );
}

/**
 * The SDK's summary, with a user's `summaryGenerator` output kept as text under
 * `summary`: replay reads only the SDK's fields, whatever the user's text is.
 */
export function withUserSummary<R>(
  own: (result: BatchResult<R>) => string,
  user: ((result: BatchResult<R>) => string) | undefined,
): (result: BatchResult<R>) => string {
  return (result) => {
    const text = own(result);
    if (!user) return text;
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      record = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
      record = {};
    }
    record.summary = user(result);
    return JSON.stringify(record);
  };
}

/** The completion reason a summary recorded, if it is one of ours. */
export function recordedReason(summary: string): CompletionReason | undefined {
  try {
    const parsed: unknown = JSON.parse(summary);
    if (parsed !== null && typeof parsed === "object") {
      const reason = (parsed as { completionReason?: unknown }).completionReason;
      if (typeof reason === "string" && COMPLETION_REASONS.has(reason)) return reason as CompletionReason;
    }
  } catch {
    // A free-form summary: the reason is worked out again from the rebuilt items.
  }
  return undefined;
}

/**
 * The per-item markers of a recorded payload: a summary's `itemStatuses`, or those of a
 * full `all` array. Undefined when there are none to trust (then the items' records decide).
 */
export function recordedMarkers(payload: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object") return undefined;
  const record = parsed as Record<string, unknown>;
  if (Object.hasOwn(record, "itemStatuses")) {
    const marks = record.itemStatuses;
    return typeof marks === "string" && /^[SF-]+$/.test(marks) ? marks : undefined;
  }
  if (Object.hasOwn(record, "all") && Array.isArray(record.all)) {
    const items = (record.all as unknown[]).filter((e): e is { index?: unknown; status?: unknown } => e !== null && typeof e === "object");
    return markersOf(items) || undefined;
  }
  return undefined;
}
