// 8-14 Parallel "replay": branch 0 is a step ("b0"), branch 1 waits 2 s then returns "b1"; the resumed
// invocation replays branch 0 from its checkpoint.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel(
      "replay",
      [
        async (branch) => branch.step("b0", async () => "b0"),
        async (branch) => {
          await branch.wait({ seconds: 2 });
          return "b1";
        },
      ],
      { maxConcurrency: 1 },
    );
    return batch.getResults();
  });
