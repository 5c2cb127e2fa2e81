// 5-9 Invoke, then a 1 s wait; the replay returns the cached invoke result.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const r = await ctx.invoke(ECHO, { value: 1 });
    await ctx.wait({ seconds: 1 });
    return r;
  });
