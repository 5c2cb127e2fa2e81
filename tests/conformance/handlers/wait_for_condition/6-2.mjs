// 6-2 Initial state 5, already satisfied: no suspension.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.waitForCondition(async (state) => state, {
      initialState: 5,
      waitStrategy: (state) => (state >= event ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
    }),
  );
