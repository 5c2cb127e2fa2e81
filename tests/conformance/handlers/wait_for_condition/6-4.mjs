// 6-4 Initial state 5, incremented up to the input threshold (8).
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.waitForCondition(async (state) => state + 1, {
      initialState: 5,
      waitStrategy: (state) => (state < event ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
    }),
  );
