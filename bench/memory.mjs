// Memory over many invocations in one process: `node --expose-gc bench/memory.mjs <n>`
// runs n invocations (a batcher each, 5 steps, close) against the fake service at
// 0 ms and prints the RSS after 1/5 of them and at the end (after a GC), in MB.
import { createRequire } from "node:module";
import { FakeService } from "./service.mjs";

const require = createRequire(import.meta.url);
const { withDurableCheckpoints } = require("durable-checkpoint");
const { Durable } = require("../examples/dist/durable.js");
const N = Number(process.argv[2] ?? 200_000);
const handler = (service) =>
  withDurableCheckpoints(
    async (ctx) => {
      const d = new Durable(ctx);
      for (let i = 0; i < 5; i++) await d.step(`s${i}`, () => i);
      return "ok";
    },
    { transport: service.client },
  );
const rss = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
let at = 0;
for (let i = 0; i < N; i++) {
  const service = new FakeService({ latencyMs: 0 });
  const out = await handler(service)(service.event({}), {});
  if (out.Status !== "SUCCEEDED") throw new Error(JSON.stringify(out));
  if (i + 1 === N / 5) at = rss();
}
const end = rss();
process.stdout.write(JSON.stringify({ invocations: N, rssAtFifthMb: at, rssEndMb: end, growthMb: end - at }));
