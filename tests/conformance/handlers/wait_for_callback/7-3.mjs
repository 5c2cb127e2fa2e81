// 7-3 An anonymous waitForCallback (submitter only, no name).
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.waitForCallback(async () => {}));
