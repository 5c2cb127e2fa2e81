// 3-1 A child context with one step returning the input.
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.runInChildContext(async (child) => child.step(async () => event)));
