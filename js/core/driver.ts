/**
 * The event-loop driver of the WebAssembly core: the JavaScript counterpart of the
 * Rust futures driver (`src/driver.rs`), step for step. The core decides everything
 * (what to send, when a batch is due, retries, outcomes); this loop only carries its
 * requests to the transport, keeps time, and hands outcomes to the waiting promises.
 * Kept in JavaScript so that an awaited checkpoint costs no Rust future, no promise
 * made from WebAssembly and no closure crossing the boundary (measured: bench/).
 */
import type { FailureDescription } from "./transport";
import type { WasmCore } from "./wasm";

/** Time as the driver sees it: the event loop, or a test's virtual clock. */
export interface Clock {
  now(): number;
  /** Calls `f` after `ms`; returns a cancel function. */
  after(ms: number, f: () => void): () => void;
  /** Calls `f` once the current event-loop turn has ended. */
  nextTurn(f: () => void): void;
}

/** The real event loop: `performance.now`, `setTimeout`, `setImmediate`. */
export const eventLoop: Clock = {
  now: () => performance.now(),
  after(ms, f) {
    const t = setTimeout(f, ms);
    return () => clearTimeout(t);
  },
  nextTurn: (f) => void setImmediate(f),
};

/** A test's virtual clock (`now()`, and `sleep(ms)`/`turn()` returning promises). */
export function virtualClock(env: { now(): number; sleep(ms: number): Promise<unknown>; turn(): Promise<unknown> }): Clock {
  return {
    now: () => env.now(),
    after(ms, f) {
      let live = true;
      void env.sleep(ms).then(() => live && f());
      return () => (live = false);
    },
    nextTurn: (f) => void env.turn().then(f),
  };
}

/** What a send answers: the next token, the operations in the gate's compact form, the operations. */
export type SendAnswer = [token: string | undefined, known: string, operations: unknown[]];

/**
 * Carries one request: `send(batch, attempt, order, checkpointToken, clientToken, body)`
 * (`body`: the core's body when it kept the updates' texts, else empty). It rejects
 * with the failure's {@link FailureDescription} only.
 */
export type Send = (batch: number, attempt: number, order: Uint32Array, token: string, clientToken: string, body: string) => Promise<SendAnswer>;

/** A request from the core: batch, attempt, order, checkpoint token, ClientToken, body. */
type Transmit = [number, number, Uint32Array, string, string, string];

/** Who waits on the core: a promise's settlers, by waiter number. */
interface Settlers {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** Hooks called with the core's outcomes (already guarded against throwing). */
export interface DriverHooks {
  onBatch?: (info: unknown) => void;
  onError?: (error: unknown) => void;
}

const RESOLVED = Promise.resolve();

export class Driver {
  readonly #core: WasmCore;
  readonly #send: Send;
  readonly #clock: Clock;
  readonly #hooks: DriverHooks;
  readonly #waiters = new Map<number, Settlers>();
  #nextWaiter = 1;
  #inFlight = false;
  /** The core's input count when the current quiet-turn wait began. */
  #seen = 0;
  #turnGeneration = 0;
  #turnArmed = false;
  #sleepAt = Number.NaN;
  #cancelSleep: (() => void) | undefined;
  #scheduled = false;
  /** The operations of the response being acknowledged, for its polls. */
  #ackOperations: unknown[] | undefined;

  constructor(core: WasmCore, send: Send, clock: Clock, hooks: DriverHooks) {
    this.#core = core;
    this.#send = send;
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** The clock's reading for the current burst of calls (see `now`). */
  #burstNow = Number.NaN;

  /**
   * Now, on the driver's clock. While a step is scheduled (a burst of calls in one
   * synchronous run) the first reading serves the rest of the burst: the step clears
   * it, and reading the clock per update cost ~4 % of a fire-and-forget update.
   */
  now(): number {
    if (!this.#scheduled) return this.#clock.now();
    if (Number.isNaN(this.#burstNow)) this.#burstNow = this.#clock.now();
    return this.#burstNow;
  }

  /** A waiter number and the promise it settles. */
  waiter<T>(): [number, Promise<T>] {
    let id = this.#nextWaiter++;
    if (id >= 0xffff_ffff) id = this.#nextWaiter = 1;
    const p = new Promise<T>((resolve, reject) => this.#waiters.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    return [id, p];
  }

  /** Forgets a waiter the core refused. */
  drop(id: number): void {
    this.#waiters.delete(id);
  }

  /** Something changed: run a step soon (once per burst of calls). */
  kick(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // A promise reaction, not queueMicrotask: with AsyncLocalStorage active (the
    // durable layer's), queueMicrotask makes an AsyncResource per call.
    void RESOLVED.then(this.#run);
  }

  /** Stops every timer (nothing is left to do). */
  stop(): void {
    this.#cancelSleep?.();
    this.#cancelSleep = undefined;
    this.#turnGeneration++;
  }

  /** Stops for good: the core is about to be freed, so nothing may touch it again. */
  detach(): void {
    this.stop();
    this.#detached = true;
  }

  #detached = false;

  readonly #run = (): void => {
    this.#scheduled = false;
    this.#burstNow = Number.NaN;
    this.#step();
  };

  #step(): void {
    if (this.#detached) return;
    const core = this.#core;
    const now = this.#clock.now();
    if (!this.#inFlight) {
      const t = core.pollTransmit(now) as Transmit | undefined;
      if (t !== undefined) this.#start(t);
    }
    this.#dispatch();
    if (core.isFinished()) {
      this.stop();
      return;
    }
    // Idle policy: every new input restarts the wait for a quiet turn.
    const last = core.lastSeq();
    if (last !== this.#seen) {
      this.#seen = last;
      this.#armTurn();
    }
    // While a quiet-turn check is pending, each turn re-checks the window anyway;
    // back-offs always get their timer.
    let deadline = core.nextTimeout();
    if (this.#turnArmed && !core.backingOff()) deadline = Number.NaN;
    if (Number.isNaN(deadline)) {
      this.#cancelSleep?.();
      this.#cancelSleep = undefined;
      this.#sleepAt = Number.NaN;
    } else if (deadline !== this.#sleepAt) {
      this.#cancelSleep?.();
      this.#sleepAt = deadline;
      this.#cancelSleep = this.#clock.after(Math.max(0, deadline - now), () => {
        this.#cancelSleep = undefined;
        this.#sleepAt = Number.NaN;
        this.#step();
      });
    }
  }

  #armTurn(): void {
    const generation = ++this.#turnGeneration;
    this.#turnArmed = true;
    this.#clock.nextTurn(() => {
      if (generation !== this.#turnGeneration || this.#detached) return;
      this.#turnArmed = false;
      if (this.#core.lastSeq() === this.#seen) this.#core.idle();
      this.#step();
    });
  }

  #start([batch, attempt, order, token, clientToken, body]: Transmit): void {
    this.#inFlight = true;
    // `send` takes the batch's updates synchronously, before its first await.
    this.#send(batch, attempt, order, token, clientToken, body).then(
      ([next, known, operations]) => {
        this.#inFlight = false;
        if (this.#detached) return;
        this.#ackOperations = operations;
        this.#core.onAck(batch, next, known, this.#clock.now());
        this.#step();
        this.#ackOperations = undefined;
      },
      (f: FailureDescription) => {
        this.#inFlight = false;
        if (this.#detached) return;
        // NaN: absent (the core checks the numbers again).
        this.#core.onFailure(batch, f.status ?? Number.NaN, f.name, f.message, f.retryAfterMs ?? Number.NaN, f.cause, this.#clock.now());
        this.#step();
      },
    );
  }

  #settle(id: number, error: unknown, value?: unknown): void {
    const w = this.#waiters.get(id);
    if (w === undefined) return;
    this.#waiters.delete(id);
    if (error !== undefined) w.reject(error);
    else w.resolve(value);
  }

  /** Hands the core's outcomes to their promises and hooks. */
  #dispatch(): void {
    const events = this.#core.takeEvents() as unknown[][] | undefined;
    if (events === undefined) return;
    for (const ev of events) {
      switch (ev[0]) {
        case 0: {
          const info = ev[3] as [number, number, number, number, string[]] | undefined;
          if (info !== undefined) {
            const [updates, bytes, attempts, latencyMs, operationIds] = info;
            this.#hooks.onBatch?.({ updates, bytes, attempts, latencyMs, operationIds });
          }
          for (const id of ev[1] as Uint32Array) this.#settle(id, undefined);
          const ops = this.#ackOperations ?? [];
          for (const id of ev[2] as Uint32Array) this.#settle(id, undefined, ops.slice());
          break;
        }
        case 1:
          for (const id of ev[1] as Uint32Array) this.#settle(id, ev[2]);
          break;
        case 2:
          this.#settle(ev[1] as number, ev[2]);
          break;
        case 3:
          this.#hooks.onError?.(ev[1]);
          break;
      }
    }
  }
}
