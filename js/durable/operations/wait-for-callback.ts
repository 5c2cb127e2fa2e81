/**
 * `context.waitForCallback`: a CONTEXT/`WaitForCallback` holding a CALLBACK and a
 * STEP that runs the submitter with the callback id; resolves with the callback's
 * answer. Submitter failures surface as CallbackSubmitterError, callback failures
 * as themselves, anything else as ChildContextError.
 */
import { CallbackSubmitterError, ChildContextError, type DurableOperationError } from "../errors";
import { OperationSubType } from "../enums";
import { DurablePromise } from "../promise";
import { passThroughSerdes } from "../context";
import type { WaitForCallbackConfig, WaitForCallbackSubmitterFunc, DurableContext } from "../types";
import type { ContextImpl } from "../context";
import { runInChildContext } from "./child";
import { createCallback } from "./callback";
import { step } from "./step";

const CALLBACK_ERRORS = new Set(["CallbackTimeoutError", "CallbackExternalError", "CallbackError"]);

/** Resolves `(name?, submitter, config?)` / `(submitter, config?)`; undefined when no submitter is given. */
export function waitForCallbackArgs(a: unknown, b: unknown, c: unknown): { name: string | undefined; submitter: WaitForCallbackSubmitterFunc<never>; config: WaitForCallbackConfig<unknown> | undefined } | string {
  if (typeof a === "string" || a === undefined) {
    if (typeof b !== "function") return "waitForCallback requires a submitter function when name is provided";
    return { name: a, submitter: b as WaitForCallbackSubmitterFunc<never>, config: c as WaitForCallbackConfig<unknown> | undefined };
  }
  if (typeof a === "function") return { name: undefined, submitter: a as WaitForCallbackSubmitterFunc<never>, config: b as WaitForCallbackConfig<unknown> | undefined };
  return "waitForCallback requires a submitter function";
}

/** Runs the waitForCallback child context in `ctx`. */
export function waitForCallback<T>(
  ctx: ContextImpl,
  name: string | undefined,
  submitter: WaitForCallbackSubmitterFunc<never>,
  config: WaitForCallbackConfig<T> | undefined,
): DurablePromise<T> {
  const customDeserializer = ctx.customCallbackDeserializer;
  const raw = ctx.peekId();
  const inner = runInChildContext<unknown>(
    ctx,
    name,
    async (childCtx: DurableContext) => {
      const child = childCtx as unknown as ContextImpl;
      const callbackConfig =
        config || customDeserializer
          ? { timeout: config?.timeout, heartbeatTimeout: config?.heartbeatTimeout, ...(customDeserializer ? { serdes: passThroughSerdes } : {}) }
          : undefined;
      const [answer, callbackId] = await createCallback<unknown>(child, undefined, callbackConfig);
      await step<void>(
        child,
        undefined,
        async (stepCtx) => {
          await submitter(callbackId, { logger: stepCtx.logger } as Parameters<WaitForCallbackSubmitterFunc<never>>[1]);
        },
        config?.retryStrategy ? { retryStrategy: config.retryStrategy } : undefined,
      );
      return await answer;
    },
    {
      subType: OperationSubType.WAIT_FOR_CALLBACK,
      ...(customDeserializer ? { serdes: passThroughSerdes } : {}),
      errorMapper: (e: DurableOperationError) => {
        if (CALLBACK_ERRORS.has(e.errorType)) return e;
        if (e.errorType === "StepError") return new CallbackSubmitterError(e.message, e);
        return new ChildContextError(e.message, e);
      },
    },
  );
  inner.then(undefined, () => {});
  return new DurablePromise(async () => {
    const result = await inner;
    const serdes = config?.serdes ?? customDeserializer ?? passThroughSerdes;
    return (await ctx.deserialize(serdes, result as string | undefined, raw, name)) as T;
  });
}
