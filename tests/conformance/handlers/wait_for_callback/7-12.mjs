// 7-12 waitForCallback with a 5 s heartbeat timeout and no heartbeat.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => ctx.waitForCallback(event, async () => {}, { heartbeatTimeout: { seconds: 5 } }));
