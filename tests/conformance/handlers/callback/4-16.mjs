// 4-16 A custom deserializer parsing the payload as a number.
const numberDeserializer = { deserialize: async (data) => Number(JSON.parse(data)) };

export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => {
    const [promise] = await ctx.createCallback(event, { serdes: numberDeserializer });
    const count = await promise;
    return { count, doubled: count * 2 };
  });
