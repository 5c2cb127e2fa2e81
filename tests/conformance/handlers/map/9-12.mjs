// 9-12 Map "flat" with FLAT nesting: no iteration contexts, each item's step directly under the map.
import { flat } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("flat", ["fa", "fb"], async (iteration, item) => iteration.step(item, async () => item), {
      maxConcurrency: 1,
      nesting: flat(sdk),
    });
    return batch.getResults();
  });
