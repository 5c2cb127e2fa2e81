#!/usr/bin/env bash
# The install test: pack the package, install the tarball into a fresh TypeScript
# project outside the source tree, type-check it under nodenext and bundler
# resolution, and run a handler from require and from import with no Rust on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export PATH=/usr/local/bin:/usr/bin:/bin # no cargo, no wasm-pack

cd "$root"
tarball="$(npm pack --silent --pack-destination "$tmp" 2>/dev/null | tail -n 1)"
echo "install-test: packed $tarball ($(du -k "$tmp/$tarball" | cut -f1) KiB)"
mkdir "$tmp/app"
cd "$tmp/app"
printf '{ "name": "app", "private": true, "type": "commonjs" }\n' > package.json
npm install --silent --no-audit --no-fund "$tmp/$tarball" typescript@5.9.3 @types/node@20 >/dev/null 2>&1
[ ! -e node_modules/durable-checkpoint/src ] || { echo "install-test: the tarball ships Rust sources"; exit 1; }

cat > handler.ts <<'TS'
import { withDurableCheckpoints, CheckpointError, sortUpdates, type Transport } from "durable-checkpoint";

const calls: unknown[] = [];
const transport: Transport = {
  async checkpoint(input) {
    calls.push(input);
    return {
      CheckpointToken: `t${calls.length}`,
      NewExecutionState: { Operations: [{ Id: "seen", Type: "STEP", Status: "SUCCEEDED", StartTimestamp: new Date(0), EndTimestamp: new Date(1_700_000_000_000) }] },
    };
  },
};

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof CheckpointError ? e.code : String(e);
  }
  return undefined;
};

export const handler = withDurableCheckpoints<{ n: number }, number>(async ({ batcher, input }) => {
  batcher.checkpointAsync({ Id: "double", Type: "STEP", Action: "START" });
  await batcher.checkpoint({ Id: "double", Type: "STEP", Action: "SUCCEED", Payload: String(input.n * 2) });
  try {
    batcher.checkpointAsync({ Id: "bad id", Type: "STEP", Action: "START" });
  } catch (e) {
    if (!(e instanceof CheckpointError) || e.code !== "INVALID_UPDATE") throw e;
  }
  // The ancestor gate: a context finished in an earlier invocation, and one finished now.
  const gate = [
    code(() => batcher.checkpointAsync({ Id: "late", ParentId: "old", Type: "STEP", Action: "START" })),
    code(() => batcher.checkpointAsync({ Id: "ctx", Type: "CONTEXT", Action: "START" })),
    code(() => batcher.checkpointAsync({ Id: "ctx", Type: "CONTEXT", Action: "SUCCEED" })),
    code(() => batcher.checkpointAsync({ Id: "kid", ParentId: "ctx", Type: "STEP", Action: "START" })),
    code(() => batcher.finishContext("other")),
    code(() => batcher.checkpointAsync({ Id: "k2", ParentId: "other", Type: "STEP", Action: "START" })),
    // A hole (plain JavaScript can pass one) is refused, naming its index.
    code(() => sortUpdates(new Array<never>(1))),
  ].join(",");
  if (gate !== "ORPHANED,,,ORPHANED,,ORPHANED,INVALID_UPDATE") throw new Error(`gate: ${gate}`);
  // Polling: rides with the batch above; alone, one call with no updates.
  const [withBatch, alone] = [await batcher.poll(), await batcher.poll()];
  const last = calls[calls.length - 1] as { Updates: unknown[] };
  if (withBatch[0]?.Id !== "seen" || !(alone[0]?.EndTimestamp instanceof Date) || last.Updates.length !== 0) {
    throw new Error(`poll: ${JSON.stringify({ withBatch, alone, last })}`);
  }
  return input.n * 2;
}, { transport });

export async function main(how: string): Promise<void> {
  const out = await handler({
    DurableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f/durable-execution/r/e",
    CheckpointToken: "tok0",
    InitialExecutionState: {
      Operations: [
        { Id: "e", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(), ExecutionDetails: { InputPayload: '{"n":21}' } },
        { Id: "old", Type: "CONTEXT", Status: "SUCCEEDED", StartTimestamp: new Date() },
      ],
    },
  });
  const order = sortUpdates([{ Id: "c", ParentId: "p", Type: "STEP", Action: "START" }, { Id: "p", Type: "CONTEXT", Action: "START" }]);
  if (out.Status !== "SUCCEEDED" || out.Result !== "42" || calls.length !== 3 || order[0]?.Id !== "p") {
    throw new Error(`unexpected: ${JSON.stringify({ out, calls: calls.length })}`);
  }
  console.log(`install-test: handler ran from ${how}`);
}
TS
cat > durable.ts <<'TS'
// The durable API from the tarball: a step, a child context and a wait that suspends,
// against an in-memory service; invocation 2 replays and finishes.
import { withDurableExecution, StepError, type DurableContext, type Operation, type OperationUpdate } from "durable-checkpoint";

const ops = new Map<string, Operation>();
const apply = (u: OperationUpdate): Operation => {
  const op: Operation = { ...(ops.get(u.Id!) ?? { Id: u.Id, Type: u.Type, Name: u.Name, SubType: u.SubType, ParentId: u.ParentId, Status: "STARTED", StartTimestamp: new Date() }) };
  if (u.Action === "START") op.Status = "STARTED";
  if (u.Action === "SUCCEED") {
    op.Status = "SUCCEEDED";
    if (u.Type === "STEP") op.StepDetails = { Result: u.Payload };
    if (u.Type === "CONTEXT") op.ContextDetails = { Result: u.Payload };
  }
  ops.set(u.Id!, op);
  return op;
};
let calls = 0;
const durableExecutionClient = {
  async checkpoint(input: { Updates?: OperationUpdate[] }) {
    calls++;
    return { CheckpointToken: `t${calls}`, NewExecutionState: { Operations: (input.Updates ?? []).map(apply) } };
  },
  async getExecutionState() {
    return { Operations: [] };
  },
};
let runs = 0;
export const handler = withDurableExecution(async (event: { n: number }, ctx: DurableContext) => {
  const doubled = await ctx.step("double", async () => { runs++; return event.n * 2; });
  const plus = await ctx.runInChildContext("child", async (c) => c.step(async () => doubled + 1));
  await ctx.wait({ seconds: 5 });
  if (!(new StepError("x") instanceof Error)) throw new Error("error classes");
  return { doubled, plus };
}, { durableExecutionClient });

export async function durableMain(): Promise<void> {
  const execution: Operation = { Id: "exec", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(), ExecutionDetails: { InputPayload: '{"n":21}' } };
  const event = () => ({ DurableExecutionArn: "arn:aws:lambda:us-east-1:1:function:f/durable-execution/r/e", CheckpointToken: `t${calls}`, InitialExecutionState: { Operations: [execution, ...ops.values()] } });
  const lambda = { awsRequestId: "r1", getRemainingTimeInMillis: () => 60_000 } as never;
  const first = await handler(event(), lambda);
  if (first.Status !== "PENDING") throw new Error(`invocation 1: ${JSON.stringify(first)}`);
  for (const op of ops.values()) if (op.Type === "WAIT") ops.set(op.Id!, { ...op, Status: "SUCCEEDED" });
  const second = await handler(event(), lambda);
  if (second.Status !== "SUCCEEDED" || second.Result !== '{"doubled":42,"plus":43}' || runs !== 1) {
    throw new Error(`invocation 2: ${JSON.stringify({ second, runs })}`);
  }
  console.log("install-test: durable API ran (suspended, replayed, succeeded)");
}
TS
cat > run.cts <<'TS'
import { main } from "./handler";
import { durableMain } from "./durable";
main("require").then(durableMain).catch((e) => { console.error(e); process.exit(1); });
TS
cat > run.mts <<'TS'
import { CheckpointBatcher } from "durable-checkpoint";
if (typeof CheckpointBatcher !== "function") throw new Error("no named ESM export");
const { main } = await import("./handler.js");
await main("import");
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "nodenext", "moduleResolution": "nodenext", "strict": true, "types": ["node"], "outDir": "out" }, "files": ["handler.ts", "durable.ts", "run.cts", "run.mts"] }
JSON
cat > tsconfig.bundler.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "esnext", "moduleResolution": "bundler", "strict": true, "types": ["node"], "noEmit": true }, "files": ["handler.ts", "durable.ts"] }
JSON
cat > tsconfig.node16.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "node16", "moduleResolution": "node16", "strict": true, "types": ["node"], "noEmit": true }, "files": ["handler.ts", "durable.ts", "run.cts", "run.mts"] }
JSON
npx tsc -p tsconfig.json
npx tsc -p tsconfig.node16.json
npx tsc -p tsconfig.bundler.json
echo "install-test: types resolve under nodenext, node16 and bundler"
node out/run.cjs
node out/run.mjs
node -e 'const m = require("durable-checkpoint"); if (typeof m.withDurableCheckpoints !== "function" || typeof m.withDurableExecution !== "function") process.exit(1)'
node --input-type=module -e 'import { withDurableCheckpoints, withDurableExecution } from "durable-checkpoint"; if (typeof withDurableCheckpoints !== "function" || typeof withDurableExecution !== "function") process.exit(1)'
echo "install-test: ok"
