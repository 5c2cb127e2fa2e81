// SPEC §3-§9 as seen from JavaScript: ordering, limits, token chain, throttling,
// errors and scopes, the latch, fire-and-forget failures, execution state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CheckpointBatcher, CheckpointError, sortUpdates } from "durable-checkpoint";
import { TooManyRequestsException, ServiceException, InvalidParameterValueException, LambdaServiceException } from "@aws-sdk/client-lambda";
import { batcher, fakeTransport, httpError, sleep, step } from "./helpers.mjs";

test("sortUpdates: EXECUTION completion last, context START first, START before completion, stable", () => {
  const u = [
    { Id: "exec", Type: "EXECUTION", Action: "SUCCEED" },
    { Id: "child", ParentId: "ctx", Type: "STEP", Action: "START" },
    { Id: "x", Type: "STEP", Action: "SUCCEED" },
    { Id: "ctx", Type: "CONTEXT", Action: "START" },
    { Id: "x", Type: "STEP", Action: "START" },
  ];
  const sorted = sortUpdates(u);
  assert.deepEqual(sorted.map((s) => `${s.Id}:${s.Action}`), ["ctx:START", "child:START", "x:START", "x:SUCCEED", "exec:SUCCEED"]);
  assert.equal(sorted[0], u[3], "the same objects, reordered");
  // The seed's counterexample.
  assert.deepEqual(
    sortUpdates([
      { Id: "c", ParentId: "P", Type: "STEP", Action: "START" },
      { Id: "X", Type: "STEP", Action: "START" },
      { Id: "P", Type: "CONTEXT", Action: "START" },
    ]).map((s) => s.Id),
    ["X", "P", "c"],
  );
  // Cycles terminate.
  assert.equal(sortUpdates([{ Id: "a", ParentId: "b", Type: "CONTEXT", Action: "START" }, { Id: "b", ParentId: "a", Type: "CONTEXT", Action: "START" }]).length, 2);
});

test("batches are ordered, one call per burst, and the body is the wire envelope", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  const done = [
    b.checkpoint({ Id: "child", ParentId: "ctx", Type: "STEP", Action: "START", Name: undefined }),
    b.checkpoint({ Id: "exec", Type: "EXECUTION", Action: "SUCCEED", Payload: "{}" }),
    b.checkpoint({ Id: "ctx", Type: "CONTEXT", Action: "START", SubType: "RunInChildContext" }),
  ];
  await Promise.all(done);
  assert.equal(t.calls.length, 1);
  const input = t.calls[0].input;
  assert.deepEqual(Object.keys(input), ["DurableExecutionArn", "CheckpointToken", "Updates", "ClientToken"]);
  assert.equal(input.CheckpointToken, "tok0");
  assert.match(input.ClientToken, /^[0-9a-f-]{36}$/);
  assert.deepEqual(input.Updates.map((u) => u.Id), ["ctx", "child", "exec"]);
  assert.equal("Name" in input.Updates[1], false, "undefined keys are absent");
});

test("what a full batch leaves queued waits one quiet turn after the answer, so the awaits it releases join it", async () => {
  const t = fakeTransport(() => sleep(20));
  const b = batcher(t, { maxBatchOperations: 2 });
  const first = b.checkpoint(step("a"));
  await sleep(5); // a is on the wire
  b.checkpointAsync(step("b"));
  const released = b.checkpoint(step("c")).then(() => b.checkpoint(step("d")));
  b.checkpointAsync(step("e"));
  await sleep(5); // b, c, e have seen a quiet turn
  await first;
  await released;
  await b.close();
  // The answer to [b, c] releases d: without the turn after it, e would go alone and d in a fifth call.
  assert.deepEqual(t.calls.map((c) => c.input.Updates.map((u) => u.Id)), [["a"], ["b", "c"], ["e", "d"]]);
});

test("maxBatchOperations and maxBatchSizeBytes close batches; stats count acknowledged work", async () => {
  const t = fakeTransport();
  const b = batcher(t, { maxBatchOperations: 3 });
  await Promise.all(Array.from({ length: 7 }, (_, i) => b.checkpoint(step(`s${i}`))));
  assert.deepEqual(t.calls.map((c) => c.input.Updates.length), [3, 3, 1]);
  assert.deepEqual(b.stats.apiCalls, 3);
  assert.deepEqual(b.stats.updatesSent, 7);

  const t2 = fakeTransport();
  const b2 = batcher(t2, { maxBatchSizeBytes: 1000 });
  await Promise.all(Array.from({ length: 6 }, (_, i) => b2.checkpoint(step(`p${i}`, "SUCCEED", { Payload: "x".repeat(300) }))));
  for (const c of t2.calls) {
    const bytes = Buffer.byteLength(JSON.stringify({ CheckpointToken: c.input.CheckpointToken, Updates: c.input.Updates, ClientToken: c.input.ClientToken }));
    assert.ok(bytes <= 1000, `${bytes} bytes`);
  }
  assert.equal(t2.calls.flatMap((c) => c.input.Updates).length, 6);
  assert.ok(t2.calls.length >= 3);
  const sent = t2.calls.reduce((n, c) => n + Buffer.byteLength(JSON.stringify({ CheckpointToken: c.input.CheckpointToken, Updates: c.input.Updates, ClientToken: c.input.ClientToken })), 0);
  assert.equal(b2.stats.bytesSent, sent, "bytesSent is the exact wire size");
});

test("the checkpoint token chains from call to call", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  for (let i = 0; i < 4; i++) await b.checkpoint(step(`s${i}`));
  assert.deepEqual(t.calls.map((c) => c.input.CheckpointToken), ["tok0", "t1", "t2", "t3"]);
  assert.equal(b.checkpointToken, "t4");
  assert.equal(new Set(t.calls.map((c) => c.input.ClientToken)).size, 4, "one ClientToken per batch");
});

test("idle policy: an awaited step costs one round trip; window policy waits maxBatchTimeMs", async () => {
  const t = fakeTransport(async () => { await sleep(5); });
  const b = batcher(t);
  const began = performance.now();
  b.checkpointAsync(step("a"));
  await b.checkpoint(step("a", "SUCCEED"));
  assert.ok(performance.now() - began < 200, "no lingering");
  assert.equal(t.calls.length, 1);

  const tw = fakeTransport();
  const bw = batcher(tw, { flush: "window", maxBatchTimeMs: 80 });
  const w0 = performance.now();
  await Promise.all([bw.checkpoint(step("a")), sleep(20).then(() => bw.checkpoint(step("b")))]);
  assert.ok(performance.now() - w0 >= 75);
  assert.equal(tw.calls.length, 1);
  assert.equal(tw.calls[0].input.Updates.length, 2);
});

test("throttling: 100/200/400/800/1600 ms, same token and ClientToken, then THROTTLED", async () => {
  const t = fakeTransport(() => { throw new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }); });
  const errors = [];
  const b = batcher(t, { onError: (e) => errors.push(e) });
  const err = await b.checkpoint(step("a")).catch((e) => e);
  assert.ok(err instanceof CheckpointError);
  assert.equal(err.code, "THROTTLED");
  assert.equal(err.scope, "INVOCATION");
  assert.equal(err.retriable, true);
  assert.deepEqual(err.operationIds, ["a"]);
  assert.ok(err.cause instanceof TooManyRequestsException, "cause is the transport's error");
  assert.equal(t.calls.length, 6);
  const gaps = t.calls.slice(1).map((c, i) => c.at - t.calls[i].at);
  [100, 200, 400, 800, 1600].forEach((d, i) => assert.ok(gaps[i] >= d - 5 && gaps[i] < d + 150, `gap ${i}: ${gaps[i]} for ${d}`));
  assert.equal(new Set(t.calls.map((c) => c.input.ClientToken)).size, 1);
  assert.equal(new Set(t.calls.map((c) => c.input.CheckpointToken)).size, 1);
  assert.deepEqual(b.stats, { apiCalls: 0, updatesSent: 0, bytesSent: 0, retries: 5 });
  assert.deepEqual(errors, [err]);
});

test("Retry-After (retryAfterSeconds or header) replaces one wait", async () => {
  let n = 0;
  const t = fakeTransport(() => {
    n++;
    if (n === 1) throw new TooManyRequestsException({ message: "slow down", $metadata: { httpStatusCode: 429 }, retryAfterSeconds: "0.3" });
    if (n === 2) throw Object.assign(httpError(429, "Unknown", "Rate exceeded"), { $response: { headers: { "retry-after": "0.05" } } });
  });
  const b = batcher(t);
  await b.checkpoint(step("a"));
  const [a, b1, c] = t.calls.map((x) => x.at);
  assert.ok(b1 - a >= 295 && b1 - a < 450, `${b1 - a}`);
  assert.ok(c - b1 >= 45 && c - b1 < 150, `${c - b1}`);
  assert.equal(b.stats.retries, 2);
});

const cases = [
  ["INVALID_TOKEN", "INVOCATION", () => new InvalidParameterValueException({ message: "invalid checkpoint token", $metadata: { httpStatusCode: 400 } })],
  ["INVALID_TOKEN", "INVOCATION", () => httpError(400, "Unknown", "Invalid Checkpoint Token: already used", { Type: "InvalidParameterValueException" })],
  ["TRANSIENT", "INVOCATION", () => new ServiceException({ message: "oops", $metadata: { httpStatusCode: 500 } })],
  ["TRANSIENT", "INVOCATION", () => httpError(503, "Unknown", "unavailable")],
  ["TRANSIENT", "INVOCATION", () => new TypeError("fetch failed")],
  ["REJECTED", "EXECUTION", () => httpError(413, "RequestEntityTooLargeException", "too large")],
  ["REJECTED", "EXECUTION", () => new InvalidParameterValueException({ message: "Name is bad", $metadata: { httpStatusCode: 400 } })],
  ["REJECTED", "EXECUTION", () => new LambdaServiceException({ name: "KMSAccessDeniedException", $fault: "server", message: "kms", $metadata: { httpStatusCode: 502 } })],
  ["REJECTED", "EXECUTION", () => httpError(400, "Unknown", "bad", { Type: "KMSInvalidStateException" })],
  // Rebuilt across a worker boundary: the name survives only in the stack.
  ["REJECTED", "EXECUTION", () => Object.assign(new Error("Invalid parent operation id."), { stack: "InvalidParameterValueException: Invalid parent operation id.\n    at worker" })],
];
for (const [code, scope, make] of cases) {
  test(`classification: ${make().name} ${make().$metadata?.httpStatusCode ?? ""} -> ${code}`, async () => {
    const cause = make();
    const t = fakeTransport(() => { throw cause; });
    const b = batcher(t);
    const err = await b.checkpoint(step("a")).catch((e) => e);
    assert.equal(err.code, code);
    assert.equal(err.scope, scope);
    assert.equal(err.retriable, scope === "INVOCATION");
    assert.equal(err.cause, cause);
    assert.equal(t.calls.length, 1, "not retried");
  });
}

test("the latch: queued and later checkpoints fail with the same error; nothing more is sent", async () => {
  const t = fakeTransport(async () => { await sleep(5); throw httpError(500, "ServiceException", "boom"); });
  const hook = [];
  const b = batcher(t, { maxBatchOperations: 1, onError: (e) => hook.push(e) });
  b.checkpointAsync(step("a"));
  const queued = b.checkpoint(step("b")).catch((e) => e);
  const flushErr = await b.flush().catch((e) => e);
  assert.equal(flushErr.code, "TRANSIENT");
  assert.equal(await queued, flushErr, "same error object");
  assert.throws(() => b.checkpointAsync(step("c")), (e) => e === flushErr);
  assert.equal(await b.checkpoint(step("d")).catch((e) => e), flushErr);
  assert.equal(await b.close().catch((e) => e), flushErr);
  assert.deepEqual(hook, [flushErr], "onError once");
  assert.equal(t.calls.length, 1);
});

test("fire-and-forget failures surface through flush, close and onError", async () => {
  const t = fakeTransport(() => { throw httpError(400, "InvalidParameterValueException", "Payload too large"); });
  const hook = [];
  const b = batcher(t, { onError: (e) => hook.push(e) });
  b.checkpointAsync(step("a"));
  b.checkpointAsync(step("b"));
  const e = await b.close().catch((x) => x);
  assert.equal(e.code, "REJECTED");
  assert.equal(e.scope, "EXECUTION");
  assert.deepEqual(e.operationIds, ["a", "b"]);
  assert.deepEqual(hook, [e]);
});

test("a response without a token: TOKEN_REVOKED for the rest; after the EXECUTION completion: CLOSED", async () => {
  const t = fakeTransport(async () => { await sleep(5); return { NewExecutionState: { Operations: [] } }; });
  const b = batcher(t);
  await b.checkpoint(step("a"));
  const e = await b.checkpoint(step("b")).catch((x) => x);
  assert.equal(e.code, "TOKEN_REVOKED");
  assert.equal(e.scope, "INVOCATION");
  assert.equal(t.calls.length, 1);
  assert.equal(b.checkpointToken, undefined);

  const t2 = fakeTransport(() => ({ CheckpointToken: "", NewExecutionState: {} }));
  const b2 = batcher(t2);
  b2.checkpointAsync({ Id: "exec", Type: "EXECUTION", Action: "SUCCEED", Payload: "1" });
  await b2.close();
  assert.throws(() => b2.checkpointAsync(step("late")), (x) => x.code === "CLOSED" && x.scope === "EXECUTION" && !x.retriable);
});

test("checkpoint after close is CLOSED; checkpoint rejects (not throws) on bad input", async () => {
  const b = batcher(fakeTransport());
  const p = b.checkpoint({ Id: "", Type: "STEP", Action: "START" });
  assert.ok(p instanceof Promise);
  const e = await p.catch((x) => x);
  assert.equal(e.code, "INVALID_UPDATE");
  assert.equal(e.field, "Id");
  await b.close();
  assert.equal((await b.checkpoint(step("x")).catch((x) => x)).code, "CLOSED");
});

test("NewExecutionState reaches onOperations, NextMarker pages followed with the new token, before the checkpoint resolves", async () => {
  const seen = [];
  const pages = [];
  const t = {
    async checkpoint() {
      return { CheckpointToken: "new", NewExecutionState: { Operations: [{ Id: "cb", Type: "CALLBACK", Status: "STARTED", StartTimestamp: 1700000000, CallbackDetails: { CallbackId: "cid" } }], NextMarker: "m1" } };
    },
    async getExecutionState(input) {
      pages.push(input);
      return input.Marker === "m1"
        ? { Operations: [{ Id: "p2", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: 1700000000123 }], NextMarker: "m2" }
        : { Operations: [{ Id: "p3", Type: "WAIT", Status: "STARTED", StartTimestamp: new Date(5), WaitDetails: { ScheduledEndTimestamp: "1700000100" } }], NextMarker: "" };
    },
  };
  const b = batcher(t, { onOperations: (ops) => seen.push(...ops) });
  await b.checkpoint({ Id: "cb", Type: "CALLBACK", Action: "START" });
  assert.deepEqual(seen.map((o) => o.Id), ["cb", "p2", "p3"], "delivered before the promise resolved");
  assert.equal(seen[0].CallbackDetails.CallbackId, "cid");
  assert.deepEqual(pages.map((p) => [p.CheckpointToken, p.Marker, p.MaxItems]), [["new", "m1", 1000], ["new", "m2", 1000]]);
  assert.equal(seen[0].StartTimestamp.getTime(), 1700000000000, "epoch seconds");
  assert.equal(seen[1].StartTimestamp.getTime(), 1700000000123, "epoch milliseconds");
  assert.equal(seen[2].StartTimestamp.getTime(), 5, "Dates kept");
  assert.equal(seen[2].WaitDetails.ScheduledEndTimestamp.getTime(), 1700000100000);
});

test("options are checked: TypeError for wrong types, RangeError for impossible values", () => {
  const transport = fakeTransport();
  const base = { durableExecutionArn: "arn", checkpointToken: "t", transport };
  assert.throws(() => new CheckpointBatcher({ ...base, transport: {} }), TypeError);
  assert.throws(() => new CheckpointBatcher({ ...base, maxBatchOperations: "5" }), /maxBatchOperations/);
  assert.throws(() => new CheckpointBatcher({ ...base, maxBatchOperations: 0 }), RangeError);
  assert.throws(() => new CheckpointBatcher({ ...base, maxBatchSizeBytes: 1.5 }), RangeError);
  assert.throws(() => new CheckpointBatcher({ ...base, flush: "eager" }), /flush/);
  assert.throws(() => new CheckpointBatcher({ ...base, onBatch: 3 }), /onBatch/);
  assert.throws(() => new CheckpointBatcher({ ...base, checkpointToken: "" }), RangeError);
  assert.throws(() => new CheckpointBatcher({ ...base, checkpointToken: "x".repeat(2049) }), RangeError);
  assert.throws(() => new CheckpointBatcher({ ...base, durableExecutionArn: 1 }), TypeError);
});

test("onBatch reports each call", async () => {
  const infos = [];
  const b = batcher(fakeTransport(), { onBatch: (i) => infos.push(i) });
  await b.checkpoint(step("a"));
  assert.equal(infos.length, 1);
  assert.deepEqual(Object.keys(infos[0]).sort(), ["attempts", "bytes", "latencyMs", "operationIds", "updates"]);
  assert.deepEqual([infos[0].updates, infos[0].attempts, infos[0].operationIds], [1, 1, ["a"]]);
  assert.equal(infos[0].bytes, b.stats.bytesSent);
});

test("the latched error stays the same object across refusals of single updates", async () => {
  const b = batcher(fakeTransport(() => Promise.reject(httpError(500, "ServiceException", "boom"))));
  const first = await b.checkpoint(step("a")).catch((e) => e);
  assert.equal(first.code, "TRANSIENT");
  assert.throws(() => b.checkpointAsync(step("bad id")), (e) => e.code === "INVALID_UPDATE");
  assert.throws(() => b.checkpointAsync({ Id: "x", ParentId: "gone", Type: "STEP", Action: "START" }), (e) => e.code === "TRANSIENT");
  b.finishContext("gone");
  assert.throws(() => b.checkpointAsync({ Id: "y", ParentId: "gone", Type: "STEP", Action: "START" }), (e) => e.code === "ORPHANED");
  const later = await b.checkpoint(step("c")).catch((e) => e);
  assert.equal(later, first, "the very same error object");
  assert.equal(await b.poll().catch((e) => e), first);
  assert.equal(await b.close().catch((e) => e), first);
});

test("an update whose getter throws is refused INVALID_UPDATE, and the batcher goes on", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  const bad = { Id: "g", Type: "STEP", Action: "START", get Name() { throw new Error("boom"); } };
  assert.throws(() => b.checkpointAsync(bad), (e) => e instanceof CheckpointError && e.code === "INVALID_UPDATE");
  const mutable = { Id: "m", Type: "STEP", Action: "START", Name: "before" };
  const done = b.checkpoint(mutable);
  mutable.Name = "after"; // changed after enqueue: what was accepted is what is sent
  await done;
  assert.deepEqual(t.calls[0].input.Updates, [{ Id: "m", Type: "STEP", Action: "START", Name: "before" }]);
});

test("sortUpdates refuses Ids with tabs or newlines by name (the fast path cannot carry them)", () => {
  for (const Id of ["a\tb", "a\nb"]) {
    assert.throws(() => sortUpdates([{ Id, Type: "STEP", Action: "START" }]), (e) => e.code === "INVALID_UPDATE" && e.field === "updates[0].Id");
    assert.throws(() => sortUpdates([{ Id: "x", ParentId: Id, Type: "STEP", Action: "START" }]), (e) => e.code === "INVALID_UPDATE" && e.field === "updates[0].ParentId");
  }
  assert.deepEqual(sortUpdates([{ Id: "c", ParentId: "p", Type: "STEP", Action: "START" }, { Id: "p", Type: "CONTEXT", Action: "START" }]).map((u) => u.Id), ["p", "c"]);
});

test("the core's integer sort entry declines malformed numbers (the JS API then uses the full reader) and never traps", async () => {
  const { createRequire } = await import("node:module");
  const { sortOrderNodes } = createRequire(import.meta.url)("../../pkg/durable_checkpoint.js");
  // Per update: Id node, ParentId node + 1 (0: none), 8 × type + action (16: STEP START).
  assert.deepEqual([...sortOrderNodes(2, new Uint32Array([0, 0, 16, 1, 1, 16]))].sort(), [0, 1]);
  assert.equal(sortOrderNodes(4, new Uint32Array([0, 0, 16, 1, 1, 16])).length, 2, "2n distinct Ids are possible");
  for (const [count, items, why] of [
    [5, [0, 0, 16, 1, 1, 16], "more nodes than 2n updates can name"],
    [0xffffffff, [0, 0, 16], "a node count that would only size buffers"],
    [2, [2, 0, 16], "an Id node outside the count"],
    [2, [0, 3, 16], "a ParentId node outside the count"],
    [1, [0, 1, 16], "its own parent"],
    [1, [0, 0, 255], "an unknown type code"],
    [1, [0, 0, 23], "an unknown action code"],
    [1, [0, 0], "a partial update"],
  ]) {
    assert.equal(sortOrderNodes(count, new Uint32Array(items)).length, 0, why);
  }
  assert.equal(sortUpdates([{ Id: "a", Type: "STEP", Action: "START" }]).length, 1, "the module still works");
});

test("sortUpdates: an Id getter that changes its answer after the shape check is refused, not ordered", () => {
  let reads = 0;
  const u = { Type: "STEP", Action: "START" };
  Object.defineProperty(u, "Id", { enumerable: true, get: () => (reads++ === 0 ? "a" : 42) });
  assert.throws(() => sortUpdates([u]), (e) => e.code === "INVALID_UPDATE" && e.field === "updates[0].Id");
});

test("lone surrogates are refused, not replaced; large payloads keep exact bytes on both transport kinds", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  assert.throws(() => b.checkpointAsync({ Id: "s", Type: "STEP", Action: "START", Name: "a\uD800" }), (e) => e.code === "INVALID_UPDATE");
  const payload = `"é\\\n${"x".repeat(5000)}😀`;
  await b.checkpoint({ Id: "p", Type: "STEP", Action: "SUCCEED", Payload: payload });
  assert.equal(t.calls[0].input.Updates[0].Payload, payload);
  const expected = Buffer.byteLength(`{"CheckpointToken":"tok0","Updates":[${JSON.stringify({ Id: "p", Type: "STEP", Action: "SUCCEED", Payload: payload })}],"ClientToken":"${t.calls[0].input.ClientToken}"}`);
  assert.equal(b.stats.bytesSent, expected);
  const RAW = Symbol.for("durable-checkpoint.rawCheckpoint");
  const bodies = [];
  const raw = batcher({ checkpoint: async () => ({}), async [RAW](_arn, body) { bodies.push(body); return { CheckpointToken: "n" }; } });
  await raw.checkpoint({ Id: "p", Type: "STEP", Action: "SUCCEED", Payload: payload });
  assert.equal(JSON.parse(bodies[0]).Updates[0].Payload, payload);
  assert.equal(Buffer.byteLength(bodies[0]), raw.stats.bytesSent);
});

test("a large payload with nothing to escape is counted exactly for an object transport (non-ASCII included)", async () => {
  for (const payload of [`é${"x".repeat(3000)}😀 `, "y".repeat(3000), `${"z".repeat(3000)}"`, `${"z".repeat(3000)}`]) {
    const t = fakeTransport();
    const b = batcher(t);
    await b.checkpoint({ Id: "p", Type: "STEP", Action: "SUCCEED", Payload: payload });
    assert.equal(t.calls[0].input.Updates[0].Payload, payload);
    const body = `{"CheckpointToken":"tok0","Updates":[${JSON.stringify({ Id: "p", Type: "STEP", Action: "SUCCEED", Payload: payload })}],"ClientToken":"${t.calls[0].input.ClientToken}"}`;
    assert.equal(b.stats.bytesSent, Buffer.byteLength(body), JSON.stringify(payload.slice(-3)));
  }
});
