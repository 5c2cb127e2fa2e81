// 8-13 Parallel "tolerated-pct", tolerated-failure-percentage 25 of four: branches 0 and 1 fail (50%), 2 and 3 never start.
import { COUNTS, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("tolerated-pct", [fails("branch 0 fails"), fails("branch 1 fails"), async () => "never", async () => "never"], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailurePercentage: 25 },
    });
    return project(batch, COUNTS);
  });
