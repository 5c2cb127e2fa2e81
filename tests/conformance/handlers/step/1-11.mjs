// 1-11 A step failing on its first attempt, retried after 1 s, succeeding on the second.
import { attempt } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.step(
      async () => {
        if (attempt(ctx) === 1) throw new Error("first attempt fails");
        return "Operation succeeded";
      },
      { retryStrategy: sdk.createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, jitter: sdk.JitterStrategy.NONE }) },
    ),
  );
