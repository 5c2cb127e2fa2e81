/**
 * `context.createCallback`: CALLBACK/`Callback`. START `{CallbackOptions}` is
 * awaited; the callback id is read back from the response's
 * `CallbackDetails.CallbackId`. The returned pair's promise waits for the external
 * system's answer (the invocation suspends meanwhile unless other work runs).
 */
import { MAX_CALLBACK_SECONDS, wireSeconds } from "../duration";
import { CallbackError, CallbackExternalError, CallbackTimeoutError } from "../errors";
import { OperationSubType } from "../enums";
import { DurablePromise } from "../promise";
import type { CreateCallbackConfig, CreateCallbackResult } from "../types";
import type { Operation } from "../../core/types";
import type { ContextImpl } from "../context";

const SUBTYPE = OperationSubType.CALLBACK;

/** The error a FAILED or TIMED_OUT callback rejects with. */
function callbackFailure(op: Operation | undefined): Error {
  const err = op?.CallbackDetails?.Error;
  const timedOut = op?.Status === "TIMED_OUT";
  if (!err) return timedOut ? new CallbackTimeoutError("Callback timed out") : new CallbackExternalError("Callback failed");
  const cause = new Error(err.ErrorMessage);
  cause.name = err.ErrorType || "Error";
  cause.stack = err.StackTrace?.join("\n");
  return timedOut
    ? new CallbackTimeoutError(err.ErrorMessage || "Callback timed out", cause, err.ErrorData)
    : new CallbackExternalError(err.ErrorMessage || "Callback failed", cause, err.ErrorData);
}

/** Creates a callback in `ctx`. */
export function createCallback<T>(ctx: ContextImpl, name: string | undefined, config: CreateCallbackConfig<T> | undefined): DurablePromise<CreateCallbackResult<T>> {
  const timeout = config?.timeout ? wireSeconds(config.timeout, "callback timeout", 0, MAX_CALLBACK_SECONDS) : undefined;
  const heartbeat = config?.heartbeatTimeout ? wireSeconds(config.heartbeatTimeout, "callback heartbeatTimeout", 0, MAX_CALLBACK_SECONDS) : undefined;
  const state = ctx.state;
  const raw = ctx.nextId();
  const parent = ctx.parentRaw;
  const serdes = config?.serdes ?? ctx.defaultCallbackDeserializer;
  let done = false;
  const phase1 = (async () => {
    const op = state.get(raw);
    ctx.checkReplay(raw, op, "CALLBACK", name, SUBTYPE);
    if (op?.Status === "SUCCEEDED" || op?.Status === "FAILED" || op?.Status === "TIMED_OUT") {
      ctx.checkAndUpdateReplayMode();
      state.mark(raw, "COMPLETED", { subType: SUBTYPE });
      done = true;
      return;
    }
    if (op === undefined) {
      await state.checkpoint(raw, parent, {
        Type: "CALLBACK",
        SubType: SUBTYPE,
        Action: "START",
        Name: name,
        CallbackOptions: { TimeoutSeconds: timeout, HeartbeatTimeoutSeconds: heartbeat },
      });
    }
    state.mark(raw, "IDLE_NOT_AWAITED", { subType: SUBTYPE });
  })();
  phase1.catch(() => {});
  return new DurablePromise(async (): Promise<CreateCallbackResult<T>> => {
    await phase1;
    const op = state.get(raw);
    const id = op?.CallbackDetails?.CallbackId;
    if (!id) throw new CallbackError(`No callback ID found for ${done ? "" : "started "}callback: ${raw}`);
    if (done) {
      if (op?.Status === "SUCCEEDED") {
        const value = (await ctx.deserialize(serdes, op.CallbackDetails?.Result, raw, name)) as T;
        return [new DurablePromise(async () => value), id];
      }
      const failure = callbackFailure(op);
      return [new DurablePromise<T>(async () => Promise.reject(failure)), id];
    }
    const answer = new DurablePromise<T>(async () => {
      state.awaited(raw);
      await state.waitForChange(raw);
      const now = state.get(raw);
      if (now?.Status === "SUCCEEDED") ctx.checkAndUpdateReplayMode();
      state.mark(raw, "COMPLETED");
      if (now?.Status === "SUCCEEDED") {
        if (!now.CallbackDetails) throw new CallbackError(`No callback data found for completed callback: ${raw}`);
        return (await ctx.deserialize(serdes, now.CallbackDetails.Result, raw, name)) as T;
      }
      throw callbackFailure(now);
    });
    return [answer, id];
  });
}
