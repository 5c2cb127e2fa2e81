// 5-7 Invoke with a large payload (~200 KB; the emulator's chained-invoke limit is 1 MiB).
import { SIZE, pick } from "./_targets.mjs";
export const targets = pick(SIZE);
export const handler = (sdk) => sdk.withDurableExecution(async (_event, ctx) => ctx.invoke(SIZE, { data: "x".repeat(200 * 1024) }));
