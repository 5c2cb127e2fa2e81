// The demo: runs the TypeScript order workflow (examples/order-workflow.ts) as a
// durable function against the local durable execution emulator, printing one row
// per checkpoint call and a summary of the execution.
//
//   node scripts/demo.mjs [--items 100] [--transport fetch|sdk] [--wait 2] [--pay-after 500] [--endpoint URL --region R]
//
// --endpoint/--region point it at another running instance of the emulator's API
// (start-durable-execution, checkpoint, state, history) instead of starting one here;
// for the real service, deploy examples/template.yaml (SAM) and invoke the function.
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { Emulator, LocalLambda, CREDENTIALS, REGION } from "./emulator.mjs";

const require = createRequire(import.meta.url);
const { orderWorkflow } = require("../examples/dist/order-workflow.js");
const { fetchTransport, lambdaClientTransport } = require("durable-checkpoint");

const { values: opts } = parseArgs({
  options: {
    items: { type: "string", default: "100" },
    transport: { type: "string", default: "fetch" },
    endpoint: { type: "string" },
    region: { type: "string" },
    wait: { type: "string", default: "2" },
    "pay-after": { type: "string", default: "500" },
  },
});
const region = opts.region ?? process.env.AWS_REGION ?? REGION;

const lambda = await LocalLambda.start();
const emulator = opts.endpoint ? null : await Emulator.start({ lambdaEndpoint: lambda.endpoint, skipTime: false });
const api = emulator ?? Object.assign(Object.create(Emulator.prototype), { base: opts.endpoint });
const transport =
  opts.transport === "sdk"
    ? lambdaClientTransport(new (require("@aws-sdk/client-lambda").LambdaClient)({ endpoint: api.base, region, credentials: CREDENTIALS, maxAttempts: 1 }))
    : fetchTransport({ endpoint: api.base, region, credentials: CREDENTIALS });

const pad = (v, n) => String(v).padStart(n);
let calls = 0;
let updates = 0;
let bytes = 0;
let retries = 0;
let invocation = 0;
const began = Date.now();
console.log(`durable-checkpoint demo: order workflow, ${opts.items} items, ${opts.transport} transport, emulator at ${api.base}`);
console.log(`${pad("call", 5)} ${pad("inv", 4)} ${pad("updates", 8)} ${pad("bytes", 8)} ${pad("latency ms", 11)} ${pad("retries", 8)}  operations`);
// The payment service: answers the workflow's callback a moment later, from outside
// the invocation, as a real one would.
const requestPayment = async (callbackId, orderId, total) => {
  console.log(`      payment requested for ${orderId} (${total}); callback ${callbackId.slice(0, 12)}…`);
  setTimeout(() => {
    api.callbackSuccess(callbackId, `pay-${orderId}`).catch((e) => console.error(`payment callback failed: ${e.message}`));
  }, Number(opts["pay-after"]));
};
const workflow = orderWorkflow(requestPayment, {
  transport,
  onBatch(info) {
    calls++;
    updates += info.updates;
    bytes += info.bytes;
    retries += info.attempts - 1;
    const ids = info.operationIds.length > 4 ? `${info.operationIds.slice(0, 3).join(", ")}, … (${info.operationIds.length})` : info.operationIds.join(", ");
    console.log(`${pad(calls, 5)} ${pad(invocation, 4)} ${pad(info.updates, 8)} ${pad(info.bytes, 8)} ${pad(info.latencyMs, 11)} ${pad(info.attempts - 1, 8)}  ${ids}`);
  },
});
lambda.register("order-processing", async (event, context) => {
  invocation++;
  const out = await workflow(event, context);
  console.log(`      invocation ${invocation} ended: ${out.Status}`);
  return out;
});

let ok = false;
try {
  const items = Array.from({ length: Number(opts.items) }, (_, i) => ({ sku: `sku-${i}`, quantity: 1 + (i % 3) }));
  const arn = await api.startExecution("order-processing", { orderId: "A-1001", items, coolOffSeconds: Number(opts.wait) }, { name: `demo-${Date.now()}` });
  const end = await api.waitForEnd(arn);
  const history = await api.history(arn);
  const counts = new Map();
  for (const e of history) if (e.Id) counts.set(`${e.EventType}:${e.Id}`, (counts.get(`${e.EventType}:${e.Id}`) ?? 0) + 1);
  const once = [...counts.values()].every((n) => n === 1);
  console.log("\nsummary");
  console.log(`  execution      ${end.Status} in ${Date.now() - began} ms over ${invocation} invocations`);
  console.log(`  result         ${end.Result}`);
  console.log(`  checkpoints    ${calls} calls, ${updates} updates, ${bytes} bytes, ${retries} retries`);
  console.log(`  history        ${history.length} events; every operation recorded exactly once: ${once ? "yes" : "NO"}`);
  ok = end.Status === "SUCCEEDED" && once;
} finally {
  await emulator?.stop();
  await lambda.close();
}
process.exit(ok ? 0 : 1);
