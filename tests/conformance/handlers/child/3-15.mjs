// 3-15 A child context that throws directly, with no durable operation.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.runInChildContext("throwing-child", async () => {
      throw new Error("thrown in the child body");
    }),
  );
