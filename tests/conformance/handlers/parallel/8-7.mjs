// 8-7 Parallel "throwing", tolerated-failure-count 0: branch 0 fails; throwIfError fails the execution.
import { fails } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("throwing", [fails("branch 0 fails"), async () => "never"], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailureCount: 0 },
    });
    batch.throwIfError();
    return batch.getResults();
  });
