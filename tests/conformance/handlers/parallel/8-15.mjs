// 8-15 Parallel "serde" with an itemSerdes storing each branch result as {"wrapped": v}.
const wrapping = {
  serialize: async (value) => (value === undefined ? undefined : JSON.stringify({ wrapped: value })),
  deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data).wrapped),
};

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("serde", [async () => "x", async () => "y"], { maxConcurrency: 1, itemSerdes: wrapping });
    return batch.getResults();
  });
