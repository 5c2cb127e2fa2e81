"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RAW_CHECKPOINT = void 0;
exports.describeFailure = describeFailure;
exports.pageState = pageState;
exports.inputFromBody = inputFromBody;
const operations_1 = require("./operations");
/**
 * A transport may also carry the exact request body the core measured (the fetch
 * transport does): the batcher then hands over those bytes instead of an object.
 */
exports.RAW_CHECKPOINT = Symbol.for("durable-checkpoint.rawCheckpoint");
const GENERIC_NAMES = new Set(["", "Error", "Unknown", "UnknownError"]);
function field(e, key) {
    return e !== null && (typeof e === "object" || typeof e === "function")
        ? e[key]
        : undefined;
}
function retryAfterMs(e) {
    const headers = (field(field(e, "$response"), "headers") ?? field(e, "headers"));
    let raw = field(e, "retryAfterSeconds");
    if (raw === undefined && headers) {
        raw =
            typeof headers.get === "function"
                ? headers.get("retry-after")
                : (headers["retry-after"] ?? headers["Retry-After"]);
    }
    if (raw === undefined || raw === null || raw === "")
        return undefined;
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0)
        return seconds * 1000;
    const at = Date.parse(String(raw));
    return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
/**
 * Reads what classification needs from real AWS SDK errors (`name`,
 * `$metadata.httpStatusCode`, `retryAfterSeconds`, `Retry-After`) and from emulators
 * that answer `{Type, message}` with no `x-amzn-errortype` (the SDK then calls the
 * error `Unknown`: `Type`, the status and the message decide).
 */
function describeFailure(e) {
    const statusRaw = field(field(e, "$metadata"), "httpStatusCode") ??
        field(e, "statusCode") ??
        field(e, "status") ??
        field(field(e, "$response"), "statusCode");
    const status = typeof statusRaw === "number" && Number.isFinite(statusRaw) ? statusRaw : undefined;
    let name = typeof field(e, "name") === "string" ? field(e, "name") : "";
    if (GENERIC_NAMES.has(name)) {
        const alt = field(e, "Type") ?? field(e, "__type") ?? field(e, "code");
        if (typeof alt === "string" && alt !== "")
            name = alt.slice(alt.lastIndexOf("#") + 1);
    }
    const msg = field(e, "message") ?? field(e, "Message");
    const message = typeof msg === "string" ? msg : String(e);
    const out = { message, cause: e };
    if (status !== undefined)
        out.status = status;
    if (name !== "")
        out.name = name;
    const ra = retryAfterMs(e);
    if (ra !== undefined)
        out.retryAfterMs = ra;
    return out;
}
/** Follows `NextMarker` pages with GetDurableExecutionState and the given token. */
async function pageState(transport, arn, token, first, marker) {
    const operations = first.slice();
    while (marker) {
        if (typeof transport.getExecutionState !== "function") {
            throw Object.assign(new Error("the service sent NextMarker but the transport has no getExecutionState to follow it"), { name: "TransportConfigurationError", status: 400 });
        }
        const page = await transport.getExecutionState({
            DurableExecutionArn: arn,
            CheckpointToken: token,
            Marker: marker,
            MaxItems: 1000,
        });
        operations.push(...(page?.Operations ?? []));
        marker = page?.NextMarker;
    }
    return (0, operations_1.normalizeOperations)(operations);
}
/** The object form of a request body, for transports that take one. */
function inputFromBody(arn, body) {
    const b = JSON.parse(body);
    return { DurableExecutionArn: arn, CheckpointToken: b.CheckpointToken, Updates: b.Updates, ClientToken: b.ClientToken };
}
