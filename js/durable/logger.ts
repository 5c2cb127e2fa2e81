/**
 * Logging: the logger interfaces, the default logger (structured JSON lines in the format
 * of the official SDK's, itself modelled on the Lambda Node.js runtime's), the replay-aware
 * logger a context hands to user code, and the SDK's own verbose trace.
 */

import { Console } from "node:console";
import { formatWithOptions } from "node:util";

/**
 * The levels a durable logger logs at.
 *
 * @public
 */
export enum DurableLogLevel {
  INFO = "INFO",
  WARN = "WARN",
  ERROR = "ERROR",
  DEBUG = "DEBUG",
}

/**
 * The durable fields of a log record: who is logging, from where.
 *
 * @public
 */
export interface DurableLogData {
  /** The Lambda request id of the current invocation. */
  requestId: string;
  /** The durable execution's ARN. */
  executionArn: string;
  /** The tenant of a tenant-isolated function. */
  tenantId?: string;
  /** The (hashed) id of the operation running, absent at the top level. */
  operationId?: string;
  /** That operation's name, if it has one. */
  operationName?: string;
  /** The attempt number, inside a step or a `waitForCondition` check. */
  attempt?: number;
  [key: string]: unknown;
}

/**
 * Where a logger gets the current {@link DurableLogData} from, when it logs.
 *
 * @public
 */
export interface DurableLoggingContext {
  getDurableLogData: () => DurableLogData;
}

/**
 * What a logger must provide to be used with `context.configureLogger({ customLogger })`;
 * `console`, pino and Powertools' `Logger` all fit.
 *
 * @public
 */
export interface DurableLogger {
  /** Logs at `level`; optional. @example `logger.log("INFO", "done", { id })` */
  log?(level: `${DurableLogLevel}`, ...params: any): void;
  /** @example `logger.error("query failed", err, { query })` */
  error(...params: any): void;
  /** @example `logger.warn("rate limit close", { rate })` */
  warn(...params: any): void;
  /** @example `logger.info("user logged in", { userId })` */
  info(...params: any): void;
  /** @example `logger.debug("step input", input)` */
  debug(...params: any): void;
  /**
   * Called by the SDK before the logger is used from a context, with where to read the
   * durable fields (execution ARN, operation id, attempt...) from at logging time. A
   * custom logger that wants them keeps this and calls `getDurableLogData()` per record.
   */
  configureDurableLoggingContext?(durableLoggingContext: DurableLoggingContext): void;
}

/**
 * The logger a context hands out (`context.logger`, a step's `ctx.logger`): the methods
 * of the configured logger, behind replay-aware suppression.
 *
 * @public
 */
export type DurableContextLogger<Logger extends DurableLogger = DurableLogger> = Pick<
  Logger,
  "log" | "warn" | "info" | "error" | "debug"
>;

/**
 * Options of `context.configureLogger`. Only what is given changes.
 *
 * @public
 */
export interface LoggerConfig<Logger extends DurableLogger> {
  /** The logger to use instead of the default one (JSON lines on stdout/stderr). */
  customLogger?: Logger;
  /**
   * Whether to drop records logged while replaying (code that already ran in an earlier
   * invocation), so each line is written once over the whole execution.
   *
   * @defaultValue true
   */
  modeAware?: boolean;
}

// ---------------------------------------------------------------------------------------
// The default logger

// Lambda's runtime ranks levels like this; a level is enabled when it ranks at least as
// high as AWS_LAMBDA_LOG_LEVEL (TRACE and FATAL are not offered, as in the official SDK).
const RANK: Record<string, number> = { DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5 };

// No line breaks inside an inspected object, however big: one record, one line.
const FORMAT = { breakLength: Infinity };

/**
 * An Error as a JSON object, for records whose message is a single value: the fields the
 * Lambda runtime writes for errors, then the error's own enumerable properties.
 */
function errorsAsObjects(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return Object.assign(
    {
      errorType: value.constructor?.name ?? "UnknownError",
      errorMessage: value.message,
      stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack,
    },
    value,
  );
}

/**
 * One log record as a JSON line. Field order: requestId, timestamp, level,
 * executionArn, then tenantId, operationId, operationName, attempt when known, then the
 * enrichment's fields, then message (and, for several values, the first error's
 * errorType, errorMessage and stackTrace).
 *
 * A single value is written as it is (an object stays an object) unless JSON cannot
 * represent it (a cycle, a BigInt), in which case it is formatted like `console.log`
 * would; several values are always formatted into one string.
 */
function formatRecord(
  level: DurableLogLevel,
  data: DurableLogData,
  enrich: (() => Record<string, unknown> | undefined) | undefined,
  params: unknown[],
): string {
  const record: Record<string, unknown> = {
    requestId: data.requestId,
    timestamp: new Date().toISOString(),
    level,
    executionArn: data.executionArn,
  };
  if (data.tenantId != null) record.tenantId = data.tenantId;
  if (data.operationId !== undefined) record.operationId = data.operationId;
  if (data.operationName !== undefined) record.operationName = data.operationName;
  if (data.attempt !== undefined) record.attempt = data.attempt;
  if (enrich) {
    try {
      const extra = enrich();
      if (extra) Object.assign(record, extra);
    } catch {
      // Enrichment is optional decoration; it never costs a log record.
    }
  }
  if (params.length === 1) {
    record.message = params[0];
    try {
      return JSON.stringify(record, errorsAsObjects);
    } catch {
      record.message = formatWithOptions(FORMAT, params[0]);
      return JSON.stringify(record);
    }
  }
  record.message = formatWithOptions(FORMAT, ...params);
  const error = params.find((p): p is Error => p instanceof Error);
  if (error) {
    record.errorType = error.constructor?.name ?? "UnknownError";
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === "string" ? error.stack.split("\n") : [];
  }
  return JSON.stringify(record);
}

/**
 * The invocation a default logger reports until `configureDurableLoggingContext` is
 * called (no operation id then).
 *
 * @internal
 */
export interface DefaultLoggerInvocation {
  durableExecutionArn: string;
  requestId?: string | undefined;
  tenantId?: string | undefined;
}

/** Extra fields for every record (e.g. from instrumentation); if it throws, none. */
type Enrichment = () => Record<string, unknown> | undefined;

type LogMethod = (...params: unknown[]) => void;

/**
 * The logger used when none is configured: one JSON line per record, DEBUG and INFO to
 * stdout, WARN and ERROR to stderr, through a `Console` of its own (the Lambda runtime
 * patches the global `console` to add a prefix of its own, which would break the JSON).
 *
 * Levels below `AWS_LAMBDA_LOG_LEVEL` (read when the logger is created; missing or
 * unknown: everything is logged) are no-ops. The official SDK does not look at
 * `AWS_LAMBDA_LOG_FORMAT`: records are JSON whatever it says, and so are these.
 */
class DefaultLogger implements DurableLogger {
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
  #context: DurableLoggingContext | undefined;
  readonly #invocation: DefaultLoggerInvocation | undefined;
  readonly #enrich: Enrichment | undefined;
  readonly #console = new Console({ stdout: process.stdout, stderr: process.stderr });

  constructor(invocation: DefaultLoggerInvocation | undefined, enrich: Enrichment | undefined) {
    this.#invocation = invocation;
    this.#enrich = enrich;
    const wanted = process.env["AWS_LAMBDA_LOG_LEVEL"]?.toUpperCase();
    const threshold = (wanted !== undefined && RANK[wanted]) || RANK.DEBUG!;
    const method = (level: DurableLogLevel, write: (line: string) => void): LogMethod => {
      if (RANK[level]! < threshold) return () => {};
      return (first?: unknown, ...rest: unknown[]) => {
        // A leading `undefined` is dropped, so `info(undefined, x)` logs just `x`.
        const params = first !== undefined ? [first, ...rest] : rest;
        write(formatRecord(level, this.#data(), this.#enrich, params));
      };
    };
    this.debug = method(DurableLogLevel.DEBUG, (l) => this.#console.debug(l));
    this.info = method(DurableLogLevel.INFO, (l) => this.#console.info(l));
    this.warn = method(DurableLogLevel.WARN, (l) => this.#console.warn(l));
    this.error = method(DurableLogLevel.ERROR, (l) => this.#console.error(l));
  }

  /** Logs at `level`; an unknown level logs at INFO. */
  log(level: `${DurableLogLevel}`, ...params: unknown[]): void {
    switch (level) {
      case DurableLogLevel.DEBUG:
        return this.debug(...params);
      case DurableLogLevel.WARN:
        return this.warn(...params);
      case DurableLogLevel.ERROR:
        return this.error(...params);
      default:
        return this.info(...params);
    }
  }

  configureDurableLoggingContext(context: DurableLoggingContext): void {
    this.#context = context;
  }

  #data(): DurableLogData {
    if (this.#context) return this.#context.getDurableLogData();
    const invocation = this.#invocation;
    if (!invocation) {
      throw new Error(
        "DurableLoggingContext is not configured. Please call configureDurableLoggingContext before logging.",
      );
    }
    return {
      requestId: invocation.requestId as string,
      executionArn: invocation.durableExecutionArn,
      tenantId: invocation.tenantId,
    };
  }
}

/**
 * A new default logger (see the class comment above for its output).
 *
 * @param invocation - what to report before a logging context is configured; without
 *   it, logging before `configureDurableLoggingContext` throws (as in the official SDK)
 * @param enrich - extra fields for every record
 * @internal
 */
export function createDefaultLogger(invocation?: DefaultLoggerInvocation, enrich?: Enrichment): DurableLogger {
  return new DefaultLogger(invocation, enrich);
}

// ---------------------------------------------------------------------------------------
// The context logger

/**
 * What {@link createContextLogger} needs to know, each read when a record is logged.
 *
 * @internal
 */
export interface ContextLoggerSource<Logger extends DurableLogger> {
  /** The logger configured now (`configureLogger` may replace it). */
  base: () => Logger;
  /**
   * The durable fields of a record logged now. The base logger is handed
   * `{ getDurableLogData: enrich }` through `configureDurableLoggingContext`.
   */
  enrich: () => DurableLogData;
  /** Whether the code logging is being replayed. */
  isReplaying: () => boolean;
  /** Whether replayed records are dropped (`configureLogger({ modeAware })`). */
  modeAware: () => boolean;
}

/**
 * The logger a context hands to user code: each method forwards to `base()` (returning
 * what it returns), except while replaying with mode-aware logging on, when it does
 * nothing. That is the official rule: a record is written when `modeAware()` is false or
 * `isReplaying()` is false.
 *
 * `base().configureDurableLoggingContext({ getDurableLogData: enrich })` is called now, and again before the
 * first record after `base()` starts returning another logger, so a custom logger is
 * told where to read the durable fields before it logs through this context (the
 * official SDK tells it when `configureLogger` installs it).
 *
 * `log` forwards only when the base logger has a `log` method; otherwise it reads as
 * `undefined`, as the official SDK leaves it out for such loggers.
 *
 * @internal
 */
export function createContextLogger<Logger extends DurableLogger>(
  source: ContextLoggerSource<Logger>,
): DurableContextLogger<Logger> {
  let configured: Logger | undefined;
  const loggingContext: DurableLoggingContext = { getDurableLogData: () => source.enrich() };
  const current = (): Logger => {
    const logger = source.base();
    if (logger !== configured) {
      configured = logger;
      logger.configureDurableLoggingContext?.(loggingContext);
    }
    return logger;
  };
  current();
  const shouldLog = () => !source.modeAware() || !source.isReplaying();
  const forward =
    (name: "warn" | "debug" | "info" | "error") =>
    (...params: unknown[]): unknown => {
      const logger = current();
      if (shouldLog()) return logger[name](...params);
      return undefined;
    };
  const log = (level: `${DurableLogLevel}`, ...params: unknown[]): unknown => {
    const logger = current();
    if (shouldLog()) return logger.log?.(level, ...params);
    return undefined;
  };
  const out = { warn: forward("warn"), debug: forward("debug"), info: forward("info"), error: forward("error") };
  Object.defineProperty(out, "log", {
    enumerable: true,
    get: () => ("log" in source.base() ? log : undefined),
  });
  return out as unknown as DurableContextLogger<Logger>;
}

// ---------------------------------------------------------------------------------------
// The SDK's own trace

// Read once: the trace is called on hot paths where it is almost always off, and reading
// process.env is a call into the runtime each time.
let verbose = process.env["DURABLE_VERBOSE_MODE"] === "true";

/**
 * Reads `DURABLE_VERBOSE_MODE` again (it is read once, when the SDK loads). `"true"`
 * turns on the SDK's own trace on `console.debug`.
 *
 * @public
 */
export const refreshLogConfig = (): void => {
  verbose = process.env["DURABLE_VERBOSE_MODE"] === "true";
};

/**
 * Writes a line of the SDK's own trace when `DURABLE_VERBOSE_MODE` is `"true"`. `data`
 * may be a function, called only when tracing is on (so a hot path builds nothing when
 * it is off); to trace a function value itself, wrap it.
 *
 * @internal
 */
export function trace(message: string, data?: unknown): void {
  if (!verbose) return;
  const value = typeof data === "function" ? (data as () => unknown)() : data;
  console.debug(message, value === undefined ? "" : stringifyForTrace(value));
}

function stringifyForTrace(value: unknown): string {
  try {
    const seen = new WeakSet<object>();
    return JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v !== "object" || v === null) return v;
        if (seen.has(v)) return "[Circular]";
        seen.add(v);
        return v instanceof Error ? { ...v, name: v.name, message: v.message, stack: v.stack } : v;
      },
      2,
    );
  } catch {
    return "[Unable to stringify]";
  }
}
