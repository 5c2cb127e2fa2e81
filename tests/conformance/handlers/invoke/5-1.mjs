// 5-1 Invoke the echo target with the input.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.invoke(undefined, ECHO, event)); // (name, funcId, input): a string input would read as a funcId
