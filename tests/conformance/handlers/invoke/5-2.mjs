// 5-2 A named invoke (name from the input).
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.invoke(event.name, ECHO, event.payload));
