// 7-10 A 1 s wait, a step, then waitForCallback named after the input.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    await ctx.wait({ seconds: 1 });
    await ctx.step(async () => ({ fixed: "data" }));
    return ctx.waitForCallback(event, async () => {});
  });
