// 4-10 A callback, then a 5 s wait; the callback fails during the wait.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event);
    await ctx.wait({ seconds: 5 });
    return result;
  });
