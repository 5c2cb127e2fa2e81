// 5-8 Invoke with a tenantId.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.invoke(undefined, ECHO, event.payload, { tenantId: event.tenantId }));
