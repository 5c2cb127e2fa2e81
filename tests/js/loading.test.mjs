// What loading the package costs a cold start: `require` instantiates no WebAssembly (the
// first batcher does), and compiles none in its own turn (a batcher made in that turn
// would compile the bytes twice); the compile starts on a later turn, in the background.
// Each case runs in a fresh process from a script file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const entry = createRequire(import.meta.url).resolve("durable-checkpoint");

/** Runs `body` in a fresh Node process with `pkg` required; returns what it printed, parsed. */
function fresh(body) {
  const dir = mkdtempSync(join(tmpdir(), "dc-load-"));
  const file = join(dir, "probe.cjs");
  writeFileSync(
    file,
    `const pkg = require(${JSON.stringify(entry)});
const wasm = () => Object.keys(require.cache).some((k) => k.endsWith("durable_checkpoint.js"));
(async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); });`,
  );
  const r = spawnSync(process.execPath, [file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("require instantiates no WebAssembly module, and a process with nothing else to do exits at once", () => {
  const t0 = performance.now();
  const seen = fresh(`console.log(JSON.stringify({ wasm: wasm() }));`);
  assert.deepEqual(seen, { wasm: false });
  assert.ok(performance.now() - t0 < 5000);
});

test("require does not load node:crypto: the next turn does (or its first use)", () => {
  const seen = fresh(`
    const crypto = () => process.moduleLoadList.includes("NativeModule crypto");
    const atRequire = crypto();
    await new Promise((r) => setImmediate(r));
    console.log(JSON.stringify({ atRequire, nextTurn: crypto() }));`);
  assert.deepEqual(seen, { atRequire: false, nextTurn: true });
});

test("a batcher made in the require turn instantiates the module synchronously and works", () => {
  const seen = fresh(`
    const sent = [];
    const b = new pkg.CheckpointBatcher({ durableExecutionArn: "arn:x", checkpointToken: "t0", transport: { checkpoint: async (input) => (sent.push(input), { CheckpointToken: "t1" }) } });
    const made = wasm();
    await b.checkpoint({ Id: "a", Type: "STEP", Action: "START" });
    await b.close();
    console.log(JSON.stringify({ made, ids: sent.flatMap((s) => s.Updates.map((u) => u.Id)), clientToken: typeof sent[0]?.ClientToken }));`);
  assert.deepEqual(seen, { made: true, ids: ["a"], clientToken: "string" });
});

test("making a durable handler instantiates nothing; its first invocation waits for the compile and runs", () => {
  const seen = fresh(`
    const h = pkg.withDurableExecution(async (_e, ctx) => ctx.step("one", async () => 1));
    const made = { wasm: wasm() };
    let token = 0;
    const client = { checkpoint: async () => ({ CheckpointToken: "t" + ++token }), getExecutionState: async () => ({ Operations: [] }) };
    const event = { DurableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f:1/durable-execution/e/1", CheckpointToken: "t0",
      InitialExecutionState: { Operations: [{ Id: "e", Type: "EXECUTION", Status: "STARTED", ExecutionDetails: { InputPayload: "{}" } }] } };
    const h2 = pkg.withDurableExecution(async (_e, ctx) => ctx.step("one", async () => 1), { durableExecutionClient: client });
    const out = await h2(event, { getRemainingTimeInMillis: () => 60000 });
    console.log(JSON.stringify({ made, handler: typeof h, status: out.Status, result: out.Result }));`);
  assert.deepEqual(seen, { made: { wasm: false }, handler: "function", status: "SUCCEEDED", result: "1" });
});
