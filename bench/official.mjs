// The official contender: the same workloads written with the official AWS durable
// execution SDK (@aws/durable-execution-sdk-js), run for one invocation against a
// FakeService (bench/service.mjs).
//
// The SDK takes its transport through the `durableExecutionClient` option of
// withDurableExecution (a `{ checkpoint(input), getExecutionState(input) }` object with
// the CheckpointDurableExecution / GetDurableExecutionState shapes). `service.client`
// is exactly that, so it is passed unadapted. (The older `client` option wants a
// LambdaClient and is deprecated.)
//
// Each workload returns the SDK's invocation output: { Status, Result?, Error? }.
//
// How it checkpoints (2.4.0): a step queues START without awaiting it and awaits SUCCEED;
// the queue is drained on setImmediate, one call in flight at a time, up to 250 updates
// or 750 KB per call. No EXECUTION update is sent for a small result (it is returned);
// getExecutionState is only called when the event has a NextMarker.
//
// Note: the SDK's package.json declares engines.node >= 22; it runs on Node 20 here.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withDurableExecution, NestingType } from "@aws/durable-execution-sdk-js";

/** The installed SDK's version, read from its package.json (not exported by the package). */
export const sdkVersion = (() => {
  // The package's "exports" map hides ./package.json; walk up from its entry point.
  let dir = dirname(fileURLToPath(import.meta.resolve("@aws/durable-execution-sdk-js")));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.name === "@aws/durable-execution-sdk-js") return pkg.version;
    } catch {
      // no package.json at this level
    }
    const up = dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
})();

/** The minimum of a Lambda context the SDK reads: a request id and the remaining time. */
const lambdaContext = {
  awsRequestId: "bench-request",
  functionName: "bench",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench",
  memoryLimitInMB: "1024",
  logGroupName: "/aws/lambda/bench",
  logStreamName: "bench",
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 15 * 60 * 1000,
  done() {},
  fail() {},
  succeed() {},
};

const range = (k) => Array.from({ length: k }, (_, i) => i);
const tick = () => new Promise((r) => setTimeout(r, 1));
const payload = "x".repeat(10_000);

/** Runs `handler(input, context)` as one invocation of an official-SDK durable function. */
function invoke(service, handler, input = {}) {
  const wrapped = withDurableExecution(handler, { durableExecutionClient: service.client });
  return wrapped(service.event(input), lambdaContext);
}

// Operations carry the same names as ours.mjs gives its Ids (they go on the wire as Name);
// the SDK derives the Ids itself (16 hex chars of an md5 of a per-context counter).
export const workloads = {
  /** 1000 sequential steps with synchronous bodies. */
  sequential1000: (service) =>
    invoke(service, async (_event, ctx) => {
      let sum = 0;
      for (const i of range(1000)) sum += await ctx.step(`s${i}`, async () => i);
      return sum;
    }),

  /** 200 sequential steps whose bodies each wait on a 1 ms timer. */
  timer200: (service) =>
    invoke(service, async (_event, ctx) => {
      let sum = 0;
      for (const i of range(200)) {
        sum += await ctx.step(`t${i}`, async () => {
          await tick();
          return i;
        });
      }
      return sum;
    }),

  /**
   * 1000 items, unbounded concurrency (map's default). FLAT nesting: one Map CONTEXT
   * with the 1000 steps directly under it, the shape our contender writes (the default
   * NESTED would add a CONTEXT operation per item). Unlike ours, the Map's CONTEXT
   * SUCCEED carries the whole serialized BatchResult (~48 KB here) as its payload.
   */
  fanout1000: (service) =>
    invoke(service, async (_event, ctx) => {
      const r = await ctx.map("fan", range(1000), (c, i) => c.step(`f${i}`, async () => i), { nesting: NestingType.FLAT });
      return r.getResults().length;
    }),

  /** The same fan-out with at most 50 items in flight. */
  fanout1000c50: (service) =>
    invoke(service, async (_event, ctx) => {
      const r = await ctx.map("fan", range(1000), (c, i) => c.step(`f${i}`, async () => i), {
        nesting: NestingType.FLAT,
        maxConcurrency: 50,
      });
      return r.getResults().length;
    }),

  /** 100 child contexts one after another, each with 5 sequential steps. */
  contexts100x5: (service) =>
    invoke(service, async (_event, ctx) => {
      let sum = 0;
      for (const k of range(100)) {
        sum += await ctx.runInChildContext(`c${k}`, async (c) => {
          let s = 0;
          for (const j of range(5)) s += await c.step(`c${k}-s${j}`, async () => k * 5 + j);
          return s;
        });
      }
      return sum;
    }),

  /** 200 sequential steps, each returning a 10,000-character string. */
  payload200x10k: (service) =>
    invoke(service, async (_event, ctx) => {
      let n = 0;
      for (const i of range(200)) n += (await ctx.step(`p${i}`, async () => payload)).length;
      return n;
    }),
};
