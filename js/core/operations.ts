/** Operations as the service hands them over, normalised to `@aws-sdk/client-lambda` shapes. */
import type { Operation } from "./types";

/**
 * Turns timestamps into `Date`s, whether they arrived as epoch milliseconds (the
 * invocation event), epoch seconds (raw HTTP JSON) or ISO strings. Mutates and
 * returns the operations (already-`Date` values are left alone).
 */
export function normalizeOperations(operations: Operation[]): Operation[] {
  for (const op of operations) {
    if (op === null || typeof op !== "object") continue;
    fix(op, "StartTimestamp");
    fix(op, "EndTimestamp");
    if (op.StepDetails) fix(op.StepDetails, "NextAttemptTimestamp");
    if (op.WaitDetails) fix(op.WaitDetails, "ScheduledEndTimestamp");
  }
  return operations;
}

function fix(o: object, key: string): void {
  const rec = o as Record<string, unknown>;
  const v = rec[key];
  if (typeof v === "number" && Number.isFinite(v)) {
    // Seconds since the epoch stay below 1e11 until the year 5138; milliseconds of
    // any date after 1973 are above it.
    rec[key] = new Date(Math.abs(v) < 1e11 ? v * 1000 : v);
  } else if (typeof v === "string" && v !== "") {
    const n = Number(v);
    rec[key] = Number.isFinite(n) ? new Date(Math.abs(n) < 1e11 ? n * 1000 : n) : new Date(v);
  }
}
