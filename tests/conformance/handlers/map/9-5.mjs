// 9-5 Map "failfast", tolerated-failure-count 0: item 0 succeeds, item 1 fails, item 2 never starts.
import { OUTCOME, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map(
      "failfast",
      ["ok", "fail", "never"],
      async (_iteration, item) => {
        if (item === "fail") throw new Error("item 1 fails");
        return item;
      },
      { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
    );
    return project(batch, OUTCOME);
  });
