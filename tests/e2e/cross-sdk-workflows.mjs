// The workflows of tests/e2e/cross-sdk.test.mjs. Each is a handler factory
// `make(sdk) -> sdk.withDurableExecution(...)` written against the official
// @aws/durable-execution-sdk-js API only, so the same code runs under either SDK; each
// needs at least two invocations (a retry delay, a wait, a pending callback, a pending
// invoke, a wait inside a map item or a parallel branch), so that a run can switch SDK
// between invocations.
//
// Everything a workflow returns or checkpoints is a pure function of its input and of
// the number of times its step functions really ran (counted here, per execution): two
// runs that replay correctly produce identical payloads, whichever SDK ran which
// invocation.
import { AsyncLocalStorage } from "node:async_hooks";

/** The execution ARN of the invocation running now (set by the test's Lambda wrapper). */
export const currentExecution = new AsyncLocalStorage();

const counts = new Map();
/** Counts a real run of the step function `key` in this execution; 1 the first time, then 2, 3, ... */
function ran(key) {
  const arn = currentExecution.getStore();
  // Counters are per execution (runs go concurrently): an SDK that ran a step function
  // outside the invocation's async context would mix them up, so say so instead.
  if (arn === undefined) throw new Error(`step function ${key} ran outside the invocation's async context (AsyncLocalStorage)`);
  const n = (counts.get(arn)?.[key] ?? 0) + 1;
  counts.set(arn, { ...counts.get(arn), [key]: n });
  return n;
}
/**
 * How many times each step function really ran in this execution, every invocation
 * so far included: read when the workflow returns, in its last invocation, it shows a
 * completed step that an SDK ran again instead of replaying it.
 */
const tally = () => Object.fromEntries(Object.entries(counts.get(currentExecution.getStore()) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));

class TransientError extends Error {
  constructor(message) {
    super(message);
    this.name = "TransientError";
  }
}

/** The chained-invoke target: a plain (non-durable) function, served in process. */
export const PRICE_FUNCTION = "xsdk-price";
export const priceFunction = async (event) => ({ sku: event?.sku, unit: 7, currency: "EUR" });

const retryEverySecond = (limit) => (_error, attemptCount) => ({ shouldRetry: attemptCount < limit, delay: { seconds: 1 } });

export const WORKFLOWS = [
  {
    name: "steps with retries",
    input: { order: "A-17", qty: 2 },
    // 1: charge fails (RETRY, 1 s); 2: fails again; 3: succeeds, audit fails (RETRY);
    // 4: audit fails for good (caught), done.
    minInvocations: 4,
    result: {
      reserved: { order: "A-17", qty: 2 },
      charged: { amount: 28, attempts: 3 },
      audit: { caught: "audit service offline (attempt 2)", name: "StepError" },
      receipt: "receipt for A-17: 28",
      ran: { audit: 2, charge: 3, receipt: 1, reserve: 1 },
    },
    make: (sdk) =>
      sdk.withDurableExecution(async (event, ctx) => {
        const reserved = await ctx.step("reserve", async () => (ran("reserve"), { order: event.order, qty: event.qty }));
        const charged = await ctx.step(
          "charge",
          async () => {
            const n = ran("charge");
            if (n < 3) throw new TransientError(`card declined (attempt ${n})`);
            return { amount: 14 * event.qty, attempts: n };
          },
          { retryStrategy: retryEverySecond(5) },
        );
        let audit;
        try {
          await ctx.step(
            "audit",
            async () => {
              throw new Error(`audit service offline (attempt ${ran("audit")})`);
            },
            { retryStrategy: retryEverySecond(2) },
          );
        } catch (e) {
          audit = { caught: e?.message, name: e?.name };
        }
        const receipt = await ctx.step(async () => (ran("receipt"), `receipt for ${event.order}: ${charged.amount}`)); // unnamed
        return { reserved, charged, audit, receipt, ran: tally() };
      }),
  },
  {
    name: "a wait",
    input: { greeting: "hello" },
    minInvocations: 2,
    result: { before: "hello", after: "hello, resumed", ran: { after: 1, before: 1 } },
    make: (sdk) =>
      sdk.withDurableExecution(async (event, ctx) => {
        const before = await ctx.step("before", async () => (ran("before"), event.greeting));
        await ctx.wait({ seconds: 1 }); // unnamed
        const after = await ctx.step("after", async () => (ran("after"), `${before}, resumed`));
        return { before, after, ran: tally() };
      }),
  },
  {
    name: "a child context",
    input: { items: ["pen", "ink", "nib"] },
    minInvocations: 2,
    result: {
      packed: { picked: ["PEN", "INK", "NIB"], grams: 60, label: "PEN+INK+NIB/60g" },
      shipped: "shipped PEN+INK+NIB/60g (3 items)",
      ran: { label: 1, pick: 1, prepare: 1, ship: 1, weigh: 1 },
    },
    make: (sdk) =>
      sdk.withDurableExecution(async (event, ctx) => {
        const count = await ctx.step("prepare", async () => (ran("prepare"), event.items.length));
        const packed = await ctx.runInChildContext("fulfil", async (child) => {
          const picked = await child.step("pick", async () => (ran("pick"), event.items.map((i) => i.toUpperCase())));
          await child.wait("pack-delay", { seconds: 1 });
          const grams = await child.step("weigh", async () => (ran("weigh"), picked.length * 20));
          // unnamed, nested in the child
          const label = await child.runInChildContext(async (inner) => inner.step("label", async () => (ran("label"), `${picked.join("+")}/${grams}g`)));
          return { picked, grams, label };
        });
        const shipped = await ctx.step("ship", async () => (ran("ship"), `shipped ${packed.label} (${count} items)`));
        return { packed, shipped, ran: tally() };
      }),
  },
  {
    name: "a callback",
    input: { doc: "contract-9" },
    // Completed by the test, in order of appearance, with these payloads.
    callbacks: [JSON.stringify({ approved: true, by: "alice" }), JSON.stringify({ signature: "b0b" })],
    // 1: approval pending; 2: approved, signature pending; 3: done.
    minInvocations: 3,
    // The default serdes of a callback hands the payload over as sent (a string).
    result: {
      asked: "asked to approve contract-9",
      approved: '{"approved":true,"by":"alice"}',
      signature: '{"signature":"b0b"}',
      ran: { ask: 1, submit: 1 },
    },
    make: (sdk) =>
      sdk.withDurableExecution(async (event, ctx) => {
        const [approval, approvalId] = await ctx.createCallback("approval", { timeout: { seconds: 60 } });
        if (typeof approvalId !== "string" || !approvalId) throw new Error(`createCallback gave the callback id ${approvalId}`);
        const asked = await ctx.step("request-approval", async () => (ran("ask"), `asked to approve ${event.doc}`));
        const approved = await approval;
        const signature = await ctx.waitForCallback(
          "signature",
          async (callbackId) => {
            if (typeof callbackId !== "string" || !callbackId) throw new Error(`the submitter got the callback id ${callbackId}`);
            ran("submit");
          },
          { timeout: { seconds: 60 } },
        );
        return { asked, approved, signature, ran: tally() };
      }),
  },
  {
    name: "an invoke",
    input: { sku: "nib-04", qty: 3 },
    // 1: the invoke is pending; 2: its result is there.
    minInvocations: 2,
    result: { quote: { sku: "nib-04", unit: 7, currency: "EUR" }, total: { total: 21, currency: "EUR" }, ran: { total: 1 } },
    make: (sdk) =>
      sdk.withDurableExecution(async (event, ctx) => {
        const quote = await ctx.invoke("price", PRICE_FUNCTION, { sku: event.sku });
        const total = await ctx.step("total", async () => (ran("total"), { total: quote.unit * event.qty, currency: quote.currency }));
        return { quote, total, ran: tally() };
      }),
  },
  {
    name: "a map that completes early",
    input: { part: "gear-12", suppliers: ["north", "east", "south", "west"] },
    // Each supplier is asked (a step), waits for its answer (south 1 s, east and west
    // 30 s, north not at all), then quotes (a step); two quotes are enough.
    // 1: north quotes, the other three wait; 2: south quotes: minSuccessful is reached
    // with east and west still waiting (STARTED, their waits never end), then "settle"
    // waits 1 s; 3: the map replays from its checkpoint, the order is placed.
    // Only one wait is due at a time (1 s, then 1 s later), so the invocations do not
    // depend on timing; the 30 s waits are dropped when the execution ends.
    minInvocations: 3,
    result: {
      quotes: [
        { supplier: "north", price: 40, asked: "gear-12@north" },
        { supplier: "south", price: 32, asked: "gear-12@south" },
      ],
      items: ["0:SUCCEEDED", "1:STARTED", "2:SUCCEEDED", "3:STARTED"],
      completionReason: "MIN_SUCCESSFUL_REACHED",
      status: "SUCCEEDED",
      counts: { success: 2, failure: 0, started: 2, total: 4 },
      order: "ordered gear-12 from south at 32",
      ran: { "ask-east": 1, "ask-north": 1, "ask-south": 1, "ask-west": 1, order: 1, "quote-north": 1, "quote-south": 1 },
    },
    make: (sdk) =>
      sdk.withDurableExecution(async (event, ctx) => {
        const answerSeconds = { north: 0, east: 30, south: 1, west: 30 };
        const batch = await ctx.map(
          "quotes",
          event.suppliers,
          async (item, supplier, index) => {
            const asked = await item.step("ask", async () => (ran(`ask-${supplier}`), `${event.part}@${supplier}`));
            if (answerSeconds[supplier]) await item.wait(`answer-${supplier}`, { seconds: answerSeconds[supplier] });
            return item.step("quote", async () => (ran(`quote-${supplier}`), { supplier, price: 40 - 4 * index, asked }));
          },
          { completionConfig: { minSuccessful: 2 }, itemNamer: (supplier) => `quote-${supplier}` },
        );
        await ctx.wait("settle", { seconds: 1 });
        const best = batch.getResults().reduce((a, b) => (b.price < a.price ? b : a));
        const order = await ctx.step("order", async () => (ran("order"), `ordered ${event.part} from ${best.supplier} at ${best.price}`));
        return {
          quotes: batch.getResults(),
          items: batch.all.map((i) => `${i.index}:${i.status}`),
          completionReason: batch.completionReason,
          status: batch.status,
          counts: { success: batch.successCount, failure: batch.failureCount, started: batch.startedCount, total: batch.totalCount },
          order,
          ran: tally(),
        };
      }),
  },
  {
    name: "a parallel with a wait in a branch",
    input: { order: "B-5", lines: 3 },
    // Three branches: "pack" (a step), "notify" (a step, a 1 s wait, a step) and an
    // unnamed one (a step). 1: pack and the unnamed branch finish, notify waits: the
    // invocation suspends mid-batch; 2: notify resumes, the parallel completes.
    minInvocations: 2,
    result: {
      results: ["packed 3 lines of B-5", "sent: B-5 is on its way", "invoice for B-5: 3 lines"],
      items: ["0:SUCCEEDED", "1:SUCCEEDED", "2:SUCCEEDED"],
      completionReason: "ALL_COMPLETED",
      status: "SUCCEEDED",
      summary: "packed 3 lines of B-5 | sent: B-5 is on its way | invoice for B-5: 3 lines",
      ran: { draft: 1, invoice: 1, pack: 1, send: 1, summary: 1 },
    },
    make: (sdk) =>
      sdk.withDurableExecution(async (event, ctx) => {
        const batch = await ctx.parallel("fulfil", [
          { name: "pack", func: async (branch) => branch.step("pack", async () => (ran("pack"), `packed ${event.lines} lines of ${event.order}`)) },
          {
            name: "notify",
            func: async (branch) => {
              const draft = await branch.step("draft", async () => (ran("draft"), `${event.order} is on its way`));
              await branch.wait("cool-off", { seconds: 1 });
              return branch.step("send", async () => (ran("send"), `sent: ${draft}`));
            },
          },
          async (branch) => branch.step(async () => (ran("invoice"), `invoice for ${event.order}: ${event.lines} lines`)), // unnamed branch, unnamed step
        ]);
        const summary = await ctx.step("summary", async () => (ran("summary"), batch.getResults().join(" | ")));
        return {
          results: batch.getResults(),
          items: batch.all.map((i) => `${i.index}:${i.status}`),
          completionReason: batch.completionReason,
          status: batch.status,
          summary,
          ran: tally(),
        };
      }),
  },
];
