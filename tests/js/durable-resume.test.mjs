// A property test of map/parallel across invocation boundaries: random trees of
// batches (tests/js/batch-trees.mjs: concurrency limits, completion configs, failures,
// nested batches, durable waits inside items and after the batch) run against an
// in-memory service (tests/js/history-service.mjs) that kills invocations at random
// checkpoint calls, recorded or not, the way a Lambda that dies mid-call leaves things.
// Each execution is re-invoked with what the service holds until it ends.
//
// The final history must be one that a single uninterrupted run could have produced:
// - every Id, ParentId, Type, SubType and Name is the one the tree's code mints;
// - nothing is recorded under a context before it starts or after it ends (the
//   ancestor gate), no operation ends twice, no stale token is accepted;
// - each batch's recorded result (which items it holds and how, and why it completed)
//   is one its completion policy reaches for some order in which its items complete,
//   items starting in index order within `maxConcurrency`, and that order agrees with
//   the order in which the items' own records ended;
// - every item the batch holds as finished is recorded so, with its value or error,
//   and nested batches hold the same in turn;
// - the execution's output is what the top batch's record says.
//
// Ours always; the official SDK too on the same trees and cuts when no batch leaves
// items running (the official SDK keeps an invocation alive while orphaned items run:
// see tests/js/durable-batch.test.mjs), which checks the checker against it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { inspect } from "node:util";
import fc from "fast-check";
import { batchSpec, failureMessage, lite, policyOf, runBatchSpec } from "./batch-trees.mjs";
import { HistoryService, hashId } from "./history-service.mjs";

const require = createRequire(import.meta.url);
const OFFICIAL = require("@aws/durable-execution-sdk-js");
const OURS = require("durable-checkpoint");

const SEED = Number(process.env.DURABLE_API_SEED ?? Date.now() % 2 ** 31);
/** One unit of a timed step (ms): well above the service's 1 ms round trip. */
const UNIT = 15;
const INVOCATION_LIMIT_MS = 10_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const show = (v) => inspect(v, { depth: 12, breakLength: 140, maxArrayLength: 60 });

const lambdaContext = () => ({
  awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
  functionName: "resume",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:resume",
  memoryLimitInMB: "128",
  getRemainingTimeInMillis: () => 900_000,
});

// region running an execution to its end

/**
 * Runs `tree` under `sdk` until the execution ends, killing the k-th invocation at its
 * `cuts[k].call`-th checkpoint call. Returns the output, the service and how it went.
 */
async function execute(sdk, tree, cuts) {
  const service = new HistoryService({});
  const fn = async (_event, ctx) => {
    const out = lite(await runBatchSpec(sdk, ctx, tree.batch, "t", { sleep, unit: UNIT }));
    if (tree.waitAfter) await ctx.wait("after", { seconds: 1 });
    return out;
  };
  const ends = [];
  for (let k = 0; k < 60; k++) {
    const { event, client, killed } = service.begin(cuts[k]);
    const handler = sdk.withDurableExecution(fn, { durableExecutionClient: client });
    let timer;
    const r = await Promise.race([
      handler(event, lambdaContext()).catch((e) => ({ threw: e })),
      killed.then(() => "killed"),
      new Promise((resolve) => (timer = setTimeout(() => resolve("hung"), INVOCATION_LIMIT_MS))),
    ]);
    clearTimeout(timer);
    ends.push(typeof r === "string" ? r : r.threw ? `threw ${r.threw}` : r.Status);
    if (r === "hung" || r.threw) return { status: "BROKEN", ends, service };
    if (r === "killed" || r.Status === "PENDING") continue;
    return { status: r.Status, output: r, ends, service };
  }
  return { status: "TOO_MANY_INVOCATIONS", ends, service };
}

// region the checker

/** Every order-free outcome the policy of `spec` can reach: `{ slots, reason, order }`. */
function reachable(spec) {
  const n = spec.items.length;
  const limit = spec.maxConcurrency ?? Infinity;
  const out = [];
  const ok = (i) => spec.items[i].fails === "no";
  const explore = (slots, k, running, next, order) => {
    // Start what the policy allows, in index order.
    slots = slots.slice();
    running = running.slice();
    const policy = policyFor(spec, k);
    while (running.length < limit && next < n && policy.goOn()) {
      slots[next] = "STARTED";
      running.push(next++);
    }
    if (running.length === 0) {
      out.push({ slots, reason: policy.reason(), order });
      return;
    }
    for (const i of running) {
      const s = slots.slice();
      s[i] = ok(i) ? "SUCCEEDED" : "FAILED";
      const k2 = { succeeded: k.succeeded + (ok(i) ? 1 : 0), failed: k.failed + (ok(i) ? 0 : 1), completed: k.completed + 1 };
      const p2 = policyFor(spec, k2);
      const rest = running.filter((j) => j !== i);
      if (p2.done() || !p2.goOn()) out.push({ slots: s, reason: p2.reason(), order: [...order, i] });
      else explore(s, k2, rest, next, [...order, i]);
    }
  };
  if (n === 0) {
    out.push({ slots: [], reason: policyFor(spec, { succeeded: 0, failed: 0, completed: 0 }).reason(), order: [] });
  } else explore(new Array(n), { succeeded: 0, failed: 0, completed: 0 }, [], 0, []);
  return out;
}

const policyFor = (spec, k) => policyOf(spec.completion, spec.items.length, k);

/** Checks the final history of `tree` in `service`; returns the problems found. */
function checkHistory(tree, service, output) {
  const problems = [...service.violations];
  const { ops, log } = service;
  const firstSeq = new Map();
  const endSeq = new Map();
  for (const { seq, update: u } of log) {
    if (!firstSeq.has(u.Id)) firstSeq.set(u.Id, seq);
    if (u.Action === "SUCCEED" || u.Action === "FAIL") {
      if (endSeq.has(u.Id)) problems.push(`${u.Id} ended twice`);
      endSeq.set(u.Id, seq);
    }
  }
  // The ancestor gate and the parent-first rule, over every recorded update.
  for (const { seq, update: u } of log) {
    if (u.Type === "EXECUTION") continue;
    for (let p = u.ParentId; p !== undefined; p = ops.get(p)?.ParentId) {
      if (!(firstSeq.get(p) < seq)) problems.push(`${u.Action} ${u.Id} (#${seq}) before its ancestor ${p} was recorded`);
      if (endSeq.has(p) && endSeq.get(p) < seq) problems.push(`${u.Action} ${u.Id} (#${seq}) after its ancestor ${p} ended (#${endSeq.get(p)})`);
    }
  }
  const expectOp = (id, want, what) => {
    const op = ops.get(id);
    if (!op) return problems.push(`${what} (${id}) not recorded`), undefined;
    for (const [k, v] of Object.entries(want)) if (op[k] !== v) problems.push(`${what} (${id}): ${k} ${show(op[k])}, expected ${show(v)}`);
    return op;
  };

  /** Checks the batch `spec` recorded at raw id `raw` under `parentId`; returns its lite form. */
  const checkBatch = (spec, raw, parentId, path) => {
    const id = hashId(raw);
    const isMap = spec.kind === "map";
    const op = expectOp(id, { Type: "CONTEXT", SubType: isMap ? "Map" : "Parallel", ParentId: parentId, Name: spec.named ? `batch ${path}` : undefined, Status: "SUCCEEDED" }, `batch ${path}`);
    if (!op) return undefined;
    let payload;
    try {
      payload = JSON.parse(op.ContextDetails?.Result);
    } catch {
      problems.push(`batch ${path}: payload ${show(op.ContextDetails?.Result)} is not JSON`);
      return undefined;
    }
    const flat = spec.nesting === "FLAT";
    const held = new Map(payload.all.map((i) => [i.index, i]));
    const batchEnd = endSeq.get(id);
    // Each item: whether it is recorded, when its record ended, and its own checks.
    const recorded = [];
    const ended = [];
    spec.items.forEach((item, i) => {
      const where = `${path}.${i}`;
      const itemRaw = `${raw}-${i + 1}`;
      const itemId = hashId(itemRaw);
      const under = flat ? id : itemId;
      const h = held.get(i);
      const finished = h?.status === "SUCCEEDED" || h?.status === "FAILED";
      const ownRaws = [];
      let at = 1;
      const timedRaw = `${itemRaw}-${at++}`;
      const waitRaw = item.wait ? `${itemRaw}-${at++}` : undefined;
      const nestedRaw = item.nested ? `${itemRaw}-${at++}` : undefined;
      ownRaws.push(timedRaw);
      if (flat) {
        recorded[i] = ops.has(hashId(timedRaw));
        if (ops.has(itemId)) problems.push(`${where}: a FLAT item has a record of its own`);
      } else {
        recorded[i] = ops.has(itemId);
        if (recorded[i]) {
          const name = item.name || (isMap ? `map-item-${i}` : `parallel-branch-${i}`);
          expectOp(itemId, { Type: "CONTEXT", SubType: isMap ? "MapIteration" : "ParallelBranch", ParentId: id, Name: name }, `item ${where}`);
          if (endSeq.has(itemId)) ended.push({ i, seq: endSeq.get(itemId) });
          if (finished) {
            const s = ops.get(itemId).Status;
            if (s !== h.status) problems.push(`item ${where}: held ${h.status}, recorded ${s}`);
            if (!(endSeq.get(itemId) < batchEnd)) problems.push(`item ${where}: held as finished, but its record did not end before the batch's`);
          }
        }
      }
      if (!finished) return;
      // A finished item: its steps are recorded, and what the batch holds is right.
      const timed = expectOp(hashId(timedRaw), { Type: "STEP", ParentId: under, Name: `timed ${where}`, Status: item.fails === "step" ? "FAILED" : "SUCCEEDED" }, `timed step of ${where}`);
      if (timed && item.fails !== "step" && timed.StepDetails?.Result !== JSON.stringify(item.value)) problems.push(`timed step of ${where}: result ${timed.StepDetails?.Result}, expected ${JSON.stringify(item.value)}`);
      const want = item.fails === "no" ? "SUCCEEDED" : "FAILED";
      if (h.status !== want) problems.push(`item ${where}: held ${h.status}, expected ${want}`);
      if (item.fails === "step") return;
      if (waitRaw) expectOp(hashId(waitRaw), { Type: "WAIT", ParentId: under, Name: `pause ${where}`, Status: "SUCCEEDED" }, `wait of ${where}`);
      let value = { v: item.value };
      if (nestedRaw) value = { nested: checkBatch(item.nested, nestedRaw, under, where) };
      for (let q = 0; q < item.quickSteps; q++) expectOp(hashId(`${itemRaw}-${at++}`), { Type: "STEP", ParentId: under, Status: "SUCCEEDED" }, `quick step ${q} of ${where}`);
      if (want === "SUCCEEDED") {
        if (JSON.stringify(h.result) !== JSON.stringify(value)) problems.push(`item ${where}: held result ${show(h.result)}, expected ${show(value)}`);
      } else if (!String(h.error?.ErrorMessage ?? h.error?.errorMessage ?? "").includes(failureMessage(where, item.fails))) {
        problems.push(`item ${where}: held error ${show(h.error)}, expected "${failureMessage(where, item.fails)}"`);
      }
    });
    // Orphans: an item held as STARTED may still be recorded as anything, never more.
    // A FLAT item has no record of its own: one the batch ended with just after starting
    // it (before its first step was recorded) is STARTED without any.
    const unrecordedStart = (i) => flat && !recorded[i] && held.get(i)?.status === "STARTED";
    for (const [index, h] of held) if (!recorded[index] && h.status !== undefined && !unrecordedStart(index)) problems.push(`batch ${path}: holds item ${index} (${h.status}), which has no record`);
    const got = { slots: spec.items.map((_, i) => held.get(i)?.status), reason: payload.completionReason };
    // The items whose records ended (NESTED), in that order, must be how they completed.
    const endedOrder = ended.sort((a, b) => a.seq - b.seq).map((e) => e.i);
    const fits = reachable(spec).some((r) => {
      if (r.reason !== got.reason || r.slots.some((s, i) => s !== got.slots[i])) return false;
      if (spec.items.some((_, i) => (r.slots[i] !== undefined) !== (recorded[i] || unrecordedStart(i)))) return false;
      if (flat) return true;
      // Items finished in the result completed in this order, before any other ended.
      const order = endedOrder.slice(0, r.order.length);
      return order.length === r.order.length && order.every((i, k) => i === r.order[k]);
    });
    if (!fits) problems.push(`batch ${path}: result ${show(got)} (records: ${show({ recorded, endedOrder })}) is not one its policy reaches: ${show(reachable(spec).map(({ slots, reason, order }) => ({ slots, reason, order })))}`);
    return { statuses: payload.all.map(({ index, status }) => ({ index, status })), reason: payload.completionReason };
  };

  const top = checkBatch(tree.batch, "1", undefined, "t");
  if (tree.waitAfter) expectOp(hashId("2"), { Type: "WAIT", Name: "after", Status: "SUCCEEDED" }, "the wait after");
  if (output.Status !== "SUCCEEDED") problems.push(`execution ${output.Status}: ${show(output.Error)}`);
  else if (top && JSON.stringify(JSON.parse(output.Result)) !== JSON.stringify(top)) problems.push(`output ${output.Result}, the record says ${JSON.stringify(top)}`);
  return problems;
}

// region the property

const treeSpec = fc.record({ batch: batchSpec(batchSpec(undefined, 3, { waits: true }), 4, { waits: true }), waitAfter: fc.boolean() });
const cutsSpec = fc.array(fc.record({ call: fc.integer({ min: 1, max: 6 }), apply: fc.boolean() }), { minLength: 1, maxLength: 4 });

/** Whether some batch of the tree may leave items running (then the official SDK hangs). */
function mayLeaveItems(spec) {
  return reachable(spec).some((r) => r.slots.includes("STARTED")) || spec.items.some((i) => i.nested && mayLeaveItems(i.nested));
}

test(`map/parallel resumed at random checkpoints: every history is one an uninterrupted run could make (seed ${SEED})`, { timeout: 300_000 }, async () => {
  const stats = { runs: 0, cut: 0, invocations: 0, official: 0 };
  await fc.assert(
    fc.asyncProperty(treeSpec, cutsSpec, async (tree, cuts) => {
      const sdks = [["ours", OURS]];
      if (!mayLeaveItems(tree.batch)) sdks.push(["official", OFFICIAL]);
      for (const [label, sdk] of sdks) {
        const run = await execute(sdk, tree, cuts);
        assert.notEqual(run.status, "BROKEN", `${label}: ${show(run.ends)}`);
        assert.equal(run.status, "SUCCEEDED", `${label}: ${show({ ends: run.ends, output: run.output })}`);
        const problems = checkHistory(tree, run.service, run.output);
        assert.deepStrictEqual(problems, [], `${label} (invocations ${show(run.ends)}):\n${problems.join("\n")}`);
        if (label === "ours") {
          stats.runs++;
          stats.invocations += run.ends.length;
          stats.cut += run.ends.includes("killed") ? 1 : 0;
        } else stats.official++;
      }
    }),
    { numRuns: Number(process.env.DURABLE_RESUME_RUNS ?? 40), seed: SEED, endOnFailure: true, includeErrorInReport: true },
  );
  if (process.env.DURABLE_API_DEBUG) console.log(stats);
  // The cuts must have bitten: a run of this size without one means the harness is off.
  assert.ok(stats.cut >= stats.runs / 4, `only ${stats.cut} of ${stats.runs} runs had an invocation killed`);
});

// A case the property found (seed 897855030): a FLAT map, two at a time, failing fast.
// Live, item 1 ended before item 0 failed, so item 2 started; the invocation died after
// that. On replay both ends come back at once in index order, and item 0's failure,
// counted first, ended the batch as if item 2 had never started.
test("FLAT map resumed: an end that would stop the batch waits while the history shows a later item started", async () => {
  const item = (rank, fails, extra = {}) => ({ rank, fails, quickSteps: 0, name: undefined, value: { rank }, wait: false, nested: undefined, ...extra });
  const tree = {
    batch: {
      kind: "map",
      named: false,
      nesting: "FLAT",
      maxConcurrency: 2,
      completion: { kind: "empty" },
      items: [
        item(3, "throw"),
        item(1, "no"),
        item(1, "no", {
          quickSteps: 1,
          nested: { kind: "map", named: true, nesting: "FLAT", maxConcurrency: undefined, completion: { kind: "none" }, items: [item(1, "step", { wait: true }), item(2, "throw")] },
        }),
        item(3, "throw"),
      ],
    },
    waitAfter: true,
  };
  const run = await execute(OURS, tree, [{ call: 6, apply: true }, { call: 6, apply: false }]);
  assert.equal(run.status, "SUCCEEDED", show(run.ends));
  assert.equal(run.ends[0], "killed");
  assert.deepStrictEqual(checkHistory(tree, run.service, run.output), []);
});
