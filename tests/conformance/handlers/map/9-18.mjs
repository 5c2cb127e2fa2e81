// 9-18 Map "fail-then-wait" over ["ok", "fail"], tolerated-failure-count 1, then a 1 s wait; the
// resumed invocation replays the map, failed iteration included.
import { OUTCOME, project } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map(
      "fail-then-wait",
      ["ok", "fail"],
      async (_iteration, item) => {
        if (item === "fail") throw new Error("item 1 fails");
        return item;
      },
      { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
    );
    await ctx.wait({ seconds: 1 });
    return project(batch, OUTCOME);
  });
