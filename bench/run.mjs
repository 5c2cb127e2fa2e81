// Runs every benchmark side by side in one run and writes bench/RESULTS.md and
// bench/chart.svg. Contenders: this package (idle policy, the default), this package
// with the seed's window policy, the official @aws/durable-execution-sdk-js, and a
// floor that sends the same checkpoints straight to the service. Every measurement is
// a fresh process (bench/one.mjs, throughput.mjs, memory.mjs), contenders interleaved
// round by round, medians kept: no contender inherits another's heap or JIT state.
//
//   node bench/run.mjs [--quick]
import { spawnSync, execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { sdkVersion } from "./official.mjs";

const require = createRequire(import.meta.url);
const { sortUpdates } = require("durable-checkpoint");
const quick = process.argv.includes("--quick");
const ROOT = new URL("..", import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (...a) => console.error(...a);

/** Runs `node <args>` in a fresh process and parses the JSON it prints. */
function child(args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const WORKLOADS = {
  sequential1000: "1000 sequential steps (START async, SUCCEED awaited, sync body)",
  timer200: "200 steps whose body awaits a 1 ms timer",
  fanout1000: "fan-out of 1000 items, unbounded",
  fanout1000c50: "fan-out of 1000 items, concurrency 50",
  contexts100x5: "100 child contexts of 5 steps",
  payload200x10k: "200 steps with 10 KB payloads",
};
const CONTENDERS = ["idle", "official", "floor", "durable"];
// Handler-level only (bench/durable.mjs): the same durable functions under both SDKs.
const HANDLER_WORKLOADS = {
  parallel100x5: "parallel of 100 branches × 5 steps",
  replay1000: "invocation 2 replaying a 1000-step history after a wait",
};
const HANDLER_CONTENDERS = ["durable", "official"];

// ---- workloads at 0 and 10 ms per call: fresh process each, interleaved, medians --------
const results = {}; // results[latency][workload][contender]
for (const latency of [0, 10]) {
  const rounds = quick ? 1 : latency === 0 ? 7 : 3;
  const runs = {};
  for (let round = 0; round < rounds; round++) {
    for (const [w, who] of [...Object.keys(WORKLOADS).map((w) => [w, CONTENDERS]), ...Object.keys(HANDLER_WORKLOADS).map((w) => [w, HANDLER_CONTENDERS])]) {
      // Rotate who goes first, so drift over a round hits every contender alike.
      const order = who.map((_, k) => who[(k + round) % who.length]);
      for (const c of order) {
        let r;
        try {
          r = child(["bench/one.mjs", c, w, String(latency)]);
        } catch (e) {
          // Only the handler-level contender may fail (a workload it cannot run is reported, not fatal).
          if (c !== "durable") throw e;
          r = { error: String(e.message).split("\n").slice(0, 3).join(" ") };
          log(`${latency} ms ${w} ${c}: FAILED ${r.error}`);
        }
        ((runs[w] ??= {})[c] ??= []).push(r);
      }
    }
    log(`${latency} ms: round ${round + 1}/${rounds} done`);
  }
  results[latency] = {};
  for (const w of [...Object.keys(WORKLOADS), ...Object.keys(HANDLER_WORKLOADS)]) {
    results[latency][w] = {};
    for (const c of Object.keys(runs[w])) {
      const rs = runs[w][c].filter((x) => !x.error);
      if (rs.length === 0) {
        results[latency][w][c] = { error: runs[w][c][0].error };
        continue;
      }
      results[latency][w][c] = { ...rs[0], wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)), runs: rs.length };
      const r = results[latency][w][c];
      log(`${latency} ms ${w} ${c}: ${r.wallMs.toFixed(1)} ms wall, ${r.cpuMs.toFixed(1)} ms cpu, ${r.calls} calls (median of ${rs.length})`);
    }
  }
}

// ---- the seed's window policy, on workloads small enough to wait out -------------------
// Every awaited checkpoint waits for the 1 s window: scaled down and reported per step.
const windowRuns = {};
for (const latency of [0, 10]) {
  const perStep = (c, n) => {
    const r = child(["bench/one.mjs", c, `sequentialN:${n}`, String(latency)]);
    return { ...r, perStepMs: r.wallMs / n };
  };
  windowRuns[latency] = {
    idle: perStep("idle", 20),
    window: perStep("window", quick ? 2 : 5),
    fanoutIdle: child(["bench/one.mjs", "idle", "fanout1000", String(latency)]),
    fanoutWindow: child(["bench/one.mjs", "window", "fanout1000", String(latency)]),
  };
  log(`window ${latency} ms: ${windowRuns[latency].window.perStepMs.toFixed(1)} ms/step vs idle ${windowRuns[latency].idle.perStepMs.toFixed(1)}`);
}

// ---- throughput: 100,000 fire-and-forget updates, zero-latency transport ---------------
const N = quick ? 20_000 : 100_000;
const tpRuns = { raw: [], object: [], stringify: [] };
for (let round = 0; round < (quick ? 1 : 3); round++) {
  for (const m of Object.keys(tpRuns)) tpRuns[m].push(child(["bench/throughput.mjs", m, String(N)]).usPerUpdate);
}
const usPerUpdate = median(tpRuns.raw);
const usPerUpdateObject = median(tpRuns.object);
const stringifyUs = median(tpRuns.stringify);
log(`throughput: ${usPerUpdate.toFixed(2)} µs CPU/update (raw body), ${usPerUpdateObject.toFixed(2)} (object transport); JSON.stringify ${stringifyUs.toFixed(2)} µs`);

// ---- memory: many invocations in one process --------------------------------------------
const memory = child(["--expose-gc", "bench/memory.mjs", String(quick ? 50_000 : 200_000)]);
log(`memory: ${memory.invocations} invocations, RSS ${memory.rssAtFifthMb.toFixed(1)} MB after a fifth, ${memory.rssEndMb.toFixed(1)} MB at the end`);

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
const benchOrder = require(`${ROOT}pkg/durable_checkpoint.js`).benchOrder;
const orderRuns = quick ? 2000 : 20000;
const worstJson = JSON.stringify(worst);
benchOrder(worstJson, 200);
const o0 = performance.now();
if (benchOrder(worstJson, orderRuns) !== orderRuns * worst.length) throw new Error("benchOrder placed the wrong number of updates");
const coreOrderUs = ((performance.now() - o0) * 1000) / orderRuns;
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
// Handler-level cold start: import + the first invocation of a one-step durable function.
const coldTimes = { none: [], official: [], durable: [] };
for (let i = 0; i < (quick ? 9 : 21); i++) for (const k of Object.keys(coldTimes)) coldTimes[k].push(child(["bench/cold.mjs", k]).ms);
const [handlerBaseMs, coldOfficialMs, coldDurableMs] = [coldTimes.none, coldTimes.official, coldTimes.durable].map(median);
log(`handler cold start: official +${(coldOfficialMs - handlerBaseMs).toFixed(1)} ms, durable-checkpoint +${(coldDurableMs - handlerBaseMs).toFixed(1)} ms`);

/** Bytes on disk of `name` as installed here and every package it depends on (production). */
function installedClosure(name) {
  const seen = new Set();
  let bytes = 0;
  const du = (dir) => {
    let n = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules") continue;
      const p = path.join(dir, e.name);
      n += e.isDirectory() ? du(p) : statSync(p).size;
    }
    return n;
  };
  const visit = (pkg, from) => {
    let dir;
    try {
      dir = path.dirname(createRequire(from).resolve(`${pkg}/package.json`));
    } catch {
      // A package whose exports hide package.json: find it under node_modules by name.
      dir = path.join(ROOT, "node_modules", pkg);
    }
    if (seen.has(dir)) return;
    seen.add(dir);
    bytes += du(dir);
    const json = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    for (const d of Object.keys(json.dependencies ?? {})) visit(d, path.join(dir, "package.json"));
  };
  visit(name, `${ROOT}package.json`);
  return { bytes, packages: seen.size };
}
const officialInstalled = installedClosure("@aws/durable-execution-sdk-js");
log(`official SDK installed with its dependencies: ${(officialInstalled.bytes / 1024).toFixed(0)} KB in ${officialInstalled.packages} packages`);

const wasm = readFileSync(`${ROOT}pkg/durable_checkpoint_bg.wasm`);
const wasmGz = gzipSync(wasm, { level: 9 }).length;
const tmp = mkdtempSync(path.join(os.tmpdir(), "dcbench-"));
const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString())[0];
rmSync(tmp, { recursive: true, force: true });
const pkgJson = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8"));
log(`cold start +${(requireMs - baseMs).toFixed(1)} ms; wasm ${wasm.length} B (${wasmGz} gz); installed ${packed.unpackedSize} B`);

writeFileSync(`${ROOT}bench/results.json`, JSON.stringify({ results, windowRuns, usPerUpdate, usPerUpdateObject, coreOrderUs, stringifyUs, memory, sortUs, baseMs, requireMs, useMs, wasm: wasm.length, wasmGz, installed: packed.unpackedSize, tarball: packed.size, deps: Object.keys(pkgJson.dependencies ?? {}), sdkVersion, quick, handlerBaseMs, coldOfficialMs, coldDurableMs, officialInstalled }, null, 1));
const { render } = await import("./report.mjs");
render();
