/**
 * `context.waitForCondition`: STEP/`WaitForCondition`. Each check runs like a step
 * attempt; the wait strategy decides: SUCCEED with the state, or RETRY carrying the
 * state as Payload with the decided delay (read back from `StepDetails.Result` on the
 * next attempt). A throwing check FAILs without retrying.
 */
import { MAX_WAIT_SECONDS, wireSeconds } from "../duration";
import { DurableOperationError, WaitForConditionError, errorObjectFrom } from "../errors";
import { OperationSubType } from "../enums";
import { DurablePromise } from "../promise";
import { runAs } from "../active";
import { toMs } from "../state";
import type { WaitForConditionCheckFunc, WaitForConditionConfig } from "../types";
import type { ContextImpl } from "../context";

const SUBTYPE = OperationSubType.WAIT_FOR_CONDITION;

/** Polls `check` in `ctx` until the strategy stops it. */
export function waitForCondition<T>(
  ctx: ContextImpl,
  name: string | undefined,
  check: WaitForConditionCheckFunc<T>,
  config: WaitForConditionConfig<T>,
): DurablePromise<T> {
  if (!config?.waitStrategy || config.initialState === undefined) {
    throw new Error("waitForCondition requires config with waitStrategy and initialState");
  }
  if (typeof check !== "function") throw new TypeError(`waitForCondition: checkFunc must be a function, got ${typeof check}`);
  const state = ctx.state;
  const raw = ctx.nextId();
  const parent = ctx.parentRaw;
  const serdes = config.serdes ?? ctx.defaultSerdes;
  const base = { Type: "STEP" as const, SubType: SUBTYPE, Name: name };

  const attemptOnce = async (): Promise<T> => {
    let op = state.get(raw);
    let current: T = config.initialState;
    if ((op?.Status === "STARTED" || op?.Status === "READY") && op.StepDetails?.Result) {
      current = (await ctx.deserialize(serdes, op.StepDetails.Result, raw, name)) as T;
    }
    const attempt = (op?.StepDetails?.Attempt ?? 0) + 1;
    if (op?.Status !== "STARTED") void state.checkpoint(raw, parent, { ...base, Action: "START" });
    try {
      state.mark(raw, "EXECUTING", { subType: SUBTYPE });
      const next = await runAs({ contextId: raw, parentId: parent, attempt, mode: "ExecutionMode", operationName: name }, () =>
        check(current, { logger: ctx.stepLogger, attempt } as Parameters<WaitForConditionCheckFunc<T>>[1]),
      );
      const payload = await ctx.serialize(serdes, next, raw, name);
      const seen = (await ctx.deserialize(serdes, payload, raw, name)) as T;
      const decision = config.waitStrategy(seen, attempt);
      if (!decision.shouldContinue) {
        await state.checkpoint(raw, parent, { ...base, Action: "SUCCEED", Payload: payload });
        state.mark(raw, "COMPLETED");
        return seen;
      }
      await state.checkpoint(raw, parent, {
        ...base,
        Action: "RETRY",
        Payload: payload,
        StepOptions: { NextAttemptDelaySeconds: wireSeconds(decision.delay, "waitForCondition delay", 1, MAX_WAIT_SECONDS) },
      });
      op = state.get(raw);
      state.mark(raw, "RETRY_WAITING", { subType: SUBTYPE, endMs: toMs(op?.StepDetails?.NextAttemptTimestamp) });
    } catch (error) {
      await state.checkpoint(raw, parent, { ...base, Action: "FAIL", Error: errorObjectFrom(error) });
      state.mark(raw, "COMPLETED");
      throw DurableOperationError.fromErrorObject(errorObjectFrom(error));
    }
    // Outside the try: a later attempt's failure is recorded by that attempt, once.
    await state.waitForChange(raw);
    return attemptOnce();
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
      throw op.StepDetails?.Error ? DurableOperationError.fromErrorObject(op.StepDetails.Error) : new WaitForConditionError("waitForCondition failed");
    }
    if (op?.Status === "PENDING") {
      state.mark(raw, "RETRY_WAITING", { subType: SUBTYPE, endMs: toMs(op.StepDetails?.NextAttemptTimestamp) });
      await state.waitForChange(raw);
    }
    return attemptOnce();
  })();
  phase1.catch(() => {});
  return new DurablePromise(() => {
    state.awaited(raw);
    return phase1;
  });
}
