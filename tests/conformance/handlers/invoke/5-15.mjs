// 5-15 A custom payload serdes that uppercases the payload.
import { jsonSerdes, upper } from "../_util.mjs";
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.invoke(ECHO, event, { payloadSerdes: jsonSerdes(upper) }));
