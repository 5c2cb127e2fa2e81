// End to end against the AWS durable execution emulator (dex-local-runner, from the
// PyPI package aws-durable-execution-sdk-python-testing): real HTTP, the emulator's
// own validation of token chain, ordering, Ids and replays. Every scenario runs
// through both transports, with a recording (and, for faults, injecting) proxy between
// the batcher and the emulator. Outcomes and histories are asserted exactly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Emulator, LocalLambda, Proxy, CREDENTIALS, REGION } from "../../scripts/emulator.mjs";
import { bigResult, fanOut, nested, payloads, sequential, waitAndResume } from "./scenarios.mjs";

const require = createRequire(import.meta.url);
const { withDurableCheckpoints, fetchTransport, lambdaClientTransport } = require("durable-checkpoint");
const { Durable } = require("../../examples/dist/durable.js");
const { LambdaClient } = require("@aws-sdk/client-lambda");

let emulator;
let lambda;
let proxy;
before(async () => {
  lambda = await LocalLambda.start();
  emulator = await Emulator.start({ lambdaEndpoint: lambda.endpoint, skipTime: true });
  proxy = await Proxy.start(emulator.base);
});
after(async () => {
  await emulator?.stop();
  await lambda?.close();
  await proxy?.close();
});

const transports = {
  fetch: () => fetchTransport({ endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS }),
  sdk: () => lambdaClientTransport(new LambdaClient({ endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 })),
};

let n = 0;
/**
 * Registers `body(durable, ctx)` as a function, runs one execution of it and returns
 * what happened: the execution, its history, the calls the proxy saw, the batches and
 * the errors the batcher reported.
 */
async function run(transportName, body, { input = {}, faults = [], register = {} } = {}) {
  const name = `fn-${++n}-${transportName}`;
  const batches = [];
  const errors = [];
  proxy.calls = [];
  proxy.faults = faults;
  const handler = withDurableCheckpoints((ctx) => body(new Durable(ctx), ctx), {
    transport: transports[transportName](),
    onBatch: (i) => batches.push(i),
    onError: (e) => errors.push(e.code),
  });
  lambda.register(name, handler, { ...register, emulator });
  const invocationsBefore = lambda.invocations.length;
  const arn = await emulator.startExecution(name, input);
  const execution = await emulator.waitForEnd(arn);
  const history = await emulator.history(arn);
  const invocations = lambda.invocations.slice(invocationsBefore).filter((i) => i.function === name);
  return { execution, history, calls: proxy.calls.slice(), batches, errors, invocations };
}

/** Every (event type, operation) pair at most once, and these operations completed. */
function exactlyOnce(history, { steps = [], contexts = [], waits = [] }) {
  const seen = new Map();
  for (const e of history) {
    if (!e.Id) continue;
    const k = `${e.EventType}:${e.Id}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const dup = [...seen].filter(([, c]) => c > 1);
  assert.deepEqual(dup, [], "an operation was recorded twice");
  for (const id of steps) for (const t of ["StepStarted", "StepSucceeded"]) assert.equal(seen.get(`${t}:${id}`), 1, `${t}:${id}`);
  for (const id of contexts) for (const t of ["ContextStarted", "ContextSucceeded"]) assert.equal(seen.get(`${t}:${id}`), 1, `${t}:${id}`);
  for (const id of waits) for (const t of ["WaitStarted", "WaitSucceeded"]) assert.equal(seen.get(`${t}:${id}`), 1, `${t}:${id}`);
}

const noRejections = (calls) => assert.deepEqual(calls.filter((c) => c.status !== 200), [], "the emulator rejected nothing");
const range = (k) => Array.from({ length: k }, (_, i) => i);
const opts = { timeout: 180_000 };

for (const t of Object.keys(transports)) {
  test(`[${t}] ${sequential.name}: one call each, tokens chained, all recorded once`, opts, async () => {
    const r = await run(t, sequential.body);
    assert.equal(r.execution.Status, "SUCCEEDED");
    assert.equal(r.execution.Result, JSON.stringify(sequential.result));
    exactlyOnce(r.history, sequential);
    noRejections(r.calls);
    assert.equal(r.calls.length, 200, "START and SUCCEED of a step share one call");
    assert.equal(r.invocations.length, 1);
  });

  test(`[${t}] ${nested.name}`, opts, async () => {
    const r = await run(t, nested.body);
    assert.equal(r.execution.Status, "SUCCEEDED");
    assert.equal(r.execution.Result, JSON.stringify(nested.result));
    exactlyOnce(r.history, nested);
    noRejections(r.calls);
    const started = r.history.filter((e) => e.EventType === "ContextStarted").map((e) => [e.Id, e.ParentId ?? null]);
    assert.deepEqual(started, [["ctx1", null], ["ctx2", "ctx1"], ["ctx3", "ctx2"], ["ctx4", "ctx3"]]);
  });

  test(`[${t}] ${fanOut.name} in batches of at most 250`, opts, async () => {
    const r = await run(t, fanOut.body);
    assert.equal(r.execution.Status, "SUCCEEDED");
    assert.equal(r.execution.Result, JSON.stringify(fanOut.result));
    exactlyOnce(r.history, fanOut);
    noRejections(r.calls);
    assert.ok(r.calls.every((c) => c.updates <= 250));
    assert.equal(r.batches.reduce((a, b) => a + b.updates, 0), 2002);
    assert.ok(r.calls.length <= 10, `${r.calls.length} calls`);
  });

  test(`[${t}] ${payloads.name}`, opts, async () => {
    const r = await run(t, payloads.body);
    assert.equal(r.execution.Status, "SUCCEEDED");
    exactlyOnce(r.history, payloads);
    noRejections(r.calls);
    assert.ok(r.calls.every((c) => c.bytes <= 768_000), r.calls.map((c) => c.bytes).join(","));
    assert.ok(r.calls.filter((c) => c.bytes > 600_000).length >= 2, "batches filled close to the limit");
    assert.equal(r.batches.reduce((a, b) => a + b.bytes, 0), r.calls.reduce((a, c) => a + c.bytes, 0), "bytes counted are bytes sent");
  });

  test(`[${t}] a wait suspends (PENDING) and resumes; the second invocation's state is paged with NextMarker`, opts, async () => {
    const sc = waitAndResume(30);
    const r = await run(t, sc.body, { register: { pageInitialState: 100 } });
    assert.equal(r.execution.Status, "SUCCEEDED");
    assert.equal(r.execution.Result, JSON.stringify(sc.result));
    assert.deepEqual(r.invocations.map((i) => i.status), ["PENDING", "SUCCEEDED"]);
    assert.equal(r.invocations[1].paged, true, "the resumed invocation had to follow NextMarker");
    assert.ok([...sc.ran.values()].every((c) => c === 1), "replayed steps did not run again");
    exactlyOnce(r.history, sc);
    noRejections(r.calls);
    assert.ok(r.calls.some((c) => c.kind === "state"), "GetDurableExecutionState was called");
  });

  test(`[${t}] ${bigResult.name} is checkpointed as the EXECUTION's payload`, opts, async () => {
    const r = await run(t, bigResult.body);
    assert.equal(r.execution.Status, "SUCCEEDED");
    assert.equal(r.execution.Result, JSON.stringify(bigResult.result));
    noRejections(r.calls);
    assert.ok(r.calls.some((c) => c.bytes > 7 * 1024 * 1024), "sent alone, over the batch size");
  });

  test(`[${t}] 429 with Retry-After is retried with the same request; nothing duplicated`, opts, async () => {
    const r = await run(t, async (d) => { for (const i of range(5)) await d.step(`s${i}`, () => i); return "ok"; }, {
      faults: [
        { when: (c) => c.kind === "checkpoint", do: "429", retryAfter: 0.05 },
        { when: (c) => c.kind === "checkpoint", do: "429", retryAfter: 0.05 },
      ],
    });
    assert.equal(r.execution.Status, "SUCCEEDED");
    assert.equal(r.invocations.length, 1);
    assert.equal(r.batches.reduce((a, b) => a + b.attempts - 1, 0), 2);
    exactlyOnce(r.history, { steps: range(5).map((i) => `s${i}`) });
  });

  test(`[${t}] poll: rides with a batch, or makes an empty checkpoint the service accepts; the token chain goes on`, opts, async () => {
    const polled = [];
    const r = await run(t, async (d, ctx) => {
      const s = { Id: "polled", Name: "polled", Type: "STEP", SubType: "Step" };
      ctx.batcher.checkpointAsync({ ...s, Action: "START" });
      polled.push(await ctx.batcher.poll()); // rides with the START
      ctx.batcher.checkpointAsync({ ...s, Action: "SUCCEED", Payload: "1" });
      await ctx.batcher.flush();
      polled.push(await ctx.batcher.poll()); // alone: Updates []
      return d.step("after", () => 2);
    });
    assert.equal(r.execution.Status, "SUCCEEDED");
    noRejections(r.calls);
    const checkpoints = r.calls.filter((c) => c.kind === "checkpoint");
    assert.equal(checkpoints.filter((c) => c.updates === 0).length, 1, "one empty call, for the lone poll");
    const started = polled[0].find((o) => o.Id === "polled");
    assert.equal(started?.Status, "STARTED", "the riding poll got the batch's response");
    assert.ok(started.StartTimestamp instanceof Date);
    assert.ok(Array.isArray(polled[1]));
    assert.ok(r.batches.some((b) => b.updates === 0));
    exactlyOnce(r.history, { steps: ["polled", "after"] });
  });

  test(`[${t}] gate: updates under a finished child context are refused ORPHANED and never reach the history`, opts, async () => {
    const refused = [];
    let release;
    const late = new Promise((r) => (release = r));
    const r = await run(t, async (d, ctx) => {
      let branch;
      const out = await d.child("ctx", async (parentId) => {
        await d.step("quick", () => "q", { parentId });
        // A branch that outlives its context: its updates arrive after the SUCCEED.
        branch = late.then(() =>
          d.step("slow", () => "s", { parentId }).catch((e) => {
            refused.push(e.code);
          }),
        );
        return "ctx-done";
      });
      release();
      await branch;
      await d.step("next", () => 3);
      return out;
    });
    assert.equal(r.execution.Status, "SUCCEEDED");
    assert.equal(r.execution.Result, '"ctx-done"');
    assert.deepEqual(refused, ["ORPHANED"]);
    assert.deepEqual(r.errors, [], "ORPHANED never latches");
    noRejections(r.calls);
    assert.equal(r.history.filter((e) => e.Id === "slow").length, 0, "nothing of the orphan was recorded");
    exactlyOnce(r.history, { steps: ["quick", "next"], contexts: ["ctx"] });
  });

  for (const [fault, code] of [["500", "TRANSIENT"], ["drop", "TRANSIENT"], ["drop-after", "TRANSIENT"], ["stale", "INVALID_TOKEN"]]) {
    test(`[${t}] fault ${fault}: ${code}, the invocation is retried by the service, every operation recorded once`, opts, async () => {
      const ran = new Map();
      const r = await run(t, async (d) => {
        for (const i of range(4)) await d.step(`s${i}`, () => { ran.set(i, (ran.get(i) ?? 0) + 1); return i; });
        return "done";
      }, { faults: [{ when: (c) => c.kind === "checkpoint" && proxy.calls.filter((x) => x.kind === "checkpoint").length === 3, do: fault }] });
      assert.equal(r.execution.Status, "SUCCEEDED");
      assert.equal(r.execution.Result, '"done"');
      assert.deepEqual(r.errors, [code], "the batcher reported the SPEC §7 code");
      assert.equal(r.invocations.length, 2, "INVOCATION scope: thrown, and Lambda retried");
      exactlyOnce(r.history, { steps: range(4).map((i) => `s${i}`) });
      // Steps acknowledged before the fault were replayed, not re-run.
      assert.equal(ran.get(0), 1);
      assert.equal(ran.get(1), 1);
    });
  }
}
