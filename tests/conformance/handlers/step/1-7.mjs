// 1-7 Step with the step context logger (skipped: needs CloudWatch logs).
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.step(async (stepCtx) => {
      stepCtx.logger.info(`Greeting step started for: ${event}`);
      const greeting = `Hello, ${event}!`;
      stepCtx.logger.info(`Greeting step completed with: ${greeting}`);
      return greeting;
    }),
  );
