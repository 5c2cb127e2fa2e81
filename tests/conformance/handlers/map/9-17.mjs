// 9-17 Map "then-wait" over ["a", "b"] (uppercased), then a 1 s wait; the resumed invocation replays the map.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("then-wait", ["a", "b"], async (_iteration, item) => item.toUpperCase(), { maxConcurrency: 1 });
    await ctx.wait({ seconds: 1 });
    return batch.getResults();
  });
