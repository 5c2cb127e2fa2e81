// 1-2 Step with name.
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.step("custom_step_name", async () => `Hello, ${event}!`));
