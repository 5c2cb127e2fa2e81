// The two shipped transports over real HTTP on loopback, against a small fake of the
// durable execution API that answers errors the way emulators do ({Type, message},
// no x-amzn-errortype header).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { CheckpointBatcher, fetchTransport, lambdaClientTransport } from "durable-checkpoint";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/run/abc";
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "session" };
let server;
let endpoint;
let requests = [];
let script = [];

before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const next = script.shift() ?? { status: 200, json: { CheckpointToken: `t${requests.length}`, NewExecutionState: { Operations: [] } } };
      res.writeHead(next.status, { "content-type": "application/json", ...(next.headers ?? {}) });
      res.end(JSON.stringify(next.json));
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const transports = {
  lambdaClient: () =>
    lambdaClientTransport(new LambdaClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 })),
  fetch: () => fetchTransport({ endpoint, region: "us-east-1", credentials }),
};

for (const [name, make] of Object.entries(transports)) {
  test(`${name}: checkpoints reach the API path with the ARN encoded, signed, token chained`, async () => {
    requests = [];
    script = [];
    const b = new CheckpointBatcher({ durableExecutionArn: ARN, checkpointToken: "tok0", transport: make() });
    await b.checkpoint({ Id: "s1", Type: "STEP", Action: "START", Name: "é" });
    await b.checkpoint({ Id: "s1", Type: "STEP", Action: "SUCCEED", Payload: '{"v":1}' });
    assert.equal(requests.length, 2);
    const [r1, r2] = requests;
    assert.equal(r1.method, "POST");
    assert.equal(r1.url, `/2025-12-01/durable-executions/${encodeURIComponent(ARN)}/checkpoint`);
    assert.ok(r1.url.includes("%2F"), "slashes in the ARN are sent as %2F");
    assert.match(r1.headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/lambda\/aws4_request/);
    assert.equal(r1.headers["x-amz-security-token"], "session");
    const b1 = JSON.parse(r1.body);
    assert.equal(b1.CheckpointToken, "tok0");
    assert.equal(JSON.parse(r2.body).CheckpointToken, "t1");
    assert.deepEqual(b1.Updates, [{ Id: "s1", Name: "é", Type: "STEP", Action: "START" }]);
    assert.equal(b.checkpointToken, "t2");
    if (name === "fetch") {
      // The bytes the core measured go out unchanged.
      assert.ok(r1.body.startsWith('{"CheckpointToken":"tok0","Updates":[{"Id":"s1","Name":"é","Type":"STEP","Action":"START"}],"ClientToken":"'));
      assert.equal(Buffer.byteLength(r1.body) + Buffer.byteLength(r2.body), b.stats.bytesSent);
    }
  });

  test(`${name}: emulator errors ({Type, message}, no x-amzn-errortype) classify by Type, status and message`, async () => {
    requests = [];
    script = [{ status: 400, json: { Type: "InvalidParameterValueException", message: "Invalid checkpoint token" } }];
    const b = new CheckpointBatcher({ durableExecutionArn: ARN, checkpointToken: "tok0", transport: make() });
    const e = await b.checkpoint({ Id: "a", Type: "STEP", Action: "START" }).catch((x) => x);
    assert.equal(e.code, "INVALID_TOKEN");
    assert.equal(e.scope, "INVOCATION");
    assert.ok(e.cause instanceof Error);

    script = [{ status: 400, json: { Type: "InvalidParameterValueException", message: "Updates[0].Name is too long" } }];
    const b2 = new CheckpointBatcher({ durableExecutionArn: ARN, checkpointToken: "tok0", transport: make() });
    assert.equal((await b2.checkpoint({ Id: "a", Type: "STEP", Action: "START" }).catch((x) => x)).code, "REJECTED");
  });

  test(`${name}: 429 with Retry-After is retried after the server's wait`, async () => {
    requests = [];
    script = [{ status: 429, headers: { "retry-after": "0.2" }, json: { Type: "TooManyRequestsException", message: "Rate exceeded" } }];
    const b = new CheckpointBatcher({ durableExecutionArn: ARN, checkpointToken: "tok0", transport: make() });
    const t0 = performance.now();
    await b.checkpoint({ Id: "a", Type: "STEP", Action: "START" });
    assert.ok(performance.now() - t0 >= 190);
    assert.equal(requests.length, 2);
    assert.equal(requests[0].body.length > 0 && JSON.parse(requests[0].body).ClientToken, JSON.parse(requests[1].body).ClientToken);
    assert.equal(b.stats.retries, 1);
  });

  test(`${name}: NextMarker pages come from GET .../state with the new token; timestamps become Dates`, async () => {
    requests = [];
    script = [
      { status: 200, json: { CheckpointToken: "n1", NewExecutionState: { Operations: [{ Id: "a", Type: "STEP", Status: "STARTED", StartTimestamp: 1700000000 }], NextMarker: "mk" } } },
      { status: 200, json: { Operations: [{ Id: "b", Type: "WAIT", Status: "STARTED", StartTimestamp: 1700000001.5, WaitDetails: { ScheduledEndTimestamp: 1700000060 } }] } },
    ];
    const ops = [];
    const b = new CheckpointBatcher({ durableExecutionArn: ARN, checkpointToken: "tok0", transport: make(), onOperations: (o) => ops.push(...o) });
    await b.checkpoint({ Id: "a", Type: "STEP", Action: "START" });
    assert.equal(requests[1].method, "GET");
    const url = new URL(requests[1].url, endpoint);
    assert.equal(url.pathname, `/2025-12-01/durable-executions/${encodeURIComponent(ARN)}/state`);
    assert.equal(url.searchParams.get("CheckpointToken"), "n1");
    assert.equal(url.searchParams.get("Marker"), "mk");
    assert.equal(url.searchParams.get("MaxItems"), "1000");
    assert.deepEqual(ops.map((o) => o.Id), ["a", "b"]);
    assert.equal(ops[0].StartTimestamp.getTime(), 1700000000000);
    assert.equal(ops[1].StartTimestamp.getTime(), 1700000001500);
    assert.equal(ops[1].WaitDetails.ScheduledEndTimestamp.getTime(), 1700000060000);
  });
}

test("fetch: a dropped connection is TRANSIENT", async () => {
  const dead = http.createServer((req) => req.socket.destroy());
  await new Promise((r) => dead.listen(0, "127.0.0.1", r));
  const transport = fetchTransport({ endpoint: `http://127.0.0.1:${dead.address().port}`, region: "us-east-1", credentials });
  const b = new CheckpointBatcher({ durableExecutionArn: ARN, checkpointToken: "tok0", transport });
  const e = await b.checkpoint({ Id: "a", Type: "STEP", Action: "START" }).catch((x) => x);
  dead.close();
  assert.equal(e.code, "TRANSIENT");
  assert.equal(e.retriable, true);
});

test("fetch: credentials default to the Lambda environment variables", async () => {
  requests = [];
  script = [];
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "envtoken", AWS_REGION: "eu-west-1" });
  try {
    const b = new CheckpointBatcher({ durableExecutionArn: ARN, checkpointToken: "tok0", transport: fetchTransport({ endpoint }) });
    await b.checkpoint({ Id: "a", Type: "STEP", Action: "START" });
    assert.match(requests[0].headers.authorization, /Credential=AKIDENV\/\d{8}\/eu-west-1\/lambda/);
    assert.equal(requests[0].headers["x-amz-security-token"], "envtoken");
  } finally {
    process.env = saved;
  }
});
