// 1-9 The replay returns the checkpointed step result without running the step.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const r = await ctx.step(async () => {
      return "cached_value";
    });
    await ctx.wait({ seconds: 1 });
    return r;
  });
