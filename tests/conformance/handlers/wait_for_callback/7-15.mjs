// 7-15 waitForCallback completed with no payload.
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.waitForCallback(event, async () => {}));
