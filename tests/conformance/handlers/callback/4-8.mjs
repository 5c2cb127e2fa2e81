// 4-8 A callback with a 5 s timeout, then a step, then the callback's result: times out.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event, { timeout: { seconds: 5 } });
    await ctx.step(async () => "work");
    return result;
  });
