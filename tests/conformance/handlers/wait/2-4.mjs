// 2-4 A wait given in minutes (60 s).
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.wait({ minutes: 1 }));
