// 8-17 Parallel "min-not-reached", min-successful 3: branch 1 fails, all three run, threshold never reached.
import { OUTCOME, fails, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("min-not-reached", [async () => "b0", fails("branch 1 fails"), async () => "b2"], {
      maxConcurrency: 1,
      completionConfig: { minSuccessful: 3 },
    });
    return project(batch, OUTCOME);
  });
