// 2-3 Two sequential named waits.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    await ctx.wait("wait-1", { seconds: 2 });
    await ctx.wait("wait-2", { seconds: 2 });
    return { completedWaits: 2 };
  });
