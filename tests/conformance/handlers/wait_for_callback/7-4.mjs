// 7-4 waitForCallback completed with a failure, not caught.
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.waitForCallback(event, async () => {}));
