/** Durations as the durable API takes them, and their conversion to seconds. */

/**
 * A length of time for `wait`, retry delays and timeouts: at least one of `days`,
 * `hours`, `minutes`, `seconds`, all added up.
 *
 * @example
 * ```typescript
 * await context.wait({ minutes: 1, seconds: 30 });
 * ```
 *
 * @public
 */
export type Duration =
  | {
      days: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
    }
  | {
      hours: number;
      minutes?: number;
      seconds?: number;
    }
  | {
      minutes: number;
      seconds?: number;
    }
  | {
      seconds: number;
    };

const UNITS = ["days", "hours", "minutes", "seconds"] as const;

/**
 * The total number of seconds in `duration`:
 * `days × 86400 + hours × 3600 + minutes × 60 + seconds`.
 *
 * The official SDK converts without checking: a non-object fails with a bare
 * `TypeError` from the `in` operator, and a negative, `NaN` or `null` part flows into the
 * checkpoint (where the service rejects it, or a wait of `NaN` seconds is recorded). This
 * one checks first and throws a `TypeError` that names `field` when
 *
 * - `duration` is not a non-null object (arrays included);
 * - a unit is present (not `undefined`) but is not a number (`null` and numeric strings
 *   included), is `NaN` or infinite, or is negative;
 * - no unit is present at all (`{}`), which the type already forbids.
 *
 * Fractions are accepted and summed as they are, as in the official SDK: retry and
 * wait strategies legitimately start from, say, `{ seconds: 0.5 }` and round later.
 * Keys other than the four units are ignored, also as in the official SDK.
 *
 * @param duration - the duration to convert
 * @param field - what to call it in an error message, e.g. `"wait duration"` or
 *   `"createRetryStrategy: initialDelay"`
 * @throws TypeError when `duration` is not a valid {@link Duration}
 */
export function durationToSeconds(duration: Duration, field = "duration"): number {
  if (typeof duration !== "object" || duration === null || Array.isArray(duration)) {
    throw new TypeError(
      `${field} must be a Duration object such as { seconds: 5 }, got ${describe(duration)}`,
    );
  }
  const parts = duration as Record<string, unknown>;
  const n: Record<(typeof UNITS)[number], number> = { days: 0, hours: 0, minutes: 0, seconds: 0 };
  let present = 0;
  for (const unit of UNITS) {
    const value = parts[unit];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new TypeError(
        `${field}.${unit} must be a finite, non-negative number, got ${describe(value)}`,
      );
    }
    present++;
    n[unit] = value;
  }
  if (present === 0) {
    throw new TypeError(`${field} must give at least one of days, hours, minutes or seconds`);
  }
  // Multiplied left to right exactly as the official SDK writes it, so that fractional
  // inputs round the same way in floating point and both SDKs compute the same delay.
  return n.days * 24 * 60 * 60 + n.hours * 60 * 60 + n.minutes * 60 + n.seconds;
}

/** A short rendering of a bad value for an error message. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

/** The longest wait or retry delay the service takes (366 days). */
export const MAX_WAIT_SECONDS = 31_622_400;
/** The longest callback timeout the service takes. */
export const MAX_CALLBACK_SECONDS = 99_999_999;

/**
 * `duration` as the whole seconds a wire field takes: fractions round up (the service
 * counts whole seconds; a wait of 0.5 s lasts 1 s), then at least `min`. Past `max` it
 * throws a RangeError naming `field`, before anything is checkpointed: the official SDK
 * sends such values and the service refuses the whole batch.
 */
export function wireSeconds(duration: Duration, field: string, min: number, max: number): number {
  const exact = durationToSeconds(duration, field);
  const whole = Math.max(min, Math.ceil(exact));
  if (whole > max) throw new RangeError(`${field} is ${exact} seconds; the service takes at most ${max}`);
  return whole;
}
