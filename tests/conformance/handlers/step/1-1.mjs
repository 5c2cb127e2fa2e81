// 1-1 Step basic: one step returning a greeting.
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.step(async () => `Hello, ${event}!`));
