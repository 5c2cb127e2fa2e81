// 7-11 waitForCallback deserializing the payload as JSON; returns its "status".
const json = { deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data)) };

export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const r = await ctx.waitForCallback(event, async () => {}, { serdes: json });
    return r.status;
  });
