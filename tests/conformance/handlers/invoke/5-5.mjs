// 5-5 The target fails: InvokeError, the execution fails.
import { FAIL, pick } from "./_targets.mjs";
export const targets = pick(FAIL);
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.invoke(FAIL, event));
