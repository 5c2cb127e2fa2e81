// 5-6 The target fails, the InvokeError is caught: a fallback value.
import { FAIL, pick } from "./_targets.mjs";
export const targets = pick(FAIL);
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    try {
      return await ctx.invoke(FAIL, event);
    } catch {
      return "fallback";
    }
  });
