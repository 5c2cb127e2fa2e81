// 1-6 Per-step custom serdes that uppercases strings on serialization.
import { jsonSerdes, upper } from "../_util.mjs";

export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.step(async () => event, { serdes: jsonSerdes(upper) }));
