// 1-14 Custom retry: 2 s initial delay, 3x backoff, no jitter; fails twice then succeeds.
import { attempt } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.step(
      async () => {
        if (attempt(ctx) < 3) throw new Error("not yet");
        return "succeeded";
      },
      { retryStrategy: sdk.createRetryStrategy({ maxAttempts: 5, initialDelay: { seconds: 2 }, backoffRate: 3, jitter: sdk.JitterStrategy.NONE }) },
    ),
  );
