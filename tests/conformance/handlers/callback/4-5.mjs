// 4-5 A callback with a 10 s heartbeat timeout: a heartbeat, then success.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [result] = await ctx.createCallback(event, { heartbeatTimeout: { seconds: 10 } });
    return result;
  });
