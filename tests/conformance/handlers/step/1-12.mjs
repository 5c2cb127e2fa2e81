// 1-12 Retry exhaustion: 4 attempts, 1 s apart, all failing.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.step(
      async () => {
        throw new Error("always fails");
      },
      { retryStrategy: sdk.createRetryStrategy({ maxAttempts: 4, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: sdk.JitterStrategy.NONE }) },
    ),
  );
