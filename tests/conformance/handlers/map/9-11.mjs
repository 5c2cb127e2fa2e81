// 9-11 Map "concurrent", max-concurrency 2: results in item order whatever the completion order.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("concurrent", ["r0", "r1", "r2"], async (_iteration, item) => item, { maxConcurrency: 2 });
    return batch.getResults();
  });
