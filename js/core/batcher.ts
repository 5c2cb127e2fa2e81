/** The public `CheckpointBatcher`: a TypeScript face over the WebAssembly core. */
import { newClientToken } from "./node-crypto";
import { CheckpointError, invalid, makeError } from "./errors";
import { describeFailure, pageState, RAW_CHECKPOINT, type RawTransport } from "./transport";
import type { BatchInfo, CheckpointDurableExecutionInput, CheckpointStats, Operation, OperationUpdate, Transport } from "./types";
import { Driver, eventLoop, virtualClock, type SendAnswer } from "./driver";
import { wasm, type WasmCore } from "./wasm";

/**
 * Not public API: a virtual clock and ClientToken source (`now`, `sleep`, `turn`,
 * `clientToken`) under this key let tests replay scenarios deterministically.
 */
const TEST_ENV = Symbol.for("durable-checkpoint.testEnv");

/** The virtual clock and ClientToken source tests pass under {@link TEST_ENV}. */
interface TestEnv {
  now(): number;
  sleep(ms: number): Promise<unknown>;
  turn(): Promise<unknown>;
  clientToken?: () => string;
}

/**
 * Not public API: frees the WebAssembly side of a closed batcher at once instead of
 * when the garbage collector gets to it (the wrapper calls it after `close()`); later
 * calls fail `CLOSED`.
 */
export const DISPOSE: unique symbol = Symbol.for("durable-checkpoint.dispose");

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
  /**
   * The invocation's operations (its paged `InitialExecutionState`): the ancestor gate
   * learns parents and finished CONTEXTs from them (SPEC §12). `withDurableCheckpoints`
   * passes them for you.
   */
  operations?: readonly Operation[];
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "STOPPED"]);
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Operations in the gate's compact form (`Id<TAB>ParentId<TAB>F` lines, `F` = 1 for a
 * finished CONTEXT). Operations whose Ids no update could name are left out. With a
 * `label` (the caller's own array), a hole or a non-object is refused, naming its index.
 */
export function knownOperations(ops: readonly unknown[], label?: string): string {
  let out = "";
  // An index loop: `map`/`forEach` skip holes, which must be refused like undefined.
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Operation | undefined | null;
    if (typeof op !== "object" || op === null || Array.isArray(op)) {
      if (label !== undefined) throw new TypeError(`${label}[${i}] must be an Operation object, got ${kind(op)}`);
      continue;
    }
    const { Id: id, ParentId: parent } = op;
    if (label !== undefined && typeof id !== "string") {
      throw new TypeError(`${label}[${i}].Id must be a string, got ${kind(id)}`);
    }
    if (label !== undefined && parent !== undefined && parent !== null && typeof parent !== "string") {
      throw new TypeError(`${label}[${i}].ParentId must be a string, got ${kind(parent)}`);
    }
    // As the core does: an operation whose Id or ParentId no update could name is skipped.
    if (typeof id !== "string" || !ID.test(id)) continue;
    if (typeof parent === "string" && !ID.test(parent)) continue;
    const p = typeof parent === "string" ? parent : "";
    const finished = op.Type === "CONTEXT" && TERMINAL.has(op.Status as string);
    out += `${id}\t${p}\t${finished ? 1 : 0}\n`;
  }
  return out;
}

function positiveInteger(name: string, v: unknown, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number") throw new TypeError(`${name} must be a number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer of at least ${min}, got ${v}`);
  return v;
}

function hook<T extends (...a: never[]) => unknown>(name: string, v: unknown): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "function") throw new TypeError(`${name} must be a function, got ${typeof v}`);
  return v as T;
}

/** Calls user code without letting it break the batcher. */
function guarded<A extends unknown[]>(name: string, f: ((...a: A) => unknown) | undefined) {
  return f === undefined
    ? undefined
    : (...a: A): void => {
        try {
          f(...a);
        } catch (e) {
          console.error(`durable-checkpoint: ${name} threw`, e);
        }
      };
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}

function checkValues(o: object, prefix: string, depth: number, id: unknown): void {
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    const t = typeof v;
    if (t === "function" || t === "symbol" || t === "bigint") {
      throw invalid(prefix + k, `${prefix + k} must not be a ${t}`, id);
    }
    if (t === "number" && !Number.isFinite(v)) {
      throw invalid(prefix + k, `${prefix + k} must be a finite number, got ${String(v)}`, id);
    }
    if (t === "object" && v !== null && depth === 0 && !Array.isArray(v)) checkValues(v as object, `${prefix + k}.`, 1, id);
  }
}

/** An update as JSON text; keys whose value is `undefined` drop out (count as absent). */
export function encodeUpdate(update: unknown, label = "OperationUpdate"): string {
  if (typeof update !== "object" || update === null || Array.isArray(update)) {
    throw invalid(label, `${label} must be an object, got ${kind(update)}`);
  }
  let id: unknown;
  try {
    id = (update as { Id?: unknown }).Id;
    checkValues(update, "", 0, id);
    return JSON.stringify(update);
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw invalid(label, `${label} cannot be serialized: ${(e as Error)?.message ?? String(e)}`, id);
  }
}

// Indices into the core's lists (src/update.rs: OperationType::ALL, OperationAction::ALL),
// -1 for anything else. A switch: ~5× faster than a lookup in a null-prototype table,
// which V8 keeps as a dictionary (measured per update).
function typeCode(v: unknown): number {
  switch (v) {
    case "EXECUTION":
      return 0;
    case "CONTEXT":
      return 1;
    case "STEP":
      return 2;
    case "WAIT":
      return 3;
    case "CALLBACK":
      return 4;
    case "CHAINED_INVOKE":
      return 5;
    default:
      return -1;
  }
}
function actionCode(v: unknown): number {
  switch (v) {
    case "START":
      return 0;
    case "SUCCEED":
      return 1;
    case "FAIL":
      return 2;
    case "RETRY":
      return 3;
    case "CANCEL":
      return 4;
    default:
      return -1;
  }
}
/** Payloads longer than this are serialized by V8 rather than in the core. */
const LARGE_PAYLOAD = 1024;
/** Below this many UTF-16 units a Payload cannot exceed 262,144 UTF-8 bytes. */
const SURELY_SMALL_PAYLOAD = Math.floor(262_144 / 3);

/** The fields of a plain update (see `plain`). */
interface PlainUpdate {
  Id: string;
  ParentId?: string;
  Name?: string;
  SubType?: string;
  Payload?: string;
  Type: string;
  Action: string;
}

const isWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
/** True when `s` holds no lone surrogate (always checked where the engine can). */
function wellFormed(s: string): boolean {
  if (isWellFormed !== undefined) return isWellFormed.call(s);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/**
 * `8 × TypeCode + ActionCode` of `u` when it is a plain object of string fields that are
 * all plainly within the API's limits (the shape of nearly every START and SUCCEED),
 * else -1: the core then needs only its Id, ParentId, Type and Action. Anything else
 * (nested fields, `null`s, long or empty strings, unknown keys, other prototypes) goes
 * to the core's full reader, which decides and names the field. With `checkIds` false
 * the Id and ParentId need only be strings (`sortUpdates` checks them itself).
 */
function plainCode(u: unknown, checkIds: boolean): number {
  if (typeof u !== "object" || u === null) return -1;
  const proto = Object.getPrototypeOf(u) as unknown;
  if (proto !== Object.prototype && proto !== null) return -1;
  const o = u as Record<string, unknown>;
  let type = -1;
  let action = -1;
  for (const k in o) {
    const v = o[k];
    if (v === undefined && k !== "Id" && k !== "Type" && k !== "Action") continue;
    if (typeof v !== "string") return -1;
    // A lone surrogate cannot be UTF-8: the full reader refuses it by name, where a
    // plain crossing would replace it silently.
    switch (k) {
      case "Id":
      case "ParentId":
        if (checkIds && (v.length === 0 || v.length > 64 || !wellFormed(v))) return -1;
        break;
      case "Type":
        type = typeCode(v);
        break;
      case "Action":
        action = actionCode(v);
        break;
      case "Name":
        if (v.length === 0 || v.length > 256 || !wellFormed(v)) return -1;
        break;
      case "SubType":
        if (v.length === 0 || v.length > 32 || !wellFormed(v)) return -1;
        break;
      case "Payload":
        if ((v.length >= SURELY_SMALL_PAYLOAD && o.Type !== "EXECUTION") || !wellFormed(v)) return -1;
        break;
      default:
        return -1;
    }
  }
  if (typeof o.Id !== "string" || type < 0 || action < 0) return -1;
  return 8 * type + action;
}

/** `plainCode`, where a throwing getter or proxy trap means "let the full reader decide". */
function plainCodeOf(u: unknown, checkIds: boolean): number {
  try {
    return plainCode(u, checkIds);
  } catch {
    return -1;
  }
}

/** True when `u` takes the plain path into the batcher (see `plainCode`). */
function isPlain(u: unknown): u is OperationUpdate {
  return plainCodeOf(u, true) >= 0;
}

/**
 * True when `s` is in the API's Id format, 1-64 characters of `[A-Za-z0-9_-]`: the
 * core's rule (`validate::is_id`), applied here so that the fast path of `sortUpdates`
 * sends no Id text (a test holds the two together). A loop: faster than the regex.
 */
function isId(s: unknown): boolean {
  // Not a string: a getter that changed its answer since the shape check.
  if (typeof s !== "string") return false;
  const n = s.length;
  if (n === 0 || n > 64) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // 0-9, A-Z, a-z, '_' and '-'
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45)) return false;
  }
  return true;
}

/**
 * Queues operation updates, orders and batches them, and sends each batch as one
 * `CheckpointDurableExecution` call, chaining the checkpoint token (SPEC §3-§9).
 */
export class CheckpointBatcher {
  readonly #core: WasmCore;
  readonly #driver: Driver;
  /** True when the transport takes the body bytes (fetchTransport): keep JSON texts. */
  readonly #raw: boolean;
  /**
   * The accepted updates not yet sent, in enqueue order, from `#head`: JSON texts for
   * a raw transport, objects otherwise. The core cuts each batch from the front.
   */
  #pending: unknown[] = [];
  #head = 0;
  #disposed = false;

  constructor(options: CheckpointBatcherOptions) {
    if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
    const { durableExecutionArn: arn, checkpointToken, transport } = options;
    if (typeof arn !== "string" || arn === "") throw new TypeError("durableExecutionArn must be a non-empty string");
    if (typeof checkpointToken !== "string") throw new TypeError(`checkpointToken must be a string, got ${typeof checkpointToken}`);
    if (typeof transport !== "object" || transport === null || typeof transport.checkpoint !== "function") {
      throw new TypeError("transport must be an object with a checkpoint(input) method");
    }
    const maxBytes = positiveInteger("maxBatchSizeBytes", options.maxBatchSizeBytes, 768_000, 1);
    const maxOps = positiveInteger("maxBatchOperations", options.maxBatchOperations, 250, 1);
    const maxTime = positiveInteger("maxBatchTimeMs", options.maxBatchTimeMs, 1000, 0);
    const flush = options.flush ?? "idle";
    if (flush !== "idle" && flush !== "window") throw new TypeError(`flush must be "idle" or "window", got ${String(flush)}`);
    const onOperations = guarded("onOperations", hook<(ops: Operation[]) => void>("onOperations", options.onOperations));
    const onBatch = guarded("onBatch", hook<(info: BatchInfo) => void>("onBatch", options.onBatch));
    const onError = guarded("onError", hook<(e: CheckpointError) => void>("onError", options.onError));
    const initial = options.operations;
    if (initial !== undefined && !Array.isArray(initial)) {
      throw new TypeError(`operations must be an array of Operation objects, got ${kind(initial)}`);
    }
    const known = initial === undefined ? undefined : knownOperations(initial, "operations");

    const raw = (transport as Partial<RawTransport>)[RAW_CHECKPOINT];
    this.#raw = typeof raw === "function";
    // The batch on the wire: its request, kept for throttled re-sends.
    let current: { batch: number; body?: string; input?: CheckpointDurableExecutionInput } | undefined;
    const send = async (batch: number, _attempt: number, order: Uint32Array, token: string, clientToken: string, body: string): Promise<SendAnswer> => {
      // Synchronous up to the first await: the batch leaves the queue in the same
      // turn the core cut it. A raw transport's updates are kept (and joined) by the
      // core; an object transport's here.
      // Whatever fails rejects with its description (the driver's contract).
      try {
        if (current?.batch !== batch) {
          current = this.#raw
            ? { batch, body }
            : {
                batch,
                input: { DurableExecutionArn: arn, CheckpointToken: token, Updates: this.#take(order) as OperationUpdate[], ClientToken: clientToken },
              };
        }
        const req = current;
        const res =
          req.body !== undefined ? await raw!.call(transport, arn, req.body) : await transport.checkpoint(req.input!);
        const token2 = res?.CheckpointToken;
        const state = res?.NewExecutionState;
        let ops: Operation[] = [];
        if (state !== undefined && state !== null) {
          ops = await pageState(transport, arn, token2, state.Operations ?? [], state.NextMarker);
          onOperations?.(ops);
        }
        return [typeof token2 === "string" ? token2 : undefined, knownOperations(ops), ops];
      } catch (e) {
        throw describeFailure(e);
      }
    };
    const env = (options as { [TEST_ENV]?: TestEnv })[TEST_ENV];
    const clientToken = typeof env?.clientToken === "function" ? env.clientToken : newClientToken;
    try {
      this.#core = new (wasm().WasmCore)(
        checkpointToken,
        maxBytes,
        maxOps,
        maxTime,
        flush === "window",
        makeError as (...args: never[]) => unknown,
        clientToken,
        known,
        onBatch !== undefined,
      );
    } catch (e) {
      // The core refuses a configuration with its message only.
      throw typeof e === "string" ? new RangeError(e) : e;
    }
    this.#driver = new Driver(this.#core, send, env ? virtualClock(env) : eventLoop, {
      onBatch: onBatch as ((info: unknown) => void) | undefined,
      onError: onError as ((error: unknown) => void) | undefined,
    });
  }

  /**
   * Queues `update`; resolves once the batch holding it is acknowledged, rejects
   * with a {@link CheckpointError} otherwise (at once for bad input or a closed batcher).
   */
  checkpoint(update: OperationUpdate): Promise<void> {
    try {
      return this.#enqueue(update, true) as Promise<void>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Queues `update` without waiting. Bad input or a closed or failed batcher throws
   * here; a later failure surfaces through `flush()`, `close()` and `onError`.
   */
  checkpointAsync(update: OperationUpdate): void {
    this.#enqueue(update, false);
  }

  /** Hands `update` to the core and keeps its bytes (or object) for the send. */
  #enqueue(update: OperationUpdate, awaited: boolean): Promise<void> | undefined {
    if (this.#disposed) throw disposed(update);
    const driver = this.#driver;
    const [waiter, done] = awaited ? driver.waiter<void>() : [0, undefined];
    try {
      if (isPlain(update)) {
        // String fields only: the core builds, validates and measures the update from
        // them (no JSON text made here). A raw transport's bytes stay in the core.
        const { Id, ParentId, Name, SubType, Payload, Type, Action } = update as PlainUpdate;
        const [t, a] = [typeCode(Type), actionCode(Action)];
        if (Payload !== undefined && Payload.length > LARGE_PAYLOAD) {
          // V8 serializes a large Payload faster than copying it in and escaping it there.
          const literal = JSON.stringify(Payload);
          const bytes = Buffer.byteLength(Payload, "utf8");
          const literalBytes = literal.length === Payload.length + 2 && bytes === Payload.length ? literal.length : Buffer.byteLength(literal, "utf8");
          this.#core.enqueueLarge(Id, ParentId, Name, SubType, this.#raw ? literal : undefined, literalBytes, bytes, t, a, waiter, driver.now());
        } else {
          this.#core.enqueuePlain(Id, ParentId, Name, SubType, Payload, t, a, this.#raw, waiter, driver.now());
        }
        if (!this.#raw) this.#pending.push(plainCopy(Id, ParentId, Name, SubType, Type, Action, Payload));
      } else if (this.#raw) {
        // The full reader: it decides, names the field, and keeps the canonical text.
        this.#core.enqueueText(encodeUpdate(update), waiter, driver.now(), true);
      } else {
        // The full reader; the object sent is its canonical text, parsed.
        const canonical = this.#core.enqueueText(encodeUpdate(update), waiter, driver.now(), false);
        this.#pending.push(JSON.parse(canonical));
      }
    } catch (e) {
      if (waiter !== 0) driver.drop(waiter);
      throw e;
    }
    driver.kick();
    return done;
  }

  /** The next batch: the first `order.length` pending updates, in `order`. */
  #take(order: Uint32Array): unknown[] {
    const n = order.length;
    const base = this.#head;
    const pending = this.#pending;
    const out = new Array<unknown>(n);
    for (let k = 0; k < n; k++) out[k] = pending[base + order[k]!];
    for (let k = 0; k < n; k++) pending[base + k] = undefined;
    this.#head = base + n;
    // Compact now and then, so the array does not keep growing at the front.
    if (this.#head > 4096 && this.#head * 2 > pending.length) {
      this.#pending = pending.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  /**
   * Asks the service for the execution's current state (SPEC §13): resolves with the
   * `Operations` of the response that answers it (all `NextMarker` pages followed,
   * timestamps as `Date`s). It rides with a forming batch or with the call after the
   * one in flight; polls waiting together share one call; otherwise one call with
   * `Updates: []` goes when an update would. Rejects `CLOSED` after `close()`, and
   * with the latched error after a failure.
   */
  poll(): Promise<Operation[]> {
    if (this.#disposed) return Promise.reject(disposed(undefined));
    const [waiter, done] = this.#driver.waiter<Operation[]>();
    try {
      this.#core.poll(waiter, this.#driver.now());
    } catch (e) {
      this.#driver.drop(waiter);
      return Promise.reject(e);
    }
    this.#driver.kick();
    return done;
  }

  /**
   * Closes the ancestor gate under the CONTEXT `id` (SPEC §12): every later update
   * whose parent chain reaches it is refused with `ORPHANED`. Accepting a CONTEXT's
   * SUCCEED or FAIL does this by itself; call it when the result is serialized
   * asynchronously, before awaiting. Throws `INVALID_UPDATE` (field `id`) for a
   * value that is not an operation Id.
   */
  finishContext(id: string): void {
    if (typeof id !== "string") throw invalid("id", `finishContext: id must be a string, got ${kind(id)}`);
    if (this.#disposed) return;
    this.#core.finishContext(id);
  }

  /** Resolves once everything queued before the call is acknowledged. */
  flush(): Promise<void> {
    if (this.#disposed) return Promise.resolve();
    const [waiter, done] = this.#driver.waiter<void>();
    this.#core.flush(waiter);
    this.#driver.kick();
    return done;
  }

  /** Flushes, then refuses every later checkpoint with `CLOSED`. Await it before the handler returns. */
  close(): Promise<void> {
    if (this.#disposed) return Promise.resolve();
    const [waiter, done] = this.#driver.waiter<void>();
    this.#core.close(waiter);
    this.#driver.kick();
    return done;
  }

  /** See {@link DISPOSE}. */
  [DISPOSE](): void {
    if (this.#disposed) return;
    this.#final = { token: this.checkpointToken, stats: this.stats };
    this.#disposed = true;
    this.#pending = [];
    this.#driver.detach();
    this.#core.free();
  }

  /** The token the next call will use; undefined once checkpointing has ended. */
  get checkpointToken(): string | undefined {
    return this.#disposed ? this.#final?.token : this.#core.checkpointToken;
  }

  /** Counters of acknowledged work. */
  get stats(): CheckpointStats {
    if (this.#disposed) return { ...this.#final!.stats };
    const [apiCalls = 0, updatesSent = 0, bytesSent = 0, retries = 0] = this.#core.stats();
    return { apiCalls, updatesSent, bytesSent, retries };
  }

  /** Token and counters as they were when the WebAssembly side was freed. */
  #final: { token: string | undefined; stats: CheckpointStats } | undefined;
}

/**
 * What an object transport receives for a plain update: its fields in the API's order,
 * the absent ones left out, unaffected by later changes to the caller's object. Built
 * from the fields already read rather than by enumerating the object (measured faster).
 */
function plainCopy(
  Id: string,
  ParentId: string | undefined,
  Name: string | undefined,
  SubType: string | undefined,
  Type: string,
  Action: string,
  Payload: string | undefined,
): OperationUpdate {
  const o: Record<string, unknown> = { Id };
  if (ParentId !== undefined) o.ParentId = ParentId;
  if (Name !== undefined) o.Name = Name;
  if (SubType !== undefined) o.SubType = SubType;
  o.Type = Type;
  o.Action = Action;
  if (Payload !== undefined) o.Payload = Payload;
  return o as unknown as OperationUpdate;
}

/**
 * The SPEC §3 order of `updates` (EXECUTION completion last, CONTEXT START before its
 * descendants, START before other actions of its Id, enqueue order otherwise), as a
 * new array of the same objects. Every update is validated first.
 */
function disposed(update: unknown): CheckpointError {
  const id = typeof update === "object" && update !== null ? (update as { Id?: unknown }).Id : undefined;
  return new CheckpointError("CLOSED", "the batcher is closed: no more checkpoints are accepted", {
    operationIds: typeof id === "string" ? [id] : [],
  });
}

export function sortUpdates<T extends OperationUpdate>(updates: readonly T[]): T[] {
  if (!Array.isArray(updates)) throw invalid("updates", `updates must be an array, got ${kind(updates)}`);
  const n = updates.length;
  if (n === 0) return [];
  // Fast path: plain updates with well-formed Ids cross as numbers only (each distinct
  // Id a node). Anything else, and whatever the core declines (an empty order), goes to
  // the full reader below, so every refusal comes from there. An index loop: `map`
  // skips holes, which must be refused like undefined, and a hole is not plain.
  const index = new Map<unknown, number>();
  // A new Id outside the API's format: the full reader names it.
  let malformed = false;
  const number = (id: unknown): number => {
    let x = index.get(id);
    if (x === undefined) {
      x = index.size;
      index.set(id, x);
      if (!isId(id)) malformed = true;
    }
    return x;
  };
  const items = new Uint32Array(3 * n);
  // The previous update's Ids: in a batch, an update's parent is often the previous
  // one's Id or parent (children after their context), or its Id the previous one's
  // parent (the reverse), which spares a third of the lookups.
  let lastId: string | undefined;
  let lastParent: string | undefined;
  let x = 0;
  let p = 0;
  let i = 0;
  for (; i < n; i++) {
    const u = updates[i];
    const code = plainCodeOf(u, false);
    if (code < 0) break;
    const { Id, ParentId } = u as PlainUpdate;
    const parentWas = p;
    if (ParentId === undefined) p = 0;
    else if (ParentId === lastId) p = x + 1;
    else if (ParentId !== lastParent) p = number(ParentId) + 1;
    x = Id === lastParent ? parentWas - 1 : number(Id);
    items[3 * i] = x;
    items[3 * i + 1] = p;
    items[3 * i + 2] = code;
    lastId = Id;
    lastParent = ParentId;
  }
  if (i === n && !malformed) {
    const order = wasm().sortOrderNodes(index.size, items);
    if (order.length === n) {
      const sorted = new Array<T>(n);
      for (let k = 0; k < n; k++) sorted[k] = updates[order[k]!]!;
      return sorted;
    }
  }
  const parts: string[] = new Array<string>(updates.length);
  for (let i = 0; i < updates.length; i++) parts[i] = encodeUpdate(updates[i], `updates[${i}]`);
  const order = wasm().sortOrder(`[${parts.join(",")}]`, makeError as (...args: never[]) => unknown);
  return Array.from(order, (i) => updates[i] as T);
}
