// One measurement in a fresh process: `node bench/one.mjs <contender> <workload> <latencyMs>`
// prints {wallMs, cpuMs, calls, updates, bytes} as JSON. The parent (run.mjs) runs every
// contender × workload this way, interleaved, and keeps medians, so no contender pays
// for another's garbage or JIT state.
import { FakeService } from "./service.mjs";

const [contender, workload, latencyArg] = process.argv.slice(2);
const latencyMs = Number(latencyArg ?? 0);
const sets = {
  idle: async () => (await import("./ours.mjs")).workloads("idle"),
  window: async () => (await import("./ours.mjs")).workloads("window"),
  official: async () => (await import("./official.mjs")).workloads,
  // The same handlers as "official", under durable-checkpoint's withDurableExecution.
  durable: async () => (await import("./durable.mjs")).workloadsFor(await import("durable-checkpoint")),
  floor: async () => (await import("./floor.mjs")).workloads,
};
const set = await sets[contender]();
const [name, arg] = workload.split(":");
const entry = set[name];
// A workload is a function of the service, or { prepare, run } whose untimed prepare
// (e.g. an earlier invocation) hands its result to the timed run.
const fn = typeof entry === "object" && entry ? entry.run : arg === undefined ? entry : (s) => entry(s, Number(arg));
if (typeof fn !== "function") throw new Error(`no workload ${workload} for ${contender}`);

const service = new FakeService({ latencyMs });
const prepared = typeof entry === "object" ? await entry.prepare(service) : undefined;
const base = { calls: service.calls, updates: service.updates, bytes: service.bytes };
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const out = await fn(service, prepared);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (out && out.Status && out.Status !== "SUCCEEDED") throw new Error(`ended ${out.Status}: ${JSON.stringify(out.Error)}`);
if (service.violations.length) throw new Error(`service saw: ${service.violations.slice(0, 3).join("; ")}`);
process.stdout.write(
  JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, calls: service.calls - base.calls, updates: service.updates - base.updates, bytes: service.bytes - base.bytes }),
);
