// The workloads with this package: the examples' Durable helper over
// withDurableCheckpoints, under the idle (default) or window flush policy.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { withDurableCheckpoints } = require("durable-checkpoint");
const { Durable } = require("../examples/dist/durable.js");

const range = (k) => Array.from({ length: k }, (_, i) => i);
const tick = () => new Promise((r) => setTimeout(r, 1));
const payload = "x".repeat(10_000);

/** Runs `body(durable)` as one invocation against `service`. */
function invoke(service, flush, body) {
  const handler = withDurableCheckpoints((ctx) => body(new Durable(ctx)), { transport: service.client, flush });
  return handler(service.event({}), {});
}

/** Promise.all over `items` with at most `limit` running at once. */
async function limited(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(range(Math.min(limit, items.length)).map(worker));
  return out;
}

export function workloads(flush) {
  return {
    sequential1000: (s) => invoke(s, flush, async (d) => { for (const i of range(1000)) await d.step(`s${i}`, () => i); }),
    timer200: (s) => invoke(s, flush, async (d) => { for (const i of range(200)) await d.step(`t${i}`, async () => { await tick(); return i; }); }),
    fanout1000: (s) => invoke(s, flush, (d) => d.child("fan", (p) => Promise.all(range(1000).map((i) => d.step(`f${i}`, () => i, { parentId: p }))), { subType: "Map" })),
    fanout1000c50: (s) => invoke(s, flush, (d) => d.child("fan", (p) => limited(range(1000), 50, (i) => d.step(`f${i}`, () => i, { parentId: p })), { subType: "Map" })),
    contexts100x5: (s) => invoke(s, flush, async (d) => {
      for (const c of range(100)) await d.child(`c${c}`, async (p) => { for (const i of range(5)) await d.step(`c${c}-s${i}`, () => i, { parentId: p }); });
    }),
    payload200x10k: (s) => invoke(s, flush, async (d) => { for (const i of range(200)) await d.step(`p${i}`, () => payload); }),
    /** n sequential steps: the awaited-step cost, for the window policy's scaled-down runs. */
    sequentialN: (s, n) => invoke(s, flush, async (d) => { for (const i of range(n)) await d.step(`s${i}`, () => i); }),
  };
}
