// 9-9 Map "tolerated-exceeded", tolerated-failure-count 1: items 0 and 1 fail, item 2 never starts.
import { COUNTS, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map(
      "tolerated-exceeded",
      ["fail", "fail", "never"],
      async (_iteration, item, index) => {
        if (item === "fail") throw new Error(`item ${index} fails`);
        return item;
      },
      { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
    );
    return project(batch, COUNTS);
  });
