"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SuspendSignal = exports.MAX_INLINE_RESULT_BYTES = void 0;
exports.suspend = suspend;
exports.withDurableCheckpoints = withDurableCheckpoints;
/** The Lambda handler wrapper of SPEC §10. */
const batcher_1 = require("./batcher");
const errors_1 = require("./errors");
const lambda_1 = require("./lambda");
const transport_1 = require("./transport");
/** Results longer than this many UTF-8 bytes are checkpointed instead of returned. */
exports.MAX_INLINE_RESULT_BYTES = 6 * 1024 * 1024 - 50;
const SUSPEND = Symbol.for("durable-checkpoint.suspend");
/** Thrown by {@link suspend}; the wrapper turns it into `{ Status: "PENDING" }`. */
class SuspendSignal extends Error {
    [SUSPEND] = true;
    constructor() {
        super("the durable function suspended itself (durable-checkpoint suspend())");
        this.name = "SuspendSignal";
    }
}
exports.SuspendSignal = SuspendSignal;
/**
 * Ends the invocation as `{ Status: "PENDING" }` once the batcher is flushed, e.g.
 * after a WAIT or CALLBACK START was checkpointed: the service re-invokes the function
 * with the updated state later. Call it inside a wrapped handler; it throws a signal
 * (do not catch it, or rethrow it).
 */
function suspend() {
    throw new SuspendSignal();
}
function isSuspend(e) {
    return typeof e === "object" && e !== null && e[SUSPEND] === true;
}
function errorObject(e) {
    if (e instanceof Error) {
        const out = { ErrorType: e.name, ErrorMessage: e.message };
        if (e.stack)
            out.StackTrace = e.stack.split("\n").slice(1).map((l) => l.trim());
        return out;
    }
    return { ErrorType: typeof e, ErrorMessage: String(e) };
}
function parseInput(payload) {
    if (payload === undefined || payload === "")
        return undefined;
    try {
        return JSON.parse(payload);
    }
    catch {
        return payload;
    }
}
function defaultTransport() {
    let client;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { LambdaClient } = require("@aws-sdk/client-lambda");
        client = new LambdaClient({});
    }
    catch (e) {
        throw new Error("withDurableCheckpoints needs a transport, or @aws-sdk/client-lambda installed", { cause: e });
    }
    return (0, lambda_1.lambdaClientTransport)(client);
}
/** Maps how the invocation ended to the service's answer (SPEC §10). */
function outcome(e) {
    if (isSuspend(e))
        return { Status: "PENDING" };
    if (e instanceof errors_1.CheckpointError) {
        if (e.code === "TOKEN_REVOKED")
            return { Status: "PENDING" };
        // Lambda retries the invocation.
        if (e.scope === "INVOCATION")
            throw e;
    }
    return { Status: "FAILED", Error: errorObject(e) };
}
/**
 * Wraps a durable function's handler: pages the initial state, gives the handler a
 * batcher and the operations, closes the batcher before returning whatever happens,
 * and maps the outcome to `{ Status, Result?, Error? }`.
 */
function withDurableCheckpoints(handler, options = {}) {
    if (typeof handler !== "function")
        throw new TypeError("withDurableCheckpoints needs a handler function");
    return async (event, lambdaContext) => {
        if (typeof event !== "object" || event === null)
            throw new TypeError("the invocation event must be an object");
        const arn = event.DurableExecutionArn;
        const transport = options.transport ?? defaultTransport();
        const initial = event.InitialExecutionState ?? {};
        // Page the initial state before the first checkpoint: a checkpoint invalidates markers.
        const ops = await (0, transport_1.pageState)(transport, arn, event.CheckpointToken, initial.Operations ?? [], initial.NextMarker);
        const operations = new Map();
        const remember = (list) => {
            for (const op of list)
                if (op && typeof op.Id === "string")
                    operations.set(op.Id, op);
        };
        remember(ops);
        const execution = ops.find((o) => o?.Type === "EXECUTION");
        const executionId = execution?.Id ?? arn.slice(arn.lastIndexOf("/") + 1);
        const batcher = new batcher_1.CheckpointBatcher({
            durableExecutionArn: arn,
            checkpointToken: event.CheckpointToken,
            transport,
            onOperations: remember,
        });
        let result;
        try {
            const value = await handler({
                batcher,
                operations,
                input: parseInput(execution?.ExecutionDetails?.InputPayload),
                event,
                lambdaContext,
            });
            const text = value === undefined ? undefined : JSON.stringify(value);
            if (text !== undefined && Buffer.byteLength(text, "utf8") > exports.MAX_INLINE_RESULT_BYTES) {
                batcher.checkpointAsync({ Id: executionId, Type: "EXECUTION", Action: "SUCCEED", Payload: text });
                result = { Status: "SUCCEEDED", Result: "" };
            }
            else {
                result = text === undefined ? { Status: "SUCCEEDED" } : { Status: "SUCCEEDED", Result: text };
            }
        }
        catch (e) {
            try {
                await batcher.close();
            }
            catch (closeError) {
                // The final flush failed: its error decides (SPEC §10).
                return outcome(closeError);
            }
            return outcome(e);
        }
        try {
            await batcher.close();
        }
        catch (closeError) {
            return outcome(closeError);
        }
        return result;
    };
}
