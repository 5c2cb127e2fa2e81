// SPEC §7, §12, §13 as seen from JavaScript: the ancestor gate (ORPHANED, finishContext,
// the `operations` option, the wrapper), poll() and its empty calls, TOKEN_REVOKED's
// operationIds, and sortUpdates on sparse arrays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TooManyRequestsException } from "@aws-sdk/client-lambda";
import { CheckpointBatcher, CheckpointError, sortUpdates, withDurableCheckpoints } from "durable-checkpoint";
import { batcher, fakeTransport, httpError, sleep, step } from "./helpers.mjs";

const ctx = (Id, Action = "START", extra = {}) => ({ Id, Type: "CONTEXT", Action, ...extra });
const under = (ParentId, Id, Action = "START") => step(Id, Action, { ParentId });
/** Every call's updates as "Id:Action" strings, one array per call. */
const sent = (t) => t.calls.map((c) => c.input.Updates.map((u) => `${u.Id}:${u.Action}`));
/** The exact UTF-8 size of a call's body, as the batcher counts it. */
const wire = (c) => Buffer.byteLength(JSON.stringify({ CheckpointToken: c.input.CheckpointToken, Updates: c.input.Updates, ClientToken: c.input.ClientToken }));
const turn = () => new Promise((r) => setImmediate(r));

function assertOrphaned(e, id, ancestor) {
  assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${e?.name}: ${e?.message}`);
  assert.equal(e.code, "ORPHANED");
  assert.equal(e.scope, "OPERATION");
  assert.equal(e.retriable, false);
  assert.deepEqual(e.operationIds, [id]);
  assert.ok(e.message.includes(ancestor), `message names the finished ancestor ${ancestor}: ${e.message}`);
  return true;
}

// ---------------------------------------------------------------- the ancestor gate

test("gate: an accepted CONTEXT SUCCEED (checkpointAsync) refuses a later child: checkpointAsync throws ORPHANED", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  b.checkpointAsync(ctx("ctx"));
  b.checkpointAsync(ctx("ctx", "SUCCEED", { Payload: "1" }));
  assert.throws(() => b.checkpointAsync(under("ctx", "late")), (e) => assertOrphaned(e, "late", "ctx"));
  await b.close();
  assert.deepEqual(sent(t), [["ctx:START", "ctx:SUCCEED"]]);
  assert.deepEqual(b.stats, { apiCalls: 1, updatesSent: 2, bytesSent: wire(t.calls[0]), retries: 0 });
});

test("gate: an accepted CONTEXT FAIL (awaited checkpoint) refuses a later child: checkpoint rejects, does not throw", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  await b.checkpoint(ctx("ctx"));
  await b.checkpoint(ctx("ctx", "FAIL", { Error: { ErrorType: "E", ErrorMessage: "m" } }));
  let p;
  assert.doesNotThrow(() => { p = b.checkpoint(under("ctx", "late", "SUCCEED")); });
  assert.ok(p instanceof Promise);
  assertOrphaned(await p.then(() => null, (e) => e), "late", "ctx");
  await b.close();
  assert.deepEqual(sent(t), [["ctx:START"], ["ctx:FAIL"]]);
  assert.equal(b.stats.updatesSent, 2);
});

test("gate: the finish counts from acceptance, before the SUCCEED is even sent", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  b.checkpointAsync(ctx("ctx"));
  const done = b.checkpoint(ctx("ctx", "SUCCEED"));
  // Same turn: the SUCCEED is still queued, yet the gate is closed.
  assert.equal(t.calls.length, 0);
  assertOrphaned(await b.checkpoint(under("ctx", "c1")).catch((e) => e), "c1", "ctx");
  await done;
  await b.flush();
  assert.deepEqual(sent(t), [["ctx:START", "ctx:SUCCEED"]]);
});

test("gate: updates accepted before the finish are still sent; only later ones are refused", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  b.checkpointAsync(ctx("ctx"));
  b.checkpointAsync(under("ctx", "c1"));
  b.checkpointAsync(ctx("ctx", "SUCCEED"));
  assert.throws(() => b.checkpointAsync(under("ctx", "c1", "SUCCEED")), (e) => assertOrphaned(e, "c1", "ctx"));
  assert.throws(() => b.checkpointAsync(under("ctx", "c2")), (e) => assertOrphaned(e, "c2", "ctx"));
  await b.close();
  assert.deepEqual(sent(t), [["ctx:START", "c1:START", "ctx:SUCCEED"]]);
  assert.equal(b.stats.updatesSent, 3);
});

test("gate: grandchildren are refused through known parents, naming the finished ancestor", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  b.checkpointAsync(ctx("root"));
  b.checkpointAsync(ctx("mid", "START", { ParentId: "root" }));
  b.checkpointAsync(ctx("leaf", "START", { ParentId: "mid" }));
  await b.flush();
  b.checkpointAsync(ctx("root", "SUCCEED"));
  // "deep" names only "leaf"; leaf -> mid -> root is known from the accepted updates.
  assert.throws(() => b.checkpointAsync(under("leaf", "deep")), (e) => assertOrphaned(e, "deep", "root"));
  assert.throws(() => b.checkpointAsync(ctx("mid", "SUCCEED", { ParentId: "root" })), (e) => assertOrphaned(e, "mid", "root"));
  // A sibling context elsewhere is unaffected.
  b.checkpointAsync(ctx("other"));
  b.checkpointAsync(under("other", "fine"));
  await b.close();
  assert.deepEqual(sent(t), [["root:START", "mid:START", "leaf:START"], ["root:SUCCEED", "other:START", "fine:START"]]);
});

test("gate: ORPHANED does not latch: later updates work, flush and close resolve, onError is not called", async () => {
  const t = fakeTransport();
  const errors = [];
  const b = batcher(t, { onError: (e) => errors.push(e) });
  b.checkpointAsync(ctx("ctx", "SUCCEED"));
  await b.flush();
  for (let i = 0; i < 3; i++) {
    assert.throws(() => b.checkpointAsync(under("ctx", `o${i}`)), (e) => assertOrphaned(e, `o${i}`, "ctx"));
    assertOrphaned(await b.checkpoint(under("ctx", `p${i}`)).catch((e) => e), `p${i}`, "ctx");
  }
  await b.checkpoint(step("ok"));
  await b.flush();
  b.checkpointAsync(step("ok", "SUCCEED"));
  await b.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(sent(t), [["ctx:SUCCEED"], ["ok:START"], ["ok:SUCCEED"]]);
  assert.deepEqual(b.stats, { apiCalls: 3, updatesSent: 3, bytesSent: t.calls.reduce((n, c) => n + wire(c), 0), retries: 0 });
  assert.equal(b.checkpointToken, "t3");
});

test("gate: an update's own Id is not its ancestor (a finished CONTEXT may still send its own updates)", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  b.finishContext("ctx");
  b.checkpointAsync(ctx("ctx", "SUCCEED", { Payload: "1" }));
  // A context that finished by its own SUCCEED may still be sent another update of its own.
  b.checkpointAsync(ctx("inner", "START", { ParentId: "free" }));
  b.checkpointAsync(ctx("inner", "SUCCEED", { ParentId: "free" }));
  b.checkpointAsync(ctx("inner", "FAIL", { ParentId: "free" }));
  // ...but a context nested in a finished one is refused, even for its own completion.
  assert.throws(() => b.checkpointAsync(ctx("nested", "SUCCEED", { ParentId: "ctx" })), (e) => assertOrphaned(e, "nested", "ctx"));
  await b.close();
  assert.deepEqual(sent(t), [["ctx:SUCCEED", "inner:START", "inner:SUCCEED", "inner:FAIL"]]);
});

test("gate: finishContext(id) refuses later descendants; earlier ones are still sent", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  b.checkpointAsync(ctx("map"));
  b.checkpointAsync(ctx("branch", "START", { ParentId: "map" }));
  b.checkpointAsync(under("branch", "s1"));
  assert.equal(b.finishContext("map"), undefined);
  assert.throws(() => b.checkpointAsync(under("branch", "s1", "SUCCEED")), (e) => assertOrphaned(e, "s1", "map"));
  assert.throws(() => b.checkpointAsync(ctx("branch", "SUCCEED", { ParentId: "map" })), (e) => assertOrphaned(e, "branch", "map"));
  assertOrphaned(await b.checkpoint(under("map", "s2")).catch((e) => e), "s2", "map");
  // The context's own completion still goes, and finishing twice is harmless.
  b.finishContext("map");
  b.checkpointAsync(ctx("map", "SUCCEED"));
  await b.close();
  assert.deepEqual(sent(t), [["map:START", "branch:START", "s1:START", "map:SUCCEED"]]);
});

test("gate: finishContext with a non-Id throws INVALID_UPDATE naming field id; the batcher is unharmed", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  for (const junk of ["bad id", "", 5, "x".repeat(65), null, undefined, {}, "é"]) {
    assert.throws(
      () => b.finishContext(junk),
      (e) => e instanceof CheckpointError && e.code === "INVALID_UPDATE" && e.field === "id" && e.scope === "EXECUTION",
      `finishContext(${String(junk)})`,
    );
  }
  await b.checkpoint(step("fine"));
  await b.close();
  assert.deepEqual(sent(t), [["fine:START"]]);
});

test("gate: a finished CONTEXT in the operations option refuses its children, for every terminal Status", async () => {
  for (const Status of ["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "STOPPED"]) {
    const t = fakeTransport();
    const b = batcher(t, { operations: [{ Id: "ctx", Type: "CONTEXT", Status }] });
    assert.throws(() => b.checkpointAsync(under("ctx", "c")), (e) => assertOrphaned(e, "c", "ctx"), Status);
    assertOrphaned(await b.checkpoint(ctx("sub", "START", { ParentId: "ctx" })).catch((e) => e), "sub", "ctx");
    await b.close();
    assert.equal(t.calls.length, 0, `${Status}: nothing sent`);
  }
});

test("gate: non-terminal CONTEXTs and finished non-CONTEXT operations do not close the gate", async () => {
  const t = fakeTransport();
  const b = batcher(t, {
    operations: [
      { Id: "running", Type: "CONTEXT", Status: "STARTED" },
      { Id: "pending", Type: "CONTEXT", Status: "PENDING" },
      { Id: "stepdone", Type: "STEP", Status: "SUCCEEDED" },
      { Id: "waitdone", Type: "WAIT", Status: "CANCELLED" },
    ],
  });
  for (const p of ["running", "pending", "stepdone", "waitdone"]) b.checkpointAsync(under(p, `${p}-c`));
  await b.close();
  assert.deepEqual(sent(t), [["running-c:START", "pending-c:START", "stepdone-c:START", "waitdone-c:START"]]);
});

test("gate: parents known from the operations option reach a finished ancestor (grandchildren)", async () => {
  const t = fakeTransport();
  const b = batcher(t, {
    operations: [
      { Id: "exec", Type: "EXECUTION", Status: "STARTED" },
      { Id: "par", Type: "CONTEXT", Status: "SUCCEEDED" },
      { Id: "br", ParentId: "par", Type: "CONTEXT", Status: "STARTED" },
      { Id: "st", ParentId: "br", Type: "STEP", Status: "STARTED" },
    ],
  });
  assert.throws(() => b.checkpointAsync(under("br", "new")), (e) => assertOrphaned(e, "new", "par"));
  // "st" itself, known only from the operations, has its chain st -> br -> par.
  assert.throws(() => b.checkpointAsync(step("st", "SUCCEED")), (e) => assertOrphaned(e, "st", "par"));
  b.checkpointAsync(step("top"));
  await b.close();
  assert.deepEqual(sent(t), [["top:START"]]);
});

test("gate: the operations option refuses holes and non-objects as TypeError naming operations[i]; non-arrays as TypeError", () => {
  const transport = fakeTransport();
  const base = { durableExecutionArn: "arn", checkpointToken: "t", transport };
  const good = { Id: "a", Type: "STEP", Status: "STARTED" };
  // eslint-disable-next-line no-sparse-arrays
  const named = [[[,], 0], [[good, , good], 1], [[null], 0], [[good, 7], 1], [["a"], 0], [[good, good, []], 2], [[undefined], 0], [[true], 0]];
  for (const [operations, i] of named) {
    assert.throws(
      () => new CheckpointBatcher({ ...base, operations }),
      (e) => e instanceof TypeError && e.message.includes(`operations[${i}]`),
      `index ${i}`,
    );
  }
  // Objects whose Id or ParentId is not a string are refused too, naming the element.
  for (const operations of [[good, { Id: 5, Type: "STEP" }], [good, { Id: "a", ParentId: 7 }]]) {
    assert.throws(() => new CheckpointBatcher({ ...base, operations }), (e) => e instanceof TypeError && e.message.includes("operations[1]"));
  }
  for (const operations of [{}, "ops", 5, null, { length: 1, 0: good }, new Set([good])]) {
    assert.throws(() => new CheckpointBatcher({ ...base, operations }), TypeError, String(operations));
  }
  assert.doesNotThrow(() => new CheckpointBatcher({ ...base, operations: [] }));
  assert.doesNotThrow(() => new CheckpointBatcher({ ...base, operations: [good] }));
  assert.equal(transport.calls.length, 0);
});

test("gate: a finished CONTEXT in a checkpoint response's NewExecutionState closes the gate", async () => {
  const t = fakeTransport((input, n) =>
    n === 1 ? { CheckpointToken: "t1", NewExecutionState: { Operations: [{ Id: "ctx", Type: "CONTEXT", Status: "FAILED" }] } } : undefined,
  );
  const b = batcher(t);
  b.checkpointAsync(ctx("ctx"));
  b.checkpointAsync(under("ctx", "c1"));
  await b.flush();
  assert.throws(() => b.checkpointAsync(under("ctx", "c1", "SUCCEED")), (e) => assertOrphaned(e, "c1", "ctx"));
  b.checkpointAsync(step("x"));
  await b.close();
  assert.deepEqual(sent(t), [["ctx:START", "c1:START"], ["x:START"]]);
});

test("gate: a finished CONTEXT on a later NextMarker page closes the gate, and its parents count", async () => {
  const pages = [];
  const t = fakeTransport((input, n) =>
    n === 1 ? { CheckpointToken: "t1", NewExecutionState: { Operations: [{ Id: "a", Type: "STEP", Status: "STARTED" }], NextMarker: "m1" } } : undefined,
  );
  t.getExecutionState = async (input) => {
    pages.push([input.CheckpointToken, input.Marker]);
    return input.Marker === "m1"
      ? { Operations: [{ Id: "kid", ParentId: "big", Type: "CONTEXT", Status: "STARTED" }], NextMarker: "m2" }
      : { Operations: [{ Id: "big", Type: "CONTEXT", Status: "TIMED_OUT" }] };
  };
  const b = batcher(t);
  await b.checkpoint(step("a"));
  assert.deepEqual(pages, [["t1", "m1"], ["t1", "m2"]]);
  assert.throws(() => b.checkpointAsync(under("kid", "g")), (e) => assertOrphaned(e, "g", "big"));
  await b.close();
  assert.deepEqual(sent(t), [["a:START"]]);
});

test("gate: a finished CONTEXT in a poll's response closes the gate too", async () => {
  const t = fakeTransport((input, n) =>
    n === 3 ? { CheckpointToken: "t3", NewExecutionState: { Operations: [{ Id: "ctx", Type: "CONTEXT", Status: "STOPPED" }] } } : undefined,
  );
  const b = batcher(t);
  await b.checkpoint(ctx("ctx"));
  b.checkpointAsync(under("ctx", "before"));
  await b.flush();
  const ops = await b.poll();
  assert.deepEqual(ops.map((o) => [o.Id, o.Status]), [["ctx", "STOPPED"]]);
  assert.throws(() => b.checkpointAsync(under("ctx", "before", "SUCCEED")), (e) => assertOrphaned(e, "before", "ctx"));
  await b.close();
  assert.deepEqual(sent(t), [["ctx:START"], ["before:START"], []]);
});

test("gate: ParentId cycles terminate, with or without a finished context on the cycle", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  b.checkpointAsync(ctx("a", "START", { ParentId: "b" }));
  b.checkpointAsync(ctx("b", "START", { ParentId: "a" }));
  b.finishContext("zz");
  b.checkpointAsync(under("a", "free"));
  await b.flush();
  const before = t.calls.length;
  b.checkpointAsync(ctx("x", "START", { ParentId: "y" }));
  b.checkpointAsync(ctx("y", "START", { ParentId: "x" }));
  b.finishContext("x");
  assert.throws(() => b.checkpointAsync(under("y", "trapped")), (e) => assertOrphaned(e, "trapped", "x"));
  // A longer cycle learned from operations handed over: p -> q -> r -> p.
  const t2 = fakeTransport();
  const b2 = batcher(t2, {
    operations: [
      { Id: "p", ParentId: "q", Type: "CONTEXT", Status: "STARTED" },
      { Id: "q", ParentId: "r", Type: "CONTEXT", Status: "STARTED" },
      { Id: "r", ParentId: "p", Type: "CONTEXT", Status: "STARTED" },
    ],
  });
  b2.checkpointAsync(under("p", "ok"));
  b2.finishContext("r");
  assert.throws(() => b2.checkpointAsync(under("p", "no")), (e) => assertOrphaned(e, "no", "r"));
  await b2.close();
  await b.close();
  assert.equal(before, 1);
  assert.deepEqual(sent(t), [["a:START", "b:START", "free:START"], ["x:START", "y:START"]]);
  assert.deepEqual(sent(t2), [["ok:START"]]);
});

// ---------------------------------------------------------------- the wrapper

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/run-1/exec-1";
const invocation = (ops, marker) => ({
  DurableExecutionArn: ARN,
  CheckpointToken: "tok0",
  InitialExecutionState: {
    Operations: [{ Id: "exec-1", Type: "EXECUTION", Status: "STARTED", StartTimestamp: 1700000000000, ExecutionDetails: { InputPayload: "{}" } }, ...ops],
    ...(marker ? { NextMarker: marker } : {}),
  },
});

test("wrapper: a CONTEXT SUCCEEDED in InitialExecutionState refuses children; caught ORPHANED still returns SUCCEEDED", async () => {
  const t = fakeTransport();
  let caught;
  const out = await withDurableCheckpoints(async ({ batcher: b }) => {
    caught = await b.checkpoint(under("done", "late")).catch((e) => e);
    assert.throws(() => b.checkpointAsync(under("done", "late2")), (e) => assertOrphaned(e, "late2", "done"));
    await b.checkpoint(step("s1"));
    return 42;
  }, { transport: t })(invocation([{ Id: "done", Type: "CONTEXT", Status: "SUCCEEDED" }]));
  assertOrphaned(caught, "late", "done");
  assert.deepEqual(out, { Status: "SUCCEEDED", Result: "42" });
  assert.deepEqual(sent(t), [["s1:START"]]);
});

test("wrapper: an ORPHANED that escapes the handler gives PENDING, never FAILED, and the rest is flushed", async () => {
  const t = fakeTransport();
  const out = await withDurableCheckpoints(async ({ batcher: b }) => {
    b.checkpointAsync(step("s1"));
    await b.checkpoint(under("done", "late"));
    return "unreachable";
  }, { transport: t })(invocation([{ Id: "done", Type: "CONTEXT", Status: "FAILED" }]));
  assert.deepEqual(out, { Status: "PENDING" });
  assert.deepEqual(sent(t), [["s1:START"]]);

  // Thrown synchronously from checkpointAsync, too.
  const t2 = fakeTransport();
  const out2 = await withDurableCheckpoints(({ batcher: b }) => {
    b.checkpointAsync(under("done", "late"));
  }, { transport: t2 })(invocation([{ Id: "done", Type: "CONTEXT", Status: "CANCELLED" }]));
  assert.deepEqual(out2, { Status: "PENDING" });
  assert.equal(t2.calls.length, 0);
});

test("wrapper: the gate learns from the paged InitialExecutionState (NextMarker pages) and from the handler's own updates", async () => {
  const t = fakeTransport();
  const pages = [];
  t.getExecutionState = async (input) => {
    pages.push(input.Marker);
    return { Operations: [{ Id: "br", ParentId: "par", Type: "CONTEXT", Status: "STARTED" }, { Id: "par", Type: "CONTEXT", Status: "SUCCEEDED" }] };
  };
  const out = await withDurableCheckpoints(async ({ batcher: b }) => {
    assert.throws(() => b.checkpointAsync(under("br", "x")), (e) => assertOrphaned(e, "x", "par"));
    b.checkpointAsync(ctx("mine"));
    b.checkpointAsync(ctx("mine", "SUCCEED"));
    assert.throws(() => b.checkpointAsync(under("mine", "y")), (e) => assertOrphaned(e, "y", "mine"));
    return null;
  }, { transport: t })(invocation([], "m1"));
  assert.deepEqual(pages, ["m1"]);
  assert.deepEqual(out, { Status: "SUCCEEDED", Result: "null" });
  assert.deepEqual(sent(t), [["mine:START", "mine:SUCCEED"]]);
});

// ---------------------------------------------------------------- poll()

test("poll: alone it makes exactly one empty call after one quiet turn: ClientToken, token chained, counted", async () => {
  const t = fakeTransport();
  const infos = [];
  const b = batcher(t, { onBatch: (i) => infos.push(i) });
  const p = b.poll();
  assert.ok(p instanceof Promise);
  assert.equal(t.calls.length, 0, "not sent synchronously");
  await Promise.resolve();
  assert.equal(t.calls.length, 0, "not sent within the same turn's microtasks");
  assert.deepEqual(await p, []);
  assert.equal(t.calls.length, 1);
  const input = t.calls[0].input;
  assert.deepEqual(Object.keys(input), ["DurableExecutionArn", "CheckpointToken", "Updates", "ClientToken"]);
  assert.equal(input.CheckpointToken, "tok0");
  assert.deepEqual(input.Updates, []);
  assert.match(input.ClientToken, /^[0-9a-f-]{36}$/);
  assert.equal(b.checkpointToken, "t1");
  assert.deepEqual(b.stats, { apiCalls: 1, updatesSent: 0, bytesSent: wire(t.calls[0]), retries: 0 });
  assert.equal(infos.length, 1);
  assert.equal(infos[0].updates, 0);
  assert.deepEqual(infos[0].operationIds, []);
  assert.equal(infos[0].bytes, wire(t.calls[0]));
  // The next checkpoint uses the poll's new token.
  await b.checkpoint(step("a"));
  assert.deepEqual(t.calls.map((c) => c.input.CheckpointToken), ["tok0", "t1"]);
  assert.notEqual(t.calls[0].input.ClientToken, t.calls[1].input.ClientToken);
  assert.deepEqual(b.stats, { apiCalls: 2, updatesSent: 1, bytesSent: wire(t.calls[0]) + wire(t.calls[1]), retries: 0 });
});

test("poll: the lone empty call goes exactly when a lone update would (idle: one quiet turn), once", async () => {
  const timing = async (start) => {
    const t = fakeTransport();
    const b = batcher(t);
    const p = start(b);
    const seen = [];
    for (let i = 0; i < 4; i++) { await turn(); seen.push(t.calls.length); }
    await p;
    return seen;
  };
  const ofPoll = await timing((b) => b.poll());
  const ofCheckpoint = await timing((b) => b.checkpoint(step("a")));
  assert.deepEqual(ofPoll, ofCheckpoint);
  assert.equal(ofPoll[1], 1, "sent within two setImmediate turns");
  assert.deepEqual(ofPoll.slice(1), [1, 1, 1], "exactly one call");
});

test("poll: resolves with the response's Operations, NextMarker pages followed, timestamps as Dates, onOperations too", async () => {
  const seen = [];
  const pages = [];
  const t = fakeTransport(() => ({
    CheckpointToken: "new",
    NewExecutionState: { Operations: [{ Id: "w", Type: "WAIT", Status: "STARTED", StartTimestamp: 1700000000, WaitDetails: { ScheduledEndTimestamp: "1700000100" } }], NextMarker: "m1" },
  }));
  t.getExecutionState = async (input) => {
    pages.push([input.CheckpointToken, input.Marker, input.MaxItems]);
    return { Operations: [{ Id: "s", Type: "STEP", Status: "PENDING", StartTimestamp: 1700000000123, StepDetails: { NextAttemptTimestamp: new Date(7) } }], NextMarker: "" };
  };
  const b = batcher(t, { onOperations: (ops) => seen.push(...ops) });
  const ops = await b.poll();
  assert.deepEqual(ops.map((o) => o.Id), ["w", "s"]);
  assert.deepEqual(pages, [["new", "m1", 1000]]);
  assert.ok(ops[0].StartTimestamp instanceof Date);
  assert.equal(ops[0].StartTimestamp.getTime(), 1700000000000);
  assert.equal(ops[0].WaitDetails.ScheduledEndTimestamp.getTime(), 1700000100000);
  assert.equal(ops[1].StartTimestamp.getTime(), 1700000000123);
  assert.equal(ops[1].StepDetails.NextAttemptTimestamp.getTime(), 7);
  assert.deepEqual(seen.map((o) => o.Id), ["w", "s"]);
  assert.equal(t.calls.length, 1);
  assert.deepEqual(t.calls[0].input.Updates, []);
});

test("poll: [] when the response has no NewExecutionState (or an empty one)", async () => {
  const t = fakeTransport((input, n) => (n === 1 ? { CheckpointToken: "t1" } : { CheckpointToken: `t${n}`, NewExecutionState: {} }));
  const b = batcher(t);
  assert.deepEqual(await b.poll(), []);
  assert.deepEqual(await b.poll(), []);
  assert.equal(t.calls.length, 2);
  assert.equal(b.checkpointToken, "t2");
});

test("poll: rides with a forming batch (queued before or after it in the same turn): no extra call", async () => {
  const t = fakeTransport((input, n) => ({ CheckpointToken: `t${n}`, NewExecutionState: { Operations: [{ Id: `r${n}`, Type: "STEP", Status: "STARTED" }] } }));
  const b = batcher(t);
  b.checkpointAsync(step("a"));
  const p1 = b.poll();
  b.checkpointAsync(step("b"));
  assert.deepEqual((await p1).map((o) => o.Id), ["r1"]);
  assert.deepEqual(sent(t), [["a:START", "b:START"]]);

  const p2 = b.poll();
  const c = b.checkpoint(step("c"));
  assert.deepEqual((await p2).map((o) => o.Id), ["r2"]);
  await c;
  assert.deepEqual(sent(t), [["a:START", "b:START"], ["c:START"]]);
  assert.deepEqual(b.stats, { apiCalls: 2, updatesSent: 3, bytesSent: wire(t.calls[0]) + wire(t.calls[1]), retries: 0 });
});

test("poll: while a call is in flight it rides with the next call (empty, or with what was queued meanwhile)", async () => {
  let release;
  const t = fakeTransport(async (input, n) => {
    if (n === 1) await new Promise((r) => { release = r; });
    return { CheckpointToken: `t${n}`, NewExecutionState: { Operations: [{ Id: `r${n}`, Type: "STEP", Status: "STARTED" }] } };
  });
  const b = batcher(t);
  const a = b.checkpoint(step("a"));
  await turn();
  await turn();
  assert.equal(t.calls.length, 1, "a is in flight");
  const p = b.poll();
  await turn();
  await turn();
  assert.equal(t.calls.length, 1, "the poll waits for the call in flight");
  release();
  await a;
  assert.deepEqual((await p).map((o) => o.Id), ["r2"], "answered by the next call, not the one in flight");
  assert.deepEqual(sent(t), [["a:START"], []]);
  assert.equal(t.calls[1].input.CheckpointToken, "t1");

  // With an update queued during the flight, the poll shares its call.
  const t2 = fakeTransport(async (input, n) => {
    await sleep(10);
    return { CheckpointToken: `t${n}`, NewExecutionState: { Operations: [{ Id: `r${n}`, Type: "STEP", Status: "STARTED" }] } };
  });
  const b2 = batcher(t2);
  const a2 = b2.checkpoint(step("a"));
  await sleep(2);
  assert.equal(t2.calls.length, 1);
  const p2 = b2.poll();
  b2.checkpointAsync(step("b"));
  await a2;
  assert.deepEqual((await p2).map((o) => o.Id), ["r2"]);
  await b2.flush();
  assert.deepEqual(sent(t2), [["a:START"], ["b:START"]]);
  assert.deepEqual(b2.stats, { apiCalls: 2, updatesSent: 2, bytesSent: wire(t2.calls[0]) + wire(t2.calls[1]), retries: 0 });
});

test("poll: polls made in the same turn share one call and the same answer", async () => {
  const t = fakeTransport(() => ({ CheckpointToken: "t1", NewExecutionState: { Operations: [{ Id: "cb", Type: "CALLBACK", Status: "SUCCEEDED", StartTimestamp: 1700000000 }] } }));
  const b = batcher(t);
  const all = await Promise.all([b.poll(), b.poll(), b.poll()]);
  assert.equal(t.calls.length, 1);
  assert.deepEqual(t.calls[0].input.Updates, []);
  for (const ops of all) {
    assert.deepEqual(ops.map((o) => o.Id), ["cb"]);
    assert.ok(ops[0].StartTimestamp instanceof Date);
  }
  assert.deepEqual(b.stats, { apiCalls: 1, updatesSent: 0, bytesSent: wire(t.calls[0]), retries: 0 });
  // Sequential polls each make their own call.
  await b.poll();
  await b.poll();
  assert.equal(t.calls.length, 3);
  assert.deepEqual(t.calls.map((c) => c.input.CheckpointToken), ["tok0", "t1", "t1"]);
});

test("poll: under flush \"window\" a lone poll waits maxBatchTimeMs, or goes at once on flush()", async () => {
  const t = fakeTransport();
  const b = batcher(t, { flush: "window", maxBatchTimeMs: 60 });
  const began = performance.now();
  await b.poll();
  const waited = performance.now() - began;
  assert.ok(waited >= 55, `waited ${waited} ms`);
  assert.ok(waited < 400, `waited ${waited} ms`);
  assert.equal(t.calls.length, 1);

  const t2 = fakeTransport();
  const b2 = batcher(t2, { flush: "window", maxBatchTimeMs: 5000 });
  const w0 = performance.now();
  const p = b2.poll();
  await b2.flush();
  await p;
  assert.ok(performance.now() - w0 < 1000, "flush sends the lone poll at once");
  assert.equal(t2.calls.length, 1);
  assert.deepEqual(t2.calls[0].input.Updates, []);
  assert.equal(b2.stats.apiCalls, 1);
});

test("poll: a throttled empty call is retried with the same ClientToken and token; stats.retries counts it", async () => {
  const t = fakeTransport((input, n) => {
    if (n === 1) throw new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } });
  });
  const b = batcher(t);
  const began = performance.now();
  assert.deepEqual(await b.poll(), []);
  assert.ok(performance.now() - began >= 95, "the 100 ms backoff");
  assert.equal(t.calls.length, 2);
  assert.deepEqual(t.calls.map((c) => c.input.Updates), [[], []]);
  assert.equal(t.calls[0].input.ClientToken, t.calls[1].input.ClientToken);
  assert.deepEqual(t.calls.map((c) => c.input.CheckpointToken), ["tok0", "tok0"]);
  assert.deepEqual(b.stats, { apiCalls: 1, updatesSent: 0, bytesSent: wire(t.calls[1]), retries: 1 });
  assert.equal(b.checkpointToken, "t2");
});

test("poll: a failed empty call rejects TRANSIENT and latches the batcher with that same error", async () => {
  const cause = httpError(500, "ServiceException", "boom");
  const t = fakeTransport(() => { throw cause; });
  const hook = [];
  const b = batcher(t, { onError: (e) => hook.push(e) });
  const err = await b.poll().then(() => null, (e) => e);
  assert.ok(err instanceof CheckpointError);
  assert.equal(err.code, "TRANSIENT");
  assert.equal(err.scope, "INVOCATION");
  assert.equal(err.retriable, true);
  assert.equal(err.cause, cause);
  assert.equal(await b.checkpoint(step("a")).catch((e) => e), err);
  assert.throws(() => b.checkpointAsync(step("b")), (e) => e === err);
  assert.equal(await b.poll().catch((e) => e), err);
  assert.equal(await b.flush().catch((e) => e), err);
  assert.equal(await b.close().catch((e) => e), err);
  assert.deepEqual(hook, [err]);
  assert.equal(t.calls.length, 1, "nothing more sent");
  assert.deepEqual(b.stats, { apiCalls: 0, updatesSent: 0, bytesSent: 0, retries: 0 });
});

test("poll: after close() rejects CLOSED without a call", async () => {
  const t = fakeTransport();
  const b = batcher(t);
  await b.checkpoint(step("a"));
  await b.close();
  const p = b.poll();
  assert.ok(p instanceof Promise);
  const e = await p.then(() => null, (x) => x);
  assert.ok(e instanceof CheckpointError);
  assert.equal(e.code, "CLOSED");
  assert.equal(e.scope, "EXECUTION");
  assert.equal(e.retriable, false);
  assert.equal(t.calls.length, 1);
});

test("poll: after the EXECUTION completion was acknowledged, a poll rejects CLOSED without a call", async () => {
  const t = fakeTransport(() => ({ CheckpointToken: "", NewExecutionState: {} }));
  const b = batcher(t);
  const riding = b.poll();
  b.checkpointAsync({ Id: "exec", Type: "EXECUTION", Action: "SUCCEED", Payload: "1" });
  assert.deepEqual(await riding, [], "the poll rode with the completing batch");
  const e = await b.poll().then(() => null, (x) => x);
  assert.equal(e?.code, "CLOSED");
  assert.equal(e.scope, "EXECUTION");
  await b.flush();
  assert.equal(t.calls.length, 1);
  assert.deepEqual(sent(t), [["exec:SUCCEED"]]);
});

test("poll: after the latch (a failed update batch) rejects with the latched error; a waiting poll too", async () => {
  const t = fakeTransport(async () => { await sleep(5); throw httpError(400, "InvalidParameterValueException", "Payload bad"); });
  const b = batcher(t);
  const a = b.checkpoint(step("a")).catch((e) => e);
  await sleep(1);
  const waiting = b.poll().then(() => null, (e) => e);
  const err = await a;
  assert.equal(err.code, "REJECTED");
  assert.equal(await waiting, err, "the poll waiting for the next call gets the latched error");
  assert.equal(await b.poll().then(() => null, (e) => e), err);
  assert.equal(t.calls.length, 1);
});

test("TOKEN_REVOKED: a token-less response fails the updates queued during that call, listing their Ids", async () => {
  const t = fakeTransport(async (input, n) => {
    await sleep(10);
    if (n === 1) return { NewExecutionState: { Operations: [] } };
  });
  const hook = [];
  const b = batcher(t, { onError: (e) => hook.push(e) });
  const a = b.checkpoint(step("a"));
  await sleep(2);
  assert.equal(t.calls.length, 1, "a is in flight");
  const pb = b.checkpoint(step("b")).catch((e) => e);
  b.checkpointAsync(step("c", "SUCCEED", { Payload: "1" }));
  const pp = b.poll().then(() => null, (e) => e);
  await a; // the token-less call itself was acknowledged
  const err = await pb;
  assert.ok(err instanceof CheckpointError);
  assert.equal(err.code, "TOKEN_REVOKED");
  assert.equal(err.scope, "INVOCATION");
  assert.equal(err.retriable, true);
  assert.deepEqual([...err.operationIds].sort(), ["b", "c"]);
  const ep = await pp;
  assert.equal(ep?.code, "TOKEN_REVOKED", "a queued poll fails too");
  assert.equal(await b.flush().catch((e) => e), err);
  assert.equal(t.calls.length, 1, "nothing sent without a token");
  assert.equal(b.checkpointToken, undefined);
  assert.equal((await b.checkpoint(step("d")).catch((e) => e)).code, "TOKEN_REVOKED");
  assert.deepEqual(hook, [err], "onError once, with the latching error");
  assert.equal(ep, err, "the queued poll shares the error");
});

test("TOKEN_REVOKED: a poll answered by a token-less response still resolves; later polls fail TOKEN_REVOKED", async () => {
  const t = fakeTransport(() => ({ NewExecutionState: { Operations: [{ Id: "x", Type: "STEP", Status: "STARTED" }] } }));
  const b = batcher(t);
  assert.deepEqual((await b.poll()).map((o) => o.Id), ["x"]);
  assert.equal(b.checkpointToken, undefined);
  assert.equal((await b.poll().catch((e) => e)).code, "TOKEN_REVOKED");
  assert.equal(t.calls.length, 1);
  assert.deepEqual(b.stats, { apiCalls: 1, updatesSent: 0, bytesSent: wire(t.calls[0]), retries: 0 });
});

// ---------------------------------------------------------------- sortUpdates

test("sortUpdates: holes in a sparse array are INVALID_UPDATE naming updates[i]", () => {
  // eslint-disable-next-line no-sparse-arrays
  for (const [arr, field] of [[[,], "updates[0]"], [[step("a"), , step("b")], "updates[1]"], [[step("a"), step("b"), ,], "updates[2]"]]) {
    assert.throws(
      () => sortUpdates(arr),
      (e) => e instanceof CheckpointError && e.code === "INVALID_UPDATE" && e.field === field && e.scope === "EXECUTION",
      field,
    );
  }
  assert.deepEqual(sortUpdates([]), []);
});
