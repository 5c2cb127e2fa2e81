// 3-7 A child context whose step fails once and succeeds on the retry.
import { attempt } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) =>
    ctx.runInChildContext("retrying-child", async (child) =>
      child.step(
        async () => {
          if (attempt(ctx) === 1) throw new Error("first attempt fails");
          return event;
        },
        { retryStrategy: sdk.createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, jitter: sdk.JitterStrategy.NONE }) },
      ),
    ),
  );
