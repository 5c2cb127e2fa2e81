// 9-14 Map "serdes" over ["x", "y"] with an itemSerdes storing each result as "wrapped:<value>".
const PREFIX = "wrapped:";
const wrapping = {
  serialize: async (value) => (value === undefined ? undefined : `${PREFIX}${value}`),
  deserialize: async (data) => (data === undefined ? undefined : data.startsWith(PREFIX) ? data.slice(PREFIX.length) : data),
};

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("serdes", ["x", "y"], async (_iteration, item) => item.toUpperCase(), { maxConcurrency: 1, itemSerdes: wrapping });
    return batch.getResults();
  });
