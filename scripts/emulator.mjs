// A local durable execution service for the e2e tests and the demo:
// - Emulator: `dex-local-runner start-server` from the PyPI package
//   aws-durable-execution-sdk-python-testing (installed by scripts/setup.sh), on a free
//   loopback port, with fake credentials (without them it never invokes the function);
// - LocalLambda: the Lambda Invoke endpoint it calls to run a function
//   (POST /2015-03-31/functions/{name}/invocations), dispatching to handlers in this process;
// - Proxy: sits between the batcher and the emulator, records every call and can
//   inject faults (429 with Retry-After, 500, dropped connections, stale tokens).
// Loopback only; every process started here is stopped by pid.
import http from "node:http";
import net from "node:net";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const RUNNER = process.env.DEX_LOCAL_RUNNER ?? `${ROOT}.cache/emulator-venv/bin/dex-local-runner`;
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What a Lambda handler gets as its context for function `name` (LocalLambda passes only a request id, in `ctx`). */
export function lambdaContext(ctx, name) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    memoryLimitInMB: "128",
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 900_000,
    done() {},
    fail() {},
    succeed() {},
    ...ctx,
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function json(base, method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  if (!r.ok) throw Object.assign(new Error(`${method} ${path}: HTTP ${r.status} ${text}`), { status: r.status, body: parsed });
  return parsed;
}

const arnPath = (arn) => `/2025-12-01/durable-executions/${encodeURIComponent(arn)}`;

/** The emulator process. */
export class Emulator {
  /** `extraArgs`: more `start-server` options (e.g. `--function-configs` for chained invokes). */
  static async start({ lambdaEndpoint, skipTime = true, extraArgs = [] }) {
    if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: run scripts/setup.sh`);
    const port = await freePort();
    const args = ["start-server", "--host", "127.0.0.1", "--port", String(port), "--lambda-endpoint", lambdaEndpoint, "--local-runner-region", REGION];
    if (skipTime) args.push("--skip-time");
    args.push(...extraArgs);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_EC2_METADATA_DISABLED: "true" };
    const proc = spawn(RUNNER, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const logs = [];
    const keep = (d) => {
      logs.push(String(d));
      if (logs.length > 500) logs.shift(); // long runs: the tail is what explains a failure
    };
    proc.stdout.on("data", keep);
    proc.stderr.on("data", keep);
    const emu = new Emulator(proc, `http://127.0.0.1:${port}`, logs);
    for (let i = 0; i < 300; i++) {
      if (proc.exitCode !== null) break;
      try {
        if ((await fetch(`${emu.base}/health`)).ok) return emu;
      } catch {
        // not up yet
      }
      await sleep(100);
    }
    await emu.stop();
    throw new Error(`the emulator did not start:\n${logs.join("")}`);
  }

  constructor(proc, base, logs) {
    this.proc = proc;
    this.base = base;
    this.logs = logs;
  }

  async stop() {
    const p = this.proc;
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    process.kill(p.pid, "SIGTERM");
    const kill = setTimeout(() => { try { process.kill(p.pid, "SIGKILL"); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(kill);
  }

  /** Starts an execution of `functionName`; returns its ARN. */
  async startExecution(functionName, input, { name = functionName, timeoutSeconds = 300 } = {}) {
    const r = await json(this.base, "POST", "/start-durable-execution", {
      AccountId: ACCOUNT,
      FunctionName: functionName,
      FunctionQualifier: "$LATEST",
      ExecutionName: name,
      ExecutionTimeoutSeconds: timeoutSeconds,
      ExecutionRetentionPeriodDays: 1,
      Input: JSON.stringify(input ?? null),
    });
    return r.ExecutionArn;
  }

  execution(arn) {
    return json(this.base, "GET", arnPath(arn));
  }

  /** Waits until the execution leaves RUNNING. */
  async waitForEnd(arn, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.execution(arn);
      if (e.Status !== "RUNNING") return e;
      if (Date.now() > deadline) throw new Error(`execution ${arn} still RUNNING after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** Answers the callback `callbackId` with `result` (text), as SendDurableExecutionCallbackSuccess does. */
  async callbackSuccess(callbackId, result) {
    const res = await fetch(`${this.base}/2025-12-01/durable-execution-callbacks/${encodeURIComponent(callbackId)}/succeed`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: result,
    });
    if (!res.ok) throw new Error(`callback ${callbackId} success: HTTP ${res.status} ${await res.text()}`);
  }

  /** Every history event, all pages. */
  async history(arn) {
    const events = [];
    let marker;
    do {
      const q = `IncludeExecutionData=true&MaxItems=1000${marker ? `&Marker=${encodeURIComponent(marker)}` : ""}`;
      const page = await json(this.base, "GET", `${arnPath(arn)}/history?${q}`);
      events.push(...(page.Events ?? []));
      marker = page.NextMarker;
    } while (marker);
    return events;
  }

  /** One page of state, as the service's GetDurableExecutionState returns it. */
  state(arn, token, maxItems) {
    return json(this.base, "GET", `${arnPath(arn)}/state?CheckpointToken=${encodeURIComponent(token)}&MaxItems=${maxItems}`);
  }
}

/** The Lambda Invoke endpoint the emulator calls. */
export class LocalLambda {
  static async start() {
    const l = new LocalLambda();
    await new Promise((r) => l.server.listen(0, "127.0.0.1", r));
    l.endpoint = `http://127.0.0.1:${l.server.address().port}`;
    return l;
  }

  constructor() {
    this.functions = new Map();
    this.invocations = [];
    this.server = http.createServer((req, res) => this.#serve(req, res));
  }

  /**
   * Registers `handler(event, context)` under `name`. With `pageInitialState: n` the
   * invocation's InitialExecutionState is cut to its first page of `n` operations
   * with a NextMarker, as the service does for large states (the emulator itself only
   * pages above ~5 MiB), so the handler must follow it.
   */
  register(name, handler, { pageInitialState, emulator } = {}) {
    this.functions.set(name, { handler, pageInitialState, emulator });
  }

  async #serve(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
    const fn = m && this.functions.get(decodeURIComponent(m[1]).split(":")[0]);
    if (!fn) {
      res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
      res.end(JSON.stringify({ Type: "User", Message: `no function ${m?.[1]}` }));
      return;
    }
    const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const record = { function: decodeURIComponent(m[1]), at: Date.now(), operations: event.InitialExecutionState?.Operations?.length ?? 0 };
    this.invocations.push(record);
    try {
      if (fn.pageInitialState) {
        const page = await fn.emulator.state(event.DurableExecutionArn, event.CheckpointToken, fn.pageInitialState);
        event.InitialExecutionState = { Operations: page.Operations, NextMarker: page.NextMarker };
        record.paged = Boolean(page.NextMarker);
      }
      const out = await fn.handler(event, { awsRequestId: `local-${this.invocations.length}`, functionName: record.function });
      record.status = out?.Status;
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": `local-${this.invocations.length}` });
      res.end(JSON.stringify(out));
    } catch (e) {
      // As Lambda reports an unhandled error: the service retries the invocation.
      record.error = e;
      res.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" });
      res.end(JSON.stringify({ errorType: e?.name ?? "Error", errorMessage: String(e?.message ?? e) }));
    }
  }

  close() {
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(r));
  }
}

/**
 * A recording proxy in front of the emulator. `faults` is a list of
 * `{ when(call) -> boolean, do: "429" | "500" | "drop" | "drop-after" | "stale", retryAfter? }`,
 * each used once; `calls` records every request and what came of it.
 */
export class Proxy {
  static async start(target) {
    const p = new Proxy(target);
    await new Promise((r) => p.server.listen(0, "127.0.0.1", r));
    p.endpoint = `http://127.0.0.1:${p.server.address().port}`;
    return p;
  }

  constructor(target) {
    this.target = new URL(target);
    this.faults = [];
    this.calls = [];
    this.tokens = new Map();
    this.server = http.createServer((req, res) => this.#serve(req, res));
  }

  async #serve(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    let body = Buffer.concat(chunks);
    const call = { method: req.method, path: req.url, bytes: body.length, kind: /\/checkpoint$/.test(req.url ?? "") ? "checkpoint" : "state" };
    this.calls.push(call);
    const k = this.faults.findIndex((f) => f.when(call));
    const fault = k >= 0 ? this.faults.splice(k, 1)[0] : undefined;
    call.fault = fault?.do;
    if (fault?.do === "429") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(fault.retryAfter ?? 0.05) });
      res.end(JSON.stringify({ Type: "TooManyRequestsException", message: "Rate exceeded" }));
      call.status = 429;
      return;
    }
    if (fault?.do === "500") {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ Type: "ServiceException", Message: "injected" }));
      call.status = 500;
      return;
    }
    if (fault?.do === "drop") {
      req.socket.destroy();
      call.status = "dropped";
      return;
    }
    if (call.kind === "checkpoint" && body.length > 0) {
      const parsed = JSON.parse(body.toString("utf8"));
      const arn = decodeURIComponent((req.url ?? "").split("/")[3] ?? "");
      if (fault?.do === "stale" && this.tokens.has(arn)) {
        parsed.CheckpointToken = this.tokens.get(arn);
        body = Buffer.from(JSON.stringify(parsed));
      }
      this.tokens.set(arn, parsed.CheckpointToken);
      call.updates = parsed.Updates?.length ?? 0;
    }
    const headers = { ...req.headers, host: this.target.host, "content-length": String(body.length) };
    const upstream = http.request({ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers }, (up) => {
      const out = [];
      up.on("data", (d) => out.push(d));
      up.on("end", () => {
        call.status = up.statusCode;
        call.response = Buffer.concat(out).toString("utf8").slice(0, 500);
        if (fault?.do === "drop-after") {
          // The service applied the checkpoint; the caller never hears back.
          req.socket.destroy();
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.end(Buffer.concat(out));
      });
    });
    upstream.on("error", (e) => {
      call.status = `upstream error ${e.message}`;
      res.destroy();
    });
    upstream.end(body);
  }

  close() {
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(r));
  }
}
