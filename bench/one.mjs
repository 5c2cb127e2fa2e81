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
  floor: async () => (await import("./floor.mjs")).workloads,
};
const set = await sets[contender]();
const [name, arg] = workload.split(":");
const fn = arg === undefined ? set[name] : (s) => set[name](s, Number(arg));
if (typeof fn !== "function") throw new Error(`no workload ${workload} for ${contender}`);

const service = new FakeService({ latencyMs });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const out = await fn(service);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (out && out.Status && out.Status !== "SUCCEEDED") throw new Error(`ended ${out.Status}: ${JSON.stringify(out.Error)}`);
if (service.violations.length) throw new Error(`service saw: ${service.violations.slice(0, 3).join("; ")}`);
process.stdout.write(
  JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, calls: service.calls, updates: service.updates, bytes: service.bytes }),
);
