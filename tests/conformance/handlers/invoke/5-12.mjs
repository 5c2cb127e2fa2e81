// 5-12 An invoke, then a step processing its result.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const r = await ctx.invoke(ECHO, { value: 1 });
    return ctx.step(async () => ({ processed: r }));
  });
