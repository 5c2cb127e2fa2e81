// 9-19 Map "op-serde" over ["x", "y"] (uppercased) with an operation-level serdes: the map's own
// result is checkpointed as "OPSERDE:X,Y".
import { opSerdes, results } from "./_opserdes.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("op-serde", ["x", "y"], async (_iteration, item) => item.toUpperCase(), { maxConcurrency: 1, serdes: opSerdes });
    return results(batch);
  });
