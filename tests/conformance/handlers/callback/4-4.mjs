// 4-4 A callback with a 5 s heartbeat timeout and no heartbeat: it times out.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event, { heartbeatTimeout: { seconds: 5 } });
    return result;
  });
