// 7-13 waitForCallback with a 10 s heartbeat timeout: a heartbeat, then success.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => ctx.waitForCallback(event, async () => {}, { heartbeatTimeout: { seconds: 10 } }));
