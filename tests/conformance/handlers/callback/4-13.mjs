// 4-13 A failed callback caught, then a 2 s wait, then return the message.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [promise] = await ctx.createCallback(event);
    let message;
    try {
      message = await promise;
    } catch (e) {
      message = `callback failed: ${e?.message}`;
    }
    await ctx.wait({ seconds: 2 });
    return message;
  });
