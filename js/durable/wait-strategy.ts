/** `createWaitStrategy`: polling back-off for `waitForCondition`. */

import { durationToSeconds, type Duration } from "./duration";
import { JitterStrategy } from "./enums";
import { finalDelaySeconds } from "./retry";
import type { WaitForConditionDecision } from "./types";

/**
 * Options of {@link createWaitStrategy}. Left out (or `undefined`): the default.
 *
 * @public
 */
export interface WaitStrategyConfig<T> {
  /** Checks in all, the first one included, before giving up. @defaultValue 60 */
  maxAttempts?: number;
  /** The delay after the first check. @defaultValue `{ seconds: 5 }` */
  initialDelay?: Duration;
  /** The longest delay, before jitter. @defaultValue `{ seconds: 300 }` */
  maxDelay?: Duration;
  /** What each delay is multiplied by for the next. @defaultValue 1.5 */
  backoffRate?: number;
  /** How delays are randomised. @defaultValue `JitterStrategy.FULL` */
  jitter?: JitterStrategy;
  /** Whether the state just checked means "not there yet, check again". */
  shouldContinuePolling: (result: T) => boolean;
  /** Accepted for parity with the official SDK, which does not use it either. */
  timeoutSeconds?: number;
}

/**
 * A `waitForCondition` wait strategy with exponential back-off.
 *
 * After check `n` (`attemptsMade`): when `shouldContinuePolling(state)` is false, stop
 * waiting. Otherwise, if `n` checks reached `maxAttempts`, throw
 * `Error("waitForCondition exceeded maximum attempts (<maxAttempts>)")` (the operation
 * then fails with that message, exactly as under the official SDK); else check again in
 * `initialDelay × backoffRate^(n-1)` capped at `maxDelay`, jittered, rounded and at
 * least 1 second.
 *
 * Differs from the official SDK only on bad configuration: options are checked at
 * creation with errors that name them, an option passed as `undefined` takes its default
 * (the official lets it override the default), and an unknown `jitter` leaves the delay
 * unjittered (the official computes a delay of `NaN` seconds).
 *
 * @public
 */
export const createWaitStrategy = <T>(
  config: WaitStrategyConfig<T>,
): ((result: T, attemptsMade: number) => WaitForConditionDecision) => {
  const where = "createWaitStrategy";
  if (typeof config !== "object" || config === null || typeof config.shouldContinuePolling !== "function") {
    throw new TypeError(`${where}: shouldContinuePolling must be a function`);
  }
  const { shouldContinuePolling } = config;
  const maxAttempts = number(config.maxAttempts, 60, `${where}: maxAttempts`);
  // Only `undefined` selects a default: `null` is a bad value, reported as one.
  const initial = durationToSeconds(or(config.initialDelay, { seconds: 5 }), `${where}: initialDelay`);
  const max = durationToSeconds(or(config.maxDelay, { seconds: 300 }), `${where}: maxDelay`);
  const rate = number(config.backoffRate, 1.5, `${where}: backoffRate`);
  const jitter = or(config.jitter, JitterStrategy.FULL);
  return (result, attemptsMade) => {
    if (!shouldContinuePolling(result)) return { shouldContinue: false };
    if (attemptsMade >= maxAttempts) {
      throw new Error(`waitForCondition exceeded maximum attempts (${maxAttempts})`);
    }
    const base = Math.min(initial * rate ** (attemptsMade - 1), max);
    return { shouldContinue: true, delay: { seconds: finalDelaySeconds(base, jitter) } };
  };
};

const or = <V>(value: V | undefined, fallback: V): V => (value === undefined ? fallback : value);

function number(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${field} must be a number, got ${String(value)}`);
  }
  return value;
}
