// 2-2 Wait with a name.
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.wait("custom_wait_name", { seconds: 2 }));
