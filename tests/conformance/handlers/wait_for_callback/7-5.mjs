// 7-5 waitForCallback with a 3 s timeout that nobody completes.
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.waitForCallback(event, async () => {}, { timeout: { seconds: 3 } }));
