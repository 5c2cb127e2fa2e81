// 3-6 Nested child contexts, each with a step.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.runInChildContext("outer", async (outer) => {
      await outer.step(async () => event);
      return outer.runInChildContext("inner", async (inner) => inner.step(async () => event));
    }),
  );
