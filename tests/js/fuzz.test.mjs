// Fuzzing the JS API with fast-check: wrong types, huge strings, deep and cyclic
// ParentId graphs, non-objects. No call may surface a WebAssembly RuntimeError, every
// rejection is a CheckpointError (or TypeError), and the batcher works normally after.
// The last test drives random command sequences (updates over a CONTEXT tree, poll(),
// finishContext, flush, turns of the event loop) against a scripted transport and a
// model of the ancestor gate (SPEC §12, §13).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CheckpointBatcher, CheckpointError, sortUpdates } from "durable-checkpoint";
import { fakeTransport, sleep } from "./helpers.mjs";

const RUNS = 10_000;
const ids = fc.constantFrom("a", "b", "c", "ctx", "p-1", "P_2", "", "bad id", "x".repeat(65), "é");
const weird = fc.oneof(
  fc.anything(),
  fc.constantFrom(NaN, Infinity, -1, 1.5, 2 ** 40, 10n, Symbol("s"), () => 1, null, undefined, [], new Date(0)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
);
const types = fc.constantFrom("EXECUTION", "CONTEXT", "STEP", "WAIT", "CALLBACK", "CHAINED_INVOKE", "INVOKE", "step", 3);
const actions = fc.constantFrom("START", "SUCCEED", "FAIL", "RETRY", "CANCEL", "start", null);
const update = fc.record(
  {
    Id: fc.oneof(ids, weird),
    ParentId: fc.oneof(ids, weird, fc.constant(undefined)),
    Type: fc.oneof(types, weird),
    Action: fc.oneof(actions, weird),
    Name: fc.oneof(fc.string({ maxLength: 300 }), weird),
    SubType: fc.oneof(fc.string({ maxLength: 40 }), weird),
    Payload: fc.oneof(fc.string(), weird),
    Error: fc.oneof(
      fc.record({ ErrorType: weird, ErrorMessage: fc.string(), StackTrace: fc.oneof(fc.array(fc.string()), weird) }, { requiredKeys: [] }),
      weird,
    ),
    WaitOptions: fc.oneof(fc.record({ WaitSeconds: fc.oneof(fc.integer(), weird) }), weird),
    StepOptions: fc.oneof(fc.record({ NextAttemptDelaySeconds: fc.oneof(fc.integer(), weird) }), weird),
    CallbackOptions: fc.oneof(fc.record({ TimeoutSeconds: weird, HeartbeatTimeoutSeconds: fc.integer() }, { requiredKeys: [] }), weird),
    ChainedInvokeOptions: fc.oneof(fc.record({ FunctionName: fc.oneof(fc.string(), weird), TenantId: weird }, { requiredKeys: [] }), weird),
    ContextOptions: fc.oneof(fc.record({ ReplayChildren: fc.oneof(fc.boolean(), weird) }), weird),
    Unknown: weird,
  },
  { requiredKeys: [] },
);
const valid = fc.record(
  {
    Id: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    ParentId: fc.constantFrom("ctx", "p-1", undefined),
    Type: fc.constantFrom("CONTEXT", "STEP", "WAIT", "CALLBACK", "CHAINED_INVOKE"),
    Action: fc.constantFrom("START", "SUCCEED", "FAIL", "RETRY", "CANCEL"),
    Name: fc.string({ minLength: 1, maxLength: 256 }),
    Payload: fc.string({ maxLength: 2000 }),
    Error: fc.record({ ErrorType: fc.string(), StackTrace: fc.array(fc.string()) }, { requiredKeys: [] }),
  },
  { requiredKeys: ["Id", "Type", "Action"] },
);
const input = fc.oneof(
  { weight: 4, arbitrary: valid },
  { weight: 6, arbitrary: update },
  { weight: 2, arbitrary: weird },
  { weight: 1, arbitrary: fc.constant("huge").map(() => ({ Id: "h", Type: "STEP", Action: "SUCCEED", Payload: "z".repeat(262_145) })) },
  { weight: 1, arbitrary: fc.constant("cycle").map(() => { const o = { Id: "c", Type: "STEP", Action: "START" }; o.Error = o; return o; }) },
  { weight: 1, arbitrary: fc.constant("deep").map(() => { let o = {}; for (let i = 0; i < 5000; i++) o = { n: o }; return { Id: "d", Type: "STEP", Action: "START", Unknown: o }; }) },
);
/** Arrays for sortUpdates: valid updates over a small Id pool (cycles, deep chains) or junk. */
const graph = fc.oneof(
  fc.array(
    fc.record({
      Id: fc.constantFrom("n0", "n1", "n2", "n3", "n4", "n5"),
      ParentId: fc.option(fc.constantFrom("n0", "n1", "n2", "n3", "n4", "n5", "zz"), { nil: undefined }),
      Type: fc.constantFrom("EXECUTION", "CONTEXT", "STEP", "WAIT"),
      Action: fc.constantFrom("START", "SUCCEED", "FAIL"),
    }),
    { maxLength: 60 },
  ),
  fc.array(input, { maxLength: 4 }),
  weird,
);

/** Fails on a WebAssembly trap anywhere in `e` or its causes. */
function assertNotTrap(e) {
  for (let x = e, depth = 0; x !== undefined && x !== null && depth < 10; x = x.cause, depth++) {
    assert.ok(!(x instanceof WebAssembly.RuntimeError), `WebAssembly trap: ${x?.message}`);
    const text = typeof x === "object" || typeof x === "function" ? `${x?.name} ${x?.message}` : String(x);
    assert.ok(!/unreachable|RuntimeError/i.test(text), `WebAssembly trap: ${text}`);
    if (typeof x !== "object") break;
  }
}

function assertNoTrap(e) {
  assertNotTrap(e);
  assert.ok(e instanceof CheckpointError || e instanceof TypeError, `unexpected ${e?.name}: ${e?.message}`);
  if (e instanceof CheckpointError) {
    if (e.code === "ORPHANED") {
      // A fuzzed CONTEXT SUCCEED/FAIL or finishContext closed the gate over a ParentId.
      assert.equal(e.scope, "OPERATION");
      assert.equal(e.retriable, false);
      assert.equal(e.operationIds.length, 1);
      return;
    }
    assert.equal(e.code, "INVALID_UPDATE");
    assert.equal(e.scope, "EXECUTION");
    assert.equal(typeof e.field, "string");
  }
}

test(`fuzz: ${RUNS} random calls never trap and never poison the batcher`, async () => {
  const t = fakeTransport();
  const b = new CheckpointBatcher({ durableExecutionArn: "arn", checkpointToken: "tok0", transport: t, maxBatchOperations: 250 });
  let accepted = 0;
  let refused = 0;
  let k = 0;
  let polls = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom("async", "await", "sort", "async", "await", "sort", "poll", "finish"), input, graph, fc.oneof(ids, weird), async (how, x, g, fid) => {
      k++;
      try {
        if (how === "poll") {
          const ops = await b.poll();
          assert.ok(Array.isArray(ops), "poll resolves with an array");
          polls++;
        } else if (how === "finish") {
          // Valid Ids close the gate (later updates under them are refused ORPHANED);
          // anything else is INVALID_UPDATE naming "id".
          if (typeof fid === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(fid)) b.finishContext(fid);
          else assert.throws(() => b.finishContext(fid), (e) => e instanceof CheckpointError && e.code === "INVALID_UPDATE" && e.field === "id");
        } else if (how === "async") {
          b.checkpointAsync(x);
          accepted++;
        } else if (how === "await") {
          await b.checkpoint(x);
          accepted++;
        } else {
          const sorted = sortUpdates(g);
          assert.equal(sorted.length, g.length);
          assert.deepEqual(new Set(sorted), new Set(g));
        }
      } catch (e) {
        assertNoTrap(e);
        refused++;
      }
      // The batcher keeps working after every rejection.
      if (k % 50 === 0) await b.checkpoint({ Id: `ok${k}`, Type: "STEP", Action: "START" });
    }),
    { numRuns: RUNS },
  );
  await b.close();
  assert.ok(refused > RUNS / 6, `refused ${refused}`);
  assert.ok(accepted > 0, `accepted ${accepted}`);
  assert.ok(polls > 0, `polls ${polls}`);
  assert.equal(b.stats.apiCalls, t.calls.length, "every call, empty ones too, acknowledged and counted");
  const sent = t.calls.flatMap((c) => c.input.Updates);
  assert.equal(b.stats.updatesSent, sent.length);
  assert.equal(sent.length, accepted + Math.floor(k / 50), "every accepted update sent exactly once");
});

test("fuzz: junk options throw TypeError or RangeError, never a trap", () => {
  fc.assert(
    fc.property(
      fc.record({ durableExecutionArn: weird, checkpointToken: weird, maxBatchSizeBytes: weird, maxBatchOperations: weird, maxBatchTimeMs: weird, flush: weird, onBatch: weird, operations: fc.oneof(weird, fc.array(fc.oneof(weird, fc.record({ Id: fc.oneof(ids, weird), ParentId: fc.oneof(ids, weird), Type: fc.oneof(types, weird), Status: weird }, { requiredKeys: [] })), { maxLength: 5 }), fc.sparseArray(fc.record({ Id: ids, Type: types, Status: fc.constantFrom("SUCCEEDED", "STARTED") }), { maxLength: 5 })) }, { requiredKeys: [] }),
      (opts) => {
        try {
          new CheckpointBatcher({ transport: fakeTransport(), ...opts });
        } catch (e) {
          assert.ok(e instanceof TypeError || e instanceof RangeError, `${e?.name}: ${e?.message}`);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

// ------------------------------------------------------------------------------------
// Command sequences against a model of the ancestor gate (SPEC §12) and poll() (§13).

const SEQ_RUNS = Number(process.env.FUZZ_SEQ_RUNS ?? 600); // raise it to hunt longer
/** Operation Ids no fuzzed string will hit by chance (the junk above never names them). */
const POOL = ["ctxA0", "ctxB1", "ctxC2", "ctxD3", "stpE4", "stpF5", "stpG6", "stpH7"];
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const TERMINAL = ["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "STOPPED"];
const poolIdx = fc.nat({ max: POOL.length - 1 });
const opSpec = fc.record({
  i: poolIdx,
  Type: fc.constantFrom("CONTEXT", "CONTEXT", "STEP", "WAIT"),
  Status: fc.constantFrom(...TERMINAL, "STARTED", "STARTED", "PENDING"),
});
const junkOp = fc.oneof(weird, fc.record({ Id: fc.oneof(ids, weird), ParentId: fc.oneof(ids, weird), Type: fc.oneof(types, weird), Status: weird }, { requiredKeys: [] }));
const operationsOption = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "none" }) },
  { weight: 6, arbitrary: fc.array(opSpec, { maxLength: 8 }).map((specs) => ({ kind: "valid", specs })) },
  { weight: 2, arbitrary: fc.tuple(fc.array(opSpec, { maxLength: 6 }), fc.nat()).map(([specs, at]) => ({ kind: "holes", specs, at })) },
  { weight: 2, arbitrary: fc.oneof(weird, fc.array(junkOp, { maxLength: 5 })).map((junk) => ({ kind: "junk", junk })) },
);
const command = fc.oneof(
  { weight: 12, arbitrary: fc.record({ c: fc.constant("update"), how: fc.constantFrom("async", "async", "promise", "await"), i: poolIdx, Type: fc.constantFrom("CONTEXT", "CONTEXT", "STEP"), Action: fc.constantFrom("START", "START", "SUCCEED", "FAIL"), omitParent: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant("junk"), how: fc.constantFrom("async", "promise"), x: update }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant("poll"), wait: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant("finish"), id: fc.oneof(poolIdx.map((i) => POOL[i]), ids, weird) }) },
  { weight: 4, arbitrary: fc.constant({ c: "turn" }) },
  { weight: 2, arbitrary: fc.constant({ c: "flush" }) },
  { weight: 1, arbitrary: fc.constant({ c: "sleep" }) },
  { weight: 1, arbitrary: fc.constant({ c: "close" }) },
);
const reply = fc.record({
  kind: fc.oneof(
    { weight: 12, arbitrary: fc.constant("ok") },
    { weight: 8, arbitrary: fc.constant("ops") },
    { weight: 2, arbitrary: fc.constant("paged") },
    { weight: 2, arbitrary: fc.constant("noState") },
    { weight: 1, arbitrary: fc.constant("tokenless") },
    { weight: 1, arbitrary: fc.constant("e500") },
    { weight: 1, arbitrary: fc.constant("e429") },
  ),
  delay: fc.constantFrom("none", "none", "micro", "turn", "sleep"),
  ops: fc.array(opSpec, { maxLength: 4 }),
  junk: fc.boolean(),
});
const scenario = fc.record({
  parents: fc.array(fc.nat(), { minLength: POOL.length, maxLength: POOL.length }),
  cyclic: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))), // 1/4 of the runs
  flush: fc.constantFrom("idle", "idle", "window"),
  maxBatchTimeMs: fc.nat({ max: 3 }),
  maxBatchOperations: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  operations: operationsOption,
  commands: fc.array(command, { minLength: 1, maxLength: 40 }),
  replies: fc.array(reply, { maxLength: 30 }),
});

const turn = () => new Promise((r) => setImmediate(r));
const microtasks = async (n = 4) => { for (let i = 0; i < n; i++) await null; };
const wireBytes = (input) => Buffer.byteLength(JSON.stringify({ CheckpointToken: input.CheckpointToken, Updates: input.Updates, ClientToken: input.ClientToken }));

/** What the gate may know: parents (first learned stays) and finished CONTEXTs. */
class GateModel {
  parent = new Map();
  finished = new Set();
  learn(id, p) { if (p !== undefined && p !== id && !this.parent.has(id)) this.parent.set(id, p); }
  learnOperation(op) {
    if (typeof op !== "object" || op === null || Array.isArray(op)) return;
    if (typeof op.Id !== "string" || !ID_RE.test(op.Id)) return;
    this.learn(op.Id, typeof op.ParentId === "string" && ID_RE.test(op.ParentId) ? op.ParentId : undefined);
    if (op.Type === "CONTEXT" && TERMINAL.includes(op.Status)) this.finished.add(op.Id);
  }
  accept(u) {
    this.learn(u.Id, u.ParentId);
    if (u.Type === "CONTEXT" && (u.Action === "SUCCEED" || u.Action === "FAIL")) this.finished.add(u.Id);
  }
  /** The finished ancestor an update of `id` under `p` lands under, or undefined. */
  ancestor(id, p) {
    let node = p !== undefined ? (p === id ? undefined : p) : this.parent.get(id);
    const seen = new Set();
    while (node !== undefined && !seen.has(node)) {
      if (this.finished.has(node)) return node;
      seen.add(node);
      node = this.parent.get(node);
    }
    return undefined;
  }
}

/** SPEC §3 rules 2 and 3 inside one sent body (acyclic ParentIds only). */
function assertOrdered(updates, where) {
  const parentOf = new Map();
  const consistent = new Set();
  for (const u of updates) {
    if (!parentOf.has(u.Id)) { parentOf.set(u.Id, u.ParentId); consistent.add(u.Id); }
    else if (parentOf.get(u.Id) !== u.ParentId) consistent.delete(u.Id);
  }
  updates.forEach((u, i) => {
    // Rule 3: START before any other action of the same Id.
    if (u.Action !== "START") {
      const j = updates.findIndex((v) => v.Id === u.Id && v.Action === "START");
      assert.ok(j === -1 || j < i, `${where}: ${u.Id} ${u.Action} at ${i} before its START at ${j}`);
    }
    // Rule 2: a CONTEXT START before everything whose in-batch chain reaches it.
    let node = u.ParentId;
    const seen = new Set();
    while (node !== undefined && !seen.has(node)) {
      seen.add(node);
      const j = updates.findIndex((v) => v.Id === node && v.Type === "CONTEXT" && v.Action === "START");
      assert.ok(j === -1 || j < i, `${where}: ${u.Id} ${u.Action} at ${i} before the START of its ancestor ${node} at ${j}`);
      if (!consistent.has(node)) break;
      node = parentOf.get(node);
    }
  });
}

/** How much of the contract the sequences reached (checked at the end: no vacuous pass). */
const reached = { orphaned: 0, predicted: 0, accepted: 0, pollsResolved: 0, pollOps: 0, emptyCalls: 0, latched: 0, operationsRefused: 0, sent: 0 };

const LATCH_CODES = new Set(["THROTTLED", "INVALID_TOKEN", "TRANSIENT", "REJECTED", "TOKEN_REVOKED", "CLOSED"]);

async function runScenario(sc) {
  // A fixed parent for each pool Id: a forest, or (cyclic runs) any graph.
  const parentOf = POOL.map((id, i) => {
    const n = sc.cyclic ? sc.parents[i] % (POOL.length + 1) : sc.parents[i] % (i + 1);
    return n === i || n >= POOL.length ? undefined : POOL[n];
  });
  const mapParent = (i) => parentOf[i];
  const toOp = (s) => ({ Id: POOL[s.i], ...(mapParent(s.i) ? { ParentId: mapParent(s.i) } : {}), Type: s.Type, Status: s.Status, StartTimestamp: 1700000000 });

  const sure = new GateModel(); // certainly known to the gate
  const most = new GateModel(); // possibly known (responses not yet processed, ambiguous enqueues)
  const pending = []; // response operations not yet certainly processed
  let turnNo = 0;
  let failures = 0; // failing or token-less replies handed out so far
  const acked = []; // inputs of acknowledged calls
  let throttles = 0;
  const throttled = new Set();

  let r = 0;
  const t = fakeTransport(async (input) => {
    const spec = sc.replies[r++] ?? { kind: "ok", delay: "none", ops: [], junk: false };
    if (spec.delay === "micro") await microtasks(2);
    else if (spec.delay === "turn") await turn();
    else if (spec.delay === "sleep") await sleep(1);
    let kind = spec.kind;
    if (kind === "e429" && throttled.has(input.ClientToken)) kind = "ok"; // once per batch: keeps retries cheap
    if (kind === "e429") {
      throttled.add(input.ClientToken);
      throttles++;
      throw Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } });
    }
    if (kind === "e500") {
      failures++;
      throw Object.assign(new Error("boom"), { name: "ServiceException", $metadata: { httpStatusCode: 500 } });
    }
    let ops = spec.ops.map(toOp);
    if (spec.junk) ops.push(null, { Id: 5 }, { Id: "bad id", Type: "CONTEXT", Status: "SUCCEEDED" });
    let state;
    if (kind === "ops" || kind === "tokenless") state = { Operations: ops };
    else if (kind === "paged") state = { Operations: ops.slice(0, 1), NextMarker: `m${r}` }; // the rest on the page
    else if (kind === "ok") state = { Operations: [] };
    if (kind === "ok" || kind === "noState") ops = [];
    // What the gate may learn from this answer once it is processed.
    for (const op of ops) most.learnOperation(op);
    pending.push({ at: turnNo, ops });
    acked.push(input);
    if (kind === "tokenless") failures++;
    const res = kind === "tokenless" ? { NewExecutionState: state } : { CheckpointToken: `tk${r}`, ...(state ? { NewExecutionState: state } : {}) };
    return res;
  });
  t.getExecutionState = async ({ Marker }) => {
    const spec = sc.replies[Number(Marker.slice(1)) - 1];
    const ops = spec.ops.map(toOp);
    if (spec.junk) ops.push(null, { Id: 5 }, { Id: "bad id", Type: "CONTEXT", Status: "SUCCEEDED" });
    return { Operations: ops.slice(1), NextMarker: "" };
  };

  // The operations option.
  let operations;
  let firstBad = -1;
  const opt = sc.operations;
  if (opt.kind === "valid" || opt.kind === "holes") {
    operations = opt.specs.map(toOp);
    if (opt.kind === "holes") {
      const at = opt.at % (operations.length + 1);
      if (at === operations.length) operations.length += 1; // a trailing hole
      else delete operations[at];
      firstBad = at;
    }
  } else if (opt.kind === "junk") {
    // Junk that could name a real Id is kept invalid, so the model stays exact.
    operations = Array.isArray(opt.junk)
      ? opt.junk.map((o) => (typeof o === "object" && o !== null && !Array.isArray(o) && typeof o.Id === "string" && ID_RE.test(o.Id) ? { ...o, Id: `bad id ${o.Id}` } : o))
      : opt.junk;
  }
  const errors = [];
  const options = {
    durableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f:$LATEST/durable-execution/r/e",
    checkpointToken: "tok0",
    transport: t,
    flush: sc.flush,
    maxBatchTimeMs: sc.maxBatchTimeMs,
    onError: (e) => errors.push(e),
    ...(sc.maxBatchOperations ? { maxBatchOperations: sc.maxBatchOperations } : {}),
  };
  let b;
  try {
    b = new CheckpointBatcher(opt.kind === "none" ? options : { ...options, operations });
    assert.notEqual(opt.kind, "holes", "a hole is refused");
    if (Array.isArray(operations)) for (const op of operations) { sure.learnOperation(op); most.learnOperation(op); }
  } catch (e) {
    assertNotTrap(e);
    assert.ok(e instanceof TypeError, `operations: ${e?.name}: ${e?.message}`);
    assert.ok(opt.kind === "holes" || opt.kind === "junk", `valid operations refused: ${e.message}`);
    if (opt.kind === "holes") assert.ok(e.message.includes(`operations[${firstBad}]`), e.message);
    reached.operationsRefused++;
    b = new CheckpointBatcher(options);
  }

  const tags = new Map(); // Name -> { accepted: true (certainly) / false (refused) / null (unknown), st: the promise state }
  const settles = [];
  let seq = 0;
  let closed = false;
  const track = (p, what) => {
    assert.ok(p instanceof Promise, `${what} returns a promise`);
    const st = { state: "pending" };
    settles.push(p.then((v) => { st.state = "ok"; st.value = v; }, (e) => { st.state = "err"; st.error = e; assertNotTrap(e); assert.ok(e instanceof CheckpointError, `${what} rejected with ${e?.name}: ${e?.message}`); }));
    return st;
  };
  const promote = () => {
    while (pending.length && pending[0].at <= turnNo - 2) for (const op of pending.shift().ops) sure.learnOperation(op);
  };

  for (const cmd of sc.commands) {
    switch (cmd.c) {
      case "update": {
        const Id = POOL[cmd.i];
        const ParentId = cmd.omitParent ? undefined : mapParent(cmd.i);
        const Name = `tag${seq++}`;
        const u = { Id, ParentId, Type: cmd.Type, Action: cmd.Action, Name };
        const must = sure.ancestor(Id, ParentId);
        const may = most.ancestor(Id, ParentId);
        let accepted;
        let error;
        const entry = { accepted: null };
        tags.set(Name, entry);
        if (cmd.how === "async") {
          try { b.checkpointAsync(u); accepted = true; } catch (e) {
            assertNotTrap(e);
            assert.ok(e instanceof CheckpointError, `checkpointAsync threw ${e?.name}: ${e?.message}`);
            accepted = false;
            error = e;
          }
        } else {
          const st = track(b.checkpoint(u), "checkpoint");
          entry.st = st;
          await microtasks();
          if (st.state === "err") {
            error = st.error;
            accepted = error.code === "ORPHANED" || error.code === "INVALID_UPDATE" ? false : null;
          } else accepted = true;
          if (cmd.how === "await") await settles[settles.length - 1];
        }
        if (error) {
          assert.notEqual(error.code, "INVALID_UPDATE", `a valid update refused: ${error.message}`);
          if (error.code === "ORPHANED") {
            reached.orphaned++;
            if (must !== undefined) reached.predicted++;
            assert.ok(may !== undefined, `ORPHANED without a finished ancestor: ${error.message}`);
            assert.deepEqual(error.operationIds, [Id]);
            assert.equal(error.scope, "OPERATION");
            assert.equal(error.retriable, false);
            assert.ok([...most.finished].some((f) => error.message.includes(f)), error.message);
          } else {
            assert.ok(LATCH_CODES.has(error.code), error.code);
            assert.ok(closed || failures > 0, `refused ${error.code} while open and healthy: ${error.message}`);
          }
        }
        if (closed) assert.notEqual(accepted, true, `${Id} accepted after close()`);
        if (accepted === true) assert.equal(must, undefined, `${Id} (ParentId ${ParentId}) accepted under the finished ${must}`);
        if (must !== undefined && !closed && failures === 0) assert.equal(error?.code, "ORPHANED", `${Id} under finished ${must} not refused ORPHANED`);
        if (cmd.how === "async" && error === undefined) assert.equal(accepted, true);
        entry.accepted = accepted;
        if (accepted === true) { sure.accept(u); reached.accepted++; }
        if (accepted !== false) most.accept(u);
        break;
      }
      case "junk": {
        if (cmd.how === "async") {
          try { b.checkpointAsync(cmd.x); } catch (e) {
            assertNotTrap(e);
            assert.ok(e instanceof CheckpointError || e instanceof TypeError || e instanceof RangeError, `${e?.name}: ${e?.message}`);
          }
        } else {
          let p;
          try { p = b.checkpoint(cmd.x); } catch (e) { assert.fail(`checkpoint threw synchronously: ${e?.name}: ${e?.message}`); }
          track(p, "checkpoint(junk)");
        }
        break;
      }
      case "poll": {
        let p;
        try { p = b.poll(); } catch (e) { assert.fail(`poll threw synchronously: ${e?.name}: ${e?.message}`); }
        track(p, "poll");
        const afterClose = closed;
        settles.push(p.then((ops) => {
          assert.ok(!afterClose, "a poll after close() resolved");
          assert.ok(Array.isArray(ops), "poll resolves with an array");
          reached.pollsResolved++;
          if (ops.length) reached.pollOps++;
          for (const op of ops) if (op && op.StartTimestamp !== undefined) assert.ok(op.StartTimestamp instanceof Date);
        }, (e) => {
          // After close(): CLOSED (or the latched error); before it, only a failing or
          // token-less answer (handed out by now) can fail a poll.
          assert.ok(LATCH_CODES.has(e.code), e.code);
          if (afterClose) assert.ok(e.code === "CLOSED" || failures > 0, e.code);
          else assert.ok(failures > 0, `a poll failed with nothing failing: ${e.code}: ${e.message}`);
        }));
        if (cmd.wait) await p.catch(() => {});
        break;
      }
      case "finish": {
        const valid = typeof cmd.id === "string" && ID_RE.test(cmd.id);
        try {
          b.finishContext(cmd.id);
          assert.ok(valid, `finishContext(${String(cmd.id)}) accepted a non-Id`);
          sure.finished.add(cmd.id);
          most.finished.add(cmd.id);
        } catch (e) {
          assertNotTrap(e);
          assert.ok(e instanceof CheckpointError, `finishContext threw ${e?.name}: ${e?.message}`);
          if (valid && closed && e.code === "CLOSED") break; // not specified either way after close()
          assert.ok(!valid, `finishContext(${String(cmd.id)}) refused a valid Id: ${e.message}`);
          assert.equal(e.code, "INVALID_UPDATE");
          assert.equal(e.field, "id");
        }
        break;
      }
      case "turn":
        await turn();
        turnNo++;
        break;
      case "sleep":
        await sleep(1);
        turnNo++;
        break;
      case "close": {
        const e = await b.close().then(() => undefined, (x) => x);
        if (e !== undefined) {
          assertNotTrap(e);
          assert.ok(e instanceof CheckpointError, `close rejected with ${e?.name}`);
          assert.ok(failures > 0, `close failed with nothing failing: ${e.message}`);
        }
        closed = true;
        break;
      }
      case "flush": {
        const healthy = failures === 0;
        const e = await b.flush().then(() => undefined, (x) => x);
        if (e !== undefined) {
          assertNotTrap(e);
          assert.ok(e instanceof CheckpointError, `flush rejected with ${e?.name}`);
          assert.ok(!healthy || failures > 0, `flush failed while healthy: ${e.message}`);
        }
        break;
      }
    }
    promote();
  }
  closed = true;
  // A second close() settles like the first.
  const closeError = await b.close().then(() => undefined, (e) => e);
  if (closeError !== undefined) {
    assertNotTrap(closeError);
    assert.ok(closeError instanceof CheckpointError);
    assert.ok(failures > 0, `close failed with nothing failing: ${closeError.message}`);
  }
  // Every promise settles.
  let timer;
  const outcome = await Promise.race([Promise.all(settles).then(() => "settled"), new Promise((res) => { timer = setTimeout(() => res("stuck"), 5000); })]);
  clearTimeout(timer);
  assert.equal(outcome, "settled", "every promise settles");
  const latched = errors.length > 0 || closeError !== undefined;
  if (latched) reached.latched++;
  reached.emptyCalls += t.calls.filter((c) => c.input.Updates.length === 0).length;
  assert.ok(errors.length <= 1, "onError at most once");
  if (errors.length) assertNotTrap(errors[0]);

  // What went on the wire.
  const seen = new Map(); // Name -> Set of ClientTokens
  t.calls.forEach((c, k) => {
    const names = c.input.Updates.map((u) => u.Name).filter((n) => typeof n === "string" && tags.has(n));
    assert.equal(new Set(names).size, names.length, `call ${k}: an update twice in one body`);
    for (const n of names) {
      if (!seen.has(n)) seen.set(n, new Set());
      seen.get(n).add(c.input.ClientToken);
    }
    if (!sc.cyclic) assertOrdered(c.input.Updates, `call ${k}`);
  });
  reached.sent += seen.size;
  for (const [name, entry] of tags) {
    const sends = seen.get(name)?.size ?? 0;
    assert.ok(sends <= 1, `${name} sent in ${sends} batches`);
    if (entry.accepted === false) assert.equal(sends, 0, `${name} was refused but sent`);
    if (entry.st?.state === "ok") assert.equal(sends, 1, `${name} resolved but was not sent`);
    if (entry.accepted === true && !latched) assert.equal(sends, 1, `${name} accepted but never sent`);
    if (entry.accepted === true && !latched && entry.st) assert.equal(entry.st.state, "ok", `${name}: checkpoint did not resolve`);
  }
  // Counters count acknowledged work.
  assert.deepEqual(b.stats, {
    apiCalls: acked.length,
    updatesSent: acked.reduce((n, i) => n + i.Updates.length, 0),
    bytesSent: acked.reduce((n, i) => n + wireBytes(i), 0),
    retries: throttles,
  });
  assert.ok(t.calls.every((c) => c.input.CheckpointToken), "never sent without a token");
}

test(`fuzz: ${SEQ_RUNS} command sequences (updates over a CONTEXT tree, poll, finishContext, operations) keep the gate and poll contracts`, async () => {
  try {
    await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: SEQ_RUNS });
  } catch (e) {
    // fast-check keeps the property's own failure in `cause`; show it.
    if (e?.cause) e.message += `\nCause: ${e.cause?.stack ?? e.cause}`;
    throw e;
  }
  for (const [k, n] of Object.entries(reached)) assert.ok(n > 0, `the sequences never reached ${k}: ${JSON.stringify(reached)}`);
  // The wasm instance is intact afterwards.
  const t = fakeTransport();
  const b = new CheckpointBatcher({ durableExecutionArn: "arn", checkpointToken: "tok0", transport: t });
  b.checkpointAsync({ Id: "after", Type: "STEP", Action: "START" });
  assert.deepEqual(await b.poll(), []);
  await b.close();
  assert.equal(t.calls.length, 1);
});

test("sortUpdates: its fast path (Ids checked in JS, numbers to the core) agrees with the full reader", () => {
  // A class instance serializes the same but never takes the fast path.
  class Wrapped {}
  const full = (u) => Object.assign(new Wrapped(), u);
  const outcome = (f) => {
    try {
      return { order: f().map((u) => u.Id) };
    } catch (e) {
      assertNotTrap(e);
      return { code: e.code, field: e.field, message: e.message };
    }
  };
  const id = fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom("n0", "n1", "n2", "c-1", "C_2", "x".repeat(64)) },
    { weight: 1, arbitrary: fc.constantFrom("", "x".repeat(65), "a\nb", "a\tb", "a b", "é", "a\uD800", "n0\n", "\nn0", "0", "-", "_") },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  );
  const batch = fc.array(
    fc.record({
      Id: id,
      ParentId: fc.option(id, { nil: undefined }),
      Type: fc.constantFrom("EXECUTION", "CONTEXT", "STEP", "WAIT"),
      Action: fc.constantFrom("START", "SUCCEED", "FAIL"),
    }),
    { minLength: 1, maxLength: 12 },
  );
  let ordered = 0;
  fc.assert(
    fc.property(batch, (us) => {
      const fast = outcome(() => sortUpdates(us));
      assert.deepEqual(fast, outcome(() => sortUpdates(us.map(full))));
      if (fast.order) ordered++;
    }),
    { numRuns: 3000 },
  );
  // Both sides of the rule were exercised.
  assert.ok(ordered > 100 && ordered < 2900, `ordered ${ordered} of 3000`);
});
