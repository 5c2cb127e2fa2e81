// 8-18 Parallel "combined", min-successful 3 and tolerated-failure-count 1: branches 0 and 1 fail, 2 and 3 never start.
import { COUNTS, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("combined", [fails("branch 0 fails"), fails("branch 1 fails"), async () => "never", async () => "never"], {
      maxConcurrency: 1,
      completionConfig: { minSuccessful: 3, toleratedFailureCount: 1 },
    });
    return project(batch, COUNTS);
  });
