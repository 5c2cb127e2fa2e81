// 6-9 An object state {status, attempts}: DONE after 2 checks.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.waitForCondition(
      async (state) => {
        const attempts = state.attempts + 1;
        return { status: attempts >= 2 ? "DONE" : "PENDING", attempts };
      },
      {
        initialState: { status: "PENDING", attempts: 0 },
        waitStrategy: (state) => (state.status === "PENDING" ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
      },
    ),
  );
