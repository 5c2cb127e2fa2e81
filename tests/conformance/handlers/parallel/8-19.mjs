// 8-19 Parallel "bad-concurrency" with max-concurrency 0: a validation error, uncaught, fails the execution.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("bad-concurrency", [async () => "b0", async () => "b1"], { maxConcurrency: 0 });
    return batch.getResults();
  });
