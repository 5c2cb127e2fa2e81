// 9-8 Map "tolerated", tolerated-failure-count 1: item 1 fails, all three run.
import { OUTCOME, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map(
      "tolerated",
      ["i0", "fail", "i2"],
      async (_iteration, item, index) => {
        if (item === "fail") throw new Error(`item ${index} fails`);
        return item;
      },
      { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
    );
    return project(batch, OUTCOME);
  });
