// 4-1 A callback named after the input; its success payload is the result.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event);
    return result;
  });
