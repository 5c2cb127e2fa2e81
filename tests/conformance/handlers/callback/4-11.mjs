// 4-11 A callback with a 3 s timeout, then a 6 s wait; the callback times out during it.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event, { timeout: { seconds: 3 } });
    await ctx.wait({ seconds: 6 });
    return result;
  });
