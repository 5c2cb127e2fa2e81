// 3-11 A child context whose result is over 256 KB (ReplayChildren), then a wait.
// (Skipped: needs CloudWatch logs.)
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const big = await ctx.runInChildContext("large-result", async (child) => {
      child.logger.info(`child body for ${event}`);
      const small = await child.step(async () => "x");
      return small.repeat(300 * 1024);
    });
    await ctx.wait({ seconds: 1 });
    return big.length;
  });
