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
import * as official from "@aws/durable-execution-sdk-js";
import { workloadsFor } from "./durable.mjs";

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

/** The workloads of bench/durable.mjs under the official SDK. */
export const workloads = workloadsFor(official);
