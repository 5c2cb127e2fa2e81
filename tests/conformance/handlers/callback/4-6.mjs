// 4-6 A callback completed with a failure, not caught: the execution fails.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event);
    return result;
  });
