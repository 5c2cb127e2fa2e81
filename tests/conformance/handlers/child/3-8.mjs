// 3-8 A child context whose step always fails (2 attempts): the child fails.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.runInChildContext("exhausted-child", async (child) =>
      child.step(
        async () => {
          throw new Error("always fails");
        },
        { retryStrategy: sdk.createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, jitter: sdk.JitterStrategy.NONE }) },
      ),
    ),
  );
