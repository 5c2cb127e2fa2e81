// 3-10 A child context with a step then a wait inside.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.runInChildContext("step-and-wait", async (child) => {
      const r = await child.step(async () => event);
      await child.wait({ seconds: 1 });
      return r;
    }),
  );
