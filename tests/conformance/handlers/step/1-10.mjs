// 1-10 A permanently failing step, caught, then a wait; the replay re-throws the cached error.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    try {
      await ctx.step(
        async () => {
          throw new Error("step failed");
        },
        { retryStrategy: sdk.retryPresets.noRetry },
      );
    } catch {
      // expected
    }
    await ctx.wait({ seconds: 1 });
  });
