// Cross-SDK resume: a durable execution started under one SDK resumes under the other.
//
// For each workflow of cross-sdk-workflows.mjs (steps with retries, a wait, a child
// context, callbacks, an invoke, a map that completes early, a parallel with a wait in
// a branch), four executions against the emulator
// (dex-local-runner, real timers), each invocation served in process by the SDK its
// plan names: official only; ours only; official then ours (invocation 1 under the
// official @aws/durable-execution-sdk-js, invocations 2.. under durable-checkpoint);
// ours then official. Every run must end with the status, result and error of the
// official-only run (and the workflow's expected result), and with its history
// (GetDurableExecutionHistory) once normalized. Normalizing drops what is not the SDK's
// doing and differs from run to run: event timestamps and EventIds (the order of the
// events is kept), the execution's ARN, id and name, callback ids, stack frames, request
// ids. It keeps the order of the events and each event's type, Id, ParentId, SubType,
// Name, payloads, errors, retry details and durations.
//
// Known emulator divergences (tests/conformance/README.md): D1 (InvocationCompleted
// without details), D2 (no RetryDetails on a StepSucceeded after retries), D4 and D7
// (ChainedInvokeStartedDetails without ExecutedVersion / TenantId) are the same in every
// run and need nothing; D3 (--skip-time puts WaitSucceeded before InvocationCompleted)
// is avoided by real timers; D5 (CallbackStartedDetails without Timeout /
// HeartbeatTimeout) would hide what the SDK sent, so those are restored from the
// CALLBACK START update the SDK sent (recorded here), as the conformance validator does.
// D6 concerns waitForCondition, which no workflow uses.
//
// CROSS_SDK_OURS=official puts the official SDK in ours's place (to work on this test
// while durable-checkpoint has no withDurableExecution); without it, a durable-checkpoint
// that has no withDurableExecution fails every workflow. CROSS_SDK_DUMP=<dir> writes
// each workflow's runs (history, normalized history, updates sent) to <dir>/<n>.json.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";
import { Emulator, LocalLambda, CREDENTIALS, REGION, lambdaContext } from "../../scripts/emulator.mjs";
import { PACKAGES, load } from "../conformance/sdk.mjs";
import { WORKFLOWS, PRICE_FUNCTION, priceFunction, currentExecution } from "./cross-sdk-workflows.mjs";

const require = createRequire(import.meta.url);
const { LambdaClient, SendDurableExecutionCallbackSuccessCommand, StopDurableExecutionCommand } = require("@aws-sdk/client-lambda");

const OURS = process.env.CROSS_SDK_OURS ?? "ours";
const RUN_TIMEOUT_MS = 12_000; // the longest workflow takes about 4 s
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// region the SDKs

/** The "official" and "ours" slots: `{ sdk, package }`, or `{ reason }` when unusable. */
function loadSdks() {
  const out = {};
  for (const [slot, name] of [["official", "official"], ["ours", OURS]]) {
    try {
      const sdk = load(name);
      out[slot] = typeof sdk?.withDurableExecution === "function" ? { sdk, package: PACKAGES[name] } : { reason: `${PACKAGES[name]} has no withDurableExecution` };
    } catch (e) {
      out[slot] = { reason: `cannot load ${PACKAGES[name] ?? name}: ${String(e?.message ?? e).split("\n")[0]}` };
    }
  }
  return out;
}
const SDKS = loadSdks();

/** The SDK as the workflows see it: withDurableExecution talks to the emulator (the official SDK's `client` option). */
function bound(sdk, client) {
  const withDurableExecution = (fn, config) => sdk.withDurableExecution(fn, { client, ...config });
  return new Proxy(sdk, { get: (t, p) => (p === "withDurableExecution" ? withDurableExecution : t[p]) });
}

// endregion

// region the emulator

let emulator;
let lambda;
let client;
/** Checkpoint updates sent through `client`, by execution ARN. */
const updates = new Map();
/** Runs not ended yet; the chained-invoke target answers only when they are all quiet. */
const active = new Set();

before(async () => {
  lambda = await LocalLambda.start();
  emulator = await Emulator.start({
    lambdaEndpoint: lambda.endpoint,
    // Real timers: with --skip-time a WaitSucceeded can land before the InvocationCompleted
    // of the invocation that started the wait (D3), so the order would depend on timing.
    skipTime: false,
    // The invoke target is a plain function (no DurableConfig): one RequestResponse invoke.
    extraArgs: ["--function-configs", JSON.stringify({ [PRICE_FUNCTION]: {} })],
  });
  client = new LambdaClient({ endpoint: emulator.base, region: REGION, credentials: CREDENTIALS });
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input ?? {};
      if (Array.isArray(input.Updates) && input.DurableExecutionArn) {
        const list = updates.get(input.DurableExecutionArn) ?? [];
        list.push(...input.Updates);
        updates.set(input.DurableExecutionArn, list);
      }
      return next(args);
    },
    { step: "initialize", name: "crossSdkCheckpointRecorder" },
  );
  lambda.register(PRICE_FUNCTION, async (event) => {
    // Answering while the caller's invocation is still returning would record
    // ChainedInvokeSucceeded before its InvocationCompleted: an order that depends on
    // timing, not on the SDK.
    await quiet();
    return priceFunction(event);
  });
});
after(async () => {
  await emulator?.stop();
  await lambda?.close();
  client?.destroy();
});

const last = (history) => history[history.length - 1];

/** No invocation of the run in flight, and the emulator has recorded the end of the last one (or of the execution). */
async function isQuiet(run) {
  if (run.inFlight > 0 || !run.arn) return false;
  const h = await emulator.history(run.arn);
  if (last(h)?.EventType === "InvocationCompleted") return true;
  return (await emulator.execution(run.arn)).Status !== "RUNNING";
}

async function quiet(timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let all = true;
    for (const run of [...active]) if (!(await isQuiet(run))) all = false;
    if (all) return;
    await sleep(50);
  }
}

// endregion

// region one run

let seq = 0;
/**
 * One execution of `wf`, invocation 1 under the SDK `plan[0]`, the others under
 * `plan[1]`; completes its callbacks (each once the invocation that created it has
 * ended, with the next payload of `wf.callbacks`). Returns the execution, its history,
 * the updates sent, the SDK of each invocation and any handler error.
 */
async function runOnce(wf, plan) {
  const name = `xsdk-${WORKFLOWS.indexOf(wf)}-${plan.join("-")}-${++seq}`;
  const handlers = Object.fromEntries([...new Set(plan)].map((slot) => [slot, wf.make(bound(SDKS[slot].sdk, client))]));
  const run = { name, plan, arn: undefined, inFlight: 0, invocations: [], errors: [], sent: [] };
  lambda.register(name, async (event, c) => {
    const slot = run.invocations.length === 0 ? plan[0] : plan[1];
    run.invocations.push(slot);
    run.inFlight++;
    try {
      return await currentExecution.run(event.DurableExecutionArn, () => handlers[slot](event, lambdaContext(c, name)));
    } catch (e) {
      run.errors.push(`invocation ${run.invocations.length} (${slot}) threw: ${String(e?.stack ?? e).split("\n").slice(0, 6).join("\n")}`);
      throw e;
    } finally {
      run.inFlight--;
    }
  });
  active.add(run);
  let execution;
  try {
    run.arn = await emulator.startExecution(name, wf.input, { name, timeoutSeconds: 60 });
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    for (;;) {
      execution = await emulator.execution(run.arn);
      if (execution.Status !== "RUNNING") break;
      // No workflow lets an error out of its handler: an invocation that threw is a failure.
      if (run.errors.length || Date.now() > deadline) {
        run.errors.push(run.errors.length ? "stopped after the error" : `still RUNNING after ${RUN_TIMEOUT_MS} ms`);
        await client.send(new StopDurableExecutionCommand({ DurableExecutionArn: run.arn })).catch(() => {});
        execution = await emulator.execution(run.arn);
        break;
      }
      if (wf.callbacks) await completeCallbacks(wf, run);
      await sleep(50);
    }
  } finally {
    active.delete(run);
  }
  const history = await emulator.history(run.arn);
  return { ...run, execution, history, updates: updates.get(run.arn) ?? [] };
}

/** Sends the next payload of `wf.callbacks` to the oldest callback not yet sent one, once the run is quiet. */
async function completeCallbacks(wf, run) {
  if (run.sent.length >= wf.callbacks.length || !(await isQuiet(run))) return;
  const history = await emulator.history(run.arn);
  const next = history.find((e) => e.EventType === "CallbackStarted" && !run.sent.some((s) => s.id === e.Id));
  if (!next) return;
  const callbackId = next.CallbackStartedDetails?.CallbackId;
  run.sent.push({ id: next.Id, callbackId });
  await client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: new TextEncoder().encode(wf.callbacks[run.sent.length - 1]) }));
}

// endregion

// region normalization and diff

/**
 * The history with what varies from run to run replaced: timestamps and EventIds
 * dropped, the execution's ARN / id / name and callback ids replaced by placeholders
 * (wherever they occur, payloads included), stack frames replaced by a marker (their
 * presence is kept), request ids by a marker. D5 is corrected from the updates sent.
 */
function normalize(history, { arn, name, updates: sent = [] }) {
  const tokens = [];
  const started = history.find((e) => e.EventType === "ExecutionStarted");
  if (arn) tokens.push([arn, "<execution-arn>"]);
  if (started?.Id) tokens.push([started.Id, "<execution-id>"]);
  if (name) tokens.push([name, "<execution-name>"]);
  let k = 0;
  for (const e of history) {
    const id = e.CallbackStartedDetails?.CallbackId;
    if (id) tokens.push([id, `<callback-id ${++k}>`]);
  }
  tokens.sort((a, b) => b[0].length - a[0].length);
  const text = (s) => tokens.reduce((acc, [from, to]) => acc.split(from).join(to), s);
  const walk = (v) => {
    if (typeof v === "string") return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== "object") return v;
    const out = {};
    for (const [key, x] of Object.entries(v)) {
      if (key === "EventId" || /Timestamp$/.test(key)) continue;
      if (key === "StackTrace") out[key] = "<stack>";
      else if (/^(RequestId|AwsRequestId)$/.test(key)) out[key] = "<request-id>";
      else out[key] = walk(x);
    }
    return out;
  };
  // D5: CallbackStartedDetails.Timeout / HeartbeatTimeout, from the SDK's CALLBACK START update.
  const options = new Map(sent.filter((u) => u.Type === "CALLBACK" && u.Action === "START").map((u) => [u.Id, u.CallbackOptions ?? {}]));
  return history.map((e) => {
    const n = walk(e);
    if (n.EventType === "CallbackStarted" && options.has(n.Id)) {
      const details = (n.CallbackStartedDetails ??= {});
      const o = options.get(n.Id);
      if (o.TimeoutSeconds && details.Timeout === undefined) details.Timeout = o.TimeoutSeconds;
      if (o.HeartbeatTimeoutSeconds && details.HeartbeatTimeout === undefined) details.HeartbeatTimeout = o.HeartbeatTimeoutSeconds;
    }
    return n;
  });
}

/**
 * A line diff of two event lists, one JSON line per event (longest common subsequence),
 * with `context` equal events around each change; each line shows the event's position
 * in the expected and in the actual list.
 */
function diffEvents(expected, actual, context = 2) {
  const a = expected.map((e) => JSON.stringify(e));
  const b = actual.map((e) => JSON.stringify(e));
  const L = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const lines = [];
  let i = 0;
  let j = 0;
  const pos = (n) => (n === undefined ? "" : String(n + 1)).padStart(3);
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) lines.push({ op: " ", line: `  ${pos(i)} ${pos(j)}  ${a[i++]}`, same: (j++, true) });
    else if (i < a.length && (j === b.length || L[i + 1][j] >= L[i][j + 1])) lines.push({ op: "-", line: `- ${pos(i)} ${pos()}  ${a[i++]}` });
    else lines.push({ op: "+", line: `+ ${pos()} ${pos(j)}  ${b[j++]}` });
  }
  const near = (x) => lines.slice(Math.max(0, x - context), x + context + 1).some((m) => !m.same);
  const out = [];
  lines.forEach((l, x) => {
    if (near(x)) out.push(l.line);
    else if (x > 0 && near(x - 1)) out.push("  ...");
  });
  return out.join("\n");
}

const outcome = (e) => ({ Status: e?.Status, Result: e?.Result, Error: e?.Error });
const label = (plan) => (plan[0] === plan[1] ? `${plan[0]} only` : `${plan[0]} -> ${plan[1]}`);

// endregion

const PLANS = [
  ["official", "official"],
  ["ours", "ours"],
  ["official", "ours"],
  ["ours", "official"],
];

for (const wf of WORKFLOWS) {
  test(`cross-SDK resume: ${wf.name} (official only, ours only, official -> ours, ours -> official)`, { timeout: 60_000 }, async () => {
    for (const slot of ["official", "ours"]) if (!SDKS[slot].sdk) assert.fail(`the "${slot}" SDK is not usable: ${SDKS[slot].reason}`);
    const runs = await Promise.all(PLANS.map((plan) => runOnce(wf, plan)));
    if (process.env.CROSS_SDK_DUMP) (await import("node:fs")).writeFileSync(`${process.env.CROSS_SDK_DUMP}/${WORKFLOWS.indexOf(wf)}.json`, JSON.stringify(runs.map((r) => ({ ...r, normalized: normalize(r.history, r) })), null, 1));
    const problems = [];
    for (const r of runs) {
      const who = label(r.plan);
      if (r.errors.length) problems.push(`${who}: ${r.errors.join("\n")}`);
      const want = [r.plan[0], ...Array(Math.max(0, r.invocations.length - 1)).fill(r.plan[1])];
      if (!isDeepStrictEqual(r.invocations, want)) problems.push(`${who}: invocations ran under ${r.invocations.join(", ")}`);
      if (!r.errors.length && r.invocations.length < wf.minInvocations) problems.push(`${who}: ${r.invocations.length} invocation(s), the workflow needs ${wf.minInvocations}: the SDK switch was not exercised`);
      if (wf.callbacks && r.sent.length !== wf.callbacks.length) problems.push(`${who}: ${r.sent.length} of ${wf.callbacks.length} callbacks completed`);
    }
    const [reference, ...others] = runs;
    // The reference itself: the official SDK alone gives the expected result.
    const expected = { Status: "SUCCEEDED", Result: JSON.stringify(wf.result) };
    if (!isDeepStrictEqual(outcome(reference.execution), { ...expected, Error: undefined })) {
      problems.push(`official only (the reference): ${JSON.stringify(outcome(reference.execution))}, expected ${JSON.stringify(expected)}`);
    }
    const norm = new Map(runs.map((r) => [r, normalize(r.history, r)]));
    for (const r of others) {
      const who = label(r.plan);
      if (!isDeepStrictEqual(outcome(r.execution), outcome(reference.execution))) {
        problems.push(`${who}: outcome ${JSON.stringify(outcome(r.execution))}\n  official only: ${JSON.stringify(outcome(reference.execution))}`);
      }
      if (!isDeepStrictEqual(norm.get(r), norm.get(reference))) {
        const alone = runs[1];
        const hint = r !== alone && isDeepStrictEqual(norm.get(r), norm.get(alone)) ? " (equal to the ours-only history: ours alone already differs)" : "";
        problems.push(
          `${who}: history (normalized) differs from the official-only run${hint}; invocations under ${r.invocations.join(", ")}\n` +
            `  - only in official only, + only in ${who}; columns: event number in each\n${diffEvents(norm.get(reference), norm.get(r))}`,
        );
      }
    }
    if (problems.length) assert.fail(`${wf.name}:\n\n${problems.join("\n\n")}`);
  });
}
