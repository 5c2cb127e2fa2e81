// 2-5 A wait given in hours (3600 s).
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.wait({ hours: 1 }));
