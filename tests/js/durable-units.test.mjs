// The self-contained pieces of the durable API (js/durable/{duration,errors,serdes,retry,
// wait-strategy,enums,logger,types}.ts), side by side with @aws/durable-execution-sdk-js
// 2.4.0: the same inputs must give the same decisions, the same wire objects and the same
// log lines.
//
// Three modules are compared:
// - `ours`: the built package, by name, for everything it exports;
// - `mine`: our internal helpers (durationToSeconds, errorObjectFrom, serializeWith, the
//   loggers, ...), which the package does not export; bundled from js/durable with esbuild;
// - `off`: the official SDK's ESM build plus an export line for its internal counterparts
//   (createErrorObjectFromError, durationToSeconds, createDefaultLogger, safeSerialize, ...),
//   loaded from a temporary copy. Only read here, as the oracle.
// Classes of one copy are not `instanceof` those of another, so each comparison takes both
// its errors and its functions from the same pair of copies.
import assert from "node:assert/strict";
import { test, after } from "node:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as ours from "durable-checkpoint";
import * as official from "@aws/durable-execution-sdk-js";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "durable-units-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const OFFICIAL_INTERNALS = [
  "createErrorObjectFromError",
  "durationToSeconds",
  "createDefaultLogger",
  "safeSerialize",
  "safeDeserialize",
  "SerdesFailedError",
  "NonDeterministicExecutionError",
  "isUnrecoverableError",
  "isUnrecoverableInvocationError",
];
const off = await (async () => {
  const cjs = require.resolve("@aws/durable-execution-sdk-js");
  const source = readFileSync(join(dirname(dirname(cjs)), "dist", "index.mjs"), "utf8");
  for (const name of OFFICIAL_INTERNALS) {
    assert.match(source, new RegExp(`(function|const|class) ${name}\\b`), `official 2.4.0 has no internal ${name}`);
  }
  const file = join(scratch, "official-internals.mjs");
  writeFileSync(file, `${source}\nexport { ${OFFICIAL_INTERNALS.join(", ")} };\n`);
  return import(pathToFileURL(file).href);
})();

const mine = await (async () => {
  const esbuild = require("esbuild");
  const modules = ["duration", "enums", "errors", "serdes", "retry", "wait-strategy", "logger"];
  const { outputFiles } = esbuild.buildSync({
    stdin: {
      contents: modules.map((m) => `export * from "./js/durable/${m}";`).join("\n"),
      resolveDir: root,
      loader: "ts",
      sourcefile: "durable-internals.ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  const file = join(scratch, "durable-internals.mjs");
  writeFileSync(file, outputFiles[0].text);
  return import(pathToFileURL(file).href);
})();

/** Runs `fn` with Math.random returning `values` in turn (cycling). */
function withRandom(values, fn) {
  const saved = Math.random;
  let i = 0;
  Math.random = () => values[i++ % values.length];
  try {
    return fn();
  } finally {
    Math.random = saved;
  }
}

/** `fn()`'s value, or what it threw, as a comparable record. */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { threw: e?.constructor?.name, message: e?.message };
  }
}

// ---------------------------------------------------------------------------------------
// exports and enums

const ENUMS = ["OperationType", "OperationStatus", "OperationAction", "InvocationStatus", "OperationSubType", "StepSemantics", "JitterStrategy"];
const MAP_PARALLEL_ENUMS = ["NestingType", "BatchItemStatus", "CompletionOutcome"];
// Official runtime exports deliberately not provided by js/durable/units (see its header).
const SKIPPED = [
  "AttemptEndInfoOutcome",
  "DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION",
  "PluginInvocationStatus",
  "PluginOperationStatus",
  "PluginLoadError",
  "createFileSystemSerdes",
  "FileSystemSerdesMode",
  "FileSystemPathEncoding",
  "FieldMatchMode",
  "PreviewMode",
  "buildPreview",
  "DurableExecutionApiClient",
  "DurableExecutionClientError",
  "DurableExecutionClientErrorScope",
  "isDurableExecutionClientError",
  "DurableExecutionInvocationInputWithClient",
  "SDK_VERSION",
];
// Provided by the runtime modules, not by js/durable/units.
const RUNTIME = ["withDurableExecution", "DurablePromise"];
const INTERNAL = [
  "durationToSeconds",
  "errorObjectFrom",
  "serializeWith",
  "deserializeWith",
  "createPassThroughSerdes",
  "createContextLogger",
  "createDefaultLogger",
  "trace",
  "applyJitter",
  "finalDelaySeconds",
  "SerdesFailedError",
  "NonDeterministicExecutionError",
  "UnrecoverableError",
  "isUnrecoverableError",
  "isUnrecoverableInvocationError",
  "isUnrecoverableExecutionError",
  "DurableLogLevel",
];

test("every official runtime export is in the package, or one we list as skipped or left to the runtime", () => {
  const officialNames = Object.keys(official);
  for (const name of [...SKIPPED, ...RUNTIME]) assert.ok(officialNames.includes(name), `${name} is not an official export`);
  for (const name of officialNames) {
    if (SKIPPED.includes(name) || RUNTIME.includes(name)) continue;
    assert.ok(name in ours, `missing export ${name}`);
    assert.equal(typeof ours[name], typeof official[name], name);
  }
});

test("the package does not export the internal helpers", () => {
  for (const name of INTERNAL) assert.ok(!(name in ours), `${name} leaked into the package exports`);
  for (const name of INTERNAL.filter((n) => !n.startsWith("isUnrecoverableExecution") && n !== "UnrecoverableError")) {
    assert.ok(name in mine, `${name} missing from the modules`);
  }
});

test("enums have exactly the official keys and values", () => {
  for (const name of ENUMS) assert.deepEqual({ ...ours[name] }, { ...official[name] }, name);
  for (const name of MAP_PARALLEL_ENUMS) assert.deepEqual({ ...ours[name] }, { ...official[name] }, name);
});

// ---------------------------------------------------------------------------------------
// durations

test("durationToSeconds computes what the official one does", () => {
  const cases = [
    { seconds: 0 },
    { seconds: 5 },
    { minutes: 2 },
    { hours: 1, minutes: 30 },
    { days: 1, hours: 2, minutes: 3, seconds: 4 },
    { days: 3, seconds: 1 },
    { seconds: 1.5 },
    { days: 0.1 },
    { days: 0.7, hours: 0.3, minutes: 0.1, seconds: 0.2 },
    { hours: 1e6 },
    { seconds: 5, milliseconds: 9 },
    { minutes: 1, seconds: undefined },
  ];
  for (const d of cases) assert.equal(mine.durationToSeconds(d), off.durationToSeconds(d), JSON.stringify(d));
});

test("durationToSeconds rejects bad input with a TypeError naming the field", () => {
  const bad = [
    [null, /^wait duration must be a Duration object .*got null$/],
    [undefined, /^wait duration must be a Duration object .*got undefined$/],
    [5, /got 5$/],
    ["5s", /got "5s"$/],
    [[1], /got an array$/],
    [{}, /^wait duration must give at least one of days, hours, minutes or seconds$/],
    [{ seconds: -1 }, /^wait duration\.seconds must be a finite, non-negative number, got -1$/],
    [{ minutes: NaN }, /^wait duration\.minutes must be .*got NaN$/],
    [{ hours: Infinity }, /^wait duration\.hours must be .*got Infinity$/],
    [{ days: "1" }, /^wait duration\.days must be .*got "1"$/],
    [{ seconds: null }, /^wait duration\.seconds must be .*got null$/],
    [{ minutes: 1, seconds: -0.5 }, /^wait duration\.seconds .*got -0\.5$/],
  ];
  for (const [d, message] of bad) {
    assert.throws(() => mine.durationToSeconds(d, "wait duration"), (e) => e instanceof TypeError && message.test(e.message), String(d));
  }
  assert.throws(() => mine.durationToSeconds({ seconds: -1 }), { name: "TypeError", message: /^duration\.seconds / }, "default field name");
  // At least as strict as the official: everything it rejects, we reject too (it accepts
  // most of the list above and computes negative or NaN seconds from them).
  for (const [d] of bad) {
    if (outcome(() => off.durationToSeconds(d)).threw) assert.throws(() => mine.durationToSeconds(d));
  }
  assert.equal(off.durationToSeconds({ seconds: -1 }), -1);
});

// ---------------------------------------------------------------------------------------
// errors

const ERROR_CASES = [
  ["Error", () => new Error("boom")],
  ["TypeError", () => new TypeError("bad type")],
  ["Error without message", () => new Error()],
  ["AggregateError", () => new AggregateError([new Error("a")], "several")],
  [
    "subclass with its own name",
    () => {
      class PaymentDeclined extends Error {
        constructor() {
          super("card declined");
          this.name = "PaymentDeclined";
        }
      }
      return new PaymentDeclined();
    },
  ],
  ["error with extra fields", () => Object.assign(new Error("with code"), { code: "E42", errorData: "ignored" })],
  ["error-like object", () => ({ name: "Weird", message: "like an error", stack: "x" })],
  ["object with a non-string message", () => ({ name: "N", message: 42 })],
  ["object with only a message", () => ({ message: "half" })],
  ["string", () => "just a string"],
  ["number", () => 7],
  ["null", () => null],
  ["undefined", () => undefined],
  ["StepError with cause and data", (lib) => new lib.StepError("step failed", new Error("root"), "step-data")],
  ["StepError with defaults", (lib) => new lib.StepError()],
  ["ChildContextError over a StepError with data", (lib) => new lib.ChildContextError("child failed", new lib.StepError("inner", undefined, "inner-data"))],
  ["ChildContextError with its own data", (lib) => new lib.ChildContextError("child", new lib.StepError("inner", undefined, "inner"), "outer")],
  ["data behind a plain Error in the chain", (lib) => new lib.ChildContextError("c", Object.assign(new Error("plain"), { cause: new lib.StepError("s", undefined, "deep") }))],
  ["data 10 links down", (lib) => chain(lib, 10)],
  ["data 11 links down", (lib) => chain(lib, 11)],
  ["cause that is not an Error", (lib) => new lib.ChildContextError("c", "a string cause")],
  ["CallbackError", (lib) => new lib.CallbackError()],
  ["CallbackExternalError", (lib) => new lib.CallbackExternalError(undefined, undefined, "ext")],
  ["CallbackTimeoutError", (lib) => new lib.CallbackTimeoutError()],
  ["CallbackSubmitterError", (lib) => new lib.CallbackSubmitterError("submit")],
  ["InvokeError", (lib) => new lib.InvokeError()],
  ["WaitForConditionError", (lib) => new lib.WaitForConditionError()],
  ["PromiseCombinatorError", (lib) => new lib.PromiseCombinatorError()],
  ["BatchCompletionError", (lib) => new lib.BatchCompletionError("CUSTOM_COMPLETION_FAILED")],
  ["BatchCompletionError with message", (lib) => new lib.BatchCompletionError("CUSTOM_COMPLETION_FAILED", "quorum", undefined, "q")],
  [
    "user subclass of StepError",
    (lib) => {
      class Overdrawn extends lib.StepError {}
      return new Overdrawn("overdrawn", undefined, "acct");
    },
  ],
  ["StepInterruptedError", (lib) => new lib.StepInterruptedError("1", "charge")],
  ["NonDeterministicExecutionError", (lib) => new lib.NonDeterministicExecutionError("type mismatch at 2")],
  ["SerdesFailedError", (lib) => new lib.SerdesFailedError("no JSON", new Error("cycle"))],
];

/** A ChildContextError `depth` links above a StepError carrying data. */
function chain(lib, depth) {
  let e = new lib.StepError("bottom", undefined, "bottom-data");
  for (let i = 0; i < depth - 1; i++) e = new lib.ChildContextError(`level ${i}`, e);
  return new lib.ChildContextError("top", e);
}

test("errorObjectFrom writes what the official createErrorObjectFromError writes, key order included", () => {
  for (const [label, make] of ERROR_CASES) {
    for (const data of [undefined, "payload-data"]) {
      const a = mine.errorObjectFrom(make(mine), data);
      const b = off.createErrorObjectFromError(make(off), data);
      assert.deepEqual(a, b, `${label} / ${data}`);
      assert.deepEqual(Object.keys(a), Object.keys(b), `${label}: keys`);
      assert.equal(JSON.stringify(a), JSON.stringify(b), `${label}: wire`);
    }
  }
});

/** The observable shape of a revived error. */
function shape(lib, e) {
  return {
    ctor: e.constructor.name,
    name: e.name,
    message: e.message,
    errorType: e.errorType,
    errorData: e.errorData,
    keys: Object.keys(e),
    causeName: e.cause?.name,
    causeMessage: e.cause?.message,
    causeStack: e.cause?.stack,
    durable: e instanceof lib.DurableOperationError,
    step: e instanceof lib.StepError,
    callback: e instanceof lib.CallbackError,
    wire: JSON.stringify(e.toErrorObject()),
  };
}

test("fromErrorObject revives the official class for each ErrorType (unknown ones as StepError)", () => {
  const types = [
    "StepError",
    "CallbackError",
    "CallbackExternalError",
    "CallbackTimeoutError",
    "CallbackSubmitterError",
    "InvokeError",
    "ChildContextError",
    "WaitForConditionError",
    "PromiseCombinatorError",
    "BatchCompletionError",
    "Error",
    "TypeError",
    "constructor",
    "",
    undefined,
  ];
  for (const ErrorType of types) {
    for (const rest of [
      {},
      { ErrorMessage: "it broke" },
      { ErrorMessage: "", ErrorData: "d", StackTrace: ["at a", "at b"] },
      { ErrorMessage: "m", ErrorData: "", StackTrace: [] },
    ]) {
      const wire = { ErrorType, ...rest };
      const a = shape(ours, ours.DurableOperationError.fromErrorObject(wire));
      const b = shape(official, official.DurableOperationError.fromErrorObject(wire));
      assert.deepEqual(a, b, JSON.stringify(wire));
    }
  }
  // The quirk, spelled out: a recorded BatchCompletionError comes back as a StepError.
  const revived = ours.DurableOperationError.fromErrorObject({ ErrorType: "BatchCompletionError", ErrorMessage: "q" });
  assert.equal(revived.constructor, ours.StepError);
  assert.equal(revived.errorType, "StepError");
});

test("error classes: names, default messages, own properties as the official ones", () => {
  let compared = 0;
  for (const [label, make] of ERROR_CASES) {
    // Only the cases built from the package's public classes.
    const a = outcome(() => make(ours)).value;
    if (!(a instanceof ours.DurableOperationError || a instanceof ours.StepInterruptedError)) continue;
    const b = make(official);
    compared++;
    assert.equal(a.name, b.name, label);
    assert.equal(a.message, b.message, label);
    assert.equal(a.constructor.name, b.constructor.name, label);
    assert.deepEqual(Object.keys(a), Object.keys(b), label);
    assert.equal(a.errorType, b.errorType, label);
    assert.equal(a.completionReason, b.completionReason, label);
    assert.deepEqual(a.toErrorObject?.(), b.toErrorObject?.(), label);
  }
  assert.equal(compared, 19);
  for (const sub of ["CallbackExternalError", "CallbackTimeoutError", "CallbackSubmitterError"]) {
    assert.ok(new ours[sub]() instanceof ours.CallbackError, sub);
  }
});

test("error class names survive minification (a user's bundler renaming our classes)", async () => {
  const esbuild = require("esbuild");
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [join(root, "js", "durable", "errors.ts")],
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const file = join(scratch, "errors-minified.mjs");
  writeFileSync(file, outputFiles[0].text);
  const minified = await import(pathToFileURL(file).href);
  for (const [label, make] of ERROR_CASES) {
    const a = outcome(() => make(minified)).value;
    if (!(a instanceof minified.DurableOperationError || a instanceof minified.StepInterruptedError)) continue;
    const b = make(official);
    assert.equal(a.name, b.name, label);
    assert.equal(a.constructor.name, b.constructor.name, label);
  }
  assert.equal(new minified.SerdesFailedError().name, "SerdesFailedError");
  assert.deepEqual(minified.errorObjectFrom(new minified.StepInterruptedError("1")), off.createErrorObjectFromError(new off.StepInterruptedError("1")));
});

test("unrecoverable errors: messages, names, stacks and guards as the official ones", () => {
  const pairs = [
    [new mine.SerdesFailedError("bad", new Error("inner")), new off.SerdesFailedError("bad", new Error("inner"))],
    [new mine.SerdesFailedError(), new off.SerdesFailedError()],
    [new mine.NonDeterministicExecutionError("name mismatch"), new off.NonDeterministicExecutionError("name mismatch")],
  ];
  for (const [a, b] of pairs) {
    assert.equal(a.name, b.name);
    assert.equal(a.message, b.message);
    assert.equal(a.terminationReason, b.terminationReason);
    assert.equal(a.stack.includes("\nCaused by: Error: inner"), b.stack.includes("\nCaused by: Error: inner"));
    for (const x of [a, b]) {
      assert.equal(mine.isUnrecoverableError(x), off.isUnrecoverableError(x));
      assert.equal(mine.isUnrecoverableInvocationError(x), off.isUnrecoverableInvocationError(x));
    }
  }
  assert.equal(mine.isUnrecoverableError(pairs[0][1]), true, "recognises the official's by its flag");
  assert.equal(mine.isUnrecoverableExecutionError(pairs[2][0]), true);
  assert.equal(mine.isUnrecoverableExecutionError(pairs[0][0]), false);
  for (const x of [new Error("x"), { isUnrecoverable: true }, null, "s"]) {
    assert.equal(mine.isUnrecoverableError(x), off.isUnrecoverableError(x));
  }
});

// ---------------------------------------------------------------------------------------
// serdes

const SERDES_CTX = { entityId: "c4ca4238a0b92382", durableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f/durable-execution/e/1" };

test("defaultSerdes writes and reads the payloads the official one does", async () => {
  const values = [undefined, null, 0, -0, 1.5, NaN, Infinity, "", "s", true, [], [1, "a", null, undefined], { a: 1, b: { c: [2] } }, { u: undefined }, new Date(0), () => 1, Symbol("s")];
  for (const v of values) {
    assert.deepEqual(await ours.defaultSerdes.serialize(v, SERDES_CTX), await official.defaultSerdes.serialize(v, SERDES_CTX), String(v));
  }
  await assert.rejects(ours.defaultSerdes.serialize(10n, SERDES_CTX), TypeError);
  await assert.rejects(official.defaultSerdes.serialize(10n, SERDES_CTX), TypeError);
  for (const d of [undefined, "null", "0", '"s"', '{"a":1}', "[1,2]", null]) {
    assert.deepEqual(await ours.defaultSerdes.deserialize(d, SERDES_CTX), await official.defaultSerdes.deserialize(d, SERDES_CTX), String(d));
  }
  for (const d of ["", "{bad"]) {
    await assert.rejects(ours.defaultSerdes.deserialize(d, SERDES_CTX), SyntaxError);
    await assert.rejects(official.defaultSerdes.deserialize(d, SERDES_CTX), SyntaxError);
  }
});

class Point {
  x = 0;
  y = 0;
  label = "origin";
  norm() {
    return Math.hypot(this.x, this.y);
  }
}
class Article {
  title = "";
  createdAt = new Date(0);
  meta = { publishedAt: new Date(0) };
}

test("createClassSerdes and createClassSerdesWithDates behave as the official ones", async () => {
  const a = ours.createClassSerdes(Point);
  const b = official.createClassSerdes(Point);
  const p = Object.assign(new Point(), { x: 3, y: 4 });
  assert.equal(await a.serialize(p, SERDES_CTX), await b.serialize(p, SERDES_CTX));
  assert.equal(await a.serialize(undefined, SERDES_CTX), await b.serialize(undefined, SERDES_CTX));
  const [ra, rb] = [await a.deserialize('{"x":3,"y":4,"z":1}', SERDES_CTX), await b.deserialize('{"x":3,"y":4,"z":1}', SERDES_CTX)];
  assert.ok(ra instanceof Point);
  assert.equal(ra.norm(), 5);
  assert.deepEqual({ ...ra }, { ...rb });
  assert.equal(await a.deserialize(undefined, SERDES_CTX), undefined);

  const paths = ["createdAt", "meta.publishedAt", "meta.absent", "title"];
  const da = ours.createClassSerdesWithDates(Article, paths);
  const db = official.createClassSerdesWithDates(Article, paths);
  const json = JSON.stringify({ title: "", createdAt: "2025-01-02T03:04:05.000Z", meta: { publishedAt: 86400000 } });
  const [xa, xb] = [await da.deserialize(json, SERDES_CTX), await db.deserialize(json, SERDES_CTX)];
  assert.ok(xa instanceof Article);
  for (const x of [xa, xb]) {
    assert.ok(x.createdAt instanceof Date && x.meta.publishedAt instanceof Date);
  }
  assert.equal(xa.createdAt.getTime(), xb.createdAt.getTime());
  assert.equal(xa.meta.publishedAt.getTime(), xb.meta.publishedAt.getTime());
  assert.equal(xa.title, xb.title, "a falsy value is left alone by both");
  assert.equal(await da.serialize(xa, SERDES_CTX), await db.serialize(xb, SERDES_CTX));

  // Deliberate difference: a path through a missing object is skipped here; the official
  // converts the same-named property of the last object it reached (here the root).
  const skip = JSON.stringify({ createdAt: "2025-01-02T03:04:05.000Z" });
  const ya = await ours.createClassSerdesWithDates(Article, ["missing.createdAt"]).deserialize(skip, SERDES_CTX);
  const yb = await official.createClassSerdesWithDates(Article, ["missing.createdAt"]).deserialize(skip, SERDES_CTX);
  assert.equal(ya.createdAt, "2025-01-02T03:04:05.000Z");
  assert.ok(yb.createdAt instanceof Date);
});

test("serializeWith/deserializeWith pass values through and turn failures into the official SerdesFailedError", async () => {
  const seen = [];
  const recording = {
    serialize: async (v, ctx) => (seen.push(ctx), `<${v}>`),
    deserialize: async (d, ctx) => (seen.push(ctx), d?.slice(1, -1)),
  };
  assert.equal(await mine.serializeWith(recording, "v", SERDES_CTX, "n"), "<v>");
  assert.equal(await mine.deserializeWith(recording, "<v>", SERDES_CTX, "n"), "v");
  const official0 = seen.length;
  const terminations = [];
  const tm = { terminate: (d) => terminations.push(d) };
  assert.equal(await off.safeSerialize(recording, "v", SERDES_CTX.entityId, "n", tm, SERDES_CTX.durableExecutionArn), "<v>");
  assert.deepEqual(seen.slice(official0), [SERDES_CTX], "the official hands the serdes the same context");
  assert.deepEqual(seen[0], SERDES_CTX);

  const failing = (thrown) => ({
    serialize: async () => {
      throw thrown;
    },
    deserialize: async () => {
      throw thrown;
    },
  });
  for (const thrown of [new Error("cyclic value"), new TypeError("no"), "a string", undefined]) {
    for (const name of ["charge", undefined]) {
      for (const [ourFn, theirFn] of [
        [mine.serializeWith, off.safeSerialize],
        [mine.deserializeWith, off.safeDeserialize],
      ]) {
        terminations.length = 0;
        void theirFn(failing(thrown), "v", SERDES_CTX.entityId, name, tm, SERDES_CTX.durableExecutionArn);
        await new Promise((r) => setImmediate(r));
        assert.equal(terminations.length, 1);
        assert.equal(terminations[0].reason, "SERDES_FAILED");
        // What the official invocation finally throws: new SerdesFailedError(message).
        const expected = new off.SerdesFailedError(terminations[0].message);
        await assert.rejects(ourFn(failing(thrown), "v", SERDES_CTX, name), (e) => {
          assert.ok(e instanceof mine.SerdesFailedError);
          assert.equal(e.message, expected.message);
          assert.equal(e.name, expected.name);
          assert.equal(e.terminationReason, expected.terminationReason);
          assert.equal(mine.isUnrecoverableInvocationError(e), true);
          assert.equal(e.originalError, thrown instanceof Error ? thrown : undefined);
          return true;
        });
      }
    }
  }
});

// ---------------------------------------------------------------------------------------
// retry strategies

const RANDOMS = [0, 0.1, 0.25, 0.5, 0.7311, 0.999];
class TimeoutError extends TypeError {}
const RETRY_ERRORS = [
  new Error("request timeout"),
  new TypeError("bad input"),
  new RangeError("out of range"),
  new TimeoutError("timed out, a subclass"),
  new Error("network down"),
  new Error(""),
];

/** Asserts two strategies decide alike for every error, attempt and random draw. */
function sameDecisions(a, b, label, attempts = 9) {
  for (const error of RETRY_ERRORS) {
    for (let n = 1; n <= attempts; n++) {
      for (const r of RANDOMS) {
        const x = withRandom([r], () => outcome(() => a(error, n)));
        const y = withRandom([r], () => outcome(() => b(error, n)));
        assert.deepEqual(x, y, `${label}: ${error.name}(${error.message}) attempt ${n} random ${r}`);
      }
    }
  }
}

test("createRetryStrategy decides as the official one", () => {
  const configs = [
    () => undefined,
    () => ({}),
    () => ({ maxAttempts: 5, initialDelay: { seconds: 2 }, backoffRate: 3, maxDelay: { seconds: 30 }, jitter: "NONE" }),
    () => ({ jitter: "HALF", initialDelay: { seconds: 0.4 } }),
    () => ({ maxAttempts: 8, initialDelay: { minutes: 1 }, maxDelay: { minutes: 1, seconds: 30 }, backoffRate: 1.5, jitter: "FULL" }),
    () => ({ initialDelay: { days: 0.0001 }, backoffRate: 1.1, jitter: "NONE", maxAttempts: 9 }),
    () => ({ maxAttempts: Infinity, maxDelay: { hours: 1 } }),
    () => ({ retryableErrors: ["timeout"] }),
    () => ({ retryableErrors: [/NETWORK/i, "range"] }),
    () => ({ retryableErrors: [/o/g] }),
    () => ({ retryableErrorTypes: [TypeError] }),
    () => ({ retryableErrors: ["timeout"], retryableErrorTypes: [RangeError] }),
    () => ({ retryableErrors: [] }),
    () => ({ jitter: "BOGUS" }),
  ];
  for (const config of configs) {
    sameDecisions(ours.createRetryStrategy(config()), official.createRetryStrategy(config()), JSON.stringify(config() ?? "none"));
  }
});

test("createLinearRetryStrategy decides as the official one", () => {
  const configs = [
    () => undefined,
    () => ({}),
    () => ({ maxAttempts: 4, initialDelay: { seconds: 3 }, increment: { seconds: 2 }, maxDelay: { seconds: 6 }, jitter: "NONE" }),
    () => ({ jitter: "HALF", increment: { minutes: 1 } }),
    () => ({ maxAttempts: 9, initialDelay: { seconds: 0.2 }, increment: { seconds: 0.3 }, jitter: "FULL" }),
    () => ({ retryableErrorTypes: [RangeError, TypeError] }),
  ];
  for (const config of configs) {
    sameDecisions(ours.createLinearRetryStrategy(config()), official.createLinearRetryStrategy(config()), JSON.stringify(config() ?? "none"));
  }
});

test("retryPresets decide as the official ones", () => {
  assert.deepEqual(Object.keys(ours.retryPresets), Object.keys(official.retryPresets));
  for (const key of Object.keys(official.retryPresets)) sameDecisions(ours.retryPresets[key], official.retryPresets[key], key);
  // The default preset spelled out: 6 attempts; 5 s doubling, capped at 60 s; full jitter; >= 1 s.
  const d = (n, r) => withRandom([r], () => ours.retryPresets.default(new Error("x"), n));
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => d(n, 0.999).delay.seconds), [5, 10, 20, 40, 60]);
  assert.deepEqual(d(1, 0), { shouldRetry: true, delay: { seconds: 1 } });
  assert.deepEqual(d(6, 0.5), { shouldRetry: false });
});

test("retry strategies reject bad configuration up front, naming the option", () => {
  const bad = [
    [() => ours.createRetryStrategy({ initialDelay: { seconds: -1 } }), /^createRetryStrategy: initialDelay\.seconds must be/],
    [() => ours.createRetryStrategy({ maxDelay: null }), /^createRetryStrategy: maxDelay must be a Duration/],
    [() => ours.createRetryStrategy({ maxAttempts: NaN }), /^createRetryStrategy: maxAttempts must be a number/],
    [() => ours.createRetryStrategy({ backoffRate: "2" }), /^createRetryStrategy: backoffRate must be a number/],
    [() => ours.createLinearRetryStrategy({ increment: { minutes: "1" } }), /^createLinearRetryStrategy: increment\.minutes must be/],
    [() => ours.createLinearRetryStrategy({ initialDelay: 5 }), /^createLinearRetryStrategy: initialDelay must be a Duration/],
  ];
  for (const [fn, message] of bad) assert.throws(fn, (e) => e instanceof TypeError && message.test(e.message));
});

test("an option given as undefined takes its default (the official lets undefined override it)", () => {
  const e = new Error("x");
  const s = ours.createRetryStrategy({ maxAttempts: undefined, jitter: undefined, initialDelay: undefined });
  assert.deepEqual(withRandom([0.5], () => s(e, 2)), withRandom([0.5], () => ours.createRetryStrategy()(e, 2)));
  assert.deepEqual(s(e, 3), { shouldRetry: false });
  // The official: maxAttempts undefined never stops.
  assert.equal(official.createRetryStrategy({ maxAttempts: undefined })(e, 50).shouldRetry, true);
});

// ---------------------------------------------------------------------------------------
// wait strategy

test("createWaitStrategy decides (and gives up) as the official one", () => {
  const until = (limit) => (state) => state < limit;
  const configs = [
    () => ({ shouldContinuePolling: until(10) }),
    () => ({ shouldContinuePolling: until(10), maxAttempts: 3, initialDelay: { seconds: 2 }, maxDelay: { seconds: 10 }, backoffRate: 2, jitter: "NONE" }),
    () => ({ shouldContinuePolling: until(10), jitter: "HALF", initialDelay: { seconds: 0.6 }, backoffRate: 1.25, timeoutSeconds: 5 }),
    () => ({ shouldContinuePolling: until(10), maxDelay: { minutes: 1 }, maxAttempts: 70 }),
  ];
  for (const config of configs) {
    const [a, b] = [ours.createWaitStrategy(config()), official.createWaitStrategy(config())];
    for (const state of [0, 9, 10, 20]) {
      for (const n of [1, 2, 3, 4, 10, 30, 59, 60, 61, 70]) {
        for (const r of RANDOMS) {
          const x = withRandom([r], () => outcome(() => a(state, n)));
          const y = withRandom([r], () => outcome(() => b(state, n)));
          assert.deepEqual(x, y, `state ${state} attempt ${n} random ${r}`);
        }
      }
    }
  }
  assert.throws(() => ours.createWaitStrategy({ shouldContinuePolling: () => true })(0, 60), {
    message: "waitForCondition exceeded maximum attempts (60)",
  });
});

test("createWaitStrategy rejects bad configuration up front, naming the option", () => {
  const bad = [
    [{}, /^createWaitStrategy: shouldContinuePolling must be a function$/],
    [{ shouldContinuePolling: () => true, maxDelay: { seconds: -5 } }, /^createWaitStrategy: maxDelay\.seconds must be/],
    [{ shouldContinuePolling: () => true, initialDelay: null }, /^createWaitStrategy: initialDelay must be a Duration/],
    [{ shouldContinuePolling: () => true, backoffRate: NaN }, /^createWaitStrategy: backoffRate must be a number/],
  ];
  for (const [config, message] of bad) assert.throws(() => ours.createWaitStrategy(config), { name: "TypeError", message });
});

// ---------------------------------------------------------------------------------------
// withRetry

/** A context that records the durable calls withRetry makes, and runs child contexts inline. */
function recordingContext(log) {
  const ctx = {
    wait: (...args) => (log.push(["wait", ...args]), Promise.resolve()),
    runInChildContext: (...args) => {
      const fn = typeof args[0] === "function" ? args[0] : args[1];
      log.push(["child", typeof args[0] === "function" ? "<anonymous>" : args[0], args[args.length - 1]]);
      return fn(ctx).then((v) => (log.push(["child-done", v]), v));
    },
  };
  return ctx;
}

async function runWithRetry(lib, args) {
  const log = [];
  const ctx = recordingContext(log);
  const failures = args.failures;
  const func = async (c, attempt) => {
    log.push(["attempt", attempt, c === ctx]);
    if (attempt <= failures) throw new Error(`fail ${attempt}`);
    return `ok after ${attempt}`;
  };
  const call = args.name === null ? lib.withRetry(ctx, func, args.config) : lib.withRetry(ctx, args.name, func, args.config);
  const result = await call.then(
    (value) => ({ value }),
    (e) => ({ error: e.constructor.name, message: e.message }),
  );
  return { log, result };
}

test("withRetry makes the same durable calls as the official one", async () => {
  const linear = (e, n) => ({ shouldRetry: n < 4, delay: { seconds: n * 2 } });
  const scenarios = [
    { name: "pay", failures: 2, config: { retryStrategy: linear } },
    { name: null, failures: 2, config: { retryStrategy: () => ({ shouldRetry: true }) } },
    { name: "pay", failures: 1, config: { retryStrategy: linear, wrapWithRunInChildContext: false } },
    { name: null, failures: 9, config: { retryStrategy: linear, wrapWithRunInChildContext: false } },
    { name: "pay", failures: 9, config: { retryStrategy: linear, childContextConfig: { subType: "Retry" } } },
    { name: "", failures: 1, config: { retryStrategy: linear } },
    { name: "pay", failures: 0, config: undefined },
    { name: null, failures: 0, config: undefined },
  ];
  for (const s of scenarios) {
    assert.deepEqual(await runWithRetry(ours, s), await runWithRetry(official, s), JSON.stringify(s));
  }
  const { result } = await runWithRetry(ours, scenarios[6]);
  assert.deepEqual(result, { error: "TypeError", message: "withRetry: config is required" });
});

// ---------------------------------------------------------------------------------------
// loggers

/** Runs `fn` with stdout and stderr captured; returns the lines, timestamps masked. */
function captureOutput(fn) {
  const lines = [];
  const saved = [process.stdout.write, process.stderr.write];
  const grab = (stream) => (chunk) => {
    for (const line of String(chunk).split("\n").filter(Boolean)) {
      const stamp = /"timestamp":"([^"]*)"/.exec(line)?.[1];
      if (stamp !== undefined) assert.equal(new Date(stamp).toISOString(), stamp, "ISO timestamp");
      lines.push(`${stream} ${line.replace(/"timestamp":"[^"]*"/, '"timestamp":"<t>"')}`);
    }
    return true;
  };
  process.stdout.write = grab("out");
  process.stderr.write = grab("err");
  try {
    fn();
  } finally {
    [process.stdout.write, process.stderr.write] = saved;
  }
  return lines;
}

const INVOCATION = { requestId: "req-1", durableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f/durable-execution/e/1", tenantId: undefined };
const circular = { name: "loop" };
circular.self = circular;
const sharedError = new Error("boom");
const taggedError = Object.assign(new TypeError("tagged"), { code: "E1" });

/** The same calls against a logger; `lib` supplies library-specific errors. */
function exercise(logger, lib) {
  logger.info("plain message");
  logger.info({ userId: "u1", nested: { a: [1, 2] } });
  logger.info("with data", { b: 2 }, [3]);
  logger.info("a wide object stays on one line", { items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item-${i}` })) });
  logger.error("failed", sharedError, { retry: 1 });
  logger.error(sharedError);
  logger.warn(taggedError);
  logger.warn(new lib.StepError("step broke", sharedError, "d"));
  logger.debug();
  logger.info(undefined, "after undefined");
  logger.info(circular);
  logger.info(10n);
  logger.info("%s and %d", "format", 42);
  logger.log("WARN", "via log", 1);
  logger.log("DEBUG", "debug via log");
  logger.log("BOGUS", "unknown level");
}

test("the default logger writes the official default logger's lines", () => {
  const contexts = [
    () => undefined,
    () => ({ getDurableLogData: () => ({ requestId: "req-2", executionArn: "arn:x", tenantId: "t-9", operationId: "op-1", operationName: "charge", attempt: 2, ignored: true }) }),
    () => ({ getDurableLogData: () => ({ requestId: "req-3", executionArn: "arn:y", tenantId: null, operationId: undefined }) }),
  ];
  const enrichments = [undefined, () => ({ traceId: "t-1", level: "overridden?" }), () => { throw new Error("plugin broke"); }];
  for (const level of [undefined, "warn", "ERROR", "info", "nonsense"]) {
    const savedLevel = process.env.AWS_LAMBDA_LOG_LEVEL;
    if (level === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
    else process.env.AWS_LAMBDA_LOG_LEVEL = level;
    try {
      for (const context of contexts) {
        for (const enrich of enrichments) {
          const a = mine.createDefaultLogger({ ...INVOCATION, tenantId: "tenant-a" }, enrich);
          const b = off.createDefaultLogger({ ...INVOCATION, tenantId: "tenant-a" }, enrich);
          if (context()) {
            a.configureDurableLoggingContext(context());
            b.configureDurableLoggingContext(context());
          }
          // From one call site, so that the stack traces logged are the same.
          const [linesA, linesB] = [[a, mine], [b, off]].map(([logger, lib]) => captureOutput(() => exercise(logger, lib)));
          assert.deepEqual(linesA, linesB, `level ${level}`);
          if (level === undefined) assert.equal(linesA.length, 16, "everything is logged without a level");
        }
      }
    } finally {
      if (savedLevel === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
      else process.env.AWS_LAMBDA_LOG_LEVEL = savedLevel;
    }
  }
  // Without an invocation or a configured context, logging throws the same error.
  const [x, y] = [outcome(() => mine.createDefaultLogger().info("x")), outcome(() => off.createDefaultLogger().info("x"))];
  assert.ok(x.threw);
  assert.deepEqual(x, y);
});

/** A fake base logger recording what reaches it. */
function fakeLogger(records, tag, { withLog = true } = {}) {
  const logger = {
    contexts: [],
    info: (...a) => (records.push([tag, "info", ...a]), `${tag}:info`),
    warn: (...a) => (records.push([tag, "warn", ...a]), `${tag}:warn`),
    error: (...a) => (records.push([tag, "error", ...a]), `${tag}:error`),
    debug: (...a) => (records.push([tag, "debug", ...a]), `${tag}:debug`),
    configureDurableLoggingContext: (c) => logger.contexts.push(c),
  };
  if (withLog) logger.log = (level, ...a) => (records.push([tag, `log:${level}`, ...a]), `${tag}:log`);
  return logger;
}

test("the context logger drops records only while replaying with mode-aware logging on", () => {
  const records = [];
  const state = { replaying: false, modeAware: true };
  const base = fakeLogger(records, "A");
  const logger = mine.createContextLogger({
    base: () => base,
    enrich: () => ({ requestId: "r", executionArn: "arn", operationId: state.replaying ? "replayed" : "live" }),
    isReplaying: () => state.replaying,
    modeAware: () => state.modeAware,
  });
  for (const [modeAware, replaying, written] of [
    [true, false, true],
    [true, true, false],
    [false, true, true],
    [false, false, true],
  ]) {
    Object.assign(state, { modeAware, replaying });
    records.length = 0;
    const returned = [logger.info("i", 1), logger.warn("w"), logger.error("e"), logger.debug("d"), logger.log("INFO", "l")];
    assert.deepEqual(records.length, written ? 5 : 0, `modeAware ${modeAware} replaying ${replaying}`);
    assert.deepEqual(returned, written ? ["A:info", "A:warn", "A:error", "A:debug", "A:log"] : [undefined, undefined, undefined, undefined, undefined]);
  }
  assert.deepEqual(records.at(0), ["A", "info", "i", 1]);
  assert.deepEqual(records.at(-1), ["A", "log:INFO", "l"]);
  // Configured once, with a context that reads the durable fields at logging time.
  assert.equal(base.contexts.length, 1);
  state.replaying = true;
  assert.equal(base.contexts[0].getDurableLogData().operationId, "replayed");
});

test("the context logger follows a replaced base logger and configures it before its first record", () => {
  const records = [];
  const a = fakeLogger(records, "A");
  const b = fakeLogger(records, "B", { withLog: false });
  let current = a;
  const logger = mine.createContextLogger({
    base: () => current,
    enrich: () => ({ requestId: "r", executionArn: "arn" }),
    isReplaying: () => false,
    modeAware: () => true,
  });
  assert.equal(typeof logger.log, "function");
  logger.info("to A");
  current = b;
  assert.equal(logger.log, undefined, "no log method when the base logger has none");
  assert.equal(b.contexts.length, 0);
  logger.warn("to B");
  logger.info("to B again");
  assert.equal(b.contexts.length, 1);
  assert.equal(a.contexts.length, 1);
  assert.deepEqual(records, [
    ["A", "info", "to A"],
    ["B", "warn", "to B"],
    ["B", "info", "to B again"],
  ]);
});

test("refreshLogConfig re-reads DURABLE_VERBOSE_MODE for the SDK's own trace", () => {
  assert.equal(typeof ours.refreshLogConfig, "function");
  const saved = process.env.DURABLE_VERBOSE_MODE;
  const savedDebug = console.debug;
  const calls = [];
  console.debug = (...a) => calls.push(a);
  let evaluated = 0;
  try {
    process.env.DURABLE_VERBOSE_MODE = "true";
    mine.trace("before refresh", () => ++evaluated);
    mine.refreshLogConfig();
    mine.trace("traced", () => ({ n: ++evaluated }));
    process.env.DURABLE_VERBOSE_MODE = "false";
    mine.refreshLogConfig();
    mine.trace("off again", () => ++evaluated);
  } finally {
    console.debug = savedDebug;
    if (saved === undefined) delete process.env.DURABLE_VERBOSE_MODE;
    else process.env.DURABLE_VERBOSE_MODE = saved;
    mine.refreshLogConfig();
  }
  assert.equal(evaluated, 1, "the data thunk runs only while tracing");
  assert.deepEqual(calls, [["traced", JSON.stringify({ n: 1 }, null, 2)]]);
});
