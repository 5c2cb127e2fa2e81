// 8-6 Parallel "failfast", tolerated-failure-count 0: branch 0 succeeds, branch 1 fails, branch 2 never starts.
import { OUTCOME, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("failfast", [async () => "ok", fails("branch 1 fails"), async () => "never"], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailureCount: 0 },
    });
    return project(batch, OUTCOME);
  });
