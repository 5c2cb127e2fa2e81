// 1-15 Retry only a TransientError: it fails once with one, then succeeds.
import { attempt, TransientError } from "../_util.mjs";

const retryOnTransient = (error, attempts) =>
  error instanceof TransientError && attempts < 3 ? { shouldRetry: true, delay: { seconds: 1 } } : { shouldRetry: false };

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.step(
      async () => {
        if (attempt(ctx) === 1) throw new TransientError();
        return "succeeded";
      },
      { retryStrategy: retryOnTransient },
    ),
  );
