/**
 * A transport over the global `fetch`, signed with SigV4 by `@smithy/signature-v4`
 * (an optional peer, loaded only here). It sends the request body bytes the core
 * measured, unchanged.
 */
import type { Hash, Hmac } from "node:crypto";

import { nodeCrypto } from "./node-crypto";
import { RAW_CHECKPOINT, type RawTransport } from "./transport";
import type {
  CheckpointDurableExecutionOutput,
  GetDurableExecutionStateInput,
  GetDurableExecutionStateOutput,
} from "./types";

/** AWS credentials. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options of {@link fetchTransport}. */
export interface FetchTransportOptions {
  /** Region; default `AWS_REGION` (set in every Lambda). */
  region?: string;
  /** Endpoint; default `https://lambda.{region}.amazonaws.com`. */
  endpoint?: string;
  /** Credentials or a provider of them; default the Lambda environment variables. */
  credentials?: Credentials | (() => Promise<Credentials>);
  /** The fetch to use; default the global one. */
  fetch?: typeof globalThis.fetch;
  /** Per-request timeout; default 30000 ms. A timeout is a TRANSIENT failure. */
  timeoutMs?: number;
}

const API = "/2025-12-01/durable-executions/";

/** SHA-256 in the shape `@smithy/signature-v4` wants, over node:crypto (loaded on first use). */
class Sha256 {
  readonly #h: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    const crypto = nodeCrypto();
    this.#h = secret === undefined ? crypto.createHash("sha256") : crypto.createHmac("sha256", secret);
  }
  update(data: string | Uint8Array): void {
    this.#h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
}

interface SignerModule {
  SignatureV4: new (init: {
    service: string;
    region: string;
    credentials: Credentials | (() => Promise<Credentials>);
    sha256: typeof Sha256;
  }) => { sign(request: unknown): Promise<{ headers: Record<string, string> }> };
}

function envCredentials(): Credentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } =
    process.env;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error("fetchTransport: no credentials given and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set");
  }
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** The error a failed HTTP answer becomes: shaped like an AWS SDK service exception. */
function httpError(status: number, headers: Headers, text: string): Error {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
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
export function fetchTransport(options: FetchTransportOptions = {}): RawTransport {
  if (typeof options !== "object" || options === null) throw new TypeError("fetchTransport options must be an object");
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (typeof region !== "string" || region === "") throw new TypeError("fetchTransport needs a region (or AWS_REGION)");
  const endpoint = new URL(options.endpoint ?? `https://lambda.${region}.amazonaws.com`);
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== "function") throw new TypeError("fetchTransport needs a fetch function (Node >= 20 has one)");
  const timeoutMs = options.timeoutMs ?? 30_000;
  let signer: ReturnType<typeof makeSigner> | undefined;
  function makeSigner() {
    let mod: SignerModule;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require("@smithy/signature-v4") as SignerModule;
    } catch (e) {
      throw new Error("fetchTransport needs @smithy/signature-v4: npm install @smithy/signature-v4", { cause: e });
    }
    return new mod.SignatureV4({
      service: "lambda",
      region: region as string,
      credentials: options.credentials ?? (async () => envCredentials()),
      sha256: Sha256,
    });
  }

  async function request(method: "GET" | "POST", path: string, query: Record<string, string>, body?: string) {
    signer ??= makeSigner();
    const headers: Record<string, string> = { host: endpoint.host };
    if (body !== undefined) headers["content-type"] = "application/json";
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
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const init: RequestInit = { method, headers: signed.headers, signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) init.body = body;
    const res = await doFetch(url, init);
    const text = await res.text();
    if (!res.ok) throw httpError(res.status, res.headers, text);
    return text === "" ? {} : (JSON.parse(text) as unknown);
  }

  const checkpointRaw = async (arn: string, body: string) =>
    (await request("POST", `${API}${encodeURIComponent(arn)}/checkpoint`, {}, body)) as CheckpointDurableExecutionOutput;

  return {
    [RAW_CHECKPOINT]: checkpointRaw,
    checkpoint(input) {
      const { DurableExecutionArn, ...rest } = input;
      return checkpointRaw(String(DurableExecutionArn), JSON.stringify(rest));
    },
    async getExecutionState(input: GetDurableExecutionStateInput) {
      const query: Record<string, string> = { CheckpointToken: String(input.CheckpointToken) };
      if (input.Marker) query.Marker = input.Marker;
      if (input.MaxItems !== undefined) query.MaxItems = String(input.MaxItems);
      return (await request(
        "GET",
        `${API}${encodeURIComponent(String(input.DurableExecutionArn))}/state`,
        query,
      )) as GetDurableExecutionStateOutput;
    },
  };
}
