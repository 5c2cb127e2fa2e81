// 4-17 Callback A awaited, then callback B awaited.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [a] = await ctx.createCallback(event[0]);
    const ra = await a;
    const [b] = await ctx.createCallback(event[1]);
    const rb = await b;
    return [ra, rb];
  });
