/** Operations as the service hands them over, normalised to `@aws-sdk/client-lambda` shapes. */
import type { Operation } from "./types";
/**
 * Turns timestamps into `Date`s, whether they arrived as epoch milliseconds (the
 * invocation event), epoch seconds (raw HTTP JSON) or ISO strings. Mutates and
 * returns the operations (already-`Date` values are left alone).
 */
export declare function normalizeOperations(operations: Operation[]): Operation[];
