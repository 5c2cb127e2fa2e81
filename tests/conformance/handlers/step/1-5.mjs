// 1-5 A step returning null.
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.step(async () => null));
