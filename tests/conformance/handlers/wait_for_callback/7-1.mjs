// 7-1 waitForCallback named after the input; the submitter does nothing durable.
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.waitForCallback(event, async () => {}));
