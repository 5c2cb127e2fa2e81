// 4-15 A custom deserializer: JSON object with an ISO timestamp -> epoch seconds.
const deserializer = {
  deserialize: async (data) => {
    const o = JSON.parse(data);
    return { id: o.id, message: o.message, timestamp: Date.parse(o.timestamp) / 1000 };
  },
};

export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [promise] = await ctx.createCallback(event, { serdes: deserializer });
    return { received: await promise };
  });
