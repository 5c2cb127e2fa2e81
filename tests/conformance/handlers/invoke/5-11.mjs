// 5-11 A step, then an invoke with the step's result.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const v = await ctx.step(async () => ({ computed: 42 }));
    return ctx.invoke(ECHO, v);
  });
