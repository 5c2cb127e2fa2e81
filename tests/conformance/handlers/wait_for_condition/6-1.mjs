// 6-1 Increment from 0 until the input threshold (3).
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.waitForCondition(async (state) => state + 1, {
      initialState: 0,
      waitStrategy: (state) => (state < event ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
    }),
  );
