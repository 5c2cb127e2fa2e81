// The shared vectors (tests/vectors/*.json) replayed through the npm package on a
// virtual clock: the same expectations the Rust replayer checks natively and as
// WebAssembly, so the JS layer (encoding, error description) is held to them too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { CheckpointBatcher } from "durable-checkpoint";

const TEST_ENV = Symbol.for("durable-checkpoint.testEnv");
const RAW = Symbol.for("durable-checkpoint.rawCheckpoint");
const dir = new URL("../vectors/", import.meta.url);
const realTurn = () => new Promise((r) => setImmediate(r));

/** Virtual time: sleepers wake only when the replayer moves the clock. */
class VirtualEnv {
  now = 0;
  sleepers = [];
  turnWaiters = [];
  clients = 0;
  env = {
    now: () => this.now,
    sleep: (ms) => new Promise((resolve) => this.sleepers.push({ until: this.now + ms, resolve })),
    turn: () => new Promise((resolve) => this.turnWaiters.push(resolve)),
    clientToken: () => `ct-${++this.clients}`,
  };
  /** Runs everything runnable, ending event-loop turns until nothing waits on one. */
  async settle() {
    for (let i = 0; i < 100_000; i++) {
      await realTurn();
      if (this.turnWaiters.length === 0) {
        await realTurn();
        if (this.turnWaiters.length === 0) return;
      }
      this.turnWaiters.splice(0).forEach((r) => r());
    }
    throw new Error("never settled");
  }
  async runUntil(t) {
    await this.settle();
    for (;;) {
      const due = this.sleepers.filter((s) => s.until <= t).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.now = Math.max(this.now, due.until);
      const ready = this.sleepers.filter((s) => s.until <= this.now);
      this.sleepers = this.sleepers.filter((s) => s.until > this.now);
      ready.forEach((s) => s.resolve());
      await this.settle();
    }
    this.now = Math.max(this.now, t);
    await this.settle();
  }
}

function failure(e) {
  const err = new Error(e.message ?? "");
  if (e.name !== undefined) err.name = e.name;
  if (e.status !== undefined) err.$metadata = { httpStatusCode: e.status };
  if (e.retryAfterMs !== undefined) err.retryAfterSeconds = e.retryAfterMs / 1000;
  return err;
}

async function replay(v) {
  const clock = new VirtualEnv();
  const replies = v.replies ?? [];
  const calls = [];
  const transport = {
    checkpoint: () => { throw new Error("the raw path is used"); },
    async [RAW](_arn, body) {
      const n = calls.length + 1;
      const b = JSON.parse(body);
      calls.push({
        at: clock.now,
        token: b.CheckpointToken,
        clientToken: b.ClientToken,
        updates: b.Updates.map((u) => `${u.Id}:${u.Action}`),
        bytes: Buffer.byteLength(body),
      });
      const r = replies[n - 1] ?? v.defaultReply ?? {};
      await clock.env.sleep(r.latencyMs ?? 0);
      if (r.error) throw failure(r.error);
      return {
        CheckpointToken: "token" in r ? (r.token ?? undefined) : `t${n}`,
        NewExecutionState: { Operations: structuredClone(r.operations ?? []) },
      };
    },
  };
  const errors = [];
  const cfg = v.config ?? {};
  const b = new CheckpointBatcher({
    durableExecutionArn: "arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/x/y",
    checkpointToken: v.checkpointToken ?? "tok0",
    transport,
    ...cfg,
    onError: (e) => errors.push(e.code),
    ...(v.operations ? { operations: structuredClone(v.operations) } : {}),
    [TEST_ENV]: clock.env,
  });
  const outcomes = {};
  const errorIds = {};
  const polled = {};
  const failed = (label, e) => {
    if (!label) return;
    outcomes[label] = e.code;
    errorIds[label] = e.operationIds;
  };
  const watch = (label, p) =>
    p.then(
      (ops) => {
        if (label) outcomes[label] = "ok";
        if (label && Array.isArray(ops)) polled[label] = ops.map((o) => o.Id);
      },
      (e) => failed(label, e),
    );
  let first = true;
  for (const step of v.steps) {
    const at = step.at ?? 0;
    if (first || at > clock.now) {
      await clock.runUntil(at);
      first = false;
    }
    if (step.checkpoint) watch(step.label, b.checkpoint(step.checkpoint));
    else if (step.checkpointAsync) {
      try {
        b.checkpointAsync(step.checkpointAsync);
        if (step.label) outcomes[step.label] = "ok";
      } catch (e) {
        failed(step.label, e);
      }
    } else if (step.poll) watch(step.label, b.poll());
    else if ("finishContext" in step) {
      try {
        b.finishContext(step.finishContext);
        if (step.label) outcomes[step.label] = "ok";
      } catch (e) {
        failed(step.label, e);
      }
    } else if (step.flush) watch(step.label, b.flush());
    else if (step.close) watch(step.label, b.close());
  }
  // Run to quiet: wake sleepers until none is left.
  await clock.settle();
  for (let i = 0; i < 10_000 && clock.sleepers.length > 0; i++) {
    await clock.runUntil(Math.min(...clock.sleepers.map((s) => s.until)));
  }
  // Attempts: consecutive calls with the same ClientToken.
  calls.forEach((c, i) => (c.attempt = i > 0 && calls[i - 1].clientToken === c.clientToken ? calls[i - 1].attempt + 1 : 1));
  return { calls, outcomes, errorIds, polled, stats: b.stats, checkpointToken: b.checkpointToken ?? null, errors };
}

const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const all = files.flatMap((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")).map((v) => [f.replace(".json", ""), v]));

test("there are at least 50 vectors", () => assert.ok(all.length >= 50, `${all.length}`));

for (const [file, v] of all) {
  test(`vector ${file}/${v.name}: ${v.description}`, async () => {
    const got = await replay(v);
    const e = v.expect;
    assert.equal(got.calls.length, e.calls.length, `calls: ${JSON.stringify(got.calls)}`);
    e.calls.forEach((ec, i) => {
      for (const [k, ev] of Object.entries(ec)) assert.deepEqual(got.calls[i][k], ev, `call ${i} ${k}`);
    });
    for (const [k, ev] of Object.entries(e.stats ?? {})) assert.equal(got.stats[k], ev, `stats.${k}`);
    if (e.outcomes) assert.deepEqual(got.outcomes, e.outcomes);
    if ("checkpointToken" in e) assert.equal(got.checkpointToken, e.checkpointToken);
    if (e.errors) assert.deepEqual(got.errors, e.errors);
    for (const [label, ids] of Object.entries(e.errorIds ?? {})) assert.deepEqual(got.errorIds[label], ids, `errorIds.${label}`);
    for (const [label, ids] of Object.entries(e.polled ?? {})) assert.deepEqual(got.polled[label], ids, `polled.${label}`);
  });
}
