// Handler-level cold start: `node bench/cold.mjs <official|durable|none>` imports the SDK
// and runs the first invocation of a one-step durable function against a FakeService, as
// a Lambda cold start does, and prints how long after the process began the answer was
// ready (performance.now(): Node's own start-up included). "none" prints it at once: the
// baseline. It exits at once: the official SDK leaves a 500 ms timer behind that would
// otherwise hold the process open and inflate a wall-clock measurement.
import { FakeService } from "./service.mjs";

const which = process.argv[2];
if (which !== "none") {
  const sdk = which === "official" ? await import("@aws/durable-execution-sdk-js") : await import("durable-checkpoint");
  const service = new FakeService();
  const handler = sdk.withDurableExecution(async (_event, ctx) => ctx.step("one", async () => 1), { durableExecutionClient: service.client });
  const out = await handler(service.event({}), { awsRequestId: "cold", getRemainingTimeInMillis: () => 900_000 });
  if (out.Status !== "SUCCEEDED") throw new Error(`cold start run ended ${out.Status}`);
}
process.stdout.write(JSON.stringify({ ms: performance.now() }));
process.exit(0);
