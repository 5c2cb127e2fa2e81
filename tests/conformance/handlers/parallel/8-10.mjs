// 8-10 Parallel "tolerated-exceeded", tolerated-failure-count 1: branches 0 and 1 fail, branch 2 never starts.
import { COUNTS, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("tolerated-exceeded", [fails("branch 0 fails"), fails("branch 1 fails"), async () => "never"], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailureCount: 1 },
    });
    return project(batch, COUNTS);
  });
