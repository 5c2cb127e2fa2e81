/**
 * `context.invoke`: CHAINED_INVOKE/`ChainedInvoke`. START `{Payload,
 * ChainedInvokeOptions}` is awaited; the result arrives when the service re-invokes
 * (or a poll sees it). Argument resolution follows the official SDK, quirk included:
 * a string second argument is read as the function id, so `invoke(fn, "text")` names
 * the invoke `fn` and calls `"text"`.
 */
import { InvokeError } from "../errors";
import { OperationSubType } from "../enums";
import { DurablePromise } from "../promise";
import type { InvokeConfig } from "../types";
import type { Operation } from "../../core/types";
import type { ContextImpl } from "../context";

const SUBTYPE = OperationSubType.CHAINED_INVOKE;
const DONE = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"]);

/** Resolves the four argument shapes of `invoke`. */
export function invokeArgs(a: unknown, b: unknown, c: unknown, d: unknown): { name: string | undefined; funcId: string; input: unknown; config: InvokeConfig<unknown, unknown> | undefined } {
  if (typeof b === "string") return { name: a as string | undefined, funcId: b, input: c, config: d as InvokeConfig<unknown, unknown> | undefined };
  return { name: undefined, funcId: a as string, input: b, config: c as InvokeConfig<unknown, unknown> | undefined };
}

/** Invokes `funcId` with `input` from `ctx`. */
export function invoke<O>(ctx: ContextImpl, name: string | undefined, funcId: string, input: unknown, config: InvokeConfig<unknown, O> | undefined): DurablePromise<O> {
  if (typeof funcId !== "string" || funcId === "") throw new TypeError(`invoke: funcId must be a non-empty string, got ${typeof funcId}`);
  const state = ctx.state;
  const raw = ctx.nextId();
  const parent = ctx.parentRaw;
  const resultSerdes = config?.resultSerdes ?? ctx.defaultSerdes;
  let done = false;
  const outcome = async (op: Operation | undefined): Promise<O> => {
    if (op?.Status === "SUCCEEDED") return (await ctx.deserialize(resultSerdes, op.ChainedInvokeDetails?.Result, raw, name)) as O;
    const err = op?.ChainedInvokeDetails?.Error;
    if (err) throw new InvokeError(err.ErrorMessage || "Invoke failed", err.ErrorMessage ? new Error(err.ErrorMessage) : undefined, err.ErrorData);
    throw new InvokeError("Invoke failed");
  };
  const phase1 = (async () => {
    const op = state.get(raw);
    ctx.checkReplay(raw, op, "CHAINED_INVOKE", name, SUBTYPE);
    if (op?.Status !== undefined && DONE.has(op.Status)) {
      ctx.checkAndUpdateReplayMode();
      state.mark(raw, "COMPLETED", { subType: SUBTYPE });
      done = true;
      return;
    }
    if (op === undefined) {
      const payload = await ctx.serialize(config?.payloadSerdes ?? ctx.defaultSerdes, input, raw, name);
      await state.checkpoint(raw, parent, {
        Type: "CHAINED_INVOKE",
        SubType: SUBTYPE,
        Action: "START",
        Name: name,
        Payload: payload,
        ChainedInvokeOptions: { FunctionName: funcId, ...(config?.tenantId ? { TenantId: config.tenantId } : {}) },
      });
    }
    state.mark(raw, "IDLE_NOT_AWAITED", { subType: SUBTYPE });
  })();
  phase1.catch(() => {});
  return new DurablePromise(async () => {
    await phase1;
    if (done) return outcome(state.get(raw));
    state.awaited(raw);
    await state.waitForChange(raw);
    const op = state.get(raw);
    if (op?.Status === "SUCCEEDED") ctx.checkAndUpdateReplayMode();
    state.mark(raw, "COMPLETED");
    return outcome(op);
  });
}
