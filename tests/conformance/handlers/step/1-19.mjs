// 1-19 A step that always throws, with no retries.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.step(
      async () => {
        throw new Error("permanent failure");
      },
      { retryStrategy: sdk.retryPresets.noRetry },
    ),
  );
