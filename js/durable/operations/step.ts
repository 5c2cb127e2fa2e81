/**
 * `context.step`: STEP/`Step`. Runs at once (phase 1); the returned promise only
 * reads the outcome. AtLeastOncePerRetry sends START fire-and-forget with the
 * function; AtMostOncePerRetry waits for START to be recorded first, and on replay
 * treats a STARTED step as interrupted. Failures go through the retry strategy:
 * RETRY with a delay, then the invocation suspends until the service re-invokes it.
 */
import type { Operation } from "../../core/types";
import { MAX_WAIT_SECONDS, wireSeconds } from "../duration";
import { DurableOperationError, StepError, StepInterruptedError, errorObjectFrom, isUnrecoverableError } from "../errors";
import { OperationSubType, StepSemantics } from "../enums";
import { DurablePromise } from "../promise";
import { retryPresets } from "../retry";
import type { StepConfig, StepFunc } from "../types";
import { runAs } from "../active";
import { never, toMs } from "../state";
import type { ContextImpl } from "../context";

const SUBTYPE = OperationSubType.STEP;

/** Resolves `(name?, fn, config?)` / `(fn, config?)`. */
export function stepArgs<T>(a: unknown, b: unknown, c: unknown): { name: string | undefined; fn: StepFunc<T>; config: StepConfig<T> | undefined } {
  if (typeof a === "string" || a === undefined) return { name: a, fn: b as StepFunc<T>, config: c as StepConfig<T> | undefined };
  return { name: undefined, fn: a as StepFunc<T>, config: b as StepConfig<T> | undefined };
}

/** Runs a step in `ctx`; `label` names it for logs only (waitForCallback's submitter). */
export function step<T>(ctx: ContextImpl, name: string | undefined, fn: StepFunc<T>, config: StepConfig<T> | undefined): DurablePromise<T> {
  if (typeof fn !== "function") throw new TypeError(`step${name ? ` "${name}"` : ""}: fn must be a function, got ${typeof fn}`);
  const state = ctx.state;
  const raw = ctx.nextId();
  const parent = ctx.parentRaw;
  const semantics = config?.semantics ?? StepSemantics.AtLeastOncePerRetry;
  const serdes = config?.serdes ?? ctx.defaultSerdes;
  const decide = (e: Error, attempt: number) => (config?.retryStrategy ?? retryPresets.default)(e, attempt);
  const base = { Type: "STEP" as const, SubType: SUBTYPE, Name: name };

  const attemptOf = (op: Operation | undefined) => (op?.StepDetails?.Attempt ?? 0) + 1;

  /** RETRY with the decided delay, then wait for the service's timer. */
  const retryLater = async (error: unknown, delaySeconds: number): Promise<T> => {
    await state.checkpoint(raw, parent, { ...base, Action: "RETRY", Error: errorObjectFrom(error), StepOptions: { NextAttemptDelaySeconds: delaySeconds } });
    state.mark(raw, "RETRY_WAITING", { subType: SUBTYPE, endMs: toMs(state.get(raw)?.StepDetails?.NextAttemptTimestamp) });
    await state.waitForChange(raw);
    return attemptOnce();
  };

  const attemptOnce = async (): Promise<T> => {
    let op = state.get(raw);
    if (op?.Status !== "STARTED") {
      const start = state.checkpoint(raw, parent, { ...base, Action: "START" });
      if (semantics === StepSemantics.AtMostOncePerRetry) await start;
    }
    op = state.get(raw);
    const attempt = attemptOf(op);
    state.mark(raw, "EXECUTING", { subType: SUBTYPE });
    try {
      const value = await runAs({ contextId: raw, parentId: parent, attempt, mode: "ExecutionMode", operationName: name }, () =>
        fn({ logger: ctx.stepLogger, attempt } as Parameters<StepFunc<T>>[0]),
      );
      const payload = await ctx.serialize(serdes, value, raw, name);
      await state.checkpoint(raw, parent, { ...base, Action: "SUCCEED", Payload: payload });
      state.mark(raw, "COMPLETED");
      return (await ctx.deserialize(serdes, payload, raw, name)) as T;
    } catch (error) {
      if (isUnrecoverableError(error)) {
        ctx.unrecoverable(error);
        return never();
      }
      const e = error instanceof Error ? error : new Error("Unknown Error");
      const decision = decide(e, attemptOf(state.get(raw)));
      if (!decision.shouldRetry) {
        await state.checkpoint(raw, parent, { ...base, Action: "FAIL", Error: errorObjectFrom(error) });
        state.mark(raw, "COMPLETED");
        throw DurableOperationError.fromErrorObject(errorObjectFrom(error));
      }
      return retryLater(error, decision.delay ? wireSeconds(decision.delay, "retry delay", 1, MAX_WAIT_SECONDS) : 1);
    }
  };

  const phase1 = (async (): Promise<T> => {
    const op = state.get(raw);
    ctx.checkReplay(raw, op, "STEP", name, SUBTYPE);
    if (op?.Status === "SUCCEEDED") {
      state.mark(raw, "COMPLETED", { subType: SUBTYPE });
      return (await ctx.deserialize(serdes, op.StepDetails?.Result, raw, name)) as T;
    }
    if (op?.Status === "FAILED") {
      state.mark(raw, "COMPLETED", { subType: SUBTYPE });
      throw op.StepDetails?.Error ? DurableOperationError.fromErrorObject(op.StepDetails.Error) : new StepError("Unknown error");
    }
    if (op?.Status === "PENDING") {
      state.mark(raw, "RETRY_WAITING", { subType: SUBTYPE, endMs: toMs(op.StepDetails?.NextAttemptTimestamp) });
      await state.waitForChange(raw);
      return attemptOnce();
    }
    if (op?.Status === "STARTED" && semantics === StepSemantics.AtMostOncePerRetry) {
      // The last attempt began and its outcome was never recorded: it may or may not
      // have run. It counts as failed with StepInterruptedError.
      const error = new StepInterruptedError(raw, name);
      const decision = decide(error, attemptOf(op));
      if (!decision.shouldRetry) {
        await state.checkpoint(raw, parent, { ...base, Action: "FAIL", Error: errorObjectFrom(error) });
        state.mark(raw, "COMPLETED", { subType: SUBTYPE });
        throw DurableOperationError.fromErrorObject(errorObjectFrom(error));
      }
      state.mark(raw, "EXECUTING", { subType: SUBTYPE });
      return retryLater(error, decision.delay ? wireSeconds(decision.delay, "retry delay", 1, MAX_WAIT_SECONDS) : 1);
    }
    return attemptOnce();
  })();
  phase1.catch(() => {});
  return new DurablePromise(() => {
    state.awaited(raw);
    return phase1;
  });
}
