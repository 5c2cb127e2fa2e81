/**
 * `context.promise.all/allSettled/any/race`: the JavaScript combinator, run inside a
 * child context so its outcome is recorded once and replayed, not recomputed.
 * allSettled records rejections as `{message, name, stack}` and revives them as Errors.
 */
import { PromiseCombinatorError, type DurableOperationError } from "../errors";
import { DurablePromise } from "../promise";
import type { Serdes } from "../serdes";
import type { ContextImpl } from "../context";
import { runInChildContext } from "./child";

type Settled = PromiseSettledResult<unknown>;

const settledSerdes: Serdes<Settled[]> = {
  serialize: async (value) =>
    value === undefined
      ? undefined
      : JSON.stringify(
          value.map((r) =>
            r && r.status === "rejected" && r.reason instanceof Error
              ? { ...r, reason: { message: r.reason.message, name: r.reason.name, stack: r.reason.stack } }
              : r,
          ),
        ),
  deserialize: async (data) =>
    data === undefined
      ? (undefined as unknown as Settled[])
      : (JSON.parse(data) as Settled[]).map((r) => {
          const reason = (r as { reason?: { message?: string; name?: string; stack?: string } }).reason;
          if (r && r.status === "rejected" && reason && typeof reason === "object" && reason.message) {
            const e = new Error(reason.message);
            e.name = reason.name || "Error";
            if (reason.stack) e.stack = reason.stack;
            return { ...r, reason: e };
          }
          return r;
        }),
};

/** Splits `(name?, promises)` / `(promises)`. */
function args(a: unknown, b: unknown): { name: string | undefined; promises: Promise<unknown>[] } {
  if (typeof a === "string" || a === undefined) return { name: a, promises: b as Promise<unknown>[] };
  return { name: undefined, promises: a as Promise<unknown>[] };
}

const mapError = (e: DurableOperationError) => new PromiseCombinatorError(e.message, e);

/** The `promise` member of a context. */
export function combinators(ctx: ContextImpl) {
  const run = <R>(a: unknown, b: unknown, combine: (ps: Promise<unknown>[]) => Promise<R>, serdes?: Serdes<R>) =>
    new DurablePromise<R>(async () => {
      const { name, promises } = args(a, b);
      return runInChildContext<R>(ctx, name, () => combine(promises), { errorMapper: mapError, ...(serdes ? { serdes } : {}) });
    });
  return {
    all: (a: unknown, b?: unknown) => run(a, b, (ps) => Promise.all(ps)),
    allSettled: (a: unknown, b?: unknown) => run(a, b, (ps) => Promise.allSettled(ps), settledSerdes),
    any: (a: unknown, b?: unknown) => run(a, b, (ps) => Promise.any(ps)),
    race: (a: unknown, b?: unknown) => run(a, b, (ps) => Promise.race(ps)),
  };
}
