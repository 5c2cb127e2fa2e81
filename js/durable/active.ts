/**
 * Which durable context or step the running code belongs to, across awaits
 * (AsyncLocalStorage): the replay-aware logger reads it, and operations use it to
 * refuse a parent context used inside a child or a step.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** How a context runs: fresh, replaying recorded operations, or re-running a succeeded context's children. */
export type Mode = "ExecutionMode" | "ReplayMode" | "ReplaySucceededContext";

/** What is running. `contextId` is `"root"`, a context's raw id, or a step's raw id. */
export interface Active {
  contextId: string;
  parentId?: string | undefined;
  attempt?: number | undefined;
  mode?: Mode | undefined;
  operationName?: string | undefined;
}

const storage = new AsyncLocalStorage<Active>();

/** What runs now, if anything durable. */
export function active(): Active | undefined {
  return storage.getStore();
}

/** Runs `fn` as `what`. */
export function runAs<T>(what: Active, fn: () => T): T {
  return storage.run(what, fn);
}
