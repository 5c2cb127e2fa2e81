// 7-14 waitForCallback with a 3 s timeout, the timeout caught.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    try {
      return await ctx.waitForCallback(event, async () => {}, { timeout: { seconds: 3 } });
    } catch {
      return "timed-out-handled";
    }
  });
