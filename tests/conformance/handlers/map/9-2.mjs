// 9-2 Map without a name over the input [1, 2], doubling each item directly.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const batch = await ctx.map(event, async (_iteration, item) => item * 2, { maxConcurrency: 1 });
    return batch.getResults();
  });
