// 4-12 The callback's result, then a 2 s wait, then return it.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [promise] = await ctx.createCallback(event);
    const result = await promise;
    await ctx.wait({ seconds: 2 });
    return result;
  });
