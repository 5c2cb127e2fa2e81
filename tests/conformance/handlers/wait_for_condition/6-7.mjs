// 6-7 The check function throws: StepFailed, the execution fails.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.waitForCondition(
      async () => {
        throw new Error("check failed");
      },
      { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) },
    ),
  );
