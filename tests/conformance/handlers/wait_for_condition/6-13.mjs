// 6-13 Two waitForCondition operations back to back: 0 -> 2, then 2 -> 4.
const upTo = (limit) => (state) => (state < limit ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false });

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const first = await ctx.waitForCondition(async (s) => s + 1, { initialState: 0, waitStrategy: upTo(2) });
    return ctx.waitForCondition(async (s) => s + 1, { initialState: first, waitStrategy: upTo(4) });
  });
