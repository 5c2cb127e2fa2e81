// 1-13 The default retry strategy: fails twice, succeeds on the third attempt.
import { attempt } from "../_util.mjs";

export const handler = (sdk) =>
  sdk.withDurableExecution(async (_event, ctx) =>
    ctx.step(async () => {
      if (attempt(ctx) < 3) throw new Error("not yet");
      return "succeeded";
    }),
  );
