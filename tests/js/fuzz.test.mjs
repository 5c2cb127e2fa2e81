// Fuzzing the JS API with fast-check: wrong types, huge strings, deep and cyclic
// ParentId graphs, non-objects. No call may surface a WebAssembly RuntimeError, every
// rejection is a CheckpointError (or TypeError), and the batcher works normally after.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CheckpointBatcher, CheckpointError, sortUpdates } from "durable-checkpoint";
import { fakeTransport } from "./helpers.mjs";

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

function assertNoTrap(e) {
  assert.ok(!(e instanceof WebAssembly.RuntimeError), `WebAssembly trap: ${e?.message}`);
  assert.ok(e instanceof CheckpointError || e instanceof TypeError, `unexpected ${e?.name}: ${e?.message}`);
  if (e instanceof CheckpointError) {
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
  await fc.assert(
    fc.asyncProperty(fc.constantFrom("async", "await", "sort"), input, graph, async (how, x, g) => {
      k++;
      try {
        if (how === "async") {
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
  assert.ok(refused > RUNS / 4, `refused ${refused}`);
  assert.ok(accepted > 0, `accepted ${accepted}`);
  const sent = t.calls.flatMap((c) => c.input.Updates);
  assert.equal(b.stats.updatesSent, sent.length);
  assert.equal(sent.length, accepted + Math.floor(k / 50), "every accepted update sent exactly once");
});

test("fuzz: junk options throw TypeError or RangeError, never a trap", () => {
  fc.assert(
    fc.property(
      fc.record({ durableExecutionArn: weird, checkpointToken: weird, maxBatchSizeBytes: weird, maxBatchOperations: weird, maxBatchTimeMs: weird, flush: weird, onBatch: weird }, { requiredKeys: [] }),
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
