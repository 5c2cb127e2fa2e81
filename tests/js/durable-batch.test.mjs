// context.map and context.parallel against the official SDK, under the official testing
// library's LocalDurableTestRunner (skipTime: true), as tests/js/durable-api.test.mjs does.
//
// Each scenario is a handler factory `make(sdk, env)` written against the official
// @aws/durable-execution-sdk-js API only; it runs once under the official SDK and once
// under durable-checkpoint. Both runs must end with the same status / result / error,
// the same recorded operations (Id, ParentId, Name, Type, SubType, Status and each
// operation's result / error) and the same observations (`env.seen`). Where items run
// concurrently, observations are made order-free (sorted, or counted).
//
// Completion order of concurrent items is made deterministic with real-time delays
// inside step bodies (`sleep`): a few tens of milliseconds apart, far more than a
// checkpoint round trip to the runner.
//
// Then a property test (fast-check): random map/parallel trees (nesting, concurrency,
// completion configs, failures, nested batches), each run under both SDKs and
// compared, and compared with a model of which items the batch holds and why it ended.
//
// DURABLE_API_OURS=official puts the official SDK in ours's place.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  OFFICIAL,
  OURS,
  LocalDurableTestRunner,
  realNow,
  realSetTimeout,
  runUnder as runScenario,
  compare as compareScenario,
  show,
  useRunner,
} from "./durable-runner.mjs";
import { batchSpec, lite, noRetry, policyOf, runBatchSpec } from "./batch-trees.mjs";

// Only the timers and Date are faked (faking nextTick and queueMicrotask leaves
// node:test's reporter stuck: see ./durable-runner.mjs). setImmediate stays real too:
// faked, it fires only when the fake clock steps (every 20 ms of real time), and both
// SDKs send checkpoints from it, so every checkpoint would cost up to 20 ms and the
// items' completion order would blur.
useRunner({ alsoReal: ["setImmediate", "clearImmediate"] });

/** Resolves after `ms` of real time (the fake clock does not move it). */
const sleep = (ms) => new Promise((resolve) => realSetTimeout(resolve, ms));

// region running a scenario

// Observations are copied when a run ends: late work of an early-completed batch must
// not change what was observed.
const CLONE = { cloneSeen: true };
const runUnder = (sdk, sc, payload) => runScenario(sdk, sc, payload, CLONE);
const compare = (sc, payload) => compareScenario(sc, payload, CLONE);

/** What a value is after a JSON round trip (the handler's result goes through one). */
const jsonRoundTrip = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

const opts = { timeout: 60_000 };
function scenario(sc) {
  test(`map/parallel: ${sc.name}`, opts, async () => {
    assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution (is dist/ built?)");
    await compare(sc);
  });
}

/** A wait longer than the runner's 900 s invocation: the invocation must end and the runner re-invoke. */
const LONG = { minutes: 20 };

/** Everything a BatchResult tells, as plain data (errors as name/message/cause). */
function describe(r) {
  const err = (e) => (e ? { name: e.name, message: e.message, isChild: e.constructor?.name === "ChildContextError", cause: e.cause ? { name: e.cause.name, message: e.cause.message } : undefined } : undefined);
  return {
    all: r.all.map((i) => ({ index: i.index, status: i.status, result: i.result, error: err(i.error), keys: Object.keys(i).sort() })),
    succeeded: r.succeeded().map((i) => i.index),
    failed: r.failed().map((i) => i.index),
    started: r.started().map((i) => i.index),
    results: r.getResults(),
    errors: r.getErrors().map((e) => e.message),
    status: r.status,
    completionReason: r.completionReason,
    hasFailure: r.hasFailure,
    counts: [r.successCount, r.failureCount, r.startedCount, r.totalCount],
    json: JSON.parse(JSON.stringify(r)),
    threw: (() => {
      try {
        r.throwIfError();
        return null;
      } catch (e) {
        return { name: e.name, message: e.message };
      }
    })(),
  };
}

// region basics

scenario({
  name: "map: named, steps in each item, the whole BatchResult (and its JSON)",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const r = await ctx.map("double", [1, 2, 3], async (c, item, index, array) => {
        const v = await c.step("times two", async () => item * 2);
        return { v, index, n: array.length };
      });
      const after = await ctx.step("after", async () => "next id");
      return { r: describe(r), after };
    }),
  check: (r) => {
    assert.equal(r.status, "SUCCEEDED");
    const map = r.operations.find((o) => o.name === "double");
    assert.equal(map.subType, "Map");
    assert.deepStrictEqual(r.operations.filter((o) => o.subType === "MapIteration").map((o) => o.name).sort(), ["map-item-0", "map-item-1", "map-item-2"]);
  },
});

scenario({
  name: "map: unnamed, itemNamer names the iterations, an empty map",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const r = await ctx.map(["a", "b", "c"], async (c, item) => c.step(async () => item.toUpperCase()), {
        itemNamer: (item, index) => {
          env.seen.push({ namer: item, index });
          return index === 1 ? "" : `item ${item}`;
        },
      });
      const empty = await ctx.map("empty", [], async () => "never");
      return { r: describe(r), empty: describe(empty) };
    }),
  check: (r) => assert.deepStrictEqual(r.operations.filter((o) => o.subType === "MapIteration").map((o) => o.name).sort(), ["item a", "item c", "map-item-1"]),
});

scenario({
  name: "parallel: named and unnamed, function and { name, func } branches",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const a = await ctx.parallel("fan", [
        async (c) => c.step("one", async () => 1),
        { name: "second", func: async (c) => c.step(async () => 2) },
        { func: async () => 3 },
        async (c) => c.runInChildContext("inner", async (k) => k.step(async () => 4)),
      ]);
      const b = await ctx.parallel([async () => "x", { name: "y", func: async () => "y" }]);
      return { a: describe(a), b: describe(b) };
    }),
  check: (r) =>
    assert.deepStrictEqual(
      r.operations.filter((o) => o.subType === "ParallelBranch").map((o) => o.name).sort(),
      ["parallel-branch-0", "parallel-branch-0", "parallel-branch-2", "parallel-branch-3", "second", "y"],
    ),
});

scenario({
  name: "map and parallel inside child contexts and each other; the next ids after them",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const out = await ctx.runInChildContext("outer", async (c) => {
        const m = await c.map("rows", [[1, 2], [3]], async (mc, row) => {
          const p = await mc.parallel(row.map((x) => async (pc) => pc.step(async () => x * 10)));
          return p.getResults();
        });
        return m.getResults();
      });
      const last = await ctx.step("last", async () => "last");
      return { out, last };
    }),
  expect: { status: "SUCCEEDED", result: { out: [[10, 20], [30]], last: "last" } },
});

// region concurrency

for (const [kind, maxConcurrency] of [["map", 2], ["map", 1], ["parallel", 3], ["map", undefined]]) {
  scenario({
    name: `${kind}: maxConcurrency ${maxConcurrency}: items start in index order, at most that many at once`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        let running = 0;
        let most = 0;
        const body = async (c, i) => {
          env.seen.push({ start: i });
          // (How many run at a start depends on timing: checked, not compared.)
          env.runningAtStart = [...(env.runningAtStart ?? []), running];
          running++;
          most = Math.max(most, running);
          const v = await c.step(`work ${i}`, async () => {
            await sleep(5 + 7 * (i % 3));
            return i;
          });
          running--;
          return v;
        };
        const items = [0, 1, 2, 3, 4, 5, 6];
        const r =
          kind === "map"
            ? await ctx.map("m", items, async (c, i) => body(c, i), { maxConcurrency })
            : await ctx.parallel("p", items.map((i) => async (c) => body(c, i)), { maxConcurrency });
        env.seen.push({ most });
        return { results: r.getResults(), reason: r.completionReason };
      }),
    expect: { status: "SUCCEEDED", result: { results: [0, 1, 2, 3, 4, 5, 6], reason: "ALL_COMPLETED" } },
    check: (r) => {
      const starts = r.seen.filter((s) => "start" in s);
      assert.deepStrictEqual(starts.map((s) => s.start), [0, 1, 2, 3, 4, 5, 6], "index order");
      const limit = maxConcurrency ?? 7;
      assert.ok(r.runningAtStart.every((n) => n < limit), show(r.runningAtStart));
      assert.equal(r.seen.at(-1).most, Math.min(limit, 7));
    },
  });
}

for (const [kind, maxConcurrency] of [["map", 0], ["map", -1], ["parallel", 0]]) {
  scenario({
    name: `${kind}: maxConcurrency ${maxConcurrency} is refused: the execution fails, nothing is checkpointed for the batch`,
    make: (sdk) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        await ctx.step("before", async () => 1);
        try {
          if (kind === "map") await ctx.map("m", [1, 2], async (c, x) => c.step(async () => x), { maxConcurrency });
          else await ctx.parallel("p", [async (c) => c.step(async () => 1)], { maxConcurrency });
        } catch (e) {
          return { caught: e.message };
        }
        return "not refused";
      }),
    expect: {
      status: "FAILED",
      error: { errorType: "Error", errorMessage: `Invalid maxConcurrency: ${maxConcurrency}. Must be a positive number or undefined for unlimited concurrency.` },
    },
    check: (r) => assert.deepStrictEqual(r.operations.map((o) => o.name), ["before"]),
  });
}

scenario({
  name: "shouldComplete together with a threshold is refused: the execution fails",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const p = ctx.parallel([async () => 1], { completionConfig: { shouldComplete: () => sdk.continueBatch(), minSuccessful: 1 } });
      env.seen.push("returned");
      await p;
      return "not refused";
    }),
  expect: {
    status: "FAILED",
    error: { errorType: "Error", errorMessage: "completionConfig.shouldComplete is mutually exclusive with minSuccessful, toleratedFailureCount, and toleratedFailurePercentage" },
  },
});

scenario({
  name: "bad arguments: not an array, no function, a bad branch (caught; nothing recorded)",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const out = [];
      const attempt = async (f) => {
        try {
          await f();
          out.push("ok");
        } catch (e) {
          out.push({ name: e.name, message: e.message });
        }
      };
      await attempt(() => ctx.map("m", "abc", async () => 1));
      await attempt(() => ctx.map("m", [1], "not a function"));
      await attempt(() => ctx.map(undefined));
      await attempt(() => ctx.parallel("p", { length: 1 }));
      await attempt(() => ctx.parallel("p", [async () => 1, 42]));
      await attempt(() => ctx.parallel("p", [{ name: "no func" }]));
      await attempt(() => ctx.parallel("p", [null]));
      out.push(await ctx.step("after", async () => "after"));
      return out;
    }),
  check: (r) => assert.deepStrictEqual(r.operations.map((o) => o.name), ["after"]),
});

// region serdes and nesting

/** A serdes that tags its text, and records what it was asked. */
function taggedSerdes(env, tag) {
  return {
    serialize: async (value, sctx) => {
      env.seen.push({ serialize: tag, entityId: sctx.entityId, value: JSON.parse(JSON.stringify(value ?? null)) });
      return value === undefined ? undefined : `${tag}:${JSON.stringify(value)}`;
    },
    deserialize: async (data, sctx) => {
      env.seen.push({ deserialize: tag, entityId: sctx.entityId, data });
      if (data === undefined) return undefined;
      assert.ok(data.startsWith(`${tag}:`), `"${data}" was written by ${tag}`);
      return JSON.parse(data.slice(tag.length + 1));
    },
  };
}

for (const kind of ["map", "parallel"]) {
  scenario({
    name: `${kind}: serdes (the batch's payload) and itemSerdes (each item's), across a replay`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const config = { maxConcurrency: 1, serdes: taggedSerdes(env, "batch"), itemSerdes: taggedSerdes(env, "item") };
        const run = () =>
          kind === "map"
            ? ctx.map("m", [1, 2], async (c, x) => ({ x: await c.step(async () => x) }), config)
            : ctx.parallel("p", [async () => ({ x: 1 }), async (c) => ({ x: await c.step(async () => 2) })], config);
        const r = await run();
        await ctx.wait(LONG);
        // A plain object (the custom serdes made it) is still given the BatchResult methods.
        return { results: r.getResults(), reason: r.completionReason, count: r.successCount, threw: r.throwIfError() ?? null };
      }),
    expect: { status: "SUCCEEDED", result: { results: [{ x: 1 }, { x: 2 }], reason: "ALL_COMPLETED", count: 2, threw: null } },
    check: (r) => {
      assert.ok(r.invocations >= 2);
      assert.ok(r.operations.find((o) => o.subType === (kind === "map" ? "Map" : "Parallel")).context.result.startsWith("batch:"));
    },
  });
}

for (const nesting of ["NESTED", "FLAT"]) {
  scenario({
    name: `map and parallel with nesting ${nesting}: the operations' tree, across replays (a wait inside an item)`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        env.seen.push({ invocation: env.invocations });
        const m = await ctx.map(
          "m",
          ["a", "b"],
          async (c, x, i) => {
            env.seen.push({ item: x, invocation: env.invocations });
            const first = await c.step(`first ${x}`, async () => {
              env.seen.push({ step: x });
              return x;
            });
            if (i === 1) await c.wait("in item", LONG);
            const inner = await c.runInChildContext("inner", async (k) => k.step(async () => `${first}!`));
            return inner;
          },
          { nesting: sdk.NestingType[nesting], maxConcurrency: 1 },
        );
        const p = await ctx.parallel("p", [{ name: "b1", func: async (c) => c.step(async () => 1) }, async (c) => c.step("two", async () => 2)], {
          nesting: sdk.NestingType[nesting],
        });
        // Re-invoked for the wait in the item, the runner moved its fake clock on: put it
        // back so that this second long wait ends the invocation as well (see runUnder).
        LocalDurableTestRunner.fakeClock?.setSystemTime(realNow());
        await ctx.wait(LONG);
        return { m: describe(m), p: describe(p) };
      }),
    check: (r) => {
      assert.equal(r.status, "SUCCEEDED");
      assert.equal(r.invocations, 3);
      const iterations = r.operations.filter((o) => o.subType === "MapIteration" || o.subType === "ParallelBranch");
      assert.equal(iterations.length, nesting === "FLAT" ? 0 : 4);
      const map = r.operations.find((o) => o.subType === "Map");
      if (nesting === "FLAT") assert.ok(r.operations.filter((o) => o.parentId === map.id).length >= 4);
    },
  });
}

// region completion

/** Items: each succeeds or fails (a step without retries) after a delay, in ms. */
const ITEMS = [
  { ok: true, ms: 60, v: "a" },
  { ok: false, ms: 20, v: "b" },
  { ok: true, ms: 100, v: "c" },
  { ok: false, ms: 40, v: "d" },
  { ok: true, ms: 80, v: "e" },
];

/** Runs ITEMS as a map or a parallel under `completionConfig`; `after` runs once it returned. */
function completionScenario({ name, kind = "map", completionConfig, maxConcurrency, after, expectReason, ...rest }) {
  return {
    name,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const body = async (c, spec, i) =>
          c.step(`item ${i}`, async () => {
            await sleep(spec.ms);
            if (!spec.ok) throw new Error(`item ${i} failed`);
            return spec.v;
          }, noRetry);
        const cc = typeof completionConfig === "function" ? completionConfig(sdk, env) : completionConfig;
        const config = { completionConfig: cc, maxConcurrency };
        const r =
          kind === "map"
            ? await ctx.map("batch", ITEMS, async (c, spec, i) => body(c, spec, i), config)
            : await ctx.parallel("batch", ITEMS.map((spec, i) => ({ name: `branch ${i}`, func: async (c) => body(c, spec, i) })), config);
        const d = describe(r);
        env.seen.push({ invocation: env.invocations, result: d });
        if (after) await after(ctx, sdk, env);
        return d;
      }),
    check: (r) => {
      assert.equal(r.status, "SUCCEEDED");
      if (expectReason) assert.equal(r.result.completionReason, expectReason);
      const results = r.seen.filter((s) => s.result).map((s) => s.result);
      // Every invocation (live, then replays) saw the same BatchResult.
      for (const x of results) assert.deepStrictEqual(x, results[0]);
      rest.check?.(r);
    },
    ...Object.fromEntries(Object.entries(rest).filter(([k]) => k !== "check")),
  };
}

const COMPLETIONS = [
  { label: "no completionConfig: fail-fast at the first failure", completionConfig: undefined, expectReason: "FAILURE_TOLERANCE_EXCEEDED" },
  { label: "an empty completionConfig is fail-fast too", completionConfig: {}, expectReason: "FAILURE_TOLERANCE_EXCEEDED" },
  { label: "minSuccessful 2", completionConfig: { minSuccessful: 2 }, expectReason: "MIN_SUCCESSFUL_REACHED" },
  { label: "toleratedFailureCount 1 is exceeded", completionConfig: { toleratedFailureCount: 1 }, expectReason: "FAILURE_TOLERANCE_EXCEEDED" },
  { label: "toleratedFailureCount 2: failures tolerated", completionConfig: { toleratedFailureCount: 2 }, expectReason: "ALL_COMPLETED" },
  { label: "toleratedFailurePercentage 30 is exceeded", completionConfig: { toleratedFailurePercentage: 30 }, expectReason: "FAILURE_TOLERANCE_EXCEEDED" },
  { label: "toleratedFailurePercentage 40 with minSuccessful 3", completionConfig: { toleratedFailurePercentage: 40, minSuccessful: 3 }, expectReason: "ALL_COMPLETED" },
  {
    label: "shouldComplete: completeBatch() at the first success (the predicate sees every step)",
    completionConfig: (sdk, env) => ({
      shouldComplete: (s) => {
        env.seen.push({ predicate: s });
        return s.successCount >= 1 ? sdk.completeBatch() : sdk.continueBatch();
      },
    }),
    expectReason: "CUSTOM_COMPLETION_SUCCEEDED",
  },
  {
    label: "shouldComplete: completeBatch(FAILED) at two failures",
    completionConfig: (sdk) => ({ shouldComplete: (s) => (s.failureCount >= 2 ? sdk.completeBatch(sdk.CompletionOutcome.FAILED) : sdk.continueBatch()) }),
    expectReason: "CUSTOM_COMPLETION_FAILED",
  },
  {
    label: "shouldComplete: completeBatch(FAILED) before anything starts",
    completionConfig: (sdk) => ({ shouldComplete: () => sdk.completeBatch(sdk.CompletionOutcome.FAILED) }),
    expectReason: "CUSTOM_COMPLETION_FAILED",
  },
  { label: "shouldComplete: always continueBatch()", completionConfig: (sdk) => ({ shouldComplete: () => sdk.continueBatch() }), expectReason: "ALL_COMPLETED" },
];

for (const c of COMPLETIONS) {
  for (const [kind, maxConcurrency] of [["map", undefined], ["parallel", 2]]) {
    scenario(completionScenario({ name: `${kind}${maxConcurrency ? ` (maxConcurrency ${maxConcurrency})` : ""}: ${c.label}`, kind, maxConcurrency, ...c }));
  }
}


// The replay of a completed batch returns an equal BatchResult (completionScenario
// checks every invocation saw the same), STARTED items included: here the items still
// running at the completion wait on the service, so both SDKs can suspend.
for (const kind of ["map", "parallel"]) {
  scenario({
    name: `${kind}: completes early while items wait on callbacks; the handler then waits; the replay returns an equal BatchResult`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const body = async (c, i) => {
          if (i === 0) return c.step("quick", async () => "quick");
          // (A callback nobody completes: a wait would move the runner's fake clock.)
          const [held] = await c.createCallback(`hold ${i}`);
          await held;
          return c.step(`after hold ${i}`, async () => {
            env.seen.push(`item ${i} went on`);
            return i;
          });
        };
        const config = { completionConfig: { minSuccessful: 1 } };
        const r =
          kind === "map"
            ? await ctx.map("batch", [0, 1, 2], async (c, i) => body(c, i), config)
            : await ctx.parallel("batch", [0, 1, 2].map((i) => async (c) => body(c, i)), config);
        env.seen.push({ invocation: env.invocations, result: describe(r) });
        await ctx.wait("then", LONG);
        return describe(r);
      }),
    check: (r) => {
      assert.equal(r.status, "SUCCEEDED");
      assert.ok(r.invocations >= 2);
      assert.deepStrictEqual(r.result.started, [1, 2]);
      const results = r.seen.filter((s) => s.result).map((s) => s.result);
      assert.ok(results.length >= 2);
      for (const x of results) assert.deepStrictEqual(jsonRoundTrip(x), r.result);
      assert.ok(!r.operations.some((o) => o.name?.startsWith("after hold")), "nothing after the holds was checkpointed");
      assert.ok(!r.seen.some((s) => typeof s === "string" && s.endsWith("went on")));
    },
  });
}

// region large results

const HALF = "z".repeat(100 * 1024);
for (const [kind, nesting, summary] of [
  ["map", "NESTED", false],
  ["map", "FLAT", true],
  ["parallel", "NESTED", true],
  ["parallel", "FLAT", false],
]) {
  scenario({
    name: `${kind} (${nesting}): a result over 256 KiB is checkpointed as the summary${summary ? " (with the user's)" : ""}, rebuilt on replay without running a step again`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const body = async (c, i) => {
          if (i === 3) {
            await c.step(`fail ${i}`, async () => {
              env.seen.push(`step ${i} ran`);
              throw new TypeError("item 3 broke");
            }, noRetry);
          }
          // An item without durable operations of its own (only a FLAT replay runs it again).
          if (i === 4) return "bare";
          return c.step(`big ${i}`, async () => {
            env.seen.push(`step ${i} ran`);
            return `${i}:${HALF}`;
          });
        };
        const config = {
          nesting: sdk.NestingType[nesting],
          maxConcurrency: 2,
          completionConfig: { toleratedFailureCount: 1 },
          ...(summary ? { summaryGenerator: (r) => `${r.successCount} of ${r.totalCount}` } : {}),
        };
        const items = [0, 1, 2, 3, 4];
        const r =
          kind === "map"
            ? await ctx.map("big", items, async (c, i) => body(c, i), { ...config, itemNamer: (i) => `n${i}` })
            : await ctx.parallel("big", items.map((i) => ({ name: `n${i}`, func: async (c) => body(c, i) })), config);
        const short = (d) => ({ ...d, all: d.all.map((i) => ({ ...i, result: typeof i.result === "string" ? i.result.slice(0, 8) : i.result })), results: d.results.map((x) => x.slice(0, 8)), json: undefined });
        env.seen.push({ invocation: env.invocations, result: short(describe(r)), length: JSON.stringify(r).length });
        await ctx.wait(LONG);
        return short(describe(r));
      }),
    check: (r) => {
      assert.equal(r.status, "SUCCEEDED");
      assert.ok(r.invocations >= 2, "replayed");
      const batch = r.operations.find((o) => o.name === "big");
      assert.equal(batch.replayChildren, true);
      const recorded = batch.context.result;
      assert.deepStrictEqual(
        { ...recorded, summary: undefined },
        {
          type: kind === "map" ? "MapResult" : "ParallelResult",
          totalCount: 5,
          successCount: 4,
          failureCount: 1,
          ...(kind === "parallel" ? { startedCount: 0 } : {}),
          completionReason: "ALL_COMPLETED",
          status: "FAILED",
          itemStatuses: "SSSFS",
          summary: undefined,
        },
      );
      if (summary) assert.equal(recorded.summary, "4 of 5");
      const results = r.seen.filter((s) => s.result).map(({ result, length }) => ({ result, length }));
      assert.ok(results.length >= 2);
      for (const x of results) assert.deepStrictEqual(x, results[0]);
      // Each step ran once, in the first invocation only.
      assert.deepStrictEqual(r.seen.filter((s) => typeof s === "string").sort(), ["step 0 ran", "step 1 ran", "step 2 ran", "step 3 ran"]);
    },
  });
}

scenario({
  name: "parallel: a summaryGenerator that throws fails the batch's context (a ChildContextError)",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      try {
        await ctx.parallel("big", [async () => HALF, async () => HALF, async () => HALF], {
          summaryGenerator: () => {
            throw new TypeError("no summary today");
          },
        });
        return "no error";
      } catch (e) {
        return { name: e.name, message: e.message, cause: e.cause?.name };
      }
    }),
  expect: { status: "SUCCEEDED", result: { name: "ChildContextError", message: "no summary today", cause: "StepError" } },
});

// A summary of a batch that completed early: the replay rebuilds the items that had
// completed, and leaves out the one still running then (STARTED), passing over its id
// (as officially: the live result had it, the rebuilt one does not).
for (const nesting of ["NESTED", "FLAT"]) {
  scenario({
    name: `map (${nesting}): a summarized batch that completed early is rebuilt from the items that had completed`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const r = await ctx.map(
          "big",
          [0, 1, 2, 3],
          async (c, i) => {
            if (i === 2) {
              const [held] = await c.createCallback("held");
              await held;
            }
            return c.step(`big ${i}`, async () => {
              env.seen.push(`step ${i} ran`);
              return `${i}:${HALF}`;
            });
          },
          { nesting: sdk.NestingType[nesting], completionConfig: { minSuccessful: 3 } },
        );
        env.seen.push({ invocation: env.invocations, started: r.started().map((i) => i.index), succeeded: r.succeeded().map((i) => i.index), reason: r.completionReason, total: r.totalCount });
        await ctx.wait(LONG);
        return { started: r.started().map((i) => i.index), succeeded: r.succeeded().map((i) => i.index), reason: r.completionReason, total: r.totalCount };
      }),
    expect: { status: "SUCCEEDED", result: { started: [], succeeded: [0, 1, 3], reason: "MIN_SUCCESSFUL_REACHED", total: 3 } },
    check: (r) => {
      assert.ok(r.invocations >= 2);
      assert.deepStrictEqual(r.seen.find((s) => s.invocation === 1), { invocation: 1, started: [2], succeeded: [0, 1, 3], reason: "MIN_SUCCESSFUL_REACHED", total: 4 });
      assert.equal(r.operations.find((o) => o.name === "big").context.result.itemStatuses, "SS-S");
    },
  });
}

// region waits inside branches

scenario({
  name: "parallel: a wait inside a branch suspends the invocation; replay finishes the batch (other branches not run again)",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const r = await ctx.parallel("p", [
        { name: "quick", func: async (c) => c.step("q", async () => (env.seen.push("quick ran"), "q")) },
        {
          name: "slow",
          func: async (c) => {
            const a = await c.step("before", async () => (env.seen.push("before ran"), "b"));
            await c.wait("pause", LONG);
            return `${a}+${await c.step("after", async () => (env.seen.push("after ran"), "a"))}`;
          },
        },
        async (c) => c.map("inner", [1, 2], async (m, x) => m.step(async () => (env.seen.push(`inner ${x} ran`), x))).then((b) => b.getResults()),
      ]);
      return describe(r);
    }),
  check: (r) => {
    assert.equal(r.status, "SUCCEEDED");
    assert.ok(r.invocations >= 2);
    assert.deepStrictEqual(r.seen.slice().sort(), ["after ran", "before ran", "inner 1 ran", "inner 2 ran", "quick ran"]);
  },
});

// A deliberate difference: items still running a step when the batch completes keep the
// official SDK's invocation from ever suspending (their step stays EXECUTING: its
// checkpoint under the finished batch never resolves), so a wait after such a batch
// keeps the invocation running (polling) until the wait is over, and a wait longer than
// the invocation has left hangs it until Lambda's timeout. Ours forgets them, as it does
// waiting operations under a finished context: nothing they do can be checkpointed.
for (const [kind, nesting] of [["map", "NESTED"], ["parallel", "NESTED"], ["map", "FLAT"]]) {
  const oursOnly = { ...opts, skip: OURS === OFFICIAL ? "ours only" : false };
  test(`map/parallel: ${kind} (${nesting}): items still running a step when the batch completes send nothing, and do not keep the invocation from suspending (ours only: official hangs)`, oursOnly, async () => {
    const sc = {
      make: (sdk, env) =>
        sdk.withDurableExecution(async (_event, ctx) => {
          const body = async (c, i) => {
            const v = await c.step(`work ${i}`, async () => {
              await sleep(i === 0 ? 5 : 150);
              env.seen.push(`work ${i} done`);
              return i;
            });
            await c.step(`then ${i}`, async () => v);
            return v;
          };
          const config = { completionConfig: { minSuccessful: 1 }, nesting: sdk.NestingType[nesting] };
          const r =
            kind === "map"
              ? await ctx.map("batch", [0, 1, 2], async (c, i) => body(c, i), config)
              : await ctx.parallel("batch", [0, 1, 2].map((i) => async (c) => body(c, i)), config);
          env.seen.push({ invocation: env.invocations, result: describe(r) });
          await ctx.wait("after", LONG);
          await sleep(200); // the orphans' step bodies are done by now
          return describe(r);
        }),
    };
    const ours = await runUnder(OURS, sc);
    assert.equal(ours.status, "SUCCEEDED", show(ours));
    assert.ok(ours.invocations >= 2, "suspended at the wait");
    assert.deepStrictEqual(ours.result.started, [1, 2]);
    assert.equal(ours.result.completionReason, "MIN_SUCCESSFUL_REACHED");
    const results = ours.seen.filter((s) => s.result).map((s) => s.result);
    assert.ok(results.length >= 2);
    for (const x of results) assert.deepStrictEqual(jsonRoundTrip(x), ours.result);
    const byName = Object.fromEntries(ours.operations.map((o) => [o.name, o]));
    // The orphans' START went before the completion; nothing of theirs after it.
    assert.equal(byName["work 1"].status, "STARTED");
    assert.equal(byName["work 2"].status, "STARTED");
    assert.ok(!("then 1" in byName) && !("then 2" in byName), show(ours.operations));
    assert.equal(byName["then 0"].status, "SUCCEEDED");
    assert.deepStrictEqual(
      ours.operations.filter((o) => o.subType === (kind === "map" ? "MapIteration" : "ParallelBranch")).map((o) => o.status).sort(),
      nesting === "FLAT" ? [] : ["STARTED", "STARTED", "SUCCEEDED"],
    );
    const batch = ours.operations.find((o) => o.name === "batch");
    assert.equal(batch.status, "SUCCEEDED");
    if (nesting === "FLAT") assert.equal(byName["work 1"].parentId, batch.id);
    // DURABLE_BATCH_OFFICIAL_HANG=1 shows the official SDK hanging on the same handler.
    if (process.env.DURABLE_BATCH_OFFICIAL_HANG) {
      const official = await runUnder(OFFICIAL, { ...sc, limitMs: 5000 });
      assert.equal(official.status, "HUNG");
    }
  });
}

// region property: random map/parallel trees

const FUZZ_SEED = Number(process.env.DURABLE_API_SEED ?? Date.now() % 2 ** 31);
/** One unit of an item's running time (ms): far above a checkpoint round trip. */
const UNIT = 40;

const treeSpec = fc.record({ batch: batchSpec(batchSpec(undefined, 3), 4), waitAfter: fc.boolean() });

class Tie extends Error {}

/**
 * The model of one batch started at time `t0` (in units): which items it holds
 * (SUCCEEDED / FAILED / STARTED by index), why it completed, and when. `ends` collects
 * when each started item's timed step ends, across the whole tree: every completion is
 * one of those moments, so two equal ones are a race (then the order is up to the
 * scheduler) and the caller discards the case (Tie).
 */
function modelBatch(spec, t0 = 0, ends = []) {
  const items = spec.items;
  const n = items.length;
  const limit = spec.maxConcurrency ?? Infinity;
  const c = spec.completion;
  const slots = new Array(n);
  const k = { succeeded: 0, failed: 0, completed: 0 };
  const { goOn, done, reason } = policyOf(c, n, k);
  const running = [];
  let next = 0;
  const fill = (t) => {
    while (running.length < limit && next < n && goOn()) {
      const index = next++;
      const item = items[index];
      ends.push(t + item.rank);
      const nested = item.fails !== "step" && item.nested ? modelBatch(item.nested, t + item.rank, ends) : undefined;
      running.push({ index, end: nested?.end ?? t + item.rank, ok: item.fails === "no", nested });
      slots[index] = "STARTED";
    }
  };
  const outcome = (end) => ({ end, statuses: slots.map((s, index) => (s ? { index, status: s } : undefined)).filter(Boolean), reason: reason(), running });
  if (n === 0) return outcome(t0);
  fill(t0);
  if (running.length === 0) return outcome(t0);
  for (;;) {
    running.sort((a, b) => a.end - b.end);
    const first = running.shift();
    if (running[0]?.end === first.end) throw new Tie();
    slots[first.index] = first.ok ? "SUCCEEDED" : "FAILED";
    first.ok ? k.succeeded++ : k.failed++;
    k.completed++;
    if (done() || !goOn()) {
      // Items still running are left behind; one ending at this very moment is a tie.
      if (running.some((r) => r.end === first.end)) throw new Tie();
      return { ...outcome(first.end), item: first };
    }
    fill(first.end);
  }
}

/** Whether any batch of the tree leaves items behind (they stay EXECUTING under the official SDK). */
function leavesItemsBehind(spec) {
  const m = modelBatch(spec);
  if (m.running.length > 0) return true;
  return spec.items.some((item, index) => item.nested && m.statuses.some((s) => s.index === index) && item.fails !== "step" && leavesItemsBehind(item.nested));
}

/** The model's prediction of `lite` for every batch that ran, top first. */
function expectedLite(spec) {
  const ends = [];
  const m = modelBatch(spec, 0, ends);
  if (new Set(ends).size !== ends.length) throw new Tie();
  return { statuses: m.statuses, reason: m.reason };
}

test(`map/parallel property: random trees of batches, ours vs official vs the model (seed ${FUZZ_SEED})`, { timeout: 180_000 }, async () => {
  assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution");
  let ran = 0;
  const stats = { wait: 0, early: 0, nested: 0, flat: 0 };
  await fc.assert(
    fc.asyncProperty(treeSpec, async ({ batch, waitAfter }) => {
      let predicted;
      try {
        predicted = expectedLite(batch);
      } catch (e) {
        if (e instanceof Tie) fc.pre(false);
        throw e;
      }
      // A wait after a batch that left items running hangs the official SDK (see above).
      const wait = waitAfter && !leavesItemsBehind(batch);
      const sc = {
        name: "property",
        make: (sdk, env) =>
          sdk.withDurableExecution(async (_event, ctx) => {
            const r = await runBatchSpec(sdk, ctx, batch, "t", { sleep, unit: UNIT });
            const d = describe(r);
            env.seen.push({ invocation: env.invocations, result: d });
            if (wait) await ctx.wait("after", LONG);
            return d;
          }),
      };
      const { official } = await compare(sc);
      ran++;
      stats.wait += wait ? 1 : 0;
      stats.early += predicted.reason !== "ALL_COMPLETED" || predicted.statuses.length < batch.items.length ? 1 : 0;
      stats.nested += batch.items.some((i) => i.nested) ? 1 : 0;
      stats.flat += batch.nesting === "FLAT" ? 1 : 0;
      assert.equal(official.status, "SUCCEEDED", show(official));
      assert.deepStrictEqual({ statuses: official.result.all.map(({ index, status }) => ({ index, status })), reason: official.result.completionReason }, predicted, "the model");
      if (wait) {
        assert.ok(official.invocations >= 2);
        const results = official.seen.map((s) => s.result);
        for (const x of results) assert.deepStrictEqual(x, results[0], "the replay's BatchResult");
      }
    }),
    { numRuns: 30, seed: FUZZ_SEED, endOnFailure: true, includeErrorInReport: true },
  );
  if (process.env.DURABLE_API_DEBUG) console.log({ ran, ...stats });
  assert.ok(ran >= 20, `only ${ran} runs (ties discarded the rest)`);
});
