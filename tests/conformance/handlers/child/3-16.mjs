// 3-16 A child context returning null directly.
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.runInChildContext("null-child", async () => null));
