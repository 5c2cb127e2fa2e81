/** The durable API: `withDurableExecution` and `DurableContext`, over the core batcher. */
export * from "./units";
export { withDurableExecution } from "./execution";
export { DurablePromise } from "./promise";
