// Runs every benchmark side by side in one process and writes bench/RESULTS.md and
// bench/chart.svg. Contenders: this package (idle policy, the default), this package
// with the seed's window policy, the official @aws/durable-execution-sdk-js, and a
// floor that sends the same checkpoints straight to the service.
//
//   node bench/run.mjs [--quick]
import { spawnSync, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { FakeService } from "./service.mjs";
import { workloads as oursFor } from "./ours.mjs";
import { workloads as floor } from "./floor.mjs";
import { workloads as official, sdkVersion } from "./official.mjs";

const require = createRequire(import.meta.url);
const { CheckpointBatcher, sortUpdates } = require("durable-checkpoint");
const quick = process.argv.includes("--quick");
const ROOT = new URL("..", import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (...a) => console.error(...a);

/** Runs `fn(service)` against a fresh service; wall and CPU time, service counters. */
async function measure(fn, latencyMs) {
  const service = new FakeService({ latencyMs });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn(service);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (out && out.Status && out.Status !== "SUCCEEDED") throw new Error(`ended ${out.Status}: ${JSON.stringify(out.Error)}`);
  if (service.violations.length) throw new Error(`service saw: ${service.violations.slice(0, 3).join("; ")}`);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, calls: service.calls, updates: service.updates, bytes: service.bytes };
}

async function best(fn, latencyMs, runs) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await measure(fn, latencyMs));
  return { ...rs[0], wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)) };
}

const WORKLOADS = {
  sequential1000: "1000 sequential steps (START async, SUCCEED awaited, sync body)",
  timer200: "200 steps whose body awaits a 1 ms timer",
  fanout1000: "fan-out of 1000 items, unbounded",
  fanout1000c50: "fan-out of 1000 items, concurrency 50",
  contexts100x5: "100 child contexts of 5 steps",
  payload200x10k: "200 steps with 10 KB payloads",
};
const idle = oursFor("idle");
const windowed = oursFor("window");
const contenders = { idle, official, floor };

// ---- workloads at 0 and 10 ms per call --------------------------------------------
const results = {}; // results[latency][workload][contender]
for (const latency of [0, 10]) {
  results[latency] = {};
  for (const w of Object.keys(WORKLOADS)) {
    results[latency][w] = {};
    for (const [name, set] of Object.entries(contenders)) {
      const runs = latency === 0 ? (quick ? 1 : 5) : 1;
      results[latency][w][name] = await best(set[w], latency, runs);
      const r = results[latency][w][name];
      log(`${latency} ms ${w} ${name}: ${r.wallMs.toFixed(1)} ms wall, ${r.cpuMs.toFixed(1)} ms cpu, ${r.calls} calls`);
    }
  }
}

// ---- the seed's window policy, on workloads small enough to wait out -------------------
// Every awaited checkpoint waits for the 1 s window: scaled down and reported per step.
const windowRuns = {};
for (const latency of [0, 10]) {
  const perStep = async (set, n) => {
    const r = await measure((s) => set.sequentialN(s, n), latency);
    return { ...r, perStepMs: r.wallMs / n };
  };
  windowRuns[latency] = {
    idle: await perStep(idle, 20),
    window: await perStep(windowed, quick ? 2 : 5),
    fanoutIdle: await measure(idle.fanout1000, latency),
    fanoutWindow: await measure(windowed.fanout1000, latency),
  };
  log(`window ${latency} ms: ${windowRuns[latency].window.perStepMs.toFixed(1)} ms/step vs idle ${windowRuns[latency].idle.perStepMs.toFixed(1)}`);
}

// ---- throughput: 100,000 fire-and-forget updates, zero-latency transport ---------------
const N = quick ? 20_000 : 100_000;
const updates = Array.from({ length: N }, (_, i) => ({ Id: `u${i}`, Type: "STEP", Action: "START", Name: `update-${i}` }));
/** The batcher alone: a zero-latency transport that does nothing but hand back a token. */
async function throughput(raw) {
  let n = 0;
  const RAW = Symbol.for("durable-checkpoint.rawCheckpoint");
  const transport = raw
    ? { checkpoint: async () => ({}), [RAW]: async () => ({ CheckpointToken: `t${++n}` }) }
    : { checkpoint: async () => ({ CheckpointToken: `t${++n}` }) };
  const b = new CheckpointBatcher({ durableExecutionArn: "arn:bench", checkpointToken: "t0", transport });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const u of updates) b.checkpointAsync(u);
  await b.close();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000, calls: n };
}
/** The same updates through JSON.stringify alone, one by one. */
function stringifyCost() {
  const cpu0 = process.cpuUsage();
  let n = 0;
  for (const u of updates) n += JSON.stringify(u).length;
  const c = process.cpuUsage(cpu0);
  return { cpuMs: (c.user + c.system) / 1000, chars: n };
}

await throughput(true); // warm-up
const tp = median([await throughput(true), await throughput(true), await throughput(true)].map((r) => r.cpuMs));
const tpObj = median([await throughput(false), await throughput(false), await throughput(false)].map((r) => r.cpuMs));
stringifyCost();
const sc = median([stringifyCost(), stringifyCost(), stringifyCost()].map((r) => r.cpuMs));
const usPerUpdate = (tp * 1000) / N;
const usPerUpdateObject = (tpObj * 1000) / N;
log(`throughput: ${usPerUpdate.toFixed(2)} µs CPU/update (raw body), ${usPerUpdateObject.toFixed(2)} (object transport); JSON.stringify ${((sc * 1000) / N).toFixed(2)} µs`);

// ---- ordering worst case: 250 updates, depth 8, reversed ---------------------------------
const worst = [];
for (let k = 0; worst.length < 250; k++) {
  const depth = k % 8;
  const ctx = (d) => `k${k}-d${d}`;
  for (let d = 0; d <= depth && worst.length < 250; d++) {
    worst.push({ Id: ctx(d), ParentId: d > 0 ? ctx(d - 1) : undefined, Type: "CONTEXT", Action: "START" });
  }
  if (worst.length < 250) worst.push({ Id: `k${k}-leaf`, ParentId: ctx(depth), Type: "STEP", Action: "SUCCEED" });
}
worst.reverse();
for (let i = 0; i < 200; i++) sortUpdates(worst);
const sortRuns = quick ? 500 : 5000;
const s0 = performance.now();
for (let i = 0; i < sortRuns; i++) sortUpdates(worst);
const sortUs = ((performance.now() - s0) * 1000) / sortRuns;
const coreOrderUs = require(`${ROOT}pkg/durable_checkpoint.js`).benchOrder(JSON.stringify(worst), quick ? 2000 : 20000);
log(`ordering worst case: ${coreOrderUs.toFixed(1)} µs per batch in the core, ${sortUs.toFixed(1)} µs through sortUpdates`);

// ---- cold start, sizes ---------------------------------------------------------------------
/** Medians of each command's wall time, run in rotation so machine drift hits all alike. */
function timeNodes(commands, runs) {
  const times = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach((args, k) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { cwd: ROOT });
      if (r.status !== 0) throw new Error(String(r.stderr));
      times[k].push(performance.now() - t0);
    });
  }
  return times.map(median);
}
const coldRuns = quick ? 15 : 41;
const [baseMs, requireMs, useMs] = timeNodes(
  [
    ["-e", "0"],
    ["-e", "require('durable-checkpoint')"],
    ["-e", "const {CheckpointBatcher}=require('durable-checkpoint');new CheckpointBatcher({durableExecutionArn:'a',checkpointToken:'t',transport:{checkpoint:async()=>({})}})"],
  ],
  coldRuns,
);
const wasm = readFileSync(`${ROOT}pkg/durable_checkpoint_bg.wasm`);
const wasmGz = gzipSync(wasm, { level: 9 }).length;
const tmp = mkdtempSync(path.join(os.tmpdir(), "dcbench-"));
const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString())[0];
rmSync(tmp, { recursive: true, force: true });
const pkgJson = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8"));
log(`cold start +${(requireMs - baseMs).toFixed(1)} ms; wasm ${wasm.length} B (${wasmGz} gz); installed ${packed.unpackedSize} B`);

writeFileSync(`${ROOT}bench/results.json`, JSON.stringify({ results, windowRuns, usPerUpdate, usPerUpdateObject, coreOrderUs, stringifyUs: (sc * 1000) / N, sortUs, baseMs, requireMs, useMs, wasm: wasm.length, wasmGz, installed: packed.unpackedSize, tarball: packed.size, deps: Object.keys(pkgJson.dependencies ?? {}), sdkVersion, quick }, null, 1));
const { render } = await import("./report.mjs");
render();
