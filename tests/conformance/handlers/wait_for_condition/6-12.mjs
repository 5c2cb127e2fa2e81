// 6-12 waitForCondition up to the input (2), then a step multiplying by 10.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const n = await ctx.waitForCondition(async (state) => state + 1, {
      initialState: 0,
      waitStrategy: (state) => (state < event ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
    });
    return ctx.step(async () => n * 10);
  });
