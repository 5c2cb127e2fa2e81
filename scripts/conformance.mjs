#!/usr/bin/env node
// Offline conformance harness: runs the AWS durable execution conformance requirements
// (PyPI aws-durable-execution-conformance-tests 1.0.0, fetched by
// scripts/conformance-setup.sh into .cache/conformance/) against the local emulator
// (dex-local-runner), with one handler per requirement in
// tests/conformance/handlers/<suite>/<id>.mjs, for the official SDK and/or ours.
//
//   node scripts/conformance.mjs [--sdk official,ours] [--suite step,wait,...] [--id 1-1,2-3]
//                                [--timeout 90] [--strict] [--skip-time] [--check] [--verbose]
//
// --check exits non-zero unless ours does at least as well as the official SDK on every
// selected requirement (a pass where it passes; at worst an emulator divergence where
// it hits one). npm test runs both SDKs with --check.
//
// Validation is the runner's own Python code (tests/conformance/validator.py bridges
// to it). Writes tests/conformance/results.json and tests/conformance/REPORT.md; a run
// limited to one SDK, some suites or some ids keeps every other result of the previous
// results.json. Progress is on stderr, one line per requirement.
//
// Timers run in real time by default: with the emulator's --skip-time, a WaitSucceeded
// lands before the InvocationCompleted of the invocation that started the wait
// (divergence D3), which fails every wait requirement. --skip-time is faster and shows
// those as "emulator divergence D3".
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Emulator, LocalLambda, CREDENTIALS, REGION, lambdaContext } from "./emulator.mjs";
import { available } from "../tests/conformance/sdk.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CACHE = `${ROOT}.cache/conformance`;
const PKG = `${CACHE}/pkg`;
const REQUIREMENTS = `${PKG}/aws_durable_execution_conformance_tests/test_requirements`;
const PYTHON = process.env.CONFORMANCE_PYTHON ?? `${ROOT}.cache/emulator-venv/bin/python`;
const DIR = `${ROOT}tests/conformance`;
const RESULTS = `${DIR}/results.json`;
const REPORT = `${DIR}/REPORT.md`;
const require = createRequire(`${ROOT}package.json`);

/** The nine suites, in report order (that of the first number of their requirement ids: 1-x ... 9-x). */
const SUITES = ["step", "wait", "child", "callback", "invoke", "wait_for_condition", "wait_for_callback", "parallel", "map"];
const SDKS = ["official", "ours"];

// region arguments

function parseArgs(argv) {
  const o = { sdks: SDKS, suites: SUITES, ids: null, timeout: 90, strict: false, skipTime: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const list = () => value().split(",").map((s) => s.trim()).filter(Boolean);
    if (a.startsWith("--sdk")) o.sdks = list();
    else if (a.startsWith("--suite")) o.suites = list();
    else if (a.startsWith("--id")) o.ids = new Set(list());
    else if (a.startsWith("--timeout")) o.timeout = Number(value());
    else if (a === "--strict") o.strict = true;
    else if (a === "--check") o.check = true;
    else if (a === "--skip-time") o.skipTime = true;
    else if (a === "--no-skip-time") o.skipTime = false;
    else if (a === "--verbose" || a === "-v") o.verbose = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1).filter((l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith("//"))).map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const s of o.sdks) if (!SDKS.includes(s)) throw new Error(`--sdk: unknown SDK ${s} (official, ours)`);
  for (const s of o.suites) if (!SUITES.includes(s)) throw new Error(`--suite: unknown suite ${s} (${SUITES.join(", ")})`);
  return o;
}

// endregion

// region the Python bridge

class Bridge {
  static async start({ verbose }) {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run scripts/setup.sh (the emulator venv)`);
    const proc = spawn(PYTHON, [`${DIR}/validator.py`], {
      env: { ...process.env, CONFORMANCE_PKG: PKG, AWS_REGION: REGION, AWS_EC2_METADATA_DISABLED: "true", PYTHONUNBUFFERED: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const b = new Bridge(proc, verbose);
    await b.ready;
    return b;
  }

  constructor(proc, verbose) {
    this.proc = proc;
    this.pending = new Map();
    this.n = 0;
    this.stderr = [];
    proc.stderr.on("data", (d) => {
      this.stderr.push(String(d));
      if (this.stderr.length > 200) this.stderr.shift();
      if (verbose) process.stderr.write(`    [py] ${String(d).replace(/\n(?=.)/g, "\n    [py] ")}`);
    });
    this.ready = new Promise((resolve, reject) => {
      const lines = createInterface({ input: proc.stdout });
      let first = true;
      lines.on("line", (line) => {
        const msg = JSON.parse(line);
        if (first) {
          first = false;
          this.divergences = msg.divergences;
          resolve();
          return;
        }
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.(msg);
      });
      proc.once("exit", (code) => {
        const err = new Error(`the validator bridge exited (${code}):\n${this.stderr.join("").slice(-2000)}`);
        reject(err);
        for (const p of this.pending.values()) p({ ok: false, error: err.message });
        this.pending.clear();
        this.exited = true;
      });
    });
  }

  call(op, body, timeoutMs = 120_000) {
    if (this.exited) return Promise.reject(new Error("the validator bridge is not running"));
    const id = ++this.n;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(Object.assign(new Error(`validator: no answer to ${op} in ${Math.round(timeoutMs / 1000)} s`), { timeout: true }));
      }, timeoutMs);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        if (msg.ok) resolve(msg);
        else reject(new Error(`validator ${op}: ${msg.error}${msg.trace ? `\n${msg.trace}` : ""}`));
      });
      this.proc.stdin.write(JSON.stringify({ id, op, ...body }) + "\n");
    });
  }

  async stop() {
    if (this.exited) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.proc.stdin.end();
    const kill = setTimeout(() => { try { process.kill(this.proc.pid, "SIGKILL"); } catch { /* gone */ } }, 3000);
    await exited;
    clearTimeout(kill);
  }
}

// endregion

// region the emulator, with the chained-invoke targets it must know

function startEmulator(lambdaEndpoint, functionConfigs, skipTime) {
  return Emulator.start({ lambdaEndpoint, skipTime, extraArgs: ["--function-configs", JSON.stringify(functionConfigs)] });
}

/**
 * The SDK as handlers see it: withDurableExecution gets the durable execution client
 * pointed at the emulator (the official SDK's `client` option).
 */
function boundSdk(sdk, emulator, updates) {
  const { LambdaClient } = require("@aws-sdk/client-lambda");
  const client = new LambdaClient({ endpoint: emulator.base, region: REGION, credentials: CREDENTIALS });
  // Records the checkpoint updates the SDK sends (evidence for divergences D5-D7).
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input ?? {};
      if (Array.isArray(input.Updates)) {
        const list = updates.get(input.DurableExecutionArn) ?? [];
        list.push(
          ...input.Updates.map((u) => ({
            Id: u.Id,
            Type: u.Type,
            SubType: u.SubType,
            Action: u.Action,
            CallbackOptions: u.CallbackOptions,
            ChainedInvokeOptions: u.ChainedInvokeOptions,
            ...(u.Action === "RETRY" && !u.Error ? { Payload: u.Payload } : {}),
          })),
        );
        updates.set(input.DurableExecutionArn, list);
      }
      return next(args);
    },
    { step: "initialize", name: "conformanceCheckpointRecorder" },
  );
  const withDurableExecution = (fn, config) => sdk.withDurableExecution(fn, { client, ...config });
  return new Proxy(sdk, { get: (t, p) => (p === "withDurableExecution" ? withDurableExecution : t[p]) });
}

// endregion

// region one requirement

const handlerFile = (r) => `${DIR}/handlers/${r.suite}/${r.id}.mjs`;
const short = (s, n = 160) => {
  const one = String(s).replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

async function loadHandlerModule(r) {
  if (!existsSync(handlerFile(r))) return null;
  return import(pathToFileURL(handlerFile(r)).href);
}

let runs = 0;
async function runOne(r, ctx) {
  const { sdkName, sdk, emulator, lambda, bridge, opts, mod } = ctx;
  const t0 = Date.now();
  const done = (status, extra = {}) => ({ status, ms: Date.now() - t0, ...extra });
  if (r.skip) return done("skip", { reason: r.skip });
  if (!mod) return done("no-handler", { reason: `no ${handlerFile(r).slice(ROOT.length)}` });

  const name = `conf-${sdkName}-${r.id}-${++runs}`;
  let handler;
  try {
    const bound = boundSdk(sdk, emulator, ctx.updates);
    for (const [target, make] of Object.entries(mod.targets ?? {})) {
      const h = make(bound);
      lambda.register(target, (event, c) => h(event, lambdaContext(c, target)));
    }
    handler = mod.handler(bound);
  } catch (e) {
    return done("fail", { reason: `handler module: ${short(e?.message ?? e)}` });
  }
  lambda.register(name, (event, c) => handler(event, lambdaContext(c, name)));
  const before = lambda.invocations.length;
  const key = `${sdkName}:${r.id}:${runs}`;
  const prep = await bridge.call("prepare", { key, file: r.file });
  const arn = await emulator.startExecution(name, prep.input, { name, timeoutSeconds: Math.max(60, opts.timeout) });
  const handlerErrors = () =>
    lambda.invocations.slice(before).filter((i) => i.error && (i.function === name || mod.targets?.[i.function])).map((i) => short(i.error?.stack ?? i.error, 300));

  let v;
  try {
    if (!prep.async) {
      try {
        await emulator.waitForEnd(arn, opts.timeout * 1000);
      } catch (e) {
        return done("fail", { reason: `timeout: ${short(e.message)}`, arn, handlerErrors: handlerErrors() });
      }
    }
    v = await bridge.call("validate", { key, arn, endpoint: emulator.base, strict: opts.strict, poll: 0.25, noProgress: 30 }, opts.timeout * 1000);
  } catch (e) {
    if (e.timeout) ctx.restartBridge = true;
    return done("fail", { reason: short(e.message), arn, handlerErrors: handlerErrors() });
  }
  const extra = {
    arn,
    errors: v.errors,
    tolerated: v.tolerated,
    invocations: lambda.invocations.slice(before).filter((i) => i.function === name).length,
    handlerErrors: handlerErrors(),
  };
  if (v.passed) return done("pass", extra);
  extra.history = v.history;
  if (!opts.strict) {
    const c = await bridge.call("classify", { key, arn, endpoint: emulator.base, errors: v.errors, updates: ctx.updates.get(arn) ?? [] });
    v.divergences = c.divergences;
    if (c.remaining) extra.remaining = c.remaining;
  }
  if (v.divergences?.length) {
    return done("divergence", { ...extra, divergences: v.divergences, reason: `emulator divergence ${v.divergences.join("+")}: ${short(v.errors[0], 120)}` });
  }
  return done("fail", { ...extra, reason: short(v.errors[0] ?? "failed") });
}

// endregion

// region results and report

function readResults() {
  try {
    return JSON.parse(readFileSync(RESULTS, "utf8"));
  } catch {
    return { sdks: {} };
  }
}

const esc = (s) => String(s ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");

function cell(res) {
  if (!res) return "not run";
  switch (res.status) {
    case "pass":
      return "pass";
    case "divergence":
      return `fail: ${esc(res.reason)}`;
    case "fail":
      return `fail: ${esc(res.reason)}`;
    case "skip":
      return `skip: ${esc(res.reason)}`;
    case "no-handler":
      return "no handler";
    case "n/a":
      return `not available: ${esc(res.reason)}`;
    default:
      return esc(res.status);
  }
}

function counts(results, ids) {
  const c = { pass: 0, divergence: 0, fail: 0, skip: 0, "no-handler": 0, "n/a": 0, "not run": 0 };
  for (const id of ids) c[results?.[id]?.status ?? "not run"]++;
  return c;
}

function writeReport(all, requirements, divergences) {
  const bySuite = new Map(SUITES.map((s) => [s, []]));
  for (const r of requirements) bySuite.get(r.suite)?.push(r);
  const lines = [];
  lines.push("# Conformance report (generated)");
  lines.push("");
  lines.push("Generated by `node scripts/conformance.mjs`; do not edit. Requirements: PyPI `aws-durable-execution-conformance-tests` 1.0.0,");
  lines.push(`suites 1–${SUITES.length} (${SUITES.join(", ")}),`);
  lines.push("run offline against the local emulator (`dex-local-runner`) and validated by the runner's own");
  lines.push("`EventHistoryMatcher` / `_validate_execution_result` / `PollingValidator` (through `tests/conformance/validator.py`).");
  lines.push("");
  for (const s of SDKS) {
    const run = all.sdks[s];
    if (!run) {
      lines.push(`- **${s}**: not run yet.`);
      continue;
    }
    lines.push(`- **${s}** (${run.package}): last run ${run.runAt}, ${run.runtimeSeconds} s for ${run.ran} requirement(s)${run.skipTime ? ", `--skip-time`" : ""}${run.strict ? ", `--strict`" : ""}.`);
  }
  lines.push("");
  lines.push("Results: **pass**; **fail: emulator divergence Dn** (fails as run, passes once the divergence is corrected in a copy of the");
  lines.push("history: not an SDK bug); **fail** (anything else); **skip** (needs CloudWatch logs or a Lambda process crash, which this");
  lines.push("harness cannot provide); **no handler**; **not available** (the SDK has no `withDurableExecution`).");
  lines.push("");
  lines.push("Known emulator divergences:");
  lines.push("");
  for (const [d, text] of Object.entries(divergences ?? {})) {
    lines.push(`- **${d}** ${text}${d === "D1" ? ". Universal: every requirement expects the key, so D1 is corrected before the verdict (`--strict` does not)." : "."}`);
  }
  lines.push("- Invoke requirements also run with chained-invoke targets that are durable functions (`--function-configs`).");
  lines.push("");
  lines.push("## Summary");
  lines.push("");
  lines.push("| suite | requirements | " + SDKS.map((s) => `${s}: pass / fail (divergence) / fail / skip / other`).join(" | ") + " |");
  lines.push("|---|---|" + SDKS.map(() => "---").join("|") + "|");
  const tot = Object.fromEntries(SDKS.map((s) => [s, counts({}, [])]));
  let n = 0;
  for (const [suite, reqs] of bySuite) {
    n += reqs.length;
    const row = [suite, reqs.length];
    for (const s of SDKS) {
      const c = counts(all.sdks[s]?.results, reqs.map((r) => r.id));
      for (const k of Object.keys(c)) tot[s][k] += c[k];
      row.push(`${c.pass} / ${c.divergence} / ${c.fail} / ${c.skip} / ${c["no-handler"] + c["n/a"] + c["not run"]}`);
    }
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push(`| **total** | ${n} | ${SDKS.map((s) => { const c = tot[s]; return `**${c.pass}** / ${c.divergence} / ${c.fail} / ${c.skip} / ${c["no-handler"] + c["n/a"] + c["not run"]}`; }).join(" | ")} |`);
  lines.push("");
  for (const [suite, reqs] of bySuite) {
    lines.push(`## ${suite}`);
    lines.push("");
    lines.push("| id | title | official SDK | ours |");
    lines.push("|---|---|---|---|");
    for (const r of reqs) lines.push(`| ${r.id} | ${esc(r.title)} | ${cell(all.sdks.official?.results?.[r.id])} | ${cell(all.sdks.ours?.results?.[r.id])} |`);
    lines.push("");
  }
  writeFileSync(REPORT, lines.join("\n"));
}

// endregion

// region --check: ours passes whatever the official SDK passes

const RANK = { pass: 3, divergence: 2, skip: 1 };

/**
 * True when, for every selected requirement, ours did at least as well as the official
 * SDK: a pass where it passed, at worst an emulator divergence where it hit one.
 * Prints each requirement that fails this, and the totals.
 */
function check(all, selected) {
  const official = all.sdks.official?.results ?? {};
  const ours = all.sdks.ours?.results ?? {};
  const worse = [];
  for (const r of selected) {
    const o = official[r.id];
    const u = ours[r.id];
    if (!o || !u) {
      worse.push(`${r.id}: no result for ${!o ? "official" : "ours"} (run both SDKs)`);
      continue;
    }
    const need = RANK[o.status] ?? 0;
    const got = RANK[u.status] ?? 0;
    if (got < need) {
      worse.push(`${r.id} ${r.title}: official ${o.status}, ours ${u.status}${u.reason ? ` (${short(u.reason, 140)})` : ""}`);
    }
  }
  const passed = (res) => selected.filter((r) => res[r.id]?.status === "pass").length;
  process.stderr.write(`check: official passes ${passed(official)}, ours passes ${passed(ours)} of ${selected.length}\n`);
  for (const w of worse) process.stderr.write(`check: ours does worse on ${w}\n`);
  if (worse.length === 0) process.stderr.write("check: ours passes every requirement the official SDK passes\n");
  return worse.length === 0;
}

// endregion

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(REQUIREMENTS)) throw new Error(`${REQUIREMENTS} is missing: run scripts/conformance-setup.sh`);
  const started = Date.now();
  let bridge = await Bridge.start(opts);
  let lambda;
  let emulator;
  try {
    const { requirements: everything } = await bridge.call("list", { root: REQUIREMENTS, suites: SUITES });
    const num = (id) => id.split("-").map(Number);
    everything.sort((a, b) => num(a.id)[0] - num(b.id)[0] || num(a.id)[1] - num(b.id)[1]);
    const selected = everything.filter((r) => opts.suites.includes(r.suite) && (!opts.ids || opts.ids.has(r.id)));
    if (opts.ids) for (const id of opts.ids) if (!everything.some((r) => r.id === id)) throw new Error(`--id: no requirement ${id}`);
    const modules = new Map();
    for (const r of selected) modules.set(r.id, await loadHandlerModule(r));

    const all = readResults();
    all.sdks ??= {};
    for (const sdkName of opts.sdks) {
      const t0 = Date.now();
      const got = available(sdkName);
      const prev = all.sdks[sdkName]?.results ?? {};
      const results = { ...prev };
      const run = { package: sdkName === "official" ? "@aws/durable-execution-sdk-js" : "durable-checkpoint", runAt: new Date().toISOString(), skipTime: opts.skipTime, strict: opts.strict, ran: selected.length };
      if (!got.sdk) {
        process.stderr.write(`[${sdkName}] not available: ${got.reason}\n`);
        for (const r of selected) {
          results[r.id] = r.skip ? { status: "skip", reason: r.skip } : { status: "n/a", reason: got.reason };
          process.stderr.write(`[${sdkName}] ${r.id.padEnd(5)} ${results[r.id].status === "skip" ? "skip" : "n/a "}  ${short(r.title, 70)}\n`);
        }
      } else {
        if (!lambda) {
          lambda = await LocalLambda.start();
          const targets = {};
          for (const mod of modules.values()) for (const t of Object.keys(mod?.targets ?? {})) targets[t] = { DurableConfig: { ExecutionTimeout: 60, RetentionPeriodInDays: 1 } };
          emulator = await startEmulator(lambda.endpoint, targets, opts.skipTime);
        }
        const ctx = { sdkName, sdk: got.sdk, emulator, lambda, bridge, opts, updates: new Map() };
        for (const r of selected) {
          let res;
          try {
            res = await runOne(r, { ...ctx, mod: modules.get(r.id) });
          } catch (e) {
            res = { status: "fail", reason: `harness: ${short(e?.message ?? e)}` };
          }
          if (ctx.restartBridge) {
            await bridge.stop().catch(() => {});
            bridge = ctx.bridge = await Bridge.start(opts);
            ctx.restartBridge = false;
          }
          results[r.id] = res;
          const tag = { pass: "pass", divergence: "DIVG", fail: "FAIL", skip: "skip", "no-handler": "none" }[res.status] ?? res.status;
          const why = res.status === "pass" ? "" : ` - ${short(res.reason ?? "", 110)}`;
          process.stderr.write(`[${sdkName}] ${r.id.padEnd(5)} ${tag}  ${((res.ms ?? 0) / 1000).toFixed(1).padStart(5)} s  ${short(r.title, 60)}${why}\n`);
          if (opts.verbose && res.status !== "pass" && res.errors) for (const e of res.errors) process.stderr.write(`        ${e}\n`);
          if (opts.verbose && res.handlerErrors?.length) for (const e of res.handlerErrors) process.stderr.write(`        handler: ${e}\n`);
        }
      }
      run.runtimeSeconds = Math.round((Date.now() - t0) / 100) / 10;
      all.sdks[sdkName] = { ...run, results };
      const c = counts(results, selected.map((r) => r.id));
      process.stderr.write(`[${sdkName}] ${selected.length} requirement(s) in ${run.runtimeSeconds} s: ${c.pass} pass, ${c.divergence} fail (emulator divergence), ${c.fail} fail, ${c.skip} skip, ${c["no-handler"]} no handler, ${c["n/a"]} not available\n`);
    }
    all.generatedAt = new Date().toISOString();
    all.requirementsPackage = "aws-durable-execution-conformance-tests==1.0.0";
    all.divergences = bridge.divergences;
    all.requirements = Object.fromEntries(everything.map((r) => [r.id, { suite: r.suite, title: r.title, async: r.async, skip: r.skip ?? undefined }]));
    writeFileSync(RESULTS, JSON.stringify(all, null, 1) + "\n");
    writeReport(all, everything, bridge.divergences);
    process.stderr.write(`wrote ${RESULTS.slice(ROOT.length)} and ${REPORT.slice(ROOT.length)} (${Math.round((Date.now() - started) / 1000)} s in all)\n`);
    if (opts.check && !check(all, selected)) process.exitCode = 1;
  } finally {
    await emulator?.stop();
    await lambda?.close();
    await bridge.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
