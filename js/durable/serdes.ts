/**
 * Serdes: how operation results, inputs and states become checkpoint payloads (strings)
 * and back. A payload of `undefined` means "no payload" on the wire.
 */

import { SerdesFailedError } from "./errors";

/**
 * What a serdes is told about the value it handles.
 *
 * @public
 */
export interface SerdesContext {
  /** The id of the operation the value belongs to. */
  entityId: string;
  /** The execution's ARN, to keep values of different executions apart. */
  durableExecutionArn: string;
}

/**
 * Turns values of type `T` into checkpoint payloads and back. Both directions are async,
 * so a serdes may keep the real data elsewhere (a file, a bucket) and checkpoint only a
 * reference to it.
 *
 * @public
 */
export interface Serdes<T> {
  /** The payload for `value`, or `undefined` for none. */
  serialize: (value: T | undefined, context: SerdesContext) => Promise<string | undefined>;
  /** The value for `data` (`undefined` when the operation recorded no payload). */
  deserialize: (data: string | undefined, context: SerdesContext) => Promise<T | undefined>;
}

/**
 * A serdes for any type.
 *
 * @public
 */
export type AnySerdes = Serdes<any>;

/**
 * Just the reading half of a serdes, which is all callbacks need: their payload is written
 * by whoever completes them.
 *
 * @public
 */
export type AnySerdesDeserializer = Pick<AnySerdes, "deserialize">;

/**
 * Defaults for one context, set with `context.configureSerdes`. An operation's own
 * `serdes` option always wins.
 *
 * @public
 */
export interface SerdesConfig {
  /** For `step`, `runInChildContext`, `invoke` and `waitForCondition`. */
  defaultSerdes?: AnySerdes;
  /**
   * For `createCallback` and `waitForCallback`. Not taken from `defaultSerdes`: without
   * this, callbacks get the raw payload string.
   */
  defaultCallbackDeserializer?: AnySerdesDeserializer;
}

// `undefined` has no JSON form: it is written as no payload, and no payload reads back
// as `undefined`. Everything else is JSON.stringify/JSON.parse, so the official SDK and
// this one write and read the same payloads. (A value JSON.stringify cannot represent at
// top level, such as a function, also becomes no payload.)
const toJson = async (value: unknown): Promise<string | undefined> =>
  value === undefined ? undefined : JSON.stringify(value);
const fromJson = async (data: string | undefined): Promise<any> =>
  data === undefined ? undefined : JSON.parse(data);

/**
 * The serdes used when none is configured: JSON, with `undefined` as no payload.
 *
 * @public
 */
export const defaultSerdes: Serdes<any> = {
  serialize: (value, _context) => toJson(value),
  deserialize: (data, _context) => fromJson(data),
};

/**
 * A JSON serdes that reads values back as instances of `cls`: the parsed object's
 * properties are copied onto `new cls()`, so methods work again.
 *
 * Only as deep as that: nested objects stay plain, getters, setters and `#private` fields
 * are not kept, and the constructor (which must take no arguments) runs on every read.
 * Use {@link createClassSerdesWithDates} for `Date` properties.
 *
 * @beta
 */
export function createClassSerdes<T extends object>(cls: new () => T): Serdes<T> {
  return {
    serialize: (value, _context) => toJson(value),
    deserialize: async (data, _context) => (data === undefined ? undefined : Object.assign(new cls(), JSON.parse(data))),
  };
}

/**
 * Like {@link createClassSerdes}, and also turns the properties named in `dateProps`
 * (dotted paths such as `"metadata.createdAt"`) back into `Date`s.
 *
 * A property is converted when its value is truthy, as in the official SDK. Where a path
 * does not resolve (an object on the way is missing or not an object), this skips it;
 * the official SDK instead converts the same-named property of the last object it
 * reached, which may be an unrelated field.
 *
 * @beta
 */
export function createClassSerdesWithDates<T extends object>(cls: new () => T, dateProps: string[]): Serdes<T> {
  return {
    serialize: (value, _context) => toJson(value),
    deserialize: async (data, _context) => {
      if (data === undefined) return undefined;
      const instance = Object.assign(new cls(), JSON.parse(data));
      for (const path of dateProps) reviveDate(instance, path.split("."));
      return instance;
    },
  };
}

function reviveDate(root: object, keys: string[]): void {
  const last = keys.pop() as string;
  let holder = root as Record<string, unknown>;
  for (const key of keys) {
    const next = holder[key];
    if (!next || typeof next !== "object") return;
    holder = next as Record<string, unknown>;
  }
  const value = holder[last];
  if (value) holder[last] = new Date(value as string | number);
}

/**
 * The serdes callbacks use by default: the payload string as it is, both ways.
 *
 * @internal
 */
export function createPassThroughSerdes(): Serdes<any> {
  return {
    serialize: async (value) => value,
    deserialize: async (data) => data,
  };
}

/**
 * `serdes.serialize(value, context)`, with a failure turned into a {@link SerdesFailedError}.
 *
 * Why not let it throw as it is: a serdes failure says nothing about the operation, so it
 * must not become the operation's (or a step attempt's) error, be retried by a retry
 * strategy or be caught by user code. The official SDK terminates the invocation instead:
 * nothing more is checkpointed, the Lambda handler throws a `SerdesFailedError`, so the
 * invocation fails, Lambda retries it and the execution goes on from its last checkpoint
 * (it is not failed). The runtime does the same with the error thrown here.
 *
 * The message is the official one: `Serialization failed for step "name" (id): reason`,
 * behind the `[Unrecoverable Invocation] ` prefix; `reason` is the thrown error's message,
 * or `Unknown serialization error` for a non-error.
 *
 * @param stepName - the operation's name, if it has one, for the message
 * @internal
 */
export async function serializeWith<T>(
  serdes: Pick<Serdes<T>, "serialize">,
  value: T | undefined,
  context: SerdesContext,
  stepName?: string,
): Promise<string | undefined> {
  try {
    return await serdes.serialize(value, context);
  } catch (error) {
    throw failed("Serialization", "serialization", error, context, stepName);
  }
}

/**
 * `serdes.deserialize(data, context)`, with a failure turned into a
 * {@link SerdesFailedError}; see {@link serializeWith} for why and what follows. The
 * message reads `Deserialization failed for step ...`.
 *
 * @internal
 */
export async function deserializeWith<T>(
  serdes: Pick<Serdes<T>, "deserialize">,
  data: string | undefined,
  context: SerdesContext,
  stepName?: string,
): Promise<T | undefined> {
  try {
    return await serdes.deserialize(data, context);
  } catch (error) {
    throw failed("Deserialization", "deserialization", error, context, stepName);
  }
}

function failed(
  what: string,
  lower: string,
  error: unknown,
  context: SerdesContext,
  stepName: string | undefined,
): SerdesFailedError {
  const reason = error instanceof Error ? error.message : `Unknown ${lower} error`;
  const step = stepName ? `"${stepName}" ` : "";
  return new SerdesFailedError(
    `${what} failed for step ${step}(${context.entityId}): ${reason}`,
    error instanceof Error ? error : undefined,
  );
}
