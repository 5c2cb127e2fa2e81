// 6-6 Never satisfied, at most 3 attempts: the strategy gives up and the execution fails.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.waitForCondition(async (state) => state + 1, {
      initialState: 0,
      waitStrategy: sdk.createWaitStrategy({
        maxAttempts: 3,
        initialDelay: { seconds: 1 },
        backoffRate: 1,
        jitter: sdk.JitterStrategy.NONE,
        shouldContinuePolling: () => true,
      }),
    }),
  );
