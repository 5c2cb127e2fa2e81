// 6-11 A custom state serdes (base64 of the JSON); the state grows "x" -> "xx".
const base64Serdes = {
  serialize: async (v) => (v === undefined ? undefined : Buffer.from(JSON.stringify(v)).toString("base64")),
  deserialize: async (d) => (d === undefined ? undefined : JSON.parse(Buffer.from(d, "base64").toString("utf8"))),
};

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.waitForCondition(async (state) => `${state}x`, {
      initialState: "",
      serdes: base64Serdes,
      waitStrategy: (state) => (state.length < 2 ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
    }),
  );
