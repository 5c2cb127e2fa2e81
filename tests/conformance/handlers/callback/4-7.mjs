// 4-7 A callback, then a step, then the callback's (failed) result.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event);
    await ctx.step(async () => "work");
    return result;
  });
