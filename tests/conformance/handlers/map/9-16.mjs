// 9-16 Map "large" over four items, each result a ~70 KB string: the whole result is over the
// checkpoint threshold (256 KB), so the map's own result is checkpointed as a summary.
const SIZE = 70 * 1024;

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.map("large", [0, 1, 2, 3], async (_iteration, item) => `${item}:`.padEnd(SIZE, String.fromCharCode(97 + item)), {
      maxConcurrency: 1,
    });
    return { successCount: batch.successCount, totalCount: batch.totalCount };
  });
