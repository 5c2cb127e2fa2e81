/**
 * One invocation's durable state: the recorded operations, every checkpoint (through
 * the core batcher, never around it), which operations run or wait, and the decision
 * to end the invocation (suspend) once nothing runs and something waits on the service.
 *
 * Kept apart from the operations so each of those reads like the protocol it follows:
 * look up, checkpoint, mark, wait.
 */
import type { CheckpointBatcher } from "../core/batcher";
import { CheckpointError } from "../core/errors";
import type { Operation, OperationUpdate } from "../core/types";
import { hashId, parentOf } from "./ids";

/** Where one of this invocation's operations stands, as far as suspending is concerned. */
export type Lifecycle = "EXECUTING" | "RETRY_WAITING" | "IDLE_NOT_AWAITED" | "IDLE_AWAITED" | "COMPLETED";

/** How the invocation ends early. */
export type Termination =
  /** Nothing runs and something waits on the service: return PENDING. */
  | { kind: "PENDING" }
  /** The execution cannot go on (non-determinism, misuse): return FAILED with this error. */
  | { kind: "FAILED"; error: unknown }
  /** This invocation cannot go on but a retry may (serdes failure): throw, Lambda retries. */
  | { kind: "THROW"; error: unknown }
  /** A checkpoint failed: the core's error decides (SPEC §10). */
  | { kind: "CHECKPOINT"; error: unknown };

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "STOPPED", "TIMED_OUT"]);
const WAITING = new Set<Lifecycle>(["RETRY_WAITING", "IDLE_NOT_AWAITED", "IDLE_AWAITED"]);

// Timing of the official SDK, kept so both suspend and poll alike.
/** A short grace before suspending: the next operation may start in a later turn. */
const SUSPEND_COOLDOWN_MS = 20;
/** A poll with no known end time goes after this long. */
const FIRST_POLL_MS = 1000;
/** Polling stops when the invocation has less than this left. */
const MIN_REMAINING_MS = 1000;
const POLL_CEILING_MS = 10_000;
const LONG_POLL_CEILING_MS = 60_000;
const POLLS_BEFORE_LONG_CEILING = 95;
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Tracked {
  state: Lifecycle;
  subType: string | undefined;
  endMs: number | undefined;
  wake: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  polls: number;
}

/** Never settles: what an operation returns once the invocation is over for it. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** Milliseconds since the epoch of a wire timestamp (Date, epoch seconds or ms, ISO text). */
export function toMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number" && Number.isFinite(v)) return v < 1e12 ? v * 1000 : v;
  if (typeof v === "string") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** The durable state of one invocation. */
export class ExecutionState {
  readonly arn: string;
  /** Recorded operations by wire Id, kept current from every checkpoint response. */
  readonly ops = new Map<string, Operation>();
  /** Wire Ids the service says changed since the last invocation. */
  readonly updatedIds: ReadonlySet<string>;
  readonly #batcher: CheckpointBatcher;
  readonly #remainingMs: () => number;
  readonly #tracked = new Map<string, Tracked>();
  /** Wire Id → raw id of tracked operations, to wake them from responses. */
  readonly #raw = new Map<string, string>();
  /** Raw ids of contexts that finished in this invocation. */
  readonly #finished = new Set<string>();
  #inflight = 0;
  /** How many tracked operations are in a WAITING state: with none, nothing can suspend (checked in O(1) on every transition). */
  #waiting = 0;
  #suspendTimer: ReturnType<typeof setTimeout> | undefined;
  #over = false;
  #end!: (t: Termination) => void;
  /** Settles when the invocation must end before the handler returns. */
  readonly terminated: Promise<Termination>;

  constructor(o: {
    arn: string;
    batcher: CheckpointBatcher;
    operations: readonly Operation[];
    updatedIds?: readonly string[] | undefined;
    remainingMs: () => number;
  }) {
    this.arn = o.arn;
    this.#batcher = o.batcher;
    this.#remainingMs = o.remainingMs;
    this.updatedIds = new Set(o.updatedIds ?? []);
    for (const op of o.operations) if (op && typeof op.Id === "string") this.ops.set(op.Id, op);
    this.terminated = new Promise((resolve) => {
      this.#end = resolve;
    });
  }

  /** Whether the invocation has ended (suspended, failed, or the handler returned). */
  get over(): boolean {
    return this.#over;
  }

  /** The recorded operation of raw id `raw`. */
  get(raw: string): Operation | undefined {
    return this.ops.get(hashId(raw));
  }

  /** Takes in operations from a checkpoint response; wakes what waited on a change. */
  learn(list: readonly Operation[]): void {
    for (const op of list) {
      if (!op || typeof op.Id !== "string") continue;
      const before = this.ops.get(op.Id)?.Status;
      this.ops.set(op.Id, op);
      if (before !== op.Status) {
        const raw = this.#raw.get(op.Id);
        const t = raw === undefined ? undefined : this.#tracked.get(raw);
        if (t?.wake) {
          const wake = t.wake;
          t.wake = undefined;
          if (t.timer) clearTimeout(t.timer);
          t.timer = undefined;
          wake();
        }
      }
    }
  }

  // region checkpoints

  /**
   * Checkpoints `update` for raw id `raw` (Id and ParentId are hashed here). Resolves
   * when acknowledged. Under a finished context, after the invocation ended, or when
   * the checkpoint fails, it never settles: the failure ends the invocation instead,
   * so no user code can take a lost checkpoint for a recorded one.
   */
  checkpoint(raw: string, parent: string | undefined, update: Omit<OperationUpdate, "Id" | "ParentId">): Promise<void> {
    if (this.#over || this.hasFinishedAncestor(raw)) return never();
    const wire: OperationUpdate = { Id: hashId(raw), ...update } as OperationUpdate;
    // The service's Name is 1-256 characters: an empty name is no name (the official
    // SDK sends "" and has it refused).
    if (wire.Name === "") delete wire.Name;
    if (parent !== undefined) wire.ParentId = hashId(parent);
    this.#inflight++;
    let p: Promise<void>;
    try {
      p = this.#batcher.checkpoint(wire);
    } catch (e) {
      p = Promise.reject(e);
    }
    return p.then(
      () => {
        this.#inflight--;
        this.reconsider();
      },
      (e: unknown) => {
        this.#inflight--;
        this.#failed(e);
        return never<void>();
      },
    );
  }

  /** A checkpoint failed: ORPHANED concerns only a finished branch; anything else ends the invocation. */
  #failed(e: unknown): void {
    if (e instanceof CheckpointError && e.code === "ORPHANED") {
      this.reconsider();
      return;
    }
    this.terminate({ kind: "CHECKPOINT", error: e });
  }

  /** Marks the context `raw` finished: nothing under it checkpoints any more (SPEC §12 gate). */
  finishContext(raw: string): void {
    this.#finished.add(raw);
    try {
      this.#batcher.finishContext(hashId(raw));
    } catch {
      // A disposed batcher: the invocation is over anyway.
    }
  }

  /** Whether a context holding `raw` finished in this invocation. */
  hasFinishedAncestor(raw: string): boolean {
    for (let p = parentOf(raw); p !== undefined; p = parentOf(p)) if (this.#finished.has(p)) return true;
    return false;
  }

  // region lifecycle and suspension

  /** Records where operation `raw` stands; reconsiders suspending. */
  mark(raw: string, state: Lifecycle, o: { subType?: string | undefined; endMs?: number | undefined } = {}): void {
    let t = this.#tracked.get(raw);
    if (t === undefined) {
      t = { state, subType: o.subType, endMs: o.endMs, wake: undefined, timer: undefined, polls: 0 };
      this.#tracked.set(raw, t);
      this.#raw.set(hashId(raw), raw);
      if (WAITING.has(state)) this.#waiting++;
    } else {
      this.#waiting += Number(WAITING.has(state)) - Number(WAITING.has(t.state));
      t.state = state;
      if (o.endMs !== undefined) t.endMs = o.endMs;
    }
    if (state === "COMPLETED") {
      if (t.timer) clearTimeout(t.timer);
      t.timer = undefined;
      t.wake = undefined;
      this.#tracked.delete(raw);
      this.#raw.delete(hashId(raw));
    }
    // An operation nobody awaits yet may still be awaited; it does not by itself suspend.
    if (state !== "IDLE_NOT_AWAITED") this.reconsider();
  }

  /** The handler awaits operation `raw` now. */
  awaited(raw: string): void {
    const t = this.#tracked.get(raw);
    if (t?.state === "IDLE_NOT_AWAITED") {
      t.state = "IDLE_AWAITED";
      this.reconsider();
    }
  }

  /**
   * Resolves when operation `raw` changes status (or at once if it is already
   * terminal). Meanwhile, if other work keeps the invocation alive, polls the
   * service through the core: at the known end time, then backing off.
   */
  waitForChange(raw: string): Promise<void> {
    const status = this.get(raw)?.Status;
    if (status !== undefined && TERMINAL.has(status)) return Promise.resolve();
    const t = this.#tracked.get(raw);
    if (t === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      t.wake = resolve;
      const delay = t.endMs === undefined ? FIRST_POLL_MS : Math.max(0, t.endMs - Date.now());
      this.#schedulePoll(raw, t, delay);
    });
  }

  #schedulePoll(raw: string, t: Tracked, delay: number): void {
    if (this.#over) return;
    // A poll that could only fire after the invocation's deadline is not armed: the
    // operation stays waiting and the invocation suspends instead.
    if (delay > Math.min(this.#remainingMs() - MIN_REMAINING_MS, MAX_TIMER_MS)) return;
    t.timer = setTimeout(() => {
      t.timer = undefined;
      void this.#poll(raw, t);
    }, delay);
  }

  async #poll(raw: string, t: Tracked): Promise<void> {
    if (this.#over || this.#remainingMs() < MIN_REMAINING_MS || t.wake === undefined) return;
    this.#inflight++;
    try {
      await this.#batcher.poll();
    } catch (e) {
      this.#inflight--;
      this.#failed(e);
      return;
    }
    this.#inflight--;
    if (t.wake !== undefined && this.#tracked.get(raw) === t) {
      t.polls++;
      const ceiling = t.polls > POLLS_BEFORE_LONG_CEILING ? LONG_POLL_CEILING_MS : POLL_CEILING_MS;
      this.#schedulePoll(raw, t, Math.min(t.polls * 1000, ceiling));
    }
    this.reconsider();
  }

  /** Schedules or cancels suspending, by the rules of {@link shouldSuspend}. */
  reconsider(): void {
    if (this.#over) return;
    if (!this.#shouldSuspend()) {
      if (this.#suspendTimer) clearTimeout(this.#suspendTimer);
      this.#suspendTimer = undefined;
      return;
    }
    if (this.#suspendTimer) return;
    this.#suspendTimer = setTimeout(() => {
      this.#suspendTimer = undefined;
      if (this.#shouldSuspend()) this.terminate({ kind: "PENDING" });
    }, SUSPEND_COOLDOWN_MS);
  }

  /**
   * Suspend when no checkpoint or poll is on its way, no operation runs, and at least
   * one waits on the service (a wait, a callback, an invoke, a retry timer). Waiting
   * operations under a finished context are forgotten first: nobody can await them.
   * A step still running under a finished context (a map branch left behind by an early
   * completion) does not count as running either: nothing it does can be checkpointed.
   */
  #shouldSuspend(): boolean {
    // The common case during work (steps running, nothing waiting) costs no scan: a
    // fan-out of 1000 steps would otherwise walk every tracked operation at each one.
    if (this.#inflight > 0 || this.#waiting === 0) return false;
    let waiting = false;
    for (const [raw, t] of this.#tracked) {
      if (t.state === "EXECUTING") {
        if (this.hasFinishedAncestor(raw)) continue;
        return false;
      }
      if (WAITING.has(t.state)) {
        if (this.hasFinishedAncestor(raw)) {
          if (t.timer) clearTimeout(t.timer);
          this.#tracked.delete(raw);
          this.#raw.delete(hashId(raw));
          this.#waiting--;
        } else {
          waiting = true;
        }
      }
    }
    return waiting;
  }

  /** Ends the invocation early (first reason wins); stops every timer. */
  terminate(t: Termination): void {
    if (this.#over) return;
    this.#over = true;
    this.#stopTimers();
    this.#end(t);
  }

  /** The handler settled: no more suspending or polling. */
  finish(): void {
    this.#over = true;
    this.#stopTimers();
  }

  #stopTimers(): void {
    if (this.#suspendTimer) clearTimeout(this.#suspendTimer);
    this.#suspendTimer = undefined;
    for (const t of this.#tracked.values()) {
      if (t.timer) clearTimeout(t.timer);
      t.timer = undefined;
    }
  }
}
