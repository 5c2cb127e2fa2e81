// 4-3 A callback with a 5 s timeout that nobody completes: the execution fails.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event, { timeout: { seconds: 5 } });
    return result;
  });
