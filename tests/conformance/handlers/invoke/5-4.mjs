// 5-4 Invoke with a null payload.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.invoke(ECHO, null));
