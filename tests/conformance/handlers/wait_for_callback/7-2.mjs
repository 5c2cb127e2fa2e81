// 7-2 waitForCallback named "approval".
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.waitForCallback("approval", async () => {}));
