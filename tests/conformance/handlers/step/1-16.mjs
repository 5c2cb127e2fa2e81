// 1-16 A strategy that does not retry TransientError: the step fails permanently.
import { TransientError } from "../_util.mjs";

const noRetryOnTransient = (error, attempts) =>
  error instanceof TransientError ? { shouldRetry: false } : { shouldRetry: attempts < 3, delay: { seconds: 1 } };

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.step(
      async () => {
        throw new TransientError();
      },
      { retryStrategy: noRetryOnTransient },
    ),
  );
