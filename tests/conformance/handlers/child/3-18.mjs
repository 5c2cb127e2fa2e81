// 3-18 A child context (step, wait), then a step and a wait at the top level.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    await ctx.runInChildContext("mixed-child", async (child) => {
      const r = await child.step(async () => event);
      await child.wait({ seconds: 1 });
      return r;
    });
    const r = await ctx.step(async () => event);
    await ctx.wait({ seconds: 1 });
    return r;
  });
