// 6-5 A fixed 2 s delay between polls (no jitter, no backoff), up to 3.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.waitForCondition(async (state) => state + 1, {
      initialState: 0,
      waitStrategy: sdk.createWaitStrategy({
        initialDelay: { seconds: 2 },
        backoffRate: 1,
        jitter: sdk.JitterStrategy.NONE,
        maxAttempts: 10,
        shouldContinuePolling: (state) => state < event,
      }),
    }),
  );
