// 3-2 A child context named after the input, its step returning the second input.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => ctx.runInChildContext(event.name, async (child) => child.step(async () => event.value)));
