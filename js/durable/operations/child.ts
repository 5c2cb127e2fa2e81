/**
 * `context.runInChildContext`: CONTEXT/`RunInChildContext` (or the config's
 * `subType`). START goes fire-and-forget, the function runs in a child context whose
 * operations count from 1 under the child's raw id, and SUCCEED/FAIL close it. A
 * result over 256 KiB is replaced by `summaryGenerator(result)` (or `""`) with
 * `ReplayChildren`, and on replay such a context re-runs its function over its
 * recorded children. The gate closes on the context once its function settles.
 *
 * With `virtualContext` (map/parallel items under `nesting: FLAT`) nothing is
 * checkpointed for the context itself: its operations still count under its raw id
 * (`<id>-1`, ...) but name the caller's parent as their ParentId, and its function runs
 * again on every invocation (there is no record to replay it from), its result going
 * through the serdes both ways as usual.
 */
import { ChildContextError, DurableOperationError, errorObjectFrom } from "../errors";
import { OperationSubType } from "../enums";
import { DurablePromise } from "../promise";
import { runAs, type Mode } from "../active";
import type { ChildConfig, ChildFunc, DurableContext } from "../types";
import type { ContextImpl } from "../context";

/** The largest Payload one operation may carry. */
export const CHECKPOINT_SIZE_LIMIT_BYTES = 256 * 1024;

/** Resolves `(name?, fn, config?)` / `(fn, config?)`. */
export function childArgs<T>(a: unknown, b: unknown, c: unknown): { name: string | undefined; fn: ChildFunc<T>; config: ChildConfig<T> | undefined } {
  if (typeof a === "string" || a === undefined) return { name: a, fn: b as ChildFunc<T>, config: c as ChildConfig<T> | undefined };
  return { name: undefined, fn: a as ChildFunc<T>, config: b as ChildConfig<T> | undefined };
}

/** Runs `fn` in a child context of `ctx`. */
export function runInChildContext<T>(ctx: ContextImpl, name: string | undefined, fn: ChildFunc<T>, config: ChildConfig<T> | undefined): DurablePromise<T> {
  if (typeof fn !== "function") throw new TypeError(`runInChildContext${name ? ` "${name}"` : ""}: fn must be a function, got ${typeof fn}`);
  const state = ctx.state;
  const raw = ctx.nextId();
  const parent = ctx.parentRaw;
  const subType = config?.subType || OperationSubType.RUN_IN_CHILD_CONTEXT;
  const virtual = config?.virtualContext === true;
  const serdes = config?.serdes ?? ctx.defaultSerdes;
  const mapError = (e: DurableOperationError): Error => (config?.errorMapper ? config.errorMapper(e) : new ChildContextError(e.message, e));
  const base = { Type: "CONTEXT" as const, SubType: subType, Name: name };
  ctx.checkReplay(raw, state.get(raw), "CONTEXT", name, subType);

  const runChild = (mode: Mode) => {
    const child = ctx.child(raw, mode);
    // A virtual context's operations hang under the caller's parent (it has no record).
    if (virtual) Object.defineProperty(child, "parentRaw", { value: parent, configurable: true });
    return runAs({ contextId: raw, parentId: parent, mode, operationName: name }, () => fn(child as unknown as DurableContext));
  };

  const replayFinished = async (): Promise<T> => {
    const op = state.get(raw)!;
    if (op.Status === "FAILED") {
      const err = op.ContextDetails?.Error;
      if (!err) throw new ChildContextError("Child context failed");
      throw mapError(DurableOperationError.fromErrorObject(err));
    }
    if (op.ContextDetails?.ReplayChildren) {
      // The result was too large to record: rebuild it from the recorded children.
      const value = await runChild("ReplaySucceededContext");
      const text = await ctx.serialize(serdes, value, raw, name);
      return (await ctx.deserialize(serdes, text, raw, name)) as T;
    }
    return (await ctx.deserialize(serdes, op.ContextDetails?.Result, raw, name)) as T;
  };

  const executeVirtual = async (): Promise<T> => {
    let value: T;
    try {
      value = await runChild("ExecutionMode");
    } catch (error) {
      throw mapError(DurableOperationError.fromErrorObject(errorObjectFrom(error)));
    }
    const text = await ctx.serialize(serdes, value, raw, name);
    return (await ctx.deserialize(serdes, text, raw, name)) as T;
  };

  const execute = async (): Promise<T> => {
    const op = state.get(raw);
    if (!virtual && op === undefined) void state.checkpoint(raw, parent, { ...base, Action: "START" });
    // One tick before the function runs, as the official SDK takes (it awaits its plugin
    // hook, even with no plugin): a batch that starts its items in one loop then records
    // every item's START before any item's first operation, in both SDKs' histories.
    await undefined;
    if (virtual) return executeVirtual();
    const mode: Mode = op === undefined ? "ExecutionMode" : op.Status === "SUCCEEDED" && op.ContextDetails?.ReplayChildren ? "ReplaySucceededContext" : "ExecutionMode";
    const fail = (error: unknown): never => {
      const reported = errorObjectFrom(error);
      state.finishContext(raw);
      void state.checkpoint(raw, parent, { ...base, Action: "FAIL", Error: reported });
      throw mapError(DurableOperationError.fromErrorObject(reported));
    };
    let value: T;
    try {
      value = await runChild(mode);
    } catch (error) {
      return fail(error);
    }
    state.finishContext(raw);
    const text = await ctx.serialize(serdes, value, raw, name);
    let payload = text;
    let replayChildren = false;
    if (text !== undefined && Buffer.byteLength(text, "utf8") > CHECKPOINT_SIZE_LIMIT_BYTES) {
      replayChildren = true;
      // A throwing summaryGenerator fails the context, as officially.
      try {
        payload = config?.summaryGenerator ? config.summaryGenerator(value) : "";
      } catch (error) {
        return fail(error);
      }
    }
    void state.checkpoint(raw, parent, { ...base, Action: "SUCCEED", Payload: payload, ...(replayChildren ? { ContextOptions: { ReplayChildren: true } } : {}) });
    return (await ctx.deserialize(serdes, text, raw, name)) as T;
  };

  let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  const phase1 = (async () => {
    const op = state.get(raw);
    if (op?.Status === "SUCCEEDED" || op?.Status === "FAILED") {
      state.finishContext(raw);
      return replayFinished();
    }
    return execute();
  })().then(
    (value) => {
      result = { ok: true, value };
    },
    (error: unknown) => {
      result = { ok: false, error };
    },
  );
  return new DurablePromise(async () => {
    await phase1;
    if (!result!.ok) throw result!.error;
    return result!.value;
  });
}
