// 7-6 waitForCallback failure caught: returns "recovered".
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    try {
      return await ctx.waitForCallback(event, async () => {});
    } catch {
      return "recovered";
    }
  });
