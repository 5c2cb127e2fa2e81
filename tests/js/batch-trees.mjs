// Random map/parallel trees for the property tests (tests/js/durable-batch.test.mjs runs
// them under the official testing library and checks them against a timing model;
// tests/js/durable-resume.test.mjs cuts their invocations at random checkpoints and
// checks every resulting history). A tree is plain data: fast-check generates it, and
// `runBatchSpec` turns it into calls of the official DurableContext API, so the same
// tree runs under either SDK.
import fc from "fast-check";

/** How a batch decides it is done (see completionConfigOf). */
export const completionSpec = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "none" }) },
  { weight: 1, arbitrary: fc.constant({ kind: "empty" }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("min"), minSuccessful: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("count"), toleratedFailureCount: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("percent"), toleratedFailurePercentage: fc.constantFrom(0, 25, 50, 100) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("min+count"), minSuccessful: fc.integer({ min: 1, max: 3 }), toleratedFailureCount: fc.integer({ min: 0, max: 2 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("custom"),
      on: fc.constantFrom("successCount", "failureCount", "completedCount"),
      atLeast: fc.integer({ min: 0, max: 3 }),
      failed: fc.boolean(),
    }),
  },
);

/**
 * One item: a timed step (`rank` units long), optionally a durable wait (`waits`), an
 * optional nested batch, `quickSteps` instant steps, and how it ends.
 */
export const itemSpec = (nested, { waits = false } = {}) =>
  fc.record({
    rank: fc.integer({ min: 1, max: 3 }),
    // How the item ends: its timed step fails, it throws at the end, or it succeeds.
    fails: fc.constantFrom("no", "no", "step", "throw"),
    quickSteps: fc.integer({ min: 0, max: 1 }),
    name: fc.option(fc.constantFrom("alpha", "beta", "", "gamma"), { nil: undefined }),
    value: fc.jsonValue({ maxDepth: 1 }),
    wait: waits ? fc.constantFrom(false, false, false, true) : fc.constant(false),
    nested: nested ? fc.option(nested, { freq: 3, nil: undefined }) : fc.constant(undefined),
  });

/** A map or a parallel of up to `maxItems` items (`nested`: the arbitrary of an item's inner batch). */
export const batchSpec = (nested, maxItems, options) =>
  fc.record({
    kind: fc.constantFrom("map", "parallel"),
    named: fc.boolean(),
    nesting: fc.constantFrom("NESTED", "NESTED", "FLAT"),
    maxConcurrency: fc.constantFrom(undefined, 1, 2, 3),
    completion: completionSpec,
    items: fc.array(itemSpec(nested, options), { minLength: 0, maxLength: maxItems }),
  });

/** The CompletionConfig of `spec`, built with `sdk`'s helpers. */
export function completionConfigOf(spec, sdk) {
  switch (spec.kind) {
    case "none":
      return undefined;
    case "empty":
      return {};
    case "custom":
      return {
        shouldComplete: (s) =>
          s[spec.on] >= spec.atLeast ? sdk.completeBatch(spec.failed ? sdk.CompletionOutcome.FAILED : sdk.CompletionOutcome.SUCCEEDED) : sdk.continueBatch(),
      };
    default: {
      const { kind: _k, ...rest } = spec;
      return rest;
    }
  }
}

/**
 * The completion policy of `spec.completion` over counts `k` ({ succeeded, failed,
 * completed }) of `n` items, as the official SDK applies it: `goOn()` before each
 * start and after each completion, `done()` after each completion, `reason()` once done.
 */
export function policyOf(c, n, k) {
  const predicate = () => {
    const s = { successCount: k.succeeded, failureCount: k.failed, completedCount: k.completed };
    return s[c.on] >= c.atLeast;
  };
  const exceeded = () => {
    if (c.kind === "none" || c.kind === "empty") return k.failed > 0;
    if (c.toleratedFailureCount !== undefined && k.failed > c.toleratedFailureCount) return true;
    if (c.toleratedFailurePercentage !== undefined && (k.failed / n) * 100 > c.toleratedFailurePercentage) return true;
    return false;
  };
  return {
    goOn: () => (c.kind === "custom" ? !predicate() : !exceeded()),
    done: () => k.completed === n || (c.kind === "custom" ? predicate() : c.minSuccessful !== undefined && k.succeeded >= c.minSuccessful),
    reason: () => {
      if (c.kind === "custom") return predicate() ? (c.failed ? "CUSTOM_COMPLETION_FAILED" : "CUSTOM_COMPLETION_SUCCEEDED") : "ALL_COMPLETED";
      if (exceeded()) return "FAILURE_TOLERANCE_EXCEEDED";
      if (k.completed === n) return "ALL_COMPLETED";
      if (c.minSuccessful !== undefined && k.succeeded >= c.minSuccessful) return "MIN_SUCCESSFUL_REACHED";
      return "ALL_COMPLETED";
    },
  };
}

/** What the tests compare of a BatchResult. */
export const lite = (r) => ({ statuses: r.all.map((i) => ({ index: i.index, status: i.status })), reason: r.completionReason });

export const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };

/** The message an item of the tree fails with, by where it is and how it fails. */
export const failureMessage = (where, fails) => (fails === "step" ? `step ${where} failed` : `item ${where} threw`);

/**
 * Runs batch `spec` in `ctx` under `sdk`; `path` names it ("t", "t.0", ...). An item's
 * timed step sleeps `rank * unit` ms (real time, through `sleep`).
 */
export function runBatchSpec(sdk, ctx, spec, path, { sleep, unit }) {
  const body = async (c, item, index) => {
    const where = `${path}.${index}`;
    const v = await c.step(`timed ${where}`, async () => {
      await sleep(item.rank * unit);
      if (item.fails === "step") throw new Error(failureMessage(where, "step"));
      return item.value;
    }, noRetry);
    if (item.wait) await c.wait(`pause ${where}`, { seconds: 1 });
    let out = { v };
    if (item.nested) out = { nested: lite(await runBatchSpec(sdk, c, item.nested, where, { sleep, unit })) };
    for (let q = 0; q < item.quickSteps; q++) await c.step(async () => q);
    if (item.fails === "throw") throw new RangeError(failureMessage(where, "throw"));
    return out;
  };
  const config = {
    nesting: sdk.NestingType[spec.nesting],
    maxConcurrency: spec.maxConcurrency,
    completionConfig: completionConfigOf(spec.completion, sdk),
  };
  const name = spec.named ? `batch ${path}` : undefined;
  if (spec.kind === "map") {
    const namer = (item) => item.name;
    return ctx.map(name, spec.items, async (c, item, index) => body(c, item, index), { ...config, itemNamer: spec.items.some((i) => i.name !== undefined) ? namer : undefined });
  }
  const branches = spec.items.map((item, index) => {
    const func = async (c) => body(c, item, index);
    return item.name === undefined ? func : index % 2 ? { name: item.name, func } : { func, name: item.name };
  });
  return ctx.parallel(name, branches, config);
}
