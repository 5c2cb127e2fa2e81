// 8-3 Parallel "named" with named branch objects { name, func }: "first" -> "one", "second" -> "two".
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel(
      "named",
      [
        { name: "first", func: async () => "one" },
        { name: "second", func: async () => "two" },
      ],
      { maxConcurrency: 1 },
    );
    return batch.getResults();
  });
