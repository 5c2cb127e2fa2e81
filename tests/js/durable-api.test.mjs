// The durable API (withDurableExecution / DurableContext) against the official SDK,
// under the official testing library's LocalDurableTestRunner (skipTime: true).
//
// Every scenario is a handler factory `make(sdk, env)` written against the official
// @aws/durable-execution-sdk-js API only; it runs once under the official SDK and once
// under durable-checkpoint. Both runs must end with the scenario's explicit expected
// status / result / error, and with the same recorded operations (Id, ParentId, Name,
// Type, SubType, Status and each operation's result / error; stack traces and
// timestamps left out) and the same observations (`env.seen`: what the step functions,
// serdes, loggers and submitters saw). `env` is fresh per run: it is the "module-level"
// state a handler needs to behave differently from one invocation to the next.
//
// Then a fuzz block (fast-check, ~100 generated executions in all): random step names
// and values, random Durations (valid and invalid), random nestings of child contexts,
// each run under both SDKs and compared.
//
// DURABLE_API_OURS=official puts the official SDK in ours's place (to work on this file
// while durable-checkpoint has no withDurableExecution).
import { test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { OFFICIAL, OURS, WaitingOperationStatus, realClearTimeout, realSetTimeout, runUnder, compare, show, useRunner } from "./durable-runner.mjs";

useRunner();

const opts = { timeout: 60_000 };
function scenario(sc) {
  test(`durable API: ${sc.name}`, opts, async () => {
    assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution (is dist/ built?)");
    await compare(sc);
  });
}

/** A wait longer than the runner's 900 s invocation: the invocation must end and the runner re-invoke. */
const LONG = { minutes: 20 };

class TransientError extends Error {
  constructor(message) {
    super(message);
    this.name = "TransientError";
  }
}

/** A step function that throws for its first `failures` calls, then returns `value`. */
function flaky(env, key, failures, value) {
  return async (stepCtx) => {
    const n = (env[key] = (env[key] ?? 0) + 1);
    env.seen.push({ [key]: n, attempt: stepCtx?.attempt });
    if (n <= failures) throw new TransientError(`${key} failed (call ${n})`);
    return value;
  };
}

/** A logger that records what it is given. */
function recordingLogger(env, tag) {
  const rec = (level) => (...args) => env.seen.push({ log: tag, level, args: args.map((a) => (a instanceof Error ? `Error:${a.message}` : a)) });
  return { info: rec("info"), warn: rec("warn"), error: rec("error"), debug: rec("debug") };
}

// region steps

scenario({
  name: "steps: named and unnamed, objects, undefined, null, strings, arrays",
  payload: { order: "A-1" },
  make: (sdk) =>
    sdk.withDurableExecution(async (event, ctx) => {
      const a = await ctx.step("reserve", async () => ({ order: event.order, items: [1, 2, { x: "y" }] }));
      const b = await ctx.step(async () => undefined);
      const c = await ctx.step("null", async () => null);
      const d = await ctx.step(async () => "plain string ü 🎉");
      const e = await ctx.step("sync fn", () => 42);
      return { a, b: b === undefined ? "undef" : b, c, d, e };
    }),
  expect: {
    status: "SUCCEEDED",
    result: { a: { order: "A-1", items: [1, 2, { x: "y" }] }, b: "undef", c: null, d: "plain string ü 🎉", e: 42 },
  },
});

scenario({
  name: "steps: the result survives a replay (a wait between) and the step does not run again",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const a = await ctx.step("first", async () => {
        env.seen.push("first ran");
        return { at: "first" };
      });
      await ctx.wait("pause", LONG);
      const b = await ctx.step("second", async () => ({ after: a }));
      return { a, b };
    }),
  expect: { status: "SUCCEEDED", result: { a: { at: "first" }, b: { after: { at: "first" } } } },
  check: (r) => assert.ok(r.invocations >= 2, "the wait suspended the invocation"),
});

scenario({
  name: "steps: fails twice then succeeds with createRetryStrategy",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) =>
      ctx.step("charge", flaky(env, "charge", 2, { charged: true }), {
        retryStrategy: sdk.createRetryStrategy({ maxAttempts: 5, initialDelay: { seconds: 1 }, backoffRate: 2, jitter: sdk.JitterStrategy.NONE }),
      }),
    ),
  expect: { status: "SUCCEEDED", result: { charged: true } },
});

scenario({
  name: "steps: fails then succeeds with a custom retry function (sees error and attempt count)",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) =>
      ctx.step("custom", flaky(env, "custom", 1, "done"), {
        retryStrategy: (error, attemptCount) => {
          env.seen.push({ retry: error.message, name: error.name, attemptCount, isError: error instanceof Error });
          return { shouldRetry: attemptCount < 3, delay: LONG };
        },
      }),
    ),
  expect: { status: "SUCCEEDED", result: "done" },
});

scenario({
  name: "steps: the default retry strategy retries a failing step",
  make: (sdk, env) => sdk.withDurableExecution(async (_event, ctx) => ctx.step("default", flaky(env, "default", 2, "recovered"))),
  expect: { status: "SUCCEEDED", result: "recovered" },
});

scenario({
  name: "steps: exhausting retries surfaces a StepError (caught: its shape)",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      try {
        await ctx.step("doomed", flaky(env, "doomed", 99, "never"), {
          retryStrategy: sdk.createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, jitter: sdk.JitterStrategy.NONE }),
        });
        return "unreachable";
      } catch (e) {
        return {
          name: e.name,
          message: e.message,
          isStepError: e instanceof sdk.StepError,
          isDurableOperationError: e instanceof sdk.DurableOperationError,
          errorType: e.errorType,
          cause: e.cause ? { name: e.cause.name, message: e.cause.message } : undefined,
        };
      }
    }),
  expect: {
    status: "SUCCEEDED",
    result: {
      name: "StepError",
      message: "doomed failed (call 3)",
      isStepError: true,
      isDurableOperationError: true,
      errorType: "StepError",
      cause: { name: "TransientError", message: "doomed failed (call 3)" },
    },
  },
});

scenario({
  name: "steps: exhausting retries uncaught fails the execution",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      await ctx.step("boom", flaky(env, "boom", 99, "never"), { retryStrategy: () => ({ shouldRetry: false }) });
      return "unreachable";
    }),
  expect: { status: "FAILED", error: { errorType: "StepError", errorMessage: "boom failed (call 1)" } },
});

scenario({
  name: "steps: a thrown non-Error value",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      try {
        await ctx.step("str", async () => {
          throw "just a string";
        }, { retryStrategy: () => ({ shouldRetry: false }) });
      } catch (e) {
        return { name: e.name, message: e.message };
      }
    }),
  expect: { status: "SUCCEEDED", result: { name: "StepError", message: "Unknown error" } },
});

scenario({
  name: "steps: AtMostOncePerRetry, succeeding and failing with retries",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const once = await ctx.step("once", flaky(env, "once", 0, 1), { semantics: sdk.StepSemantics.AtMostOncePerRetry });
      const again = await ctx.step("again", flaky(env, "again", 1, 2), {
        semantics: sdk.StepSemantics.AtMostOncePerRetry,
        retryStrategy: (_e, n) => ({ shouldRetry: n < 2, delay: { seconds: 1 } }),
      });
      const least = await ctx.step("least", flaky(env, "least", 0, 3), { semantics: sdk.StepSemantics.AtLeastOncePerRetry });
      return once + again + least;
    }),
  expect: { status: "SUCCEEDED", result: 6 },
});

/** A serdes that tags its text, and records what it was asked. */
function taggedSerdes(env, tag) {
  return {
    serialize: async (value, sctx) => {
      env.seen.push({ serialize: tag, value, entityId: sctx.entityId, arn: typeof sctx.durableExecutionArn });
      return value === undefined ? undefined : `${tag}:${JSON.stringify(value)}`;
    },
    deserialize: async (data, sctx) => {
      env.seen.push({ deserialize: tag, data, entityId: sctx.entityId });
      if (data === undefined) return undefined;
      assert.ok(data.startsWith(`${tag}:`), `"${data}" was written by ${tag}`);
      return { ...JSON.parse(data.slice(tag.length + 1)), via: tag };
    },
  };
}

scenario({
  name: "serdes: a step's own serdes and configureSerdes({ defaultSerdes }), across a replay",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const own = await ctx.step("own", async () => ({ v: 1 }), { serdes: taggedSerdes(env, "own") });
      ctx.configureSerdes({ defaultSerdes: taggedSerdes(env, "default") });
      const dflt = await ctx.step("dflt", async () => ({ v: 2 }));
      await ctx.wait(LONG);
      // A child context inherits the configured default serdes.
      const child = await ctx.runInChildContext("kid", async (c) => c.step("inner", async () => ({ v: 3 })));
      return { own, dflt, child };
    }),
  expect: {
    status: "SUCCEEDED",
    result: { own: { v: 1, via: "own" }, dflt: { v: 2, via: "default" }, child: { v: 3, via: "default" } },
  },
});

// region waits

scenario({
  name: "waits: named and unnamed, every Duration form",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      await ctx.wait({ seconds: 1 });
      await ctx.wait("named", { seconds: 3 });
      await ctx.wait("minutes", { minutes: 2, seconds: 5 });
      await ctx.wait({ hours: 1 });
      await ctx.wait("days", { days: 1, hours: 2, minutes: 3, seconds: 4 });
      return "waited";
    }),
  expect: { status: "SUCCEEDED", result: "waited" },
  check: (r) =>
    assert.deepStrictEqual(
      r.operations.map((o) => `${o.name}:${o.wait?.seconds}`).sort(),
      ["days:93784", "minutes:125", "named:3", "undefined:1", "undefined:3600"],
    ),
});

// region child contexts

// A deliberate difference (README "differences", docs/durable.md "Names"): the service
// takes Names of 1-256 characters, so the official SDK's Name "" is refused there; ours
// sends no Name instead. Everything else (status, result, Ids, types) is the same.
test("durable API: an empty name is sent as no name (official sends \"\", which the service refuses)", opts, async () => {
  const sc = {
    make: (sdk) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const a = await ctx.step("", async () => 1);
        await ctx.wait("", { seconds: 1 });
        const b = await ctx.runInChildContext("", async (c) => c.step("", async () => 2));
        return a + b;
      }),
  };
  const official = await runUnder(OFFICIAL, sc);
  const ours = await runUnder(OURS, sc);
  assert.deepStrictEqual({ status: ours.status, result: ours.result }, { status: "SUCCEEDED", result: 3 });
  assert.deepStrictEqual({ status: official.status, result: official.result }, { status: "SUCCEEDED", result: 3 });
  assert.deepStrictEqual(official.operations.map((o) => o.name), ["", "", "", ""]);
  assert.deepStrictEqual(ours.operations.map((o) => o.name), [undefined, undefined, undefined, undefined]);
  const strip = (ops) => ops.map(({ name: _n, ...rest }) => rest);
  assert.deepStrictEqual(strip(ours.operations), strip(official.operations));
});

scenario({
  name: "child contexts: nested, named, unnamed, custom subType",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const a = await ctx.runInChildContext("outer", async (c1) => {
        const x = await c1.step("x", async () => 1);
        const y = await c1.runInChildContext("inner", async (c2) => {
          const z = await c2.step(async () => 2);
          const w = await c2.runInChildContext(async (c3) => c3.step("deep", async () => 3));
          return z + w;
        });
        return { x, y };
      });
      const b = await ctx.runInChildContext("typed", async (c) => c.step("t", async () => "t"), { subType: "MyCustomType" });
      const u = await ctx.runInChildContext(async () => undefined);
      return { a, b, u: u === undefined };
    }),
  expect: { status: "SUCCEEDED", result: { a: { x: 1, y: 5 }, b: "t", u: true } },
});

scenario({
  name: "child contexts: a failing child surfaces ChildContextError; errorMapper maps it",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const out = {};
      try {
        await ctx.runInChildContext("bad", async (c) => {
          await c.step("ok", async () => 1);
          throw new TypeError("child broke");
        });
      } catch (e) {
        out.plain = { name: e.name, message: e.message, isChild: e instanceof sdk.ChildContextError, cause: e.cause?.message };
      }
      try {
        await ctx.runInChildContext("bad step", async (c) => c.step("s", async () => {
          throw new Error("step in child broke");
        }, { retryStrategy: () => ({ shouldRetry: false }) }));
      } catch (e) {
        out.step = { name: e.name, message: e.message, isChild: e instanceof sdk.ChildContextError };
      }
      try {
        await ctx.runInChildContext("mapped", async () => {
          throw new Error("to be mapped");
        }, { errorMapper: (err) => new sdk.StepError(`mapped: ${err.message}`, err) });
      } catch (e) {
        out.mapped = { name: e.name, message: e.message, isStep: e instanceof sdk.StepError };
      }
      return out;
    }),
  expect: {
    status: "SUCCEEDED",
    result: {
      plain: { name: "ChildContextError", message: "child broke", isChild: true, cause: "child broke" },
      step: { name: "ChildContextError", message: "step in child broke", isChild: true },
      mapped: { name: "StepError", message: "mapped: to be mapped", isStep: true },
    },
  },
});

scenario({
  name: "child contexts: an uncaught child failure fails the execution",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      await ctx.runInChildContext("kid", async () => {
        throw new RangeError("out of range");
      });
    }),
  expect: { status: "FAILED", error: { errorType: "ChildContextError", errorMessage: "out of range" } },
});

const HALF = "z".repeat(160 * 1024);
for (const summary of [false, true]) {
  scenario({
    name: `child contexts: a result over 256 KiB is checkpointed ${summary ? "as its summary" : "empty"} (ReplayChildren) and rebuilt on replay`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const big = await ctx.runInChildContext(
          "big",
          async (c) => {
            const a = await c.step("a", async () => HALF);
            const b = await c.step("b", async () => HALF);
            env.seen.push("child body ran");
            return { text: a + b, n: 2 };
          },
          summary ? { summaryGenerator: (r) => `summary: ${r.text.length} chars` } : undefined,
        );
        await ctx.wait(LONG);
        return { length: big.text.length, n: big.n };
      }),
    expect: { status: "SUCCEEDED", result: { length: 2 * HALF.length, n: 2 } },
    check: (r) => {
      assert.ok(r.invocations >= 2, "replayed");
      assert.equal(r.operations.find((o) => o.name === "big")?.context?.result, summary ? `summary: ${2 * HALF.length} chars` : "");
    },
  });
}

// The official SDK checkpoints a step result of any size (the local runner takes it; an
// execution that then suspends hangs under the official SDK), while the service caps an
// update's Payload at 256 KiB. Ours refuses it: the execution must fail, promptly, with an
// error that says why. (Not compared with the official SDK, which is plainly wrong here.)
test("durable API: a step result over 256 KiB fails the execution, naming the limit (ours only)", opts, async () => {
  assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution");
  const r = await runUnder(OURS, {
    make: (sdk) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        const v = await ctx.step("huge", async () => "q".repeat(300 * 1024));
        await ctx.wait(LONG);
        return v.length;
      }),
  });
  assert.equal(r.status, "FAILED", show(r));
  assert.match(r.error?.errorMessage ?? "", /262144|256 ?KiB/, show(r.error));
});

// region callbacks

/** Waits for the callback operation `name` to start and completes it with `how`. */
function completeCallback(name, how, status = WaitingOperationStatus.STARTED) {
  return async (runner) => {
    const op = await runner.getOperation(name).waitForData(status);
    if (how.success !== undefined) await op.sendCallbackSuccess(how.success);
    else await op.sendCallbackFailure(how.failure);
  };
}

scenario({
  name: "createCallback: completed by sendCallbackSuccess",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const [promise, callbackId] = await ctx.createCallback("approval", { timeout: { minutes: 5 } });
      // (Once per invocation, and how many there are depends on timing.)
      if (!(typeof callbackId === "string" && callbackId.length > 0)) env.seen.push({ badCallbackId: callbackId });
      const answer = await promise;
      return { answer };
    }),
  drive: completeCallback("approval", { success: JSON.stringify({ ok: "yes" }) }),
  expect: { status: "SUCCEEDED", result: { answer: JSON.stringify({ ok: "yes" }) } },
});

scenario({
  name: "createCallback: a custom serdes deserializes the result",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const [promise] = await ctx.createCallback("typed", { serdes: { deserialize: async (s) => (s === undefined ? undefined : JSON.parse(s)) } });
      return promise;
    }),
  drive: completeCallback("typed", { success: JSON.stringify({ n: 7 }) }),
  expect: { status: "SUCCEEDED", result: { n: 7 } },
});

scenario({
  name: "createCallback: sendCallbackFailure surfaces a callback error",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const [promise] = await ctx.createCallback("denied");
      try {
        await promise;
        return "unreachable";
      } catch (e) {
        return { name: e.name, message: e.message, isCallback: e instanceof sdk.CallbackError };
      }
    }),
  drive: completeCallback("denied", { failure: { ErrorType: "Denied", ErrorMessage: "nope" } }),
  expect: { status: "SUCCEEDED", result: { name: "CallbackExternalError", message: "nope", isCallback: true } },
});

scenario({
  name: "waitForCallback: the submitter gets the id; completed by sendCallbackSuccess",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const r = await ctx.waitForCallback(
        "external",
        async (callbackId, wctx) => {
          env.seen.push({ submitted: typeof callbackId, hasLogger: typeof wctx?.logger?.info });
        },
        { timeout: { minutes: 1 } },
      );
      return { r };
    }),
  drive: completeCallback("external", { success: "done!" }, WaitingOperationStatus.SUBMITTED),
  expect: { status: "SUCCEEDED", result: { r: "done!" } },
});

scenario({
  name: "waitForCallback: a failing submitter surfaces CallbackSubmitterError",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      try {
        await ctx.waitForCallback("sub", async () => {
          throw new Error("submitter down");
        }, { retryStrategy: () => ({ shouldRetry: false }) });
        return "unreachable";
      } catch (e) {
        return { name: e.name, message: e.message, isSubmitter: e instanceof sdk.CallbackSubmitterError };
      }
    }),
  expect: { status: "SUCCEEDED", result: { name: "CallbackSubmitterError", message: "submitter down", isSubmitter: true } },
});

scenario({
  name: "callbacks: timeout and heartbeat timeout surface CallbackTimeoutError (createCallback, waitForCallback)",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const out = {};
      const caught = async (key, p) => {
        try {
          out[key] = await p;
        } catch (e) {
          out[key] = { name: e.name, message: e.message, isTimeout: e instanceof sdk.CallbackTimeoutError };
        }
      };
      // (The runner times callbacks out in real time: keep them short.)
      const [timeout] = await ctx.createCallback("times out", { timeout: { seconds: 1 } });
      await caught("timeout", timeout);
      const [heartbeat] = await ctx.createCallback("no heartbeat", { timeout: { minutes: 5 }, heartbeatTimeout: { seconds: 1 } });
      await caught("heartbeat", heartbeat);
      await caught("waitForCallback", ctx.waitForCallback("never answered", async () => {}, { timeout: { seconds: 1 } }));
      return out;
    }),
  expect: {
    status: "SUCCEEDED",
    result: {
      timeout: { name: "CallbackTimeoutError", message: "Callback timed out", isTimeout: true },
      heartbeat: { name: "CallbackTimeoutError", message: "Callback timed out on heartbeat", isTimeout: true },
      waitForCallback: { name: "CallbackTimeoutError", message: "Callback timed out", isTimeout: true },
    },
  },
});

// region waitForCondition

scenario({
  name: "waitForCondition: polls with createWaitStrategy until the condition holds",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) =>
      ctx.waitForCondition(
        "poll",
        async (state, wctx) => {
          env.seen.push({ check: state.n, attempt: wctx.attempt });
          return { n: state.n + 1 };
        },
        {
          initialState: { n: 0 },
          waitStrategy: sdk.createWaitStrategy({
            shouldContinuePolling: (s) => s.n < 3,
            initialDelay: { seconds: 2 },
            maxAttempts: 10,
            jitter: sdk.JitterStrategy.NONE,
          }),
        },
      ),
    ),
  expect: { status: "SUCCEEDED", result: { n: 3 } },
});

scenario({
  name: "waitForCondition: unnamed, a custom wait strategy, state across a re-invocation",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) =>
      ctx.waitForCondition(async (s, wctx) => {
        env.seen.push({ s, attempt: wctx.attempt });
        return s + 10;
      }, {
        initialState: 1,
        waitStrategy: (s, attempt) => {
          env.seen.push({ decide: s, attempt });
          return attempt < 3 ? { shouldContinue: true, delay: attempt === 1 ? LONG : { seconds: 1 } } : { shouldContinue: false };
        },
      }),
    ),
  expect: { status: "SUCCEEDED", result: 31 },
});

scenario({
  name: "waitForCondition: a throwing check function fails it (a StepError surfaces)",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      try {
        await ctx.waitForCondition("bad check", async (s, wctx) => {
          if (s === 0) throw new Error(`check failed at ${s}`);
          return s + 1;
        }, { initialState: 0, waitStrategy: () => ({ shouldContinue: true, delay: { seconds: 1 } }) });
        return "unreachable";
      } catch (e) {
        return { name: e.name, message: e.message };
      }
    }),
  expect: { status: "SUCCEEDED", result: { name: "StepError", message: "check failed at 0" } },
});

// region invoke

scenario({
  name: "invoke: a registered plain function and a registered durable function",
  setup: (runner, sdk) => {
    runner.registerFunction("price", async (event) => ({ sku: event.sku, price: 7 }));
    runner.registerDurableFunction(
      "durable-child",
      sdk.withDurableExecution(async (event, c) => c.step("double", async () => event.n * 2)),
    );
  },
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const price = await ctx.invoke("get price", "price", { sku: "X" });
      const doubled = await ctx.invoke("durable-child", { n: 21 });
      return { price, doubled };
    }),
  expect: { status: "SUCCEEDED", result: { price: { sku: "X", price: 7 }, doubled: 42 } },
});

scenario({
  name: "invoke: a failing function surfaces InvokeError",
  setup: (runner) => {
    runner.registerFunction("broken", async () => {
      throw new Error("function failed");
    });
  },
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      try {
        await ctx.invoke("call broken", "broken", {});
        return "unreachable";
      } catch (e) {
        return { name: e.name, isInvoke: e instanceof sdk.InvokeError };
      }
    }),
  expect: { status: "SUCCEEDED", result: { name: "InvokeError", isInvoke: true } },
});

// region promise combinators

scenario({
  name: "promise.all / allSettled / any / race over steps",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const fail = (msg) => async () => {
        throw new Error(msg);
      };
      const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };
      const all = await ctx.promise.all("all", [ctx.step("a1", async () => 1), ctx.step("a2", async () => 2)]);
      const settled = await ctx.promise.allSettled([ctx.step("s1", async () => "ok"), ctx.step("s2", fail("s2 failed"), noRetry)]);
      const any = await ctx.promise.any("any", [ctx.step("y1", fail("y1 failed"), noRetry), ctx.step("y2", async () => "y2")]);
      const race = await ctx.promise.race("race", [ctx.step("r1", async () => "fast"), ctx.wait("slow", { seconds: 30 })]);
      let allErr;
      try {
        await ctx.promise.all([ctx.step("e1", fail("e1 failed"), noRetry), ctx.step("e2", async () => 2)]);
      } catch (e) {
        allErr = { name: e.name, message: e.message };
      }
      await ctx.wait("replay them", LONG);
      return {
        all,
        settled: settled.map((s) => (s.status === "fulfilled" ? s : { status: s.status, reason: s.reason?.message })),
        any,
        race,
        allErr,
      };
    }),
  expect: {
    status: "SUCCEEDED",
    result: {
      all: [1, 2],
      settled: [
        { status: "fulfilled", value: "ok" },
        { status: "rejected", reason: "s2 failed" },
      ],
      any: "y2",
      race: "fast",
      allErr: { name: "PromiseCombinatorError", message: "e1 failed" },
    },
  },
});

// region logging

scenario({
  name: "logger: default logger inside and outside steps does not crash",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      ctx.logger.info("outside", { a: 1 });
      ctx.logger.warn("warn");
      ctx.logger.debug("debug");
      const v = await ctx.step("logs", async (s) => {
        s.logger.info("inside step", s.attempt);
        s.logger.error("an error", new Error("logged"));
        return "logged";
      });
      await ctx.runInChildContext("kid", async (c) => c.logger.info("in child"));
      return v;
    }),
  expect: { status: "SUCCEEDED", result: "logged" },
});

scenario({
  name: "logger: configureLogger({ customLogger }) gets the calls; replayed ones are suppressed",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      ctx.configureLogger({ customLogger: recordingLogger(env, "custom") });
      ctx.logger.info("before", 1);
      await ctx.step("s", async (s) => {
        s.logger.warn("in step", { k: "v" });
        return 1;
      });
      await ctx.wait(LONG);
      ctx.logger.error("after wait");
      await ctx.runInChildContext("kid", async (c) => c.logger.debug("child"));
      return "ok";
    }),
  expect: { status: "SUCCEEDED", result: "ok" },
});

scenario({
  name: "logger: modeAware false logs on replay too",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      ctx.configureLogger({ customLogger: recordingLogger(env, "all"), modeAware: false });
      ctx.logger.info("every invocation");
      await ctx.wait(LONG);
      ctx.logger.info("last invocation");
      return "ok";
    }),
  expect: { status: "SUCCEEDED", result: "ok" },
});

// region odds and ends

scenario({
  name: "the handler sees its payload, the execution ARN and the Lambda context",
  payload: { order: { id: "ü-1", items: [1, 2, 3] }, flag: true, nothing: null },
  make: (sdk) =>
    sdk.withDurableExecution(async (event, ctx) => ({
      event,
      arn: typeof ctx.executionContext?.durableExecutionArn,
      lambda: typeof ctx.lambdaContext?.getRemainingTimeInMillis,
    })),
  expect: {
    status: "SUCCEEDED",
    result: { event: { order: { id: "ü-1", items: [1, 2, 3] }, flag: true, nothing: null }, arn: "string", lambda: "function" },
  },
});

scenario({
  name: "operations started together (native Promise.all) keep their ids and parents",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const [a, b, c, d] = await Promise.all([
        ctx.step("a", async () => "a"),
        ctx.runInChildContext("kid", async (k) => {
          const [x, y] = await Promise.all([k.step("x", async () => "x"), k.step("y", async () => "y")]);
          return x + y;
        }),
        ctx.step(async () => "c"),
        ctx.wait("w", { seconds: 2 }).then(() => "d"),
      ]);
      return a + b + c + d;
    }),
  expect: { status: "SUCCEEDED", result: "axycd" },
});

scenario({
  name: "a step promise never awaited still runs and is recorded",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      ctx.step("never awaited", async () => {
        env.seen.push("lazy ran");
        return 1;
      });
      return await ctx.step("awaited", async () => 2);
    }),
  expect: { status: "SUCCEEDED", result: 2 },
  check: (r) => assert.deepStrictEqual(r.seen, ["lazy ran"]),
});

scenario({
  name: "using the parent context inside a step fails",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      try {
        await ctx.step("outer", async () => ctx.step("inner", async () => 1), { retryStrategy: () => ({ shouldRetry: false }) });
        return "allowed";
      } catch (e) {
        return { name: e.name, message: e.message };
      }
    }),
  // Not catchable: the execution fails.
  expect: {
    status: "FAILED",
    error: {
      errorType: "Error",
      errorMessage:
        'Context usage error in "step": You are using a parent or sibling context instead of the current child context. Expected context ID: "1", but got: "undefined". When inside runInChildContext(), you must use the child context parameter, not the parent context.',
    },
  },
});

scenario({
  name: "configureSerdes({ defaultCallbackDeserializer }) and createClassSerdes",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      class Point {
        x = 0;
        y = 0;
        norm1() {
          return Math.abs(this.x) + Math.abs(this.y);
        }
      }
      const p = await ctx.step("point", async () => Object.assign(new Point(), { x: 3, y: -4 }), { serdes: sdk.createClassSerdes(Point) });
      await ctx.wait(LONG);
      ctx.configureSerdes({ defaultCallbackDeserializer: { deserialize: async (s) => (s === undefined ? undefined : { parsed: JSON.parse(s) }) } });
      const [cb] = await ctx.createCallback("cb");
      const answer = await cb;
      return { isPoint: p instanceof Point, norm: p.norm1(), answer };
    }),
  drive: completeCallback("cb", { success: JSON.stringify([1, "two"]) }),
  expect: { status: "SUCCEEDED", result: { isPoint: true, norm: 7, answer: { parsed: [1, "two"] } } },
});

scenario({
  name: "retries across invocations: attempt numbers",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const v = await ctx.step("slow retry", flaky(env, "slow", 2, "third time"), {
        retryStrategy: sdk.createRetryStrategy({ maxAttempts: 4, initialDelay: { minutes: 20 }, backoffRate: 1, jitter: sdk.JitterStrategy.NONE }),
      });
      return v;
    }),
  expect: { status: "SUCCEEDED", result: "third time" },
  check: (r) => assert.ok(r.invocations >= 2, "the retry delay suspended the invocation"),
});

scenario({
  name: "invoke: a failing durable function, and an unnamed invoke without input",
  setup: (runner, sdk) => {
    runner.registerDurableFunction(
      "durable-fails",
      sdk.withDurableExecution(async (_event, c) => {
        await c.step("ok", async () => 1);
        throw new RangeError("child execution failed");
      }),
    );
    runner.registerFunction("echo", async (event) => ({ got: event ?? "nothing" }));
  },
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const echo = await ctx.invoke("echo");
      try {
        await ctx.invoke("call durable-fails", "durable-fails", { n: 1 });
        return "unreachable";
      } catch (e) {
        return { echo, name: e.name, message: e.message, isInvoke: e instanceof sdk.InvokeError };
      }
    }),
  expect: { status: "SUCCEEDED", result: { echo: { got: {} }, name: "InvokeError", message: "child execution failed", isInvoke: true } },
});

scenario({
  name: "the handler returns values JSON changes (Date, nested undefined, NaN)",
  make: (sdk) =>
    sdk.withDurableExecution(async () => ({ when: new Date(0), list: [undefined, NaN, Infinity], obj: { gone: undefined, kept: 1 } })),
  expect: { status: "SUCCEEDED", result: { when: "1970-01-01T00:00:00.000Z", list: [null, null, null], obj: { kept: 1 } } },
});

// region failures of the execution

scenario({
  name: "non-determinism: the second invocation names a step differently → FAILED",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      env.calls = (env.calls ?? 0) + 1;
      await ctx.step(env.calls === 1 ? "original" : "renamed", async () => 1);
      await ctx.wait(LONG);
      return "unreachable";
    }),
  expect: {
    status: "FAILED",
    error: {
      errorType: "NonDeterministicExecutionError",
      errorMessage:
        '[Unrecoverable Execution] Non-deterministic execution detected: Operation name mismatch for step "1". Expected name "original", but got "renamed". This indicates non-deterministic control flow in your workflow code.',
    },
  },
});

scenario({
  name: "non-determinism: the second invocation puts a wait where a step was → FAILED",
  make: (sdk, env) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      env.calls = (env.calls ?? 0) + 1;
      if (env.calls === 1) await ctx.step("x", async () => 1);
      else await ctx.wait("x", LONG);
      await ctx.wait(LONG);
      return "unreachable";
    }),
  expect: {
    status: "FAILED",
    error: {
      errorType: "NonDeterministicExecutionError",
      errorMessage:
        '[Unrecoverable Execution] Non-deterministic execution detected: Operation type mismatch for step "1". Expected type "STEP", but got "WAIT". This indicates non-deterministic control flow in your workflow code.',
    },
  },
});

scenario({
  name: "errors with empty messages, as replayed",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const out = {};
      const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };
      const caught = async (key, p) => {
        try {
          await p;
        } catch (e) {
          out[key] = { name: e.name, message: e.message };
        }
      };
      await caught("step", ctx.step("empty", async () => {
        throw new Error("");
      }, noRetry));
      await caught("child", ctx.runInChildContext("empty child", async () => {
        throw new Error("");
      }));
      await caught("nested", ctx.runInChildContext("outer", async (c) => c.step(async () => {
        throw new Error("");
      }, noRetry)));
      await ctx.wait(LONG);
      return out;
    }),
  expect: {
    status: "SUCCEEDED",
    result: {
      step: { name: "StepError", message: "Unknown error" },
      child: { name: "ChildContextError", message: "Unknown error" },
      nested: { name: "ChildContextError", message: "Unknown error" },
    },
  },
});

scenario({
  name: "the handler throws → FAILED with its ErrorType / ErrorMessage",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      await ctx.step("fine", async () => 1);
      throw new SyntaxError("handler gave up");
    }),
  expect: { status: "FAILED", error: { errorType: "SyntaxError", errorMessage: "handler gave up" } },
});

scenario({
  name: "the handler throws a custom error class",
  make: (sdk) =>
    sdk.withDurableExecution(async () => {
      throw new TransientError("custom class");
    }),
  expect: { status: "FAILED", error: { errorType: "TransientError", errorMessage: "custom class" } },
});

const BIG = "x".repeat(7 * 1024 * 1024);
scenario({
  name: "a result over 6 MiB",
  make: (sdk) =>
    sdk.withDurableExecution(async (_event, ctx) => {
      const head = await ctx.step("head", async () => "h");
      return head + BIG;
    }),
  expect: { status: "SUCCEEDED", result: "h" + BIG },
});

scenario({
  name: "the handler returns undefined",
  make: (sdk) => sdk.withDurableExecution(async (_event, ctx) => void (await ctx.step(async () => 1))),
  expect: { status: "SUCCEEDED", result: undefined },
});

// region fuzz

const FUZZ_SEED = Number(process.env.DURABLE_API_SEED ?? Date.now() % 2 ** 31);
const fuzzParams = (numRuns) => ({ numRuns, seed: FUZZ_SEED, endOnFailure: true, includeErrorInReport: true });
const fuzzOpts = { timeout: 120_000 };
/** What a value is after a JSON round trip (the handler's result goes through one). */
const jsonRoundTrip = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

// The empty name has its own scenario (a known divergence would mask everything else).
const stepName = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(" ", "a/b", "name with spaces", "ünïcödé-名前-🎉", "x".repeat(200)) },
);
const stepValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ unit: "grapheme", maxLength: 8 }), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }), { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.option(fc.integer(), { nil: undefined }), { maxLength: 5 }) },
);

test(`durable API fuzz: random step names and values (seed ${FUZZ_SEED})`, fuzzOpts, async () => {
  assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution");
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ name: stepName, value: stepValue }), { minLength: 1, maxLength: 5 }),
      fc.option(fc.nat(5), { nil: undefined }),
      async (steps, replayAt) => {
        // The step function returns a fresh copy each time (the value is the model).
        const frozen = steps.map((s) => JSON.stringify(s.value === undefined ? null : s.value));
        const sc = {
          name: "fuzz steps",
          make: (sdk) =>
            sdk.withDurableExecution(async (_event, ctx) => {
              const out = [];
              for (const [i, s] of steps.entries()) {
                if (i === replayAt) await ctx.wait(LONG);
                const fn = async () => (s.value === undefined ? undefined : JSON.parse(frozen[i]));
                const v = await (s.name === undefined ? ctx.step(fn) : ctx.step(s.name, fn));
                out.push(v === undefined ? { undef: true } : { v });
              }
              return out;
            }),
          expect: {
            status: "SUCCEEDED",
            result: steps.map((s) => (s.value === undefined ? { undef: true } : { v: jsonRoundTrip(s.value) })),
          },
        };
        await compare(sc);
      },
    ),
    fuzzParams(40),
  );
});

// Durations: valid ones (whole seconds in the service's range 1..31622400) must give the
// same wait / retry delay under both SDKs; anything else must either behave as under the
// official SDK or fail the execution with a TypeError naming the bad field, and never
// hang. Values the official SDK checkpoints unchecked and the runner then throws on
// (NaN, infinite or beyond a Date: "Invalid time value") are run under ours only, which
// must refuse them; the next test checks those against a recording client as well.
const UNITS = ["days", "hours", "minutes", "seconds"];
const UNIT_SECONDS = { days: 86400, hours: 3600, minutes: 60, seconds: 1 };
const validDuration = fc
  .record({ days: fc.nat(3), hours: fc.nat(30), minutes: fc.nat(90), seconds: fc.nat(200) }, { requiredKeys: [] })
  .filter((d) => Object.keys(d).length > 0)
  .map((d) => ({ d, seconds: Object.entries(d).reduce((t, [u, n]) => t + n * UNIT_SECONDS[u], 0) }))
  .filter((x) => x.seconds >= 1);
const badPart = fc.oneof(
  fc.integer({ min: -1000, max: -1 }),
  fc.constantFrom(-0.5, 0.25, 1.5, 0, -0, null, "5", "", "1e3", true, [], {}, NaN, Infinity, -Infinity, 1e20, 2 ** 53),
  fc.double({ min: 0, max: 100, noNaN: true }),
);
const oddDuration = fc.oneof(
  fc.record({ unit: fc.constantFrom(...UNITS), bad: badPart, rest: fc.option(fc.record({ seconds: fc.nat(5) }), { nil: undefined }) }).map(({ unit, bad, rest }) => ({ ...rest, [unit]: bad })),
  fc.constantFrom(null, undefined, 5, "5 seconds", [], [1], {}, { second: 5 }, { Seconds: 5 }, { seconds: undefined }, () => 5),
);
const durationTarget = fc.constantFrom("wait", "named wait", "retry delay", "condition delay");

/** A handler that uses duration `d` as `target`. */
function durationScenario(target, d) {
  return {
    name: `fuzz duration ${target}`,
    make: (sdk, env) =>
      sdk.withDurableExecution(async (_event, ctx) => {
        if (target === "wait") await ctx.wait(d);
        else if (target === "named wait") await ctx.wait("w", d);
        else if (target === "retry delay") {
          await ctx.step("retried", flaky(env, "retried", 1, "ok"), { retryStrategy: (_e, n) => ({ shouldRetry: n < 2, delay: d }) });
        } else {
          await ctx.waitForCondition("cond", async (s) => s + 1, {
            initialState: 0,
            waitStrategy: (s) => (s < 2 ? { shouldContinue: true, delay: d } : { shouldContinue: false }),
          });
        }
        return "done";
      }),
  };
}

const namesTheField = /days|hours|minutes|seconds|duration|delay/i;

/** What the official SDK makes of `d` (it sums the four units unchecked), or "throws". */
function officialSeconds(d) {
  try {
    const part = (u) => (u in d ? (d[u] ?? 0) : 0);
    return part("days") * 86400 + part("hours") * 3600 + part("minutes") * 60 + part("seconds");
  } catch {
    return "throws";
  }
}

test(`durable API fuzz: random Durations, valid and not (seed ${FUZZ_SEED})`, fuzzOpts, async () => {
  assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution");
  await fc.assert(
    fc.asyncProperty(
      durationTarget,
      fc.oneof({ weight: 3, arbitrary: validDuration.map((v) => ({ valid: true, ...v })) }, { weight: 2, arbitrary: oddDuration.map((d) => ({ valid: false, d })) }),
      async (target, { valid, d, seconds }) => {
        const sc = durationScenario(target, d);
        const asOfficial = officialSeconds(d);
        if (typeof asOfficial === "number" && !(Math.abs(asOfficial) < 8.64e12)) {
          // The official SDK checkpoints it as it is and the runner's checkpoint server
          // throws (Invalid time value): plainly wrong, so ours must refuse it.
          const ours = await runUnder(OURS, sc);
          const what = `${show(d)} as ${target}: ours ${show({ status: ours.status, error: ours.error })}`;
          assert.equal(ours.status, "FAILED", what);
          assert.ok((target.endsWith("wait") ? ["TypeError", "RangeError"] : ["TypeError", "RangeError", "StepError"]).includes(ours.error?.errorType), what);
          assert.match(ours.error?.errorMessage ?? "", namesTheField, what);
          return;
        }
        if (valid) {
          const { official } = await compare({ ...sc, expect: { status: "SUCCEEDED", result: "done" } });
          if (target.endsWith("wait")) assert.equal(official.operations.find((o) => o.type === "WAIT")?.wait?.seconds, seconds);
          return;
        }
        const official = await runUnder(OFFICIAL, sc);
        const ours = await runUnder(OURS, sc);
        assert.notEqual(ours.status, "HUNG", `ours hung on ${show(d)} as ${target} (official: ${official.status})`);
        const pick = ({ status, result, error }) => ({ status, result, error });
        if (isDeepStrictEqual(pick(ours), pick(official))) return;
        // Ours may refuse what the official SDK lets through: a TypeError or RangeError (past
        // the service's maximum) naming the field,
        // thrown where the official SDK's own conversion would throw: at the call for a
        // wait; inside the step for a retry or condition delay, whose failure is then a
        // StepError carrying the message (as the official SDK reports the delays its own
        // conversion throws on).
        const what = `${show(d)} as ${target}: ours ${show(pick(ours))}, official ${show(pick(official))}`;
        assert.equal(ours.status, "FAILED", what);
        const types = target.endsWith("wait") ? ["TypeError", "RangeError"] : ["TypeError", "RangeError", "StepError"];
        assert.ok(types.includes(ours.error?.errorType), what);
        assert.match(ours.error?.errorMessage ?? "", namesTheField, `${what}: the error does not name the field`);
      },
    ),
    fuzzParams(35),
  );
});

// Durations the official SDK passes through unchecked and that crash the testing runner
// itself (its checkpoint server cannot make a Date of them): ours must refuse them. Run
// against a recording client (no runner): the execution must FAIL with a TypeError naming
// the field, without checkpointing the bad value.
test("durable API: NaN, infinite and out-of-range Durations are refused before they reach a checkpoint", opts, async () => {
  assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution");
  const cases = [{ seconds: NaN }, { minutes: Infinity }, { hours: -Infinity }, { days: NaN, seconds: 1 }, { seconds: 1e20 }, { days: 1e12 }];
  const problems = [];
  for (const d of cases) {
    for (const target of ["wait", "retry delay", "condition delay"]) {
      const sent = [];
      const client = {
        async checkpoint(req) {
          sent.push(...(req.Updates ?? []));
          return { CheckpointToken: `t${sent.length}`, NewExecutionState: { Operations: [] } };
        },
        async getExecutionState() {
          return { Operations: [] };
        },
      };
      const event = {
        DurableExecutionArn: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/fuzz/0001",
        CheckpointToken: "t0",
        InitialExecutionState: {
          Operations: [{ Id: "exec", Type: "EXECUTION", Status: "STARTED", ExecutionDetails: { InputPayload: "{}" } }],
        },
      };
      // The recording client goes in as the official config option does.
      const sdk = { ...OURS, withDurableExecution: (fn) => OURS.withDurableExecution(fn, { durableExecutionClient: client }) };
      const handler = durationScenario(target, d).make(sdk, { seen: [] });
      let timer;
      const out = await Promise.race([
        handler(event, { getRemainingTimeInMillis: () => 900_000, awsRequestId: "r" }).catch((e) => ({ threw: e })),
        new Promise((resolve) => (timer = realSetTimeout(() => resolve("HUNG"), 5_000))),
      ]).finally(() => realClearTimeout(timer));
      const what = `${show(d)} as ${target}`;
      // A wait throws at the call; a retry or condition delay is decided inside the step,
      // whose failure (a StepError carrying the message) is what the official SDK reports
      // for the delays it cannot convert.
      const types = target === "wait" ? ["TypeError", "RangeError"] : ["TypeError", "RangeError", "StepError"];
      const bad = sent.filter((u) => {
        const n = u.WaitOptions?.WaitSeconds ?? u.StepOptions?.NextAttemptDelaySeconds;
        return n !== undefined && !(Number.isFinite(n) && n <= 31_622_400);
      });
      if (out === "HUNG") problems.push(`${what}: hung`);
      else if (out?.Status !== "FAILED") problems.push(`${what}: ${show(out)}`);
      else if (!types.includes(out.Error?.ErrorType) || !namesTheField.test(out.Error?.ErrorMessage ?? "")) {
        problems.push(`${what}: FAILED with ${out.Error?.ErrorType}: ${out.Error?.ErrorMessage}`);
      }
      if (bad.length) problems.push(`${what}: checkpointed ${show(bad)}`);
    }
  }
  assert.deepStrictEqual(problems, [], `expected a ${"TypeError"} naming the field for each:\n${problems.join("\n")}`);
});

// Random trees of child contexts (named / unnamed / custom subType), steps, waits and
// failures (caught or not at some level), each compared with a model of its outcome.
const leaf = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("step"), name: fc.option(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), { nil: undefined }), value: fc.jsonValue({ maxDepth: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("wait"), name: fc.option(fc.constantFrom("w", "pause"), { nil: undefined }), seconds: fc.integer({ min: 1, max: 5 }) }) },
  // (Empty messages have their own scenario: each kind of operation substitutes its own.)
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fail"), message: fc.string({ minLength: 1, maxLength: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("failing step"), name: fc.option(fc.constantFrom("bad", "boom"), { nil: undefined }), message: fc.string({ minLength: 1, maxLength: 20 }) }) },
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.array(fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("child")), { minLength: 1, maxLength: 3 }),
  child: fc.record({
    kind: fc.constant("child"),
    name: fc.option(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), { nil: undefined }),
    subType: fc.option(fc.constantFrom("Custom", "MyType"), { nil: undefined }),
    catch: fc.boolean(),
    body: tie("tree"),
  }),
}));

class ModelFailure extends Error {}

/** The model: what running `nodes` returns, or throws ModelFailure(message, errorType). */
function model(nodes) {
  const out = [];
  for (const n of nodes) {
    if (n.kind === "step") out.push({ v: n.value });
    else if (n.kind === "wait") out.push("waited");
    else if (n.kind === "fail") throw Object.assign(new ModelFailure(n.message), { type: "Error", msg: n.message });
    else if (n.kind === "failing step") throw Object.assign(new ModelFailure(n.message), { type: "StepError", msg: n.message });
    else {
      try {
        out.push({ child: model(n.body) });
      } catch (e) {
        if (!(e instanceof ModelFailure)) throw e;
        // A child context wraps what its body threw in a ChildContextError (same message).
        if (n.catch) out.push({ caught: "ChildContextError", message: e.msg });
        else throw Object.assign(new ModelFailure(e.msg), { type: "ChildContextError", msg: e.msg });
      }
    }
  }
  return out;
}

/** Runs `nodes` in `ctx`, sequentially (the model's order). */
async function runTree(ctx, nodes) {
  const out = [];
  for (const n of nodes) {
    if (n.kind === "step") {
      const fn = async () => n.value;
      out.push({ v: await (n.name === undefined ? ctx.step(fn) : ctx.step(n.name, fn)) });
    } else if (n.kind === "wait") {
      await (n.name === undefined ? ctx.wait({ seconds: n.seconds }) : ctx.wait(n.name, { seconds: n.seconds }));
      out.push("waited");
    } else if (n.kind === "fail") {
      throw new Error(n.message);
    } else if (n.kind === "failing step") {
      const fn = async () => {
        throw new Error(n.message);
      };
      const config = { retryStrategy: () => ({ shouldRetry: false }) };
      await (n.name === undefined ? ctx.step(fn, config) : ctx.step(n.name, fn, config));
    } else {
      const body = async (c) => ({ child: await runTree(c, n.body) });
      const config = n.subType ? { subType: n.subType } : undefined;
      try {
        out.push(await (n.name === undefined ? ctx.runInChildContext(body, config) : ctx.runInChildContext(n.name, body, config)));
      } catch (e) {
        if (!n.catch) throw e;
        out.push({ caught: e.name, message: e.message });
      }
    }
  }
  return out;
}

test(`durable API fuzz: random nestings of child contexts (seed ${FUZZ_SEED})`, fuzzOpts, async () => {
  assert.equal(typeof OURS.withDurableExecution, "function", "durable-checkpoint has no withDurableExecution");
  await fc.assert(
    fc.asyncProperty(tree, async (nodes) => {
      let expect;
      try {
        expect = { status: "SUCCEEDED", result: jsonRoundTrip(model(nodes)) };
      } catch (e) {
        // An uncaught failure: the execution fails with the error that reached the handler.
        expect = { status: "FAILED", error: { errorType: e.type, errorMessage: e.msg } };
      }
      await compare({
        name: "fuzz nesting",
        make: (sdk) => sdk.withDurableExecution(async (_event, ctx) => runTree(ctx, nodes)),
        expect,
      });
    }),
    fuzzParams(25),
  );
});
