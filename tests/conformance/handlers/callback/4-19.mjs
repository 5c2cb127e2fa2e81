// 4-19 Callbacks A and B created, then B awaited first, then A.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [a] = await ctx.createCallback(event[0]);
    const [b] = await ctx.createCallback(event[1]);
    const rb = await b;
    const ra = await a;
    return [ra, rb];
  });
