// 9-1 Map "map" over the input, one step per item returning "Hello, <item>!", one at a time.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const batch = await ctx.map("map", event, async (iteration, item) => iteration.step("greet", async () => `Hello, ${item}!`), { maxConcurrency: 1 });
    return batch.getResults();
  });
