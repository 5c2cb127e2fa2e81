// 9-20 Map "op-serde-replay" over ["x", "y"] with the operation-level serdes of 9-19, then a 1 s wait:
// the resumed invocation gets the map's result from "OPSERDE:X,Y" through the serdes' deserialize.
import { opSerdes, results } from "./_opserdes.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("op-serde-replay", ["x", "y"], async (_iteration, item) => item.toUpperCase(), { maxConcurrency: 1, serdes: opSerdes });
    await ctx.wait({ seconds: 1 });
    return results(batch);
  });
