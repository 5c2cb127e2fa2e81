// 6-8 The check function throws, caught: "recovered".
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    try {
      return await ctx.waitForCondition(
        async () => {
          throw new Error("check failed");
        },
        { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) },
      );
    } catch {
      return "recovered";
    }
  });
