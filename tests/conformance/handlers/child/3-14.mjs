// 3-14 A child context with a custom serdes that uppercases its result.
const upperSerdes = {
  serialize: async (value) => (value === undefined ? undefined : String(value).toUpperCase()),
  deserialize: async (data) => data,
};

export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => ctx.runInChildContext("upper-child", async (child) => child.step(async () => event), { serdes: upperSerdes }));
