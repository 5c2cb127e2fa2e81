// 3-17 A child context that only logs, then a wait. (Skipped: needs CloudWatch logs.)
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const r = await ctx.runInChildContext("logging-child", async (child) => {
      child.logger.info(`${event}`);
      return event;
    });
    await ctx.wait({ seconds: 1 });
    return r;
  });
