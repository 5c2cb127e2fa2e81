// 6-10 The check returns null and the strategy stops at once.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.waitForCondition(async () => null, { initialState: null, waitStrategy: () => ({ shouldContinue: false }) }),
  );
