// 1-20 A failing step caught by user code, then a second step with a fallback value.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    try {
      await ctx.step(
        async () => {
          throw new Error("failed");
        },
        { retryStrategy: sdk.retryPresets.noRetry },
      );
    } catch {
      // handled
    }
    return ctx.step(async () => "fallback_result");
  });
