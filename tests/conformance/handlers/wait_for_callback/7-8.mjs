// 7-8 waitForCallback inside a child context named "wrapper".
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => ctx.runInChildContext("wrapper", async (child) => child.waitForCallback(event, async () => {})));
