// 9-4 Map "empty" over the input []: no iterations.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const batch = await ctx.map("empty", event, async (_iteration, item) => item);
    return batch.getResults();
  });
