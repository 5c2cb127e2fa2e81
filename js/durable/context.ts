/**
 * `DurableContext`: the handler's view of one (root or child) context. It mints the
 * operation ids, tracks whether it replays, refuses use from inside another context
 * or a step, and hands each call to the operation module that implements it.
 */
import type { Operation } from "../core/types";
import { active, type Mode } from "./active";
import { hashId as hashIdOf } from "./ids";
import { NonDeterministicExecutionError, SerdesFailedError, isUnrecoverableInvocationError } from "./errors";
import { ExecutionState, never } from "./state";
import { defaultSerdes, type Serdes, type SerdesConfig } from "./serdes";
import { createContextLogger } from "./logger";
import type { DurableLogger, DurableContextLogger, LoggerConfig } from "./logger";
import { DurablePromise } from "./promise";
import type { DurableContext, LambdaContext } from "./types";
import { step, stepArgs } from "./operations/step";
import { wait } from "./operations/wait";
import { childArgs, runInChildContext } from "./operations/child";
import { createCallback } from "./operations/callback";
import { invoke, invokeArgs } from "./operations/invoke";
import { waitForCondition } from "./operations/condition";
import { waitForCallback, waitForCallbackArgs } from "./operations/wait-for-callback";
import { combinators } from "./operations/combinators";
import { map, parallel } from "./operations/batch";

/** Callback results are text; this serdes leaves them so. */
export const passThroughSerdes: Serdes<unknown> = {
  serialize: async (v) => v as string | undefined,
  deserialize: async (d) => d,
};

const FINISHED = new Set(["SUCCEEDED", "FAILED"]);

/** What a context shares with its children. */
interface Shared {
  state: ExecutionState;
  lambdaContext: LambdaContext;
  requestId: string | undefined;
  tenantId: string | undefined;
}

/** One durable context. Handlers see it as {@link DurableContext}. */
export class ContextImpl {
  readonly #shared: Shared;
  /** Raw id of this context; undefined at the root. */
  readonly #prefix: string | undefined;
  #counter = 0;
  #mode: Mode;
  #baseLogger: DurableLogger;
  #modeAware = true;
  /** The serdes operations use unless given one. */
  defaultSerdes: Serdes<unknown> = defaultSerdes as Serdes<unknown>;
  /** The deserializer of callback results; pass-through unless configured. */
  defaultCallbackDeserializer: Serdes<unknown> = passThroughSerdes;
  /** Set when `configureSerdes` gave a callback deserializer. */
  customCallbackDeserializer: Serdes<unknown> | undefined;
  /** The replay-aware logger handlers use. */
  logger: DurableContextLogger;
  /** The logger steps receive (not mode-aware: a step body runs only when it executes). */
  stepLogger: DurableLogger;
  /** Lambda's context object. */
  readonly lambdaContext: LambdaContext;
  /** The execution this context belongs to. */
  readonly executionContext: { readonly durableExecutionArn: string };

  constructor(shared: Shared, prefix: string | undefined, mode: Mode, logger: DurableLogger) {
    this.#shared = shared;
    this.#prefix = prefix;
    this.#mode = mode;
    this.#baseLogger = logger;
    this.stepLogger = logger;
    this.lambdaContext = shared.lambdaContext;
    this.executionContext = { durableExecutionArn: shared.state.arn };
    this.logger = this.#makeLogger();
  }

  get [Symbol.toStringTag](): string {
    return "DurableContext";
  }

  // region internals the operations use

  /** @internal */
  get state(): ExecutionState {
    return this.#shared.state;
  }

  /** @internal The raw id operations of this context name as their parent. */
  get parentRaw(): string | undefined {
    return this.#prefix;
  }

  /** @internal Mints the next operation's raw id. */
  nextId(): string {
    this.#counter++;
    return this.#id(this.#counter);
  }

  /** @internal The raw id the next operation will get. */
  peekId(): string {
    return this.#id(this.#counter + 1);
  }

  #id(n: number): string {
    return this.#prefix === undefined ? String(n) : `${this.#prefix}-${n}`;
  }

  /** @internal A child context under raw id `raw`. */
  child(raw: string, mode: Mode): ContextImpl {
    const c = new ContextImpl(this.#shared, raw, mode, this.#baseLogger);
    c.#modeAware = this.#modeAware;
    c.logger = c.#makeLogger();
    c.defaultSerdes = this.defaultSerdes;
    if (this.customCallbackDeserializer) {
      c.customCallbackDeserializer = this.customCallbackDeserializer;
      c.defaultCallbackDeserializer = this.customCallbackDeserializer;
    }
    return c;
  }

  /** @internal Fails the execution if the recording at `raw` is of another operation. */
  checkReplay(raw: string, op: Operation | undefined, type: string, name: string | undefined, subType: string): void {
    if (!op?.Type) return;
    const what =
      op.Type !== type
        ? `type mismatch for step "${raw}". Expected type "${op.Type}", but got "${type}"`
        : (op.Name || undefined) !== (name || undefined)
          ? `name mismatch for step "${raw}". Expected name "${op.Name ?? "undefined"}", but got "${name ?? "undefined"}"`
          : op.SubType !== subType
            ? `subtype mismatch for step "${raw}". Expected subtype "${op.SubType}", but got "${subType}"`
            : undefined;
    if (what === undefined) return;
    this.unrecoverable(
      new NonDeterministicExecutionError(
        `Non-deterministic execution detected: Operation ${what}. This indicates non-deterministic control flow in your workflow code.`,
      ),
    );
  }

  /** @internal Ends the invocation for an error no handler code may catch. */
  unrecoverable(error: unknown): void {
    this.state.terminate(isUnrecoverableInvocationError(error) ? { kind: "THROW", error } : { kind: "FAILED", error });
  }

  /** @internal `serdes.serialize`; a failure ends the invocation (Lambda retries it). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async serialize(serdes: Pick<Serdes<any>, "serialize">, value: unknown, raw: string, name: string | undefined): Promise<string | undefined> {
    try {
      return await serdes.serialize(value, { entityId: raw, durableExecutionArn: this.state.arn });
    } catch (e) {
      const why = e instanceof Error ? e.message : "Unknown serialization error";
      this.unrecoverable(new SerdesFailedError(`Serialization failed for step ${name ? `"${name}" ` : ""}(${raw}): ${why}`));
      return never();
    }
  }

  /** @internal `serdes.deserialize`; a failure ends the invocation (Lambda retries it). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async deserialize(serdes: Pick<Serdes<any>, "deserialize">, data: string | undefined, raw: string, name: string | undefined): Promise<unknown> {
    try {
      return await serdes.deserialize(data, { entityId: raw, durableExecutionArn: this.state.arn });
    } catch (e) {
      const why = e instanceof Error ? e.message : "Unknown deserialization error";
      this.unrecoverable(new SerdesFailedError(`Deserialization failed for step ${name ? `"${name}" ` : ""}(${raw}): ${why}`));
      return never();
    }
  }

  /**
   * @internal In replay, switches to execution mode once the next operation has no
   * recording (nor recorded children): from there on, logs are real.
   */
  checkAndUpdateReplayMode(): void {
    if (this.#mode !== "ReplayMode") return;
    const next = this.peekId();
    if (this.state.get(next) === undefined && this.state.get(`${next}-1`) === undefined) this.#mode = "ExecutionMode";
  }

  /**
   * Every operation goes through here: refuses a context used from inside another
   * context or a step, keeps the replay mode, and in a re-run succeeded context
   * holds (never settles) at an operation that was not recorded as finished.
   */
  #op<T>(what: string, run: () => DurablePromise<T>): DurablePromise<T> {
    const here = this.#prefix ?? "root";
    const now = active();
    if (now && now.contextId !== here) {
      this.state.terminate({
        kind: "FAILED",
        error: new Error(
          `Context usage error in "${what}": You are using a parent or sibling context instead of the current child context. Expected context ID: "${now.contextId}", but got: "${this.#prefix}". When inside runInChildContext(), you must use the child context parameter, not the parent context.`,
        ),
      });
      return new DurablePromise(() => never());
    }
    const next = this.state.get(this.peekId());
    const switchAfter = this.#mode === "ReplayMode" && next !== undefined && !FINISHED.has(next.Status ?? "");
    this.checkAndUpdateReplayMode();
    if (this.#mode === "ReplaySucceededContext" && next !== undefined && !FINISHED.has(next.Status ?? "")) {
      return new DurablePromise(() => never());
    }
    try {
      return run();
    } finally {
      if (switchAfter) this.#mode = "ExecutionMode";
    }
  }

  #makeLogger(): DurableContextLogger {
    return createContextLogger({
      base: () => this.#baseLogger,
      enrich: () => this.#logData(),
      isReplaying: () => {
        const now = active();
        if (!now || now.contextId === "root") return this.#mode !== "ExecutionMode";
        return now.mode !== undefined && now.mode !== "ExecutionMode";
      },
      modeAware: () => this.#modeAware,
    });
  }

  #logData() {
    const now = active();
    const inside = now !== undefined && now.contextId !== "root";
    return {
      executionArn: this.state.arn,
      requestId: this.#shared.requestId as string,
      tenantId: this.#shared.tenantId,
      operationId: inside ? hashIdOf(now.contextId) : undefined,
      ...(inside && now.operationName !== undefined ? { operationName: now.operationName } : {}),
      ...(now?.attempt !== undefined ? { attempt: now.attempt } : {}),
    };
  }

  // region the API

  step(a: unknown, b?: unknown, c?: unknown): DurablePromise<unknown> {
    return this.#op("step", () => {
      const { name, fn, config } = stepArgs<unknown>(a, b, c);
      return step(this, name, fn, config);
    });
  }

  wait(a: unknown, b?: unknown): DurablePromise<void> {
    return this.#op("wait", () => (typeof a === "string" ? wait(this, a, b as never) : wait(this, undefined, a as never)));
  }

  runInChildContext(a: unknown, b?: unknown, c?: unknown): DurablePromise<unknown> {
    return this.#op("runInChildContext", () => {
      const { name, fn, config } = childArgs<unknown>(a, b, c);
      return runInChildContext(this, name, fn, config);
    });
  }

  createCallback(a?: unknown, b?: unknown): DurablePromise<unknown> {
    return this.#op("createCallback", () =>
      typeof a === "string" || a === undefined ? createCallback(this, a, b as never) : createCallback(this, undefined, a as never),
    );
  }

  waitForCallback(a: unknown, b?: unknown, c?: unknown): DurablePromise<unknown> {
    return this.#op("waitForCallback", () => {
      const parsed = waitForCallbackArgs(a, b, c);
      if (typeof parsed === "string") return new DurablePromise(() => Promise.reject(new Error(parsed)));
      return waitForCallback(this, parsed.name, parsed.submitter, parsed.config);
    });
  }

  waitForCondition(a: unknown, b?: unknown, c?: unknown): DurablePromise<unknown> {
    return this.#op("waitForCondition", () =>
      typeof a === "string" || a === undefined
        ? waitForCondition(this, a, b as never, c as never)
        : waitForCondition(this, undefined, a as never, b as never),
    );
  }

  invoke(a: unknown, b?: unknown, c?: unknown, d?: unknown): DurablePromise<unknown> {
    return this.#op("invoke", () => {
      const { name, funcId, input, config } = invokeArgs(a, b, c, d);
      return invoke(this, name, funcId, input, config);
    });
  }

  map(a: unknown, b?: unknown, c?: unknown, d?: unknown): DurablePromise<unknown> {
    return this.#op("map", () => map(this, a, b, c, d));
  }

  parallel(a: unknown, b?: unknown, c?: unknown): DurablePromise<unknown> {
    return this.#op("parallel", () => parallel(this, a, b, c));
  }

  get promise() {
    return combinators(this);
  }

  configureLogger(config: LoggerConfig<DurableLogger>): void {
    if (config.customLogger !== undefined) {
      this.#baseLogger = config.customLogger;
      this.stepLogger = config.customLogger;
      this.logger = this.#makeLogger();
    }
    if (config.modeAware !== undefined) this.#modeAware = config.modeAware;
  }

  configureSerdes(config: SerdesConfig): void {
    if (config.defaultSerdes !== undefined) this.defaultSerdes = config.defaultSerdes as Serdes<unknown>;
    if (config.defaultCallbackDeserializer !== undefined) {
      this.defaultCallbackDeserializer = config.defaultCallbackDeserializer as Serdes<unknown>;
      this.customCallbackDeserializer = config.defaultCallbackDeserializer as Serdes<unknown>;
    }
  }
}


/** The root context of an invocation. */
export function rootContext(shared: Shared, mode: Mode, logger: DurableLogger): DurableContext {
  return new ContextImpl(shared, undefined, mode, logger) as unknown as DurableContext;
}
