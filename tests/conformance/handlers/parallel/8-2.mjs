// 8-2 Parallel without a name: two branches returning "alpha" and "beta" directly.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel([async () => "alpha", async () => "beta"], { maxConcurrency: 1 });
    return batch.getResults();
  });
