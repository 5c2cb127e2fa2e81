// Fire-and-forget throughput in a fresh process: `node bench/throughput.mjs <raw|object|stringify> <n>`
// prints {usPerUpdate} (CPU, median of 5 runs after a warm-up). `raw`: a transport
// taking the body bytes (like fetchTransport); `object`: one taking objects (like
// lambdaClientTransport); `stringify`: JSON.stringify of the same updates alone.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { CheckpointBatcher } = require("durable-checkpoint");
const [mode, nArg] = process.argv.slice(2);
const N = Number(nArg ?? 100_000);
const updates = Array.from({ length: N }, (_, i) => ({ Id: `u${i}`, Type: "STEP", Action: "START", Name: `update-${i}` }));
const RAW = Symbol.for("durable-checkpoint.rawCheckpoint");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run() {
  const cpu0 = process.cpuUsage();
  if (mode === "stringify") {
    let n = 0;
    for (const u of updates) n += JSON.stringify(u).length;
    if (n === 0) throw new Error("nothing");
  } else {
    let k = 0;
    const transport =
      mode === "raw"
        ? { checkpoint: async () => ({}), [RAW]: async (_arn, body) => ({ CheckpointToken: `t${++k}${body.length > 0 ? "" : "!"}` }) }
        : { checkpoint: async (input) => ({ CheckpointToken: `t${++k}${input.Updates.length > 0 ? "" : "!"}` }) };
    const b = new CheckpointBatcher({ durableExecutionArn: "arn:bench", checkpointToken: "t0", transport });
    for (const u of updates) b.checkpointAsync(u);
    await b.close();
    if (b.stats.updatesSent !== N) throw new Error(`sent ${b.stats.updatesSent}`);
  }
  const c = process.cpuUsage(cpu0);
  return ((c.user + c.system) / N);
}
await run();
const rs = [];
for (let i = 0; i < 5; i++) rs.push(await run());
process.stdout.write(JSON.stringify({ usPerUpdate: median(rs) }));
