// 8-11 Parallel "concurrent", max-concurrency 2: results in branch order whatever the completion order.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("concurrent", [async () => "r0", async () => "r1", async () => "r2"], { maxConcurrency: 2 });
    return batch.getResults();
  });
