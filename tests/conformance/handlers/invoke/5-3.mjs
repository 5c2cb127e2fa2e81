// 5-3 Invoke with a nested JSON input.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.invoke(ECHO, event));
