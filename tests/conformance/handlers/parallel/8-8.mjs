// 8-8 Parallel "min-successful", min-successful 2 of four branches: stops after branches 0 and 1.
import { project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("min-successful", [async () => "b0", async () => "b1", async () => "b2", async () => "b3"], {
      maxConcurrency: 1,
      completionConfig: { minSuccessful: 2 },
    });
    return project(batch, ["completionReason", "successCount", "totalCount"]);
  });
