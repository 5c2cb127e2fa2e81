/**
 * `context.map` and `context.parallel`: a CONTEXT (`Map` / `Parallel`) holding one child
 * context per item or branch (`MapIteration` / `ParallelBranch`), named by `itemNamer`
 * or the branch's name, else `map-item-<i>` / `parallel-branch-<i>`.
 *
 * How a batch runs (as `@aws/durable-execution-sdk-js` 2.4.0 does):
 *
 * - Items start in index order, at most `maxConcurrency` at once. Before each start,
 *   and after each completion, the completion policy says whether to go on: with no
 *   `completionConfig` (or one with nothing set) the first failure ends the batch;
 *   `toleratedFailureCount` / `toleratedFailurePercentage` end it once exceeded;
 *   `minSuccessful` once reached; a `shouldComplete` predicate decides alone.
 * - The result is a {@link BatchResultImpl} of every started item (still-running ones as
 *   `STARTED`), checkpointed on the batch's CONTEXT as `{"all":[...],"completionReason":...}`.
 *   Over 256 KiB, a summary goes instead, with `ReplayChildren`; a later invocation
 *   then rebuilds the result from the items' own records, running no step again.
 * - `nesting: FLAT` checkpoints no context per item: the items' operations hang
 *   directly under the batch's CONTEXT (a virtual child context, see ./child).
 *
 * When the batch completes while items still run, the batch's context is closed in
 * the ancestor gate at that very moment (not a few turns later, when its function has
 * returned): nothing those items do afterwards is checkpointed, so the records agree
 * with the result, which counts them as STARTED. They never settle, and they neither fail
 * the execution nor keep the invocation from ending (see ExecutionState).
 */
import { BatchItemStatus, CompletionOutcome, NestingType, OperationSubType } from "../enums";
import { ChildContextError } from "../errors";
import { DurablePromise } from "../promise";
import type { Serdes } from "../serdes";
import { never } from "../state";
import type {
  BatchItem,
  BatchResult,
  CompletionConfig,
  CompletionItemStatus,
  CompletionReason,
  CompletionStatus,
  DurableContext,
  MapConfig,
  ParallelConfig,
} from "../types";
import type { ContextImpl } from "../context";
import { runInChildContext } from "./child";
import {
  BatchResultImpl,
  batchResultSerdes,
  isBatchLike,
  recordedMarkers,
  recordedReason,
  restoreBatchResult,
  summaryGeneratorFor,
  withUserSummary,
} from "./batch-result";

/** One item of a batch: a map item, or a parallel branch (then `data` is its function). */
interface Unit<D> {
  /** The fallback name, `map-item-<i>` / `parallel-branch-<i>`. */
  id: string;
  data: D;
  index: number;
  name: string | undefined;
}

/** Everything a batch needs, whichever of map and parallel made it. */
interface Plan<D, R> {
  name: string | undefined;
  units: Unit<D>[];
  run: (unit: Unit<D>, ctx: DurableContext) => Promise<R>;
  topSubType: string;
  unitSubType: string;
  summary: (result: BatchResult<R>) => string;
  maxConcurrency: unknown;
  completion: CompletionConfig | undefined;
  serdes: Serdes<BatchResult<R>> | undefined;
  unitSerdes: Serdes<R> | undefined;
  nesting: unknown;
}

/** Loose view of a completion config: JavaScript callers may pass anything. */
type LooseCompletion = {
  minSuccessful?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  shouldComplete?: (status: CompletionStatus) => { complete: boolean; outcome?: CompletionOutcome };
};

// region the API

/** `context.map(name?, items, mapFunc, config?)`. */
export function map(ctx: ContextImpl, a: unknown, b: unknown, c: unknown, d: unknown): DurablePromise<BatchResult<unknown>> {
  return started((async () => {
    const named = typeof a === "string" || a === undefined;
    const name = named ? (a as string | undefined) : undefined;
    const items = (named ? b : a) as unknown[];
    const fn = (named ? c : b) as (ctx: DurableContext, item: unknown, index: number, items: unknown[]) => Promise<unknown>;
    const config = (named ? d : c) as MapConfig<unknown, unknown> | undefined;
    // Read before the checks, as officially: no `items` at all is a TypeError here.
    void items.length;
    if (!Array.isArray(items)) throw new Error("Map operation requires an array of items");
    if (typeof fn !== "function") throw new Error("Map operation requires a function to process items");
    const units: Unit<unknown>[] = items.map((item, index) => ({
      id: `map-item-${index}`,
      data: item,
      index,
      name: config?.itemNamer ? config.itemNamer(item, index) : undefined,
    }));
    return runBatch(ctx, {
      name,
      units,
      run: async (unit, child) => fn(child, unit.data, unit.index, items),
      topSubType: OperationSubType.MAP,
      unitSubType: OperationSubType.MAP_ITERATION,
      ...fromConfig("map", config),
    });
  })());
}

/** `context.parallel(name?, branches, config?)`; a branch is a function or `{ name?, func }`. */
export function parallel(ctx: ContextImpl, a: unknown, b: unknown, c: unknown): DurablePromise<BatchResult<unknown>> {
  type Branch = (ctx: DurableContext) => Promise<unknown>;
  return started((async () => {
    const named = typeof a === "string" || a === undefined;
    const name = named ? (a as string | undefined) : undefined;
    const branches = (named ? b : a) as unknown[];
    const config = (named ? c : b) as ParallelConfig<unknown> | undefined;
    if (!Array.isArray(branches)) throw new Error("Parallel operation requires an array of branch functions");
    // (`null` fails here with the TypeError of reading its `func`, as officially.)
    const isBranch = (x: unknown) => typeof x === "function" || (typeof x === "object" && typeof (x as { func?: unknown }).func === "function");
    if (!branches.every(isBranch)) throw new Error("All branches must be functions or NamedParallelBranch objects");
    const units: Unit<Branch>[] = branches.map((branch, index) => {
      const named = typeof branch === "object" && "func" in (branch as object);
      const b = branch as { name?: string; func: Branch };
      return { id: `parallel-branch-${index}`, data: named ? b.func : (branch as Branch), index, name: named ? b.name : undefined };
    });
    return runBatch(ctx, {
      name,
      units,
      run: async (unit, child) => unit.data(child),
      topSubType: OperationSubType.PARALLEL,
      unitSubType: OperationSubType.PARALLEL_BRANCH,
      ...fromConfig("parallel", config),
    });
  })());
}

/** The plan fields map and parallel both take from their config. */
function fromConfig(kind: "map" | "parallel", config: MapConfig<unknown, unknown> | ParallelConfig<unknown> | undefined) {
  return {
    summary: withUserSummary(summaryGeneratorFor(kind), config?.summaryGenerator),
    maxConcurrency: config?.maxConcurrency,
    completion: config?.completionConfig,
    serdes: config?.serdes,
    unitSerdes: config?.itemSerdes,
    nesting: config?.nesting,
  };
}

/**
 * The batch's promise: `phase` already runs (so its id is minted in call order, as
 * officially), and a rejection nobody awaited is not an unhandled one.
 */
function started<T>(phase: Promise<T>): DurablePromise<T> {
  phase.catch(() => {});
  return new DurablePromise(() => phase);
}

// region the batch's context

/**
 * Validates the config (a bad one fails the execution: it would fail the same way on
 * every retry), then runs the batch in its CONTEXT. The id is minted before the first
 * await, so operations the caller starts next get the ids they get officially.
 */
async function runBatch<D, R>(ctx: ContextImpl, plan: Plan<D, R>): Promise<BatchResult<R>> {
  const max = plan.maxConcurrency;
  if (max !== undefined && max !== null && (max as number) <= 0) {
    return refuse(ctx, `Invalid maxConcurrency: ${String(max)}. Must be a positive number or undefined for unlimited concurrency.`);
  }
  const completion = plan.completion as LooseCompletion | undefined;
  if (
    completion?.shouldComplete !== undefined &&
    (completion.minSuccessful !== undefined || completion.toleratedFailureCount !== undefined || completion.toleratedFailurePercentage !== undefined)
  ) {
    return refuse(ctx, "completionConfig.shouldComplete is mutually exclusive with minSuccessful, toleratedFailureCount, and toleratedFailurePercentage");
  }
  const value = await runInChildContext<BatchResult<R>>(
    ctx,
    plan.name,
    (batchCtx) => {
      const inner = batchCtx as unknown as ContextImpl;
      const raw = inner.parentRaw!;
      const op = ctx.state.get(raw);
      // A batch recorded as a summary: rebuild it from its items' records.
      if (op?.Status === "SUCCEEDED" && op.ContextDetails?.ReplayChildren) return rebuild(inner, raw, plan, op.ContextDetails.Result);
      return runLive(inner, raw, plan);
    },
    { subType: plan.topSubType, summaryGenerator: plan.summary, serdes: plan.serdes || batchResultSerdes<R>() },
  );
  return isBatchLike(value) ? restoreBatchResult<R>(value) : value;
}

function refuse(ctx: ContextImpl, message: string): Promise<never> {
  ctx.state.terminate({ kind: "FAILED", error: new Error(message) });
  return never();
}

/** Runs one item in its own child context (virtual under FLAT) of the batch's context. */
function startUnit<D, R>(batchCtx: ContextImpl, plan: Plan<D, R>, unit: Unit<D>): PromiseLike<unknown> {
  return batchCtx.runInChildContext(unit.name || unit.id, (c: DurableContext) => plan.run(unit, c), {
    subType: plan.unitSubType,
    serdes: plan.unitSerdes,
    virtualContext: plan.nesting === NestingType.FLAT,
  });
}

/** What a failed item keeps as its error: always a ChildContextError. */
function asItemError(error: unknown): ChildContextError {
  if (error instanceof ChildContextError) return error;
  return new ChildContextError(error instanceof Error ? error.message : String(error), error instanceof Error ? error : undefined);
}

// region the completion policy

/** Whether a threshold config sets anything at all (an empty one means fail-fast). */
function hasCriteria(c: LooseCompletion): boolean {
  return Object.values(c).some((v) => v !== undefined);
}

/** Whether failures so far are beyond what the config tolerates (fail-fast without one). */
function toleranceExceeded(c: LooseCompletion | undefined, failures: number, total: number): boolean {
  if (!c || !hasCriteria(c)) return failures > 0;
  if (c.toleratedFailureCount !== undefined && failures > c.toleratedFailureCount) return true;
  if (c.toleratedFailurePercentage !== undefined && (failures / total) * 100 > c.toleratedFailurePercentage) return true;
  return false;
}

/** Why a batch ended, given its counts when it did. */
function reasonFor(c: LooseCompletion | undefined, n: { succeeded: number; failed: number; completed: number; total: number }, status: () => CompletionStatus): CompletionReason {
  if (c?.shouldComplete) {
    const decision = c.shouldComplete(status());
    if (decision.complete) return decision.outcome === CompletionOutcome.FAILED ? "CUSTOM_COMPLETION_FAILED" : "CUSTOM_COMPLETION_SUCCEEDED";
    return "ALL_COMPLETED";
  }
  if (toleranceExceeded(c, n.failed, n.total)) return "FAILURE_TOLERANCE_EXCEEDED";
  if (n.completed === n.total) return "ALL_COMPLETED";
  if (c?.minSuccessful !== undefined && n.succeeded >= c.minSuccessful) return "MIN_SUCCESSFUL_REACHED";
  return "ALL_COMPLETED";
}

// region running live

/**
 * Starts items in index order while there is room and the policy says go on; settles
 * once all have completed or the policy says stop. The result holds each started item:
 * SUCCEEDED / FAILED, or STARTED for one still running.
 */
function runLive<D, R>(batchCtx: ContextImpl, raw: string, plan: Plan<D, R>): Promise<BatchResultImpl<R>> {
  const units = plan.units;
  const total = units.length;
  const completion = plan.completion as LooseCompletion | undefined;
  const limit = (plan.maxConcurrency as number) || Infinity;
  const slots: Array<BatchItem<R> | undefined> = new Array<BatchItem<R> | undefined>(total);
  const n = { succeeded: 0, failed: 0, completed: 0, total };
  let running = 0;
  let next = 0;
  let settled = false;
  // Replay: how many items the history shows as started (starts go in index order).
  const recordedStarts = startedInHistory(batchCtx, raw, units.length, plan.nesting === NestingType.FLAT);
  // Completions held back, see `settle`.
  const held: BatchItem<R>[] = [];

  // What a shouldComplete predicate sees.
  const itemStatuses = (): CompletionItemStatus[] => units.map((u) => ({ index: u.index, name: u.name, status: slots[u.index]?.status }));
  const status = (): CompletionStatus => ({
    successCount: n.succeeded,
    failureCount: n.failed,
    completedCount: n.completed,
    totalCount: total,
    items: itemStatuses(),
  });
  const goOn = (): boolean => {
    if (completion?.shouldComplete) return !completion.shouldComplete(status()).complete;
    return !toleranceExceeded(completion, n.failed, total);
  };
  const done = (): boolean => {
    if (n.completed === total) return true;
    if (completion?.shouldComplete) return completion.shouldComplete(status()).complete;
    return completion?.minSuccessful !== undefined && n.succeeded >= completion.minSuccessful;
  };

  return new Promise<BatchResultImpl<R>>((resolve, reject) => {
    const finish = () => {
      settled = true;
      // Close the gate now: items still running checkpoint nothing from here on.
      batchCtx.state.finishContext(raw);
      const all: BatchItem<R>[] = [];
      for (const s of slots) if (s !== undefined) all.push({ ...s });
      resolve(new BatchResultImpl(all, reasonFor(completion, n, status)));
    };
    const completed = () => {
      running--;
      n.completed++;
      try {
        if (done() || !goOn()) finish();
        else fill();
      } catch (e) {
        // A throwing shouldComplete fails the batch (officially: an unhandled rejection).
        settled = true;
        batchCtx.state.finishContext(raw);
        reject(e);
      }
      release();
    };
    /** Whether counting `item` now would end the batch (a throwing predicate: yes). */
    const wouldEnd = (item: BatchItem<R>): boolean => {
      const before = slots[item.index];
      const ok = item.status === BatchItemStatus.SUCCEEDED;
      slots[item.index] = item;
      n.completed++;
      if (ok) n.succeeded++;
      else n.failed++;
      try {
        return done() || !goOn();
      } catch {
        return true;
      } finally {
        slots[item.index] = before;
        n.completed--;
        if (ok) n.succeeded--;
        else n.failed--;
      }
    };
    /**
     * Counts an item's end. On replay, items whose steps come back from the history end
     * in index order, not in the order they ended live. So while the history shows a
     * later item as started, an end that would stop the batch is held back: live, some
     * other item must have ended first to let that one start. Held ends are counted once
     * the recorded starts are made, or when nothing else can end (a history this policy
     * cannot have made: then in the order they came).
     */
    const settle = (item: BatchItem<R>) => {
      // An item that ends after the batch did is not part of it. (The official SDK
      // still runs its policy then, and may even start further items, under a context
      // that can no longer checkpoint anything.)
      if (settled) return;
      if (next < recordedStarts && wouldEnd(item)) {
        held.push(item);
        // Held, every running item: no other end can come to make room (see above).
        if (held.length === running) countHeld();
        return;
      }
      count(item);
    };
    const count = (item: BatchItem<R>) => {
      if (settled) return;
      slots[item.index] = item;
      if (item.status === BatchItemStatus.SUCCEEDED) n.succeeded++;
      else n.failed++;
      completed();
    };
    const countHeld = () => {
      for (const h of held.splice(0)) count(h);
    };
    const release = () => {
      if (!settled && held.length > 0 && next >= recordedStarts) countHeld();
    };
    const fill = () => {
      while (running < limit && next < total && goOn()) {
        const index = next++;
        const unit = units[index]!;
        running++;
        slots[index] = { index, status: BatchItemStatus.STARTED };
        startUnit(batchCtx, plan, unit).then(
          (result) => {
            settle({ result: result as R, index, status: BatchItemStatus.SUCCEEDED });
          },
          (error: unknown) => {
            settle({ error: asItemError(error), index, status: BatchItemStatus.FAILED });
          },
        );
      }
    };
    if (total === 0) {
      finish();
      return;
    }
    fill();
    // A predicate may complete the batch before any item starts.
    if (running === 0 && n.completed === 0) finish();
  });
}

/**
 * How many items the history shows as started: one past the last item with a record
 * (its context, or under FLAT its first operation). Items start in index order, so
 * every item before it started too, with or without a record.
 */
function startedInHistory(batchCtx: ContextImpl, raw: string, total: number, flat: boolean): number {
  // A batch with no record of its own has none of its items either (a live run).
  if (batchCtx.state.get(raw) === undefined) return 0;
  for (let i = total; i > 0; i--) {
    if (batchCtx.state.get(flat ? `${raw}-${i}-1` : `${raw}-${i}`) !== undefined) return i;
  }
  return 0;
}

// region rebuilding a summarized batch

/**
 * Rebuilds a batch that was recorded as a summary, from its items' records: each item
 * the live result held as finished is driven again (its recorded result or error comes
 * back; nothing in it runs again), in order. Items the live result did not hold as
 * finished are skipped (their ids are passed over), so the rebuilt result has no STARTED
 * items. The completion reason is the recorded one.
 */
async function rebuild<D, R>(batchCtx: ContextImpl, raw: string, plan: Plan<D, R>, payload: string | undefined): Promise<BatchResultImpl<R>> {
  const state = batchCtx.state;
  const reason = payload ? recordedReason(payload) : undefined;
  const markers = payload ? recordedMarkers(payload) : undefined;
  const all: BatchItem<R>[] = [];
  for (const [position, unit] of plan.units.entries()) {
    const unitRaw = `${raw}-${position + 1}`;
    const op = state.get(unitRaw);
    const opFinished = op?.Status === "SUCCEEDED" || op?.Status === "FAILED";
    let finished: boolean;
    if (markers !== undefined) {
      // The markers say what the live result held. A FLAT item has no record of its own.
      const mark = markers[unit.index];
      finished = (mark === "S" || mark === "F") && (op === undefined || opFinished);
    } else if (op !== undefined) {
      finished = opFinished;
    } else {
      finished = allRecordedFinished(batchCtx, unitRaw);
    }
    if (!finished) {
      batchCtx.nextId();
      continue;
    }
    try {
      const result = await startUnit(batchCtx, plan, unit);
      all.push({ result: result as R, index: unit.index, status: BatchItemStatus.SUCCEEDED });
    } catch (error) {
      all.push({ error: asItemError(error), index: unit.index, status: BatchItemStatus.FAILED });
    }
  }
  let completionReason = reason;
  if (completionReason === undefined) {
    // A summary without a reason of ours: work it out from the rebuilt items.
    const byIndex = new Map(all.map((i) => [i.index, i.status]));
    const succeeded = all.filter((i) => i.status === BatchItemStatus.SUCCEEDED).length;
    const failed = all.filter((i) => i.status === BatchItemStatus.FAILED).length;
    const n = { succeeded, failed, completed: succeeded + failed, total: plan.units.length };
    const status = (): CompletionStatus => ({
      successCount: succeeded,
      failureCount: failed,
      completedCount: succeeded + failed,
      totalCount: plan.units.length,
      items: plan.units.map((u) => ({ index: u.index, name: u.name, status: byIndex.get(u.index) })),
    });
    completionReason = reasonFor(plan.completion as LooseCompletion | undefined, n, status);
  }
  return new BatchResultImpl(all, completionReason);
}

/**
 * For a summary without markers and an item without a record (FLAT): finished if it
 * recorded operations and all of them finished. Ids count up from 1 without gaps.
 */
function allRecordedFinished(batchCtx: ContextImpl, unitRaw: string): boolean {
  let any = false;
  for (let k = 1; ; k++) {
    const op = batchCtx.state.get(`${unitRaw}-${k}`);
    if (op === undefined) return any;
    any = true;
    if (op.Status !== "SUCCEEDED" && op.Status !== "FAILED") return false;
  }
}
