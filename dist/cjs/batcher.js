"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CheckpointBatcher = void 0;
exports.encodeUpdate = encodeUpdate;
exports.sortUpdates = sortUpdates;
/** The public `CheckpointBatcher`: a TypeScript face over the WebAssembly core. */
const errors_1 = require("./errors");
const transport_1 = require("./transport");
const wasm_1 = require("./wasm");
function positiveInteger(name, v, fallback, min) {
    if (v === undefined)
        return fallback;
    if (typeof v !== "number")
        throw new TypeError(`${name} must be a number, got ${typeof v}`);
    if (!Number.isInteger(v) || v < min)
        throw new RangeError(`${name} must be an integer of at least ${min}, got ${v}`);
    return v;
}
function hook(name, v) {
    if (v === undefined)
        return undefined;
    if (typeof v !== "function")
        throw new TypeError(`${name} must be a function, got ${typeof v}`);
    return v;
}
/** Calls user code without letting it break the batcher. */
function guarded(name, f) {
    return f === undefined
        ? undefined
        : (...a) => {
            try {
                f(...a);
            }
            catch (e) {
                console.error(`durable-checkpoint: ${name} threw`, e);
            }
        };
}
function kind(v) {
    if (v === null)
        return "null";
    if (Array.isArray(v))
        return "an array";
    return typeof v;
}
function checkValues(o, prefix, depth, id) {
    for (const k of Object.keys(o)) {
        const v = o[k];
        const t = typeof v;
        if (t === "function" || t === "symbol" || t === "bigint") {
            throw (0, errors_1.invalid)(prefix + k, `${prefix + k} must not be a ${t}`, id);
        }
        if (t === "number" && !Number.isFinite(v)) {
            throw (0, errors_1.invalid)(prefix + k, `${prefix + k} must be a finite number, got ${String(v)}`, id);
        }
        if (t === "object" && v !== null && depth === 0 && !Array.isArray(v))
            checkValues(v, `${prefix + k}.`, 1, id);
    }
}
/** An update as JSON text; keys whose value is `undefined` drop out (count as absent). */
function encodeUpdate(update, label = "OperationUpdate") {
    if (typeof update !== "object" || update === null || Array.isArray(update)) {
        throw (0, errors_1.invalid)(label, `${label} must be an object, got ${kind(update)}`);
    }
    let id;
    try {
        id = update.Id;
        checkValues(update, "", 0, id);
        return JSON.stringify(update);
    }
    catch (e) {
        if (e instanceof errors_1.CheckpointError)
            throw e;
        throw (0, errors_1.invalid)(label, `${label} cannot be serialized: ${e?.message ?? String(e)}`, id);
    }
}
/**
 * Queues operation updates, orders and batches them, and sends each batch as one
 * `CheckpointDurableExecution` call, chaining the checkpoint token (SPEC §3-§9).
 */
class CheckpointBatcher {
    #core;
    constructor(options) {
        if (typeof options !== "object" || options === null)
            throw new TypeError("options must be an object");
        const { durableExecutionArn: arn, checkpointToken, transport } = options;
        if (typeof arn !== "string" || arn === "")
            throw new TypeError("durableExecutionArn must be a non-empty string");
        if (typeof checkpointToken !== "string")
            throw new TypeError(`checkpointToken must be a string, got ${typeof checkpointToken}`);
        if (typeof transport !== "object" || transport === null || typeof transport.checkpoint !== "function") {
            throw new TypeError("transport must be an object with a checkpoint(input) method");
        }
        const maxBytes = positiveInteger("maxBatchSizeBytes", options.maxBatchSizeBytes, 768_000, 1);
        const maxOps = positiveInteger("maxBatchOperations", options.maxBatchOperations, 250, 1);
        const maxTime = positiveInteger("maxBatchTimeMs", options.maxBatchTimeMs, 1000, 0);
        const flush = options.flush ?? "idle";
        if (flush !== "idle" && flush !== "window")
            throw new TypeError(`flush must be "idle" or "window", got ${String(flush)}`);
        const onOperations = guarded("onOperations", hook("onOperations", options.onOperations));
        const onBatch = guarded("onBatch", hook("onBatch", options.onBatch));
        const onError = guarded("onError", hook("onError", options.onError));
        const raw = transport[transport_1.RAW_CHECKPOINT];
        const send = async (body) => {
            let token;
            try {
                const res = raw ? await raw.call(transport, arn, body) : await transport.checkpoint((0, transport_1.inputFromBody)(arn, body));
                token = res?.CheckpointToken;
                const state = res?.NewExecutionState;
                if (state !== undefined && state !== null) {
                    const ops = await (0, transport_1.pageState)(transport, arn, token, state.Operations ?? [], state.NextMarker);
                    onOperations?.(ops);
                }
            }
            catch (e) {
                throw (0, transport_1.describeFailure)(e);
            }
            return typeof token === "string" ? token : undefined;
        };
        this.#core = new wasm_1.wasm.WasmBatcher(arn, checkpointToken, maxBytes, maxOps, maxTime, flush === "window", send, errors_1.makeError, onBatch, onError);
    }
    /**
     * Queues `update`; resolves once the batch holding it is acknowledged, rejects
     * with a {@link CheckpointError} otherwise (at once for bad input or a closed batcher).
     */
    checkpoint(update) {
        try {
            return this.#core.checkpoint(encodeUpdate(update));
        }
        catch (e) {
            return Promise.reject(e);
        }
    }
    /**
     * Queues `update` without waiting. Bad input or a closed or failed batcher throws
     * here; a later failure surfaces through `flush()`, `close()` and `onError`.
     */
    checkpointAsync(update) {
        this.#core.checkpointAsync(encodeUpdate(update));
    }
    /** Resolves once everything queued before the call is acknowledged. */
    flush() {
        return this.#core.flush();
    }
    /** Flushes, then refuses every later checkpoint with `CLOSED`. Await it before the handler returns. */
    close() {
        return this.#core.close();
    }
    /** The token the next call will use; undefined once checkpointing has ended. */
    get checkpointToken() {
        return this.#core.checkpointToken;
    }
    /** Counters of acknowledged work. */
    get stats() {
        const [apiCalls = 0, updatesSent = 0, bytesSent = 0, retries = 0] = this.#core.stats();
        return { apiCalls, updatesSent, bytesSent, retries };
    }
}
exports.CheckpointBatcher = CheckpointBatcher;
/**
 * The SPEC §3 order of `updates` (EXECUTION completion last, CONTEXT START before its
 * descendants, START before other actions of its Id, enqueue order otherwise), as a
 * new array of the same objects. Every update is validated first.
 */
function sortUpdates(updates) {
    if (!Array.isArray(updates))
        throw (0, errors_1.invalid)("updates", `updates must be an array, got ${kind(updates)}`);
    const parts = updates.map((u, i) => encodeUpdate(u, `updates[${i}]`));
    const order = wasm_1.wasm.sortOrder(`[${parts.join(",")}]`, errors_1.makeError);
    return Array.from(order, (i) => updates[i]);
}
