// 3-5 A failing child context caught by the parent, then a recovery step.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    try {
      await ctx.runInChildContext(async (child) =>
        child.step(
          async () => {
            throw new Error("child step failed");
          },
          { retryStrategy: sdk.retryPresets.noRetry },
        ),
      );
    } catch {
      // recovered below
    }
    return ctx.step(async () => event);
  });
