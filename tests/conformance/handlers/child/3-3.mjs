// 3-3 A child context with two sequential steps, the second taking the first's result.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.runInChildContext("sequential-steps", async (child) => {
      const first = await child.step(async () => event);
      return child.step(async () => first);
    }),
  );
