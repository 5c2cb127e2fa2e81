// 8-21 Parallel "outer" whose one branch runs parallel "inner" of two steps ("i1", "i2").
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const outer = await ctx.parallel(
      "outer",
      [
        async (branch) => {
          const inner = await branch.parallel(
            "inner",
            [async (b) => b.step("i1", async () => "i1"), async (b) => b.step("i2", async () => "i2")],
            { maxConcurrency: 1 },
          );
          return inner.getResults();
        },
      ],
      { maxConcurrency: 1 },
    );
    return outer.getResults();
  });
