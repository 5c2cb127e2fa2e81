// Shared by the conformance handlers: per-execution attempt counters (a handler runs
// in this process, so a step can "fail on the first attempt" across invocations
// without DynamoDB), and small serdes helpers.

const attempts = new Map();

/** 1 on the first call for (execution, key), then 2, 3, ... */
export function attempt(ctx, key = "default") {
  const k = `${ctx.executionContext.durableExecutionArn}:${key}`;
  const n = (attempts.get(k) ?? 0) + 1;
  attempts.set(k, n);
  return n;
}

/** A JSON serdes whose serialize transforms the value first. */
export const jsonSerdes = (transform = (v) => v) => ({
  serialize: async (value) => (value === undefined ? undefined : JSON.stringify(transform(value))),
  deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data)),
});

/** Uppercases every string in a value. */
export const upper = (v) =>
  typeof v === "string" ? v.toUpperCase() : Array.isArray(v) ? v.map(upper) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, upper(x)])) : v;

export class TransientError extends Error {
  constructor(message = "transient failure") {
    super(message);
    this.name = "TransientError";
  }
}

// region parallel / map (suites 8 and 9)

/** A branch / map function that fails with `message` (thrown directly: no step, no retry). */
export const fails = (message) => async () => {
  throw new Error(message);
};

/** The named fields of a BatchResult, as a plain object (the handler's projection). */
export const project = (result, keys) => Object.fromEntries(keys.map((k) => [k, result[k]]));

/** The projections the requirements ask for. */
export const OUTCOME = ["completionReason", "status", "successCount", "failureCount", "totalCount"];
export const COUNTS = ["completionReason", "successCount", "failureCount", "totalCount"];

/** NestingType.FLAT, from the SDK when it exports the enum (its value is the string "FLAT"). */
export const flat = (sdk) => sdk.NestingType?.FLAT ?? "FLAT";

// endregion
