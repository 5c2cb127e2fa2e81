// The handler-level scenarios again, under the official JS testing package
// (@aws/durable-execution-sdk-js-testing's LocalDurableTestRunner), whose checkpoint
// validator checks parent-before-child order, EXECUTION-last and duplicate Ids. The
// handler is ours, not the official SDK's: the runner's `event.durableExecutionClient`
// is used as the durable-checkpoint transport, unadapted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { bigResult, fanOut, nested, payloads, sequential, waitAndResume } from "./scenarios.mjs";

const require = createRequire(import.meta.url);
const { withDurableCheckpoints } = require("durable-checkpoint");
const { Durable } = require("../../examples/dist/durable.js");
const { LocalDurableTestRunner } = require("@aws/durable-execution-sdk-js-testing");

before(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: false }));
after(() => LocalDurableTestRunner.teardownTestEnvironment());

/** Runs `body` as a durable function under the runner; returns its result object and our batches. */
async function run(body, payload = {}) {
  const batches = [];
  const runner = new LocalDurableTestRunner({
    handlerFunction: (event, context) =>
      withDurableCheckpoints((ctx) => body(new Durable(ctx), ctx), {
        transport: event.durableExecutionClient,
        onBatch: (i) => batches.push(i),
      })(event, context),
  });
  const result = await runner.run({ payload });
  return { result, batches };
}

function succeeded(result) {
  if (result.getStatus() !== "SUCCEEDED") assert.fail(`${result.getStatus()}: ${JSON.stringify(result.getError())}`);
}

/** Every expected operation is there once and SUCCEEDED. */
function allSucceeded(result, ids) {
  const ops = result.getOperations();
  const byId = new Map();
  for (const op of ops) byId.set(op.getId(), (byId.get(op.getId()) ?? 0) + 1);
  for (const id of ids) {
    assert.equal(byId.get(id), 1, `operation ${id} once`);
  }
  for (const op of ops) if (ids.includes(op.getId())) assert.equal(op.getStatus(), "SUCCEEDED", op.getId());
}

const opts = { timeout: 120_000 };

for (const sc of [sequential, nested, fanOut, payloads]) {
  test(`official runner: ${sc.name}`, opts, async () => {
    const { result, batches } = await run(sc.body);
    succeeded(result);
    assert.deepEqual(result.getResult(), sc.result);
    allSucceeded(result, [...sc.steps, ...(sc.contexts ?? [])]);
    assert.ok(batches.every((b) => b.updates <= 250));
  });
}

test("official runner: a wait suspends the invocation and the runner resumes it", opts, async () => {
  const sc = waitAndResume(1);
  const { result } = await run(sc.body);
  succeeded(result);
  assert.equal(result.getResult(), sc.result);
  assert.equal(result.getInvocations().length, 2);
  assert.ok([...sc.ran.values()].every((c) => c === 1), "replayed steps did not run again");
  allSucceeded(result, [...sc.steps, ...sc.waits]);
});

test("official runner: a result over 6 MiB goes through the EXECUTION checkpoint", opts, async () => {
  const { result, batches } = await run(bigResult.body);
  succeeded(result);
  assert.equal(result.getResult(), bigResult.result);
  assert.ok(batches.some((b) => b.bytes > 7 * 1024 * 1024));
});

test("official runner: its validator's refusal is REJECTED and the execution FAILS", opts, async () => {
  // A ParentId that is not a context: the runner refuses the batch.
  const { result } = await run(async (d, ctx) => {
    await d.step("plain", () => 1);
    await ctx.batcher.checkpoint({ Id: "orphan", ParentId: "plain", Type: "STEP", Action: "START" });
    return "unreachable";
  });
  assert.equal(result.getStatus(), "FAILED");
  assert.equal(result.getError()?.errorType, "CheckpointError");
  assert.match(result.getError()?.errorMessage ?? "", /REJECTED|parent/i);
});
