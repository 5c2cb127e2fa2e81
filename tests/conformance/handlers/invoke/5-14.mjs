// 5-14 Two sequential invokes of two targets.
import { ECHO, ECHO_2, pick } from "./_targets.mjs";
export const targets = pick(ECHO, ECHO_2);
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const a = await ctx.invoke(ECHO, { n: 1 });
    const b = await ctx.invoke(ECHO_2, { n: 2 });
    return [a, b];
  });
