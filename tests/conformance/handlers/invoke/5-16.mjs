// 5-16 A custom result serdes that uppercases the raw result.
import { ECHO, pick } from "./_targets.mjs";
export const targets = pick(ECHO);
const upperResult = {
  serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
  deserialize: async (data) => (data === undefined ? undefined : data.toUpperCase()),
};
export const handler = (sdk) => sdk.withDurableExecution(async (event, ctx) => ctx.invoke(undefined, ECHO, event, { resultSerdes: upperResult }));
