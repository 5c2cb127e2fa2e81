// 5-13 An invoke inside a child context.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.runInChildContext(async (child) => child.invoke(ECHO, { value: 1 })));
