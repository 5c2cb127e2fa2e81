/**
 * Retry strategies (exponential and linear back-off, presets) and `withRetry`, a retry
 * loop built from durable operations.
 *
 * A strategy is a pure function of the error and the number of attempts made so far; its
 * decisions are the official SDK's for the same inputs (jitter draws on `Math.random`).
 */

import { durationToSeconds, type Duration } from "./duration";
import { JitterStrategy } from "./enums";
import type { ChildConfig, DurableContext } from "./types";

/**
 * What a retry strategy decided about a failed attempt.
 *
 * @example
 * ```typescript
 * { shouldRetry: false }                          // give up
 * { shouldRetry: true, delay: { seconds: 5 } }    // try again in 5 seconds
 * ```
 *
 * @public
 */
export interface RetryDecision {
  /** Whether to make another attempt. */
  shouldRetry: boolean;
  /** How long to wait first; 1 second when left out. Ignored when not retrying. */
  delay?: Duration;
}

/**
 * Options of {@link createRetryStrategy}. Left out (or `undefined`): the default.
 *
 * @public
 */
export interface RetryStrategyConfig {
  /** Attempts in all, the first one included. @defaultValue 3 */
  maxAttempts?: number;
  /** The delay before the first retry. @defaultValue `{ seconds: 5 }` */
  initialDelay?: Duration;
  /** The longest delay, before jitter. @defaultValue `{ minutes: 5 }` */
  maxDelay?: Duration;
  /** What each delay is multiplied by for the next. @defaultValue 2 */
  backoffRate?: number;
  /** How delays are randomised. @defaultValue `JitterStrategy.FULL` */
  jitter?: JitterStrategy;
  /**
   * Retry only errors whose message contains one of these strings or matches one of
   * these patterns (`RegExp.test`). Without this and without `retryableErrorTypes`, every
   * error is retried; with both, an error matching either is.
   */
  retryableErrors?: (string | RegExp)[];
  /** Retry only errors that are instances of one of these classes (see `retryableErrors`). */
  retryableErrorTypes?: (new () => Error)[];
}

/**
 * Options of {@link createLinearRetryStrategy}. Left out (or `undefined`): the default.
 *
 * @public
 */
export interface LinearRetryStrategyConfig {
  /** Attempts in all, the first one included. @defaultValue 6 */
  maxAttempts?: number;
  /** The delay before the first retry. @defaultValue `{ seconds: 1 }` */
  initialDelay?: Duration;
  /** What is added to the delay for each further retry. @defaultValue `{ seconds: 1 }` */
  increment?: Duration;
  /** The longest delay, before jitter. @defaultValue `{ minutes: 5 }` */
  maxDelay?: Duration;
  /** How delays are randomised. @defaultValue `JitterStrategy.FULL` */
  jitter?: JitterStrategy;
  /** As {@link RetryStrategyConfig.retryableErrors}. */
  retryableErrors?: (string | RegExp)[];
  /** As {@link RetryStrategyConfig.retryableErrorTypes}. */
  retryableErrorTypes?: (new () => Error)[];
}

/** A retry strategy: `attemptsMade` counts the attempt that just failed (1 after the first). */
type RetryStrategy = (error: Error, attemptsMade: number) => RetryDecision;

/**
 * `delay` randomised by `strategy`. An unknown strategy leaves the delay as it is (so does
 * the official SDK for retries).
 *
 * @internal
 */
export function applyJitter(delay: number, strategy: JitterStrategy | undefined): number {
  switch (strategy) {
    case JitterStrategy.FULL:
      return Math.random() * delay;
    case JitterStrategy.HALF:
      return delay / 2 + Math.random() * (delay / 2);
    default:
      return delay;
  }
}

/**
 * The delay actually used: jittered, rounded to whole seconds and never below 1 second
 * (the service's minimum).
 *
 * @internal
 */
export function finalDelaySeconds(baseSeconds: number, strategy: JitterStrategy | undefined): number {
  return Math.max(1, Math.round(applyJitter(baseSeconds, strategy)));
}

/**
 * Which errors to retry. No filter at all means all of them; once either filter is given,
 * the other one defaults to matching nothing.
 */
function errorFilter(
  patterns: (string | RegExp)[] | undefined,
  types: (new () => Error)[] | undefined,
): (error: Error) => boolean {
  if (patterns === undefined && types === undefined) return () => true;
  const byMessage = patterns ?? [];
  const byType = types ?? [];
  return (error) => {
    const message = (error as { message?: unknown } | null | undefined)?.message;
    // Both filters are always evaluated, RegExp.test included: a global pattern's
    // lastIndex advances on every call, in the official SDK too.
    const messageMatches = byMessage.some((p) =>
      p instanceof RegExp ? p.test(message as string) : typeof message === "string" && message.includes(p),
    );
    const typeMatches = byType.some((t) => error instanceof t);
    return messageMatches || typeMatches;
  };
}

/** `value`, or `fallback` when it is `undefined`. */
const or = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);

function checkCount(value: number, field: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${field} must be a number, got ${String(value)}`);
  }
  return value;
}

/**
 * A retry strategy with exponential back-off: the delay before retry `n` (after `n`
 * failed attempts) is `initialDelay × backoffRate^(n-1)`, capped at `maxDelay`, then
 * jittered, rounded and raised to at least 1 second. It gives up once `maxAttempts`
 * attempts have been made, or at once for an error the filters do not retry.
 *
 * Differs from the official SDK only on bad configuration: options are checked here, at
 * creation, with errors that name them (the official fails later, on first use, or not
 * at all); and an option passed as `undefined` takes its default (the official lets
 * `undefined` override the default, which for `maxAttempts` means retrying forever).
 *
 * @example
 * ```typescript
 * await context.step("call-api", callApi, {
 *   retryStrategy: createRetryStrategy({ maxAttempts: 5, retryableErrors: [/timeout/i] }),
 * });
 * ```
 *
 * @public
 */
export const createRetryStrategy = (config: RetryStrategyConfig = {}): RetryStrategy => {
  const where = "createRetryStrategy";
  const maxAttempts = checkCount(or(config.maxAttempts, 3), `${where}: maxAttempts`);
  const initial = durationToSeconds(or(config.initialDelay, { seconds: 5 }), `${where}: initialDelay`);
  const max = durationToSeconds(or(config.maxDelay, { minutes: 5 }), `${where}: maxDelay`);
  const rate = checkCount(or(config.backoffRate, 2), `${where}: backoffRate`);
  const jitter = or(config.jitter, JitterStrategy.FULL);
  const retryable = errorFilter(config.retryableErrors, config.retryableErrorTypes);
  return (error, attemptsMade) => {
    if (attemptsMade >= maxAttempts || !retryable(error)) return { shouldRetry: false };
    const base = Math.min(initial * rate ** (attemptsMade - 1), max);
    return { shouldRetry: true, delay: { seconds: finalDelaySeconds(base, jitter) } };
  };
};

/**
 * A retry strategy with linear back-off: the delay before retry `n` is
 * `initialDelay + increment × (n-1)`, capped at `maxDelay`, then jittered, rounded and
 * raised to at least 1 second. Gives up as {@link createRetryStrategy} does, and differs
 * from the official SDK in the same (bad-configuration-only) ways.
 *
 * @public
 */
export const createLinearRetryStrategy = (config: LinearRetryStrategyConfig = {}): RetryStrategy => {
  const where = "createLinearRetryStrategy";
  const maxAttempts = checkCount(or(config.maxAttempts, 6), `${where}: maxAttempts`);
  const initial = durationToSeconds(or(config.initialDelay, { seconds: 1 }), `${where}: initialDelay`);
  const increment = durationToSeconds(or(config.increment, { seconds: 1 }), `${where}: increment`);
  const max = durationToSeconds(or(config.maxDelay, { minutes: 5 }), `${where}: maxDelay`);
  const jitter = or(config.jitter, JitterStrategy.FULL);
  const retryable = errorFilter(config.retryableErrors, config.retryableErrorTypes);
  return (error, attemptsMade) => {
    if (attemptsMade >= maxAttempts || !retryable(error)) return { shouldRetry: false };
    const base = Math.min(initial + increment * (attemptsMade - 1), max);
    return { shouldRetry: true, delay: { seconds: finalDelaySeconds(base, jitter) } };
  };
};

/**
 * Ready-made retry strategies.
 *
 * @public
 */
export const retryPresets = {
  /**
   * 6 attempts in all; delays 5 s, 10 s, 20 s, 40 s, 60 s (doubling, capped at 60 s)
   * before full jitter, each at least 1 s.
   */
  default: createRetryStrategy({
    maxAttempts: 6,
    initialDelay: { seconds: 5 },
    maxDelay: { seconds: 60 },
    backoffRate: 2,
    jitter: JitterStrategy.FULL,
  }),
  /** 6 attempts in all; delays 1 s, 2 s, 3 s, 4 s, 5 s, no jitter. */
  linear: createLinearRetryStrategy({
    maxAttempts: 6,
    initialDelay: { seconds: 1 },
    increment: { seconds: 1 },
    jitter: JitterStrategy.NONE,
  }),
  /** A single attempt: never retries. */
  noRetry: createRetryStrategy({ maxAttempts: 1 }),
};

/**
 * Options of {@link withRetry}.
 *
 * @public
 */
export interface WithRetryConfig<T> {
  /**
   * Decides after each failed attempt, with the error and the attempt's 1-based number;
   * the same shape as `StepConfig.retryStrategy`, so {@link createRetryStrategy} results
   * and {@link retryPresets} fit.
   */
  retryStrategy: (error: Error, attemptCount: number) => RetryDecision;
  /**
   * Run the attempts and back-off waits inside one `runInChildContext` (named after the
   * loop, if it has a name), so the history shows them as one operation. Then the final
   * failure comes out as a `ChildContextError` whose `cause` is the last attempt's error;
   * with `false`, that error comes out as it is.
   *
   * @defaultValue true
   */
  wrapWithRunInChildContext?: boolean;
  /** Passed to that `runInChildContext`; ignored without it. */
  childContextConfig?: ChildConfig<T>;
}

/**
 * One attempt of a {@link withRetry} loop: `attempt` counts from 1.
 *
 * @public
 */
export type RetryableFunc<T> = (context: DurableContext, attempt: number) => Promise<T>;

/**
 * Runs `func` until it succeeds or `config.retryStrategy` gives up, waiting durably
 * (`context.wait`, named `<name>-backoff-<attempt>` when the loop has a name) between
 * attempts. Unlike a step's retries, an attempt may itself use durable operations.
 *
 * @throws TypeError without a `config`
 * @public
 */
export function withRetry<T>(
  context: DurableContext,
  name: string,
  func: RetryableFunc<T>,
  config: WithRetryConfig<T>,
): Promise<T>;
/** @public */
export function withRetry<T>(context: DurableContext, func: RetryableFunc<T>, config: WithRetryConfig<T>): Promise<T>;
export async function withRetry<T>(
  context: DurableContext,
  nameOrFunc: string | RetryableFunc<T>,
  funcOrConfig: RetryableFunc<T> | WithRetryConfig<T>,
  maybeConfig?: WithRetryConfig<T>,
): Promise<T> {
  const named = typeof nameOrFunc === "string";
  // An empty name counts as a name for the argument shape but, as in the official SDK,
  // names neither the child context nor the waits.
  const name = named ? nameOrFunc : undefined;
  const func = (named ? funcOrConfig : nameOrFunc) as RetryableFunc<T>;
  const config = (named ? maybeConfig : funcOrConfig) as WithRetryConfig<T> | undefined;
  if (!config) throw new TypeError("withRetry: config is required");
  const { retryStrategy, wrapWithRunInChildContext = true, childContextConfig } = config;

  const loop = async (ctx: DurableContext): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await func(ctx, attempt);
      } catch (error) {
        const decision = retryStrategy(error as Error, attempt);
        if (!decision.shouldRetry) throw error;
        const delay = decision.delay ?? { seconds: 1 };
        await (name ? ctx.wait(`${name}-backoff-${attempt}`, delay) : ctx.wait(delay));
      }
    }
  };

  if (!wrapWithRunInChildContext) return loop(context);
  return name
    ? context.runInChildContext(name, loop, childContextConfig)
    : context.runInChildContext(loop, childContextConfig);
}
