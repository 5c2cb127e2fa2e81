// The handler-level workloads: durable functions written once against the official
// DurableContext API, run under either SDK (bench/official.mjs passes the official
// package, bench/one.mjs's "durable" contender passes durable-checkpoint), against the
// same FakeService (bench/service.mjs).
/** The minimum of a Lambda context the SDK reads: a request id and the remaining time. */
const lambdaContext = {
  awsRequestId: "bench-request",
  functionName: "bench",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench",
  memoryLimitInMB: "1024",
  logGroupName: "/aws/lambda/bench",
  logStreamName: "bench",
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 15 * 60 * 1000,
  done() {},
  fail() {},
  succeed() {},
};

const range = (k) => Array.from({ length: k }, (_, i) => i);
const tick = () => new Promise((r) => setTimeout(r, 1));
const payload = "x".repeat(10_000);


// Operations carry the same names as ours.mjs gives its Ids (they go on the wire as Name);
// the SDK derives the Ids itself (16 hex chars of an md5 of a per-context counter).
/**
 * The durable-function workloads, written once against the official API and run with
 * `sdk` (the official package, or durable-checkpoint: the same handler code). Each
 * takes a FakeService and returns the invocation's output.
 */
export function workloadsFor(sdk) {
  const { withDurableExecution, NestingType } = sdk;
  /** Runs `handler(input, context)` as one invocation of a durable function. */
  const invoke = (service, handler, input = {}, event = service.event(input)) =>
    withDurableExecution(handler, { durableExecutionClient: service.client })(event, lambdaContext);
  return {
  /** 1000 sequential steps with synchronous bodies. */
  sequential1000: (service) =>
    invoke(service, async (_event, ctx) => {
      let sum = 0;
      for (const i of range(1000)) sum += await ctx.step(`s${i}`, async () => i);
      return sum;
    }),

  /** 200 sequential steps whose bodies each wait on a 1 ms timer. */
  timer200: (service) =>
    invoke(service, async (_event, ctx) => {
      let sum = 0;
      for (const i of range(200)) {
        sum += await ctx.step(`t${i}`, async () => {
          await tick();
          return i;
        });
      }
      return sum;
    }),

  /**
   * 1000 items, unbounded concurrency (map's default). FLAT nesting: one Map CONTEXT
   * with the 1000 steps directly under it, the shape our contender writes (the default
   * NESTED would add a CONTEXT operation per item). Unlike ours, the Map's CONTEXT
   * SUCCEED carries the whole serialized BatchResult (~48 KB here) as its payload.
   */
  fanout1000: (service) =>
    invoke(service, async (_event, ctx) => {
      const r = await ctx.map("fan", range(1000), (c, i) => c.step(`f${i}`, async () => i), { nesting: NestingType.FLAT });
      return r.getResults().length;
    }),

  /** The same fan-out with at most 50 items in flight. */
  fanout1000c50: (service) =>
    invoke(service, async (_event, ctx) => {
      const r = await ctx.map("fan", range(1000), (c, i) => c.step(`f${i}`, async () => i), {
        nesting: NestingType.FLAT,
        maxConcurrency: 50,
      });
      return r.getResults().length;
    }),

  /** 100 child contexts one after another, each with 5 sequential steps. */
  contexts100x5: (service) =>
    invoke(service, async (_event, ctx) => {
      let sum = 0;
      for (const k of range(100)) {
        sum += await ctx.runInChildContext(`c${k}`, async (c) => {
          let s = 0;
          for (const j of range(5)) s += await c.step(`c${k}-s${j}`, async () => k * 5 + j);
          return s;
        });
      }
      return sum;
    }),

  /** 200 sequential steps, each returning a 10,000-character string. */
  payload200x10k: (service) =>
    invoke(service, async (_event, ctx) => {
      let n = 0;
      for (const i of range(200)) n += (await ctx.step(`p${i}`, async () => payload)).length;
      return n;
    }),

  /** A parallel of 100 branches, each 5 sequential steps. */
  parallel100x5: (service) =>
    invoke(service, async (_event, ctx) => {
      const r = await ctx.parallel(
        "par",
        range(100).map((b) => async (c) => {
          let s = 0;
          for (const j of range(5)) s += await c.step(`b${b}-s${j}`, async () => b * 5 + j);
          return s;
        }),
      );
      return r.getResults().length;
    }),

  /**
   * Invocation 2 of an execution that ran 1000 steps and a wait in invocation 1: the
   * 1000 steps replay from the history, then one more step and the result. Invocation 1
   * (same SDK, untimed) runs in `prepare`.
   */
  replay1000: {
    async prepare(service) {
      service.record = [];
      const out = await invoke(service, replayHandler);
      if (out.Status !== "PENDING") throw new Error(`replay1000 invocation 1 ended ${out.Status}`);
      return historyEvent(service);
    },
    run: (service, event) => invoke(service, replayHandler, {}, event),
  },
  };
}

/** 1000 steps, a wait, one more step: the replay workload's handler. */
async function replayHandler(_event, ctx) {
  let sum = 0;
  for (const i of range(1000)) sum += await ctx.step(`r${i}`, async () => i);
  await ctx.wait("pause", { seconds: 60 });
  return sum + (await ctx.step("after", async () => 1));
}

/** The invocation-2 event: what the service recorded in invocation 1, the wait elapsed. */
function historyEvent(service) {
  const ops = new Map();
  for (const u of service.record) {
    const op = ops.get(u.Id) ?? { Id: u.Id, ParentId: u.ParentId, Name: u.Name, Type: u.Type, SubType: u.SubType, StartTimestamp: new Date() };
    if (u.Action === "START") op.Status = u.Type === "WAIT" ? "SUCCEEDED" : "STARTED";
    if (u.Action === "SUCCEED") {
      op.Status = "SUCCEEDED";
      if (u.Type === "STEP") op.StepDetails = { Attempt: 1, Result: u.Payload };
    }
    ops.set(u.Id, op);
  }
  service.record = undefined;
  const event = service.event({});
  event.InitialExecutionState.Operations.push(...ops.values());
  event.CheckpointToken = service.token;
  return event;
}

