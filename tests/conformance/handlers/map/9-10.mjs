// 9-10 Map "tolerated-pct", tolerated-failure-percentage 25 of four: items 0 and 1 fail (50%), 2 and 3 never start.
import { COUNTS, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map(
      "tolerated-pct",
      ["fail", "fail", "never", "never"],
      async (_iteration, item, index) => {
        if (item === "fail") throw new Error(`item ${index} fails`);
        return item;
      },
      { maxConcurrency: 1, completionConfig: { toleratedFailurePercentage: 25 } },
    );
    return project(batch, COUNTS);
  });
