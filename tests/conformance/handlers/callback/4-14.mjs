// 4-14 A callback with a 3 s timeout, the timeout caught, then a 2 s wait.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [promise] = await ctx.createCallback(event, { timeout: { seconds: 3 } });
    let message;
    try {
      message = await promise;
    } catch (e) {
      message = `callback timed out: ${e?.message}`;
    }
    await ctx.wait({ seconds: 2 });
    return message;
  });
