// 8-12 Parallel "flat" with FLAT nesting: no branch contexts, each branch's step directly under the parallel.
import { flat } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("flat", [async (branch) => branch.step("fa", async () => "fa"), async (branch) => branch.step("fb", async () => "fb")], {
      maxConcurrency: 1,
      nesting: flat(sdk),
    });
    return batch.getResults();
  });
