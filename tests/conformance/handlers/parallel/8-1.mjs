// 8-1 Parallel "parallel": two branches of one step each ("task-1", "task-2"), one at a time.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel(
      "parallel",
      [async (branch) => branch.step("task-1", async () => "task-1"), async (branch) => branch.step("task-2", async () => "task-2")],
      { maxConcurrency: 1 },
    );
    return batch.getResults();
  });
