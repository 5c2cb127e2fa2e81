// 6-3 A waitForCondition named "poll-status", up to 2.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.waitForCondition("poll-status", async (state) => state + 1, {
      initialState: 0,
      waitStrategy: (state) => (state < event ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
    }),
  );
