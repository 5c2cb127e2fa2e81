// 4-2 A callback named "approval".
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const [result] = await ctx.createCallback("approval");
    return result;
  });
