// SPEC §10: the Lambda wrapper's Status mapping, large results, initial-state paging.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withDurableCheckpoints, suspend, MAX_INLINE_RESULT_BYTES } from "durable-checkpoint";
import { fakeTransport, httpError, step } from "./helpers.mjs";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/run-1/exec-1";
const event = (ops = [], marker) => ({
  DurableExecutionArn: ARN,
  CheckpointToken: "tok0",
  InitialExecutionState: {
    Operations: [
      { Id: "exec-1", Type: "EXECUTION", Status: "STARTED", StartTimestamp: 1700000000000, ExecutionDetails: { InputPayload: '{"order":7}' } },
      ...ops,
    ],
    ...(marker ? { NextMarker: marker } : {}),
  },
});

test("success: SUCCEEDED with the JSON result, batcher flushed and closed before returning", async () => {
  const t = fakeTransport();
  let kept;
  const handler = withDurableCheckpoints(async ({ batcher, input, operations, event: ev, lambdaContext }) => {
    kept = batcher;
    assert.deepEqual(input, { order: 7 });
    assert.ok(operations.get("exec-1").StartTimestamp instanceof Date);
    assert.equal(ev.DurableExecutionArn, ARN);
    assert.deepEqual(lambdaContext, { awsRequestId: "r" });
    batcher.checkpointAsync(step("s1"));
    batcher.checkpointAsync(step("s1", "SUCCEED", { Payload: "1" }));
    return { ok: true };
  }, { transport: t });
  const out = await handler(event(), { awsRequestId: "r" });
  assert.deepEqual(out, { Status: "SUCCEEDED", Result: '{"ok":true}' });
  assert.equal(t.calls.flatMap((c) => c.input.Updates).length, 2, "flushed before return");
  assert.throws(() => kept.checkpointAsync(step("late")), (e) => e.code === "CLOSED");
});

test("a thrown error returns FAILED with ErrorType, ErrorMessage and StackTrace", async () => {
  const out = await withDurableCheckpoints(async () => { throw new RangeError("nope"); }, { transport: fakeTransport() })(event());
  assert.equal(out.Status, "FAILED");
  assert.equal(out.Error.ErrorType, "RangeError");
  assert.equal(out.Error.ErrorMessage, "nope");
  assert.ok(Array.isArray(out.Error.StackTrace) && out.Error.StackTrace.length > 0);
});

test("EXECUTION-scope checkpoint errors return FAILED; INVOCATION-scope errors are thrown for Lambda to retry", async () => {
  const rejected = fakeTransport(() => { throw httpError(413, "RequestEntityTooLargeException", "too big"); });
  const out = await withDurableCheckpoints(async ({ batcher }) => { await batcher.checkpoint(step("a")); }, { transport: rejected })(event());
  assert.equal(out.Status, "FAILED");
  assert.equal(out.Error.ErrorType, "CheckpointError");

  const transient = fakeTransport(() => { throw httpError(503, "ServiceException", "later"); });
  await assert.rejects(
    withDurableCheckpoints(async ({ batcher }) => { await batcher.checkpoint(step("a")); }, { transport: transient })(event()),
    (e) => e.code === "TRANSIENT" && e.scope === "INVOCATION",
  );
});

test("the final flush decides when a fire-and-forget checkpoint failed", async () => {
  const rejected = fakeTransport(() => { throw httpError(400, "InvalidParameterValueException", "bad"); });
  const out = await withDurableCheckpoints(async ({ batcher }) => { batcher.checkpointAsync(step("a")); return 1; }, { transport: rejected })(event());
  assert.equal(out.Status, "FAILED");
  const throttled = fakeTransport(() => { throw httpError(500, "Unknown", "x"); });
  await assert.rejects(withDurableCheckpoints(async ({ batcher }) => { batcher.checkpointAsync(step("a")); }, { transport: throttled })(event()), (e) => e.code === "TRANSIENT");
});

test("TOKEN_REVOKED and suspend() return PENDING, after flushing", async () => {
  const noToken = fakeTransport(() => ({ NewExecutionState: {} }));
  const out = await withDurableCheckpoints(async ({ batcher }) => {
    await batcher.checkpoint(step("a"));
    await batcher.checkpoint(step("b"));
  }, { transport: noToken })(event());
  assert.deepEqual(out, { Status: "PENDING" });

  const t = fakeTransport();
  const out2 = await withDurableCheckpoints(async ({ batcher }) => {
    batcher.checkpointAsync({ Id: "w", Type: "WAIT", Action: "START", WaitOptions: { WaitSeconds: 60 } });
    suspend();
  }, { transport: t })(event());
  assert.deepEqual(out2, { Status: "PENDING" });
  assert.equal(t.calls[0].input.Updates[0].Id, "w", "the WAIT was flushed first");
});

test("a result over 6 MiB - 50 bytes is checkpointed as the EXECUTION's SUCCEED payload", async () => {
  const t = fakeTransport();
  const big = "x".repeat(MAX_INLINE_RESULT_BYTES); // JSON adds two quotes: over the limit
  const out = await withDurableCheckpoints(async () => big, { transport: t })(event());
  assert.deepEqual(out, { Status: "SUCCEEDED", Result: "" });
  const u = t.calls.at(-1).input.Updates.at(-1);
  assert.deepEqual([u.Id, u.Type, u.Action], ["exec-1", "EXECUTION", "SUCCEED"]);
  assert.equal(u.Payload, JSON.stringify(big));

  const t2 = fakeTransport();
  const fits = "y".repeat(MAX_INLINE_RESULT_BYTES - 2);
  const out2 = await withDurableCheckpoints(async () => fits, { transport: t2 })(event());
  assert.equal(out2.Result, JSON.stringify(fits));
  assert.equal(t2.calls.length, 0);
});

test("InitialExecutionState.NextMarker is paged before the first checkpoint", async () => {
  const order = [];
  const t = {
    async checkpoint(input) { order.push(["checkpoint", input.CheckpointToken]); return { CheckpointToken: "t1", NewExecutionState: {} }; },
    async getExecutionState(input) {
      order.push(["state", input.CheckpointToken, input.Marker]);
      return input.Marker === "m1"
        ? { Operations: [{ Id: "old-1", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: 1700000000000 }], NextMarker: "m2" }
        : { Operations: [{ Id: "old-2", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: 1700000000000 }] };
    },
  };
  const out = await withDurableCheckpoints(async ({ batcher, operations }) => {
    assert.deepEqual([...operations.keys()].sort(), ["exec-1", "old-1", "old-2"]);
    await batcher.checkpoint(step("new"));
    return "done";
  }, { transport: t })(event([], "m1"));
  assert.equal(out.Status, "SUCCEEDED");
  assert.deepEqual(order, [["state", "tok0", "m1"], ["state", "tok0", "m2"], ["checkpoint", "tok0"]]);
});

test("operations stay current from checkpoint responses", async () => {
  const t = fakeTransport((input) => ({
    CheckpointToken: "t1",
    NewExecutionState: { Operations: [{ Id: "cb", Type: "CALLBACK", Status: "STARTED", StartTimestamp: 1700000000, CallbackDetails: { CallbackId: "abc" } }] },
  }));
  await withDurableCheckpoints(async ({ batcher, operations }) => {
    await batcher.checkpoint({ Id: "cb", Type: "CALLBACK", Action: "START" });
    assert.equal(operations.get("cb").CallbackDetails.CallbackId, "abc");
  }, { transport: t })(event());
});

test("after the wrapper returns, late calls on its batcher fail CLOSED and nothing crashes", async () => {
  const { withDurableCheckpoints } = await import("durable-checkpoint");
  let kept;
  const calls = [];
  const transport = { async checkpoint(input) { calls.push(input); return { CheckpointToken: `t${calls.length}`, NewExecutionState: { Operations: [] } }; } };
  const handler = withDurableCheckpoints(async ({ batcher }) => {
    kept = batcher;
    await batcher.checkpoint({ Id: "a", Type: "STEP", Action: "START" });
    return 1;
  }, { transport });
  const out = await handler({ DurableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f/durable-execution/r/e", CheckpointToken: "tok0", InitialExecutionState: { Operations: [] } });
  assert.equal(out.Status, "SUCCEEDED");
  assert.throws(() => kept.checkpointAsync({ Id: "late", Type: "STEP", Action: "START" }), (e) => e.code === "CLOSED");
  await kept.flush();
  await kept.close();
  await assert.rejects(kept.poll(), (e) => e.code === "CLOSED");
  assert.equal(kept.stats.apiCalls, 1);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(calls.length, 1);
});
