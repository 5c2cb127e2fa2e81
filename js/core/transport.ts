/** How the batcher talks to a JavaScript transport: calls, state paging, error description. */
import type {
  CheckpointDurableExecutionOutput,
  Operation,
  Transport,
} from "./types";
import { normalizeOperations } from "./operations";

/**
 * A transport may also carry the exact request body the core measured (the fetch
 * transport does): the batcher then hands over those bytes instead of an object.
 */
export const RAW_CHECKPOINT: unique symbol = Symbol.for("durable-checkpoint.rawCheckpoint");

/** A transport that can send the body bytes unchanged. */
export interface RawTransport extends Transport {
  [RAW_CHECKPOINT](arn: string, body: string): Promise<CheckpointDurableExecutionOutput>;
}

/** What the core needs to classify a failure (SPEC §6-§7), plus the original error. */
export interface FailureDescription {
  status?: number;
  name?: string;
  message: string;
  retryAfterMs?: number;
  cause: unknown;
}

const GENERIC_NAMES = new Set(["", "Error", "Unknown", "UnknownError"]);

function field(e: unknown, key: string): unknown {
  return e !== null && (typeof e === "object" || typeof e === "function")
    ? (e as Record<string, unknown>)[key]
    : undefined;
}

function retryAfterMs(e: unknown): number | undefined {
  const headers = (field(field(e, "$response"), "headers") ?? field(e, "headers")) as
    | Record<string, unknown>
    | { get?: (k: string) => unknown }
    | undefined;
  let raw: unknown = field(e, "retryAfterSeconds");
  if (raw === undefined && headers) {
    raw =
      typeof (headers as { get?: unknown }).get === "function"
        ? (headers as { get: (k: string) => unknown }).get("retry-after")
        : ((headers as Record<string, unknown>)["retry-after"] ?? (headers as Record<string, unknown>)["Retry-After"]);
  }
  if (raw === undefined || raw === null || raw === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(String(raw));
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/**
 * Reads what classification needs from real AWS SDK errors (`name`,
 * `$metadata.httpStatusCode`, `retryAfterSeconds`, `Retry-After`) and from emulators
 * that answer `{Type, message}` with no `x-amzn-errortype` (the SDK then calls the
 * error `Unknown`: `Type`, the status and the message decide).
 */
export function describeFailure(e: unknown): FailureDescription {
  const statusRaw =
    field(field(e, "$metadata"), "httpStatusCode") ??
    field(e, "statusCode") ??
    field(e, "status") ??
    field(field(e, "$response"), "statusCode");
  const status = typeof statusRaw === "number" && Number.isFinite(statusRaw) ? statusRaw : undefined;
  let name = typeof field(e, "name") === "string" ? (field(e, "name") as string) : "";
  if (GENERIC_NAMES.has(name)) {
    const alt = field(e, "Type") ?? field(e, "__type") ?? field(e, "code");
    if (typeof alt === "string" && alt !== "") name = alt.slice(alt.lastIndexOf("#") + 1);
  }
  if (GENERIC_NAMES.has(name)) {
    // Errors rebuilt across a worker or process boundary keep their name only in the
    // stack's first line ("InvalidParameterValueException: ...").
    const first = /^(\w+(?:Exception|Error)):/.exec(String(field(e, "stack") ?? ""));
    if (first?.[1] && !GENERIC_NAMES.has(first[1])) name = first[1];
  }
  const msg = field(e, "message") ?? field(e, "Message");
  const message = typeof msg === "string" ? msg : String(e);
  const out: FailureDescription = { message, cause: e };
  if (status !== undefined) out.status = status;
  if (name !== "") out.name = name;
  const ra = retryAfterMs(e);
  if (ra !== undefined) out.retryAfterMs = ra;
  return out;
}

/** Follows `NextMarker` pages with GetDurableExecutionState and the given token. */
export async function pageState(
  transport: Transport,
  arn: string,
  token: string | undefined,
  first: Operation[],
  marker: string | undefined,
): Promise<Operation[]> {
  const operations = first.slice();
  while (marker) {
    if (typeof transport.getExecutionState !== "function") {
      throw Object.assign(
        new Error("the service sent NextMarker but the transport has no getExecutionState to follow it"),
        { name: "TransportConfigurationError", status: 400 },
      );
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
  return normalizeOperations(operations);
}
