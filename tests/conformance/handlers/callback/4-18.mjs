// 4-18 Callbacks A and B created, then A awaited, then B.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [a] = await ctx.createCallback(event[0]);
    const [b] = await ctx.createCallback(event[1]);
    const ra = await a;
    const rb = await b;
    return [ra, rb];
  });
