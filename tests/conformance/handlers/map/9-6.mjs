// 9-6 Map "throwing", tolerated-failure-count 0: item 0 fails; throwIfError fails the execution.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map(
      "throwing",
      ["fail", "never"],
      async (_iteration, item) => {
        if (item === "fail") throw new Error("item 0 fails");
        return item;
      },
      { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
    );
    batch.throwIfError();
    return batch.getResults();
  });
