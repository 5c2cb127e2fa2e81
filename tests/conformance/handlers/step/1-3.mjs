// 1-3 Sequential steps, the second using the first's result.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const first = await ctx.step(async () => "first");
    return ctx.step(async () => `${first}_second`);
  });
