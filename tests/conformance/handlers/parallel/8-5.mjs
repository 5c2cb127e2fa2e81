// 8-5 Parallel "empty" with no branches: completes at once with no results.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("empty", []);
    return batch.getResults();
  });
