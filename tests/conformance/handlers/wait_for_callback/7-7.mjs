// 7-7 A submitter that always throws, 2 attempts 1 s apart: the operation fails.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.waitForCallback(
      event,
      async () => {
        throw new Error("submitter failed");
      },
      { retryStrategy: sdk.createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, jitter: sdk.JitterStrategy.NONE }) },
    ),
  );
