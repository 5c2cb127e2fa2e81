// 2-1 Wait basic: 2 s.
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.wait({ seconds: 2 }));
