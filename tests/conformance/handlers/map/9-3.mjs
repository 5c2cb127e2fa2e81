// 9-3 Map "indexed" over the input [10, 20, 30], returning item + index directly.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const batch = await ctx.map("indexed", event, async (_iteration, item, index) => item + index, { maxConcurrency: 1 });
    return batch.getResults();
  });
