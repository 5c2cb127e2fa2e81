// 5-10 A failing invoke caught, then a 1 s wait; the replay re-throws and catches again.
import { FAIL, pick } from "./_targets.mjs";
export const targets = pick(FAIL);
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    let r;
    try {
      r = await ctx.invoke(FAIL, event);
    } catch {
      r = "caught";
    }
    await ctx.wait({ seconds: 1 });
    return r;
  });
