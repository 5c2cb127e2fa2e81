// 7-9 Two waitForCallback operations, "first" then "second".
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    await ctx.waitForCallback("first", async () => {});
    return ctx.waitForCallback("second", async () => {});
  });
