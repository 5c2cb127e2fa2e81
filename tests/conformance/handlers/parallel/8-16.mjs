// 8-16 Parallel "all-fail", tolerated-failure-count 3: all three branches fail, all run.
import { OUTCOME, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("all-fail", [fails("branch 0 fails"), fails("branch 1 fails"), fails("branch 2 fails")], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailureCount: 3 },
    });
    return project(batch, OUTCOME);
  });
