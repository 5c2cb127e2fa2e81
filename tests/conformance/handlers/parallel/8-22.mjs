// 8-22 Parallel "pct-boundary", tolerated-failure-percentage 25 of four: branch 0 fails (exactly 25%), all run.
import { OUTCOME, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("pct-boundary", [fails("branch 0 fails"), async () => "b1", async () => "b2", async () => "b3"], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailurePercentage: 25 },
    });
    return project(batch, OUTCOME);
  });
