// 9-13 Map "named-items" over the input [1, 2] with an itemNamer ("item-1", "item-2"), returning item * 10.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const batch = await ctx.map("named-items", event, async (_iteration, item) => item * 10, {
      maxConcurrency: 1,
      itemNamer: (item) => `item-${item}`,
    });
    return batch.getResults();
  });
