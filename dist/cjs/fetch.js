"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fetchTransport = fetchTransport;
/**
 * A transport over the global `fetch`, signed with SigV4 by `@smithy/signature-v4`
 * (an optional peer, loaded only here). It sends the request body bytes the core
 * measured, unchanged.
 */
const node_crypto_1 = require("node:crypto");
const transport_1 = require("./transport");
const API = "/2025-12-01/durable-executions/";
/** SHA-256 in the shape `@smithy/signature-v4` wants, over node:crypto. */
class Sha256 {
    #h;
    constructor(secret) {
        this.#h = secret === undefined ? (0, node_crypto_1.createHash)("sha256") : (0, node_crypto_1.createHmac)("sha256", secret);
    }
    update(data) {
        this.#h.update(data);
    }
    async digest() {
        return new Uint8Array(this.#h.digest());
    }
}
function envCredentials() {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
    if (!accessKeyId || !secretAccessKey) {
        throw new Error("fetchTransport: no credentials given and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set");
    }
    return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}
/** The error a failed HTTP answer becomes: shaped like an AWS SDK service exception. */
function httpError(status, headers, text) {
    let body = {};
    try {
        body = JSON.parse(text);
    }
    catch {
        // not JSON: keep the text as the message
    }
    const typeHeader = headers.get("x-amzn-errortype")?.split(":")[0];
    const type = typeHeader ?? body.__type ?? body.Type ?? body.code;
    const name = typeof type === "string" && type !== "" ? type.slice(type.lastIndexOf("#") + 1) : "Unknown";
    const message = body.message ?? body.Message ?? (text || `HTTP ${status}`);
    const retryAfter = headers.get("retry-after");
    return Object.assign(new Error(String(message)), {
        ...body,
        name,
        $metadata: { httpStatusCode: status },
        $response: { statusCode: status, headers: Object.fromEntries(headers.entries()) },
        ...(retryAfter !== null ? { retryAfterSeconds: retryAfter } : {}),
    });
}
/**
 * Checkpoints with `fetch` and SigV4.
 *
 * ```ts
 * const transport = fetchTransport({ region: "us-east-1" }); // credentials from the Lambda environment
 * ```
 */
function fetchTransport(options = {}) {
    if (typeof options !== "object" || options === null)
        throw new TypeError("fetchTransport options must be an object");
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (typeof region !== "string" || region === "")
        throw new TypeError("fetchTransport needs a region (or AWS_REGION)");
    const endpoint = new URL(options.endpoint ?? `https://lambda.${region}.amazonaws.com`);
    const doFetch = options.fetch ?? globalThis.fetch;
    if (typeof doFetch !== "function")
        throw new TypeError("fetchTransport needs a fetch function (Node >= 20 has one)");
    const timeoutMs = options.timeoutMs ?? 30_000;
    let signer;
    function makeSigner() {
        let mod;
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            mod = require("@smithy/signature-v4");
        }
        catch (e) {
            throw new Error("fetchTransport needs @smithy/signature-v4: npm install @smithy/signature-v4", { cause: e });
        }
        return new mod.SignatureV4({
            service: "lambda",
            region: region,
            credentials: options.credentials ?? (async () => envCredentials()),
            sha256: Sha256,
        });
    }
    async function request(method, path, query, body) {
        signer ??= makeSigner();
        const headers = { host: endpoint.host };
        if (body !== undefined)
            headers["content-type"] = "application/json";
        const signed = await signer.sign({
            method,
            protocol: endpoint.protocol,
            hostname: endpoint.hostname,
            port: endpoint.port ? Number(endpoint.port) : undefined,
            path,
            query,
            headers,
            body,
        });
        const url = new URL(path, endpoint);
        for (const [k, v] of Object.entries(query))
            url.searchParams.set(k, v);
        const init = { method, headers: signed.headers, signal: AbortSignal.timeout(timeoutMs) };
        if (body !== undefined)
            init.body = body;
        const res = await doFetch(url, init);
        const text = await res.text();
        if (!res.ok)
            throw httpError(res.status, res.headers, text);
        return text === "" ? {} : JSON.parse(text);
    }
    const checkpointRaw = async (arn, body) => (await request("POST", `${API}${encodeURIComponent(arn)}/checkpoint`, {}, body));
    return {
        [transport_1.RAW_CHECKPOINT]: checkpointRaw,
        checkpoint(input) {
            const { DurableExecutionArn, ...rest } = input;
            return checkpointRaw(String(DurableExecutionArn), JSON.stringify(rest));
        },
        async getExecutionState(input) {
            const query = { CheckpointToken: String(input.CheckpointToken) };
            if (input.Marker)
                query.Marker = input.Marker;
            if (input.MaxItems !== undefined)
                query.MaxItems = String(input.MaxItems);
            return (await request("GET", `${API}${encodeURIComponent(String(input.DurableExecutionArn))}/state`, query));
        },
    };
}
