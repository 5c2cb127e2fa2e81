// 3-4 A child context whose step fails with no retry: the execution fails.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.runInChildContext("failing-child", async (child) =>
      child.step(
        async () => {
          throw new Error("child step failed");
        },
        { retryStrategy: sdk.retryPresets.noRetry },
      ),
    ),
  );
