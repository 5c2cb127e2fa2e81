// 3-13 A child context with only a wait, then a step outside it.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    await ctx.runInChildContext("wait-only", async (child) => {
      await child.wait({ seconds: 1 });
      return event;
    });
    return ctx.step(async () => event);
  });
