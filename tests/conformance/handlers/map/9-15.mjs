// 9-15 Map "suspend" over ["r0", "r1"]: iteration 0 is a step; iteration 1 waits 1 s, then a step.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map(
      "suspend",
      ["r0", "r1"],
      async (iteration, item, index) => {
        if (index === 1) await iteration.wait({ seconds: 1 });
        return iteration.step(item, async () => item);
      },
      { maxConcurrency: 1 },
    );
    return batch.getResults();
  });
