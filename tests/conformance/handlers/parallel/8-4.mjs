// 8-4 Parallel "hetero": branches return a string, a number and an object.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("hetero", [async () => "hello", async () => 42, async () => ({ k: "v" })], { maxConcurrency: 1 });
    return batch.getResults();
  });
