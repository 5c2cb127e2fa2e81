// 1-8 A step then a 2 s wait; the replay skips the step.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const r = await ctx.step(async () => "computed");
    await ctx.wait({ seconds: 2 });
    return r;
  });
