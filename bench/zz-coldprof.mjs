// phases of a cold start: import, handler made, first invocation
const t0 = performance.now();
const sdk = process.argv[2] === "official" ? await import("@aws/durable-execution-sdk-js") : await import("durable-checkpoint");
const t1 = performance.now();
const { FakeService } = await import("/work/main/bench/service.mjs");
const service = new FakeService();
const t2 = performance.now();
const handler = sdk.withDurableExecution(async (_event, ctx) => ctx.step("one", async () => 1), { durableExecutionClient: service.client });
const out = await handler(service.event({}), { awsRequestId: "cold", getRemainingTimeInMillis: () => 900_000 });
const t3 = performance.now();
console.log(process.argv[2], "import", (t1 - t0).toFixed(1), "invoke", (t3 - t2).toFixed(1), out.Status);
process.exit(0);
