// 9-7 Map "min-successful", min-successful 2 of four items: stops after items 0 and 1.
import { project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("min-successful", ["i0", "i1", "i2", "i3"], async (_iteration, item) => item, {
      maxConcurrency: 1,
      completionConfig: { minSuccessful: 2 },
    });
    return project(batch, ["completionReason", "successCount", "totalCount"]);
  });
