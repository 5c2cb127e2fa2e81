// 8-20 Parallel "accessors", tolerated-failure-count 1: branch 1 fails; the projection uses
// hasFailure, succeeded(), failed() and getErrors().
import { fails } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) => {
    const batch = await ctx.parallel("accessors", [async () => "b0", fails("branch 1 fails"), async () => "b2"], {
      maxConcurrency: 1,
      completionConfig: { toleratedFailureCount: 1 },
    });
    return {
      hasFailure: batch.hasFailure,
      successCount: batch.succeeded().length,
      failureCount: batch.failed().length,
      errorCount: batch.getErrors().length,
    };
  });
