// 8-9 Parallel "tolerated", tolerated-failure-count 1: branch 1 fails, all three run.
import { OUTCOME, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("tolerated", [async () => "b0", fails("branch 1 fails"), async () => "b2"], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailureCount: 1 },
    });
    return project(batch, OUTCOME);
  });
