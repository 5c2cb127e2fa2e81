// 3-9 A child context then a wait; the replay returns the child's cached result.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const r = await ctx.runInChildContext(async (child) => child.step(async () => event));
    await ctx.wait({ seconds: 1 });
    return r;
  });
