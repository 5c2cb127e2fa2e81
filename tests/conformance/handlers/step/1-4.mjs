// 1-4 A step returning a nested object.
export const handler = (sdk) =>
  sdk.withDurableExecution(async (event, ctx) => ctx.step(async () => ({ user: { name: event.name, tags: event.tags }, count: event.tags.length })));
