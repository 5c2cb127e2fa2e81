// The side-by-side harness of tests/js/durable-api.test.mjs and durable-batch.test.mjs:
// a scenario (`{ name, make(sdk, env), payload?, expect?, env?, setup?, drive?, check?,
// limitMs? }`) runs under the official testing library's LocalDurableTestRunner
// (skipTime: true), once with the official SDK and once with durable-checkpoint, and
// `compare` checks that both end alike, record the same operations and saw the same.
//
// DURABLE_API_OURS=official puts the official SDK in ours's place.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { inspect } from "node:util";

const require = createRequire(import.meta.url);
export const OFFICIAL = require("@aws/durable-execution-sdk-js");
export const OURS = process.env.DURABLE_API_OURS === "official" ? OFFICIAL : require("durable-checkpoint");
export const { LocalDurableTestRunner, WaitingOperationStatus } = require("@aws/durable-execution-sdk-js-testing");

// The runner's fake clock replaces the global timers and Date: keep the real ones for the
// watchdog and for resetting the clock.
export const realSetTimeout = globalThis.setTimeout;
export const realClearTimeout = globalThis.clearTimeout;
export const realNow = Date.now;
export const RUN_LIMIT_MS = 15_000;

/**
 * Sets up the runner's environment for the calling test file. skipTime installs
 * @sinonjs/fake-timers with its defaults, which fake process.nextTick and queueMicrotask
 * too. node:test's reporter runs on those: faked, its output advances only with the fake
 * clock, and teardown drops what is still queued, leaving the reporter stuck. So those
 * stay real, and so does whatever `alsoReal` names.
 */
export function useRunner({ alsoReal = [] } = {}) {
  const fakeTimers = createRequire(require.resolve("@aws/durable-execution-sdk-js-testing"))("@sinonjs/fake-timers");
  const install = fakeTimers.install;
  before(async () => {
    fakeTimers.install = (config) => install({ ...config, toNotFake: ["nextTick", "queueMicrotask", ...alsoReal] });
    try {
      await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    } finally {
      fakeTimers.install = install;
    }
  });
  after(() => LocalDurableTestRunner.teardownTestEnvironment());
}

export const errorOf = (e) => (e ? { errorType: e.errorType, errorMessage: e.errorMessage, errorData: e.errorData } : undefined);

/** `v` with every `stack` string cut to its first line (frames name each SDK's files). */
export function withoutFrames(v) {
  if (Array.isArray(v)) return v.map(withoutFrames);
  if (v === null || typeof v !== "object") return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === "stack" && typeof x === "string" ? x.split("\n")[0] : withoutFrames(x);
  return out;
}

/** What the tests compare of one recorded operation (stack traces and timestamps left out). */
export function operationOf(op) {
  const type = op.getType();
  const o = { id: op.getId(), parentId: op.getParentId(), name: op.getName(), type, subType: op.getSubType(), status: op.getStatus() };
  const details = (d, extra = {}) => (d ? { result: withoutFrames(d.result), error: errorOf(d.error), ...extra } : undefined);
  if (type === "STEP") {
    const d = op.getStepDetails();
    o.step = details(d, { attempt: d?.attempt });
  } else if (type === "CONTEXT") {
    o.context = details(op.getContextDetails());
    if (op.getOperationData()?.ContextDetails?.ReplayChildren) o.replayChildren = true;
  } else if (type === "CALLBACK") {
    o.callback = details(op.getCallbackDetails());
  } else if (type === "CHAINED_INVOKE") {
    o.invoke = details(op.getChainedInvokeDetails());
  } else if (type === "WAIT") {
    const data = op.getOperationData();
    const start = data?.StartTimestamp, end = data?.WaitDetails?.ScheduledEndTimestamp;
    o.wait = start && end ? { seconds: Math.round((new Date(end) - new Date(start)) / 1000) } : undefined;
  }
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Runs scenario `sc` under `sdk`: `{ status, result, error, operations, seen, invocations }`,
 * or `{ status: "HUNG" }` when the run does not end within `sc.limitMs` (real time).
 * With `cloneSeen`, what was observed is copied when the run ends, so that late work
 * (items of an early-completed batch) cannot change it.
 */
export async function runUnder(sdk, sc, payload = sc.payload ?? {}, { cloneSeen = false } = {}) {
  const env = { seen: [], invocations: 0, ...(sc.env?.() ?? {}) };
  const handler = sc.make(sdk, env);
  const counting = (event, context) => {
    env.invocations++;
    return handler(event, context);
  };
  // skipTime advances the fake clock over each wait, while the runner's checkpoint server
  // (a worker thread) keeps the real one: once the two drift apart by more than a wait, the
  // SDK sees that wait as already due and does not end the invocation. Every run starts
  // with them together, so that the first long wait of a run re-invokes the handler.
  LocalDurableTestRunner.fakeClock?.setSystemTime(realNow());
  const runner = new LocalDurableTestRunner({ handlerFunction: counting });
  sc.setup?.(runner, sdk, env);
  const running = runner.run({ payload });
  const driving = sc.drive ? sc.drive(runner, env).catch((e) => ({ driveError: e })) : undefined;
  let timer;
  const watchdog = new Promise((resolve) => {
    timer = realSetTimeout(() => resolve(undefined), sc.limitMs ?? RUN_LIMIT_MS);
  });
  // The runner itself may throw (its checkpoint server cannot make a Date of a NaN wait).
  const r = await Promise.race([running.catch((e) => ({ runnerError: e })), watchdog]);
  realClearTimeout(timer);
  const seen = cloneSeen ? structuredClone(env.seen) : env.seen;
  if (!r) return { status: "HUNG", seen, invocations: env.invocations };
  if (r.runnerError) return { status: "RUNNER_ERROR", error: { errorType: r.runnerError.name, errorMessage: r.runnerError.message }, seen };
  const driven = driving ? await driving : undefined;
  if (driven?.driveError) throw driven.driveError;
  const status = r.getStatus();
  const out = { status };
  if (status === "SUCCEEDED") out.result = r.getResult();
  else out.error = errorOf(r.getError());
  out.operations = r
    .getOperations()
    .map(operationOf)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  out.seen = seen;
  out.invocations = env.invocations;
  out.runningAtStart = env.runningAtStart;
  return out;
}

export const show = (v) => inspect(v, { depth: 10, breakLength: 140, maxStringLength: 300, maxArrayLength: 50 });

/** The runs of `sc` under both SDKs, checked against each other and against `sc.expect`. */
export async function compare(sc, payload, options) {
  const official = await runUnder(OFFICIAL, sc, payload, options);
  const ours = await runUnder(OURS, sc, payload, options);
  if (process.env.DURABLE_API_DEBUG) console.log(sc.name, show({ official, ours }));
  const pick = ({ status, result, error }) => ({ status, result, error });
  assert.notEqual(ours.status, "HUNG", `ours did not end within ${RUN_LIMIT_MS} ms (official: ${official.status})`);
  assert.deepStrictEqual(pick(ours), pick(official), `status/result/error differ: ours ${show(pick(ours))} vs official ${show(pick(official))}`);
  if (sc.expect) {
    const want = { status: sc.expect.status, result: sc.expect.result, error: sc.expect.error };
    if (want.error) want.error = { errorData: undefined, ...want.error };
    assert.deepStrictEqual(pick(official), want, "official is not what the scenario expects (fix the scenario)");
  }
  assert.deepStrictEqual(ours.operations, official.operations, "recorded operations differ");
  assert.deepStrictEqual(ours.seen, official.seen, "observations (env.seen) differ");
  sc.check?.(official, "official");
  sc.check?.(ours, "ours");
  return { official, ours };
}
