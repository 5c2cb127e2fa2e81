/**
 * `withDurableExecution`: turns a durable handler `(event, context)` into the Lambda
 * handler the service invokes. Pages the initial state, builds the root context over
 * one core batcher, runs the handler until it returns, throws, or the invocation must
 * suspend, closes the batcher, and answers `{ Status, Result?, Error? }`.
 */
import { CheckpointBatcher, DISPOSE } from "../core/batcher";
import { CheckpointError } from "../core/errors";
import { lambdaClientTransport, type LambdaClientLike } from "../core/lambda";
import { pageState } from "../core/transport";
import { compileEarly, wasmCompiled } from "../core/wasm";
import type { Operation, Transport } from "../core/types";
import { MAX_INLINE_RESULT_BYTES, defaultTransport } from "../core/wrapper";
import { runAs, type Mode } from "./active";
import { rootContext } from "./context";
import { errorObjectFrom, isUnrecoverableInvocationError } from "./errors";
import { createDefaultLogger } from "./logger";
import { ExecutionState, type Termination } from "./state";
import type {
  DurableExecutionConfig,
  DurableExecutionHandler,
  DurableExecutionInvocationInput,
  DurableExecutionInvocationOutput,
  DurableLambdaHandler,
  LambdaContext,
} from "./types";
import type { DurableLogger } from "./logger";

/** The official testing library hands its client in on the event: that channel wins. */
function eventClient(event: object): Transport | undefined {
  const e = event as { durableExecutionClient?: unknown };
  if (String(event) === "[object DurableExecutionInvocationInputWithClient]" && "durableExecutionClient" in e) {
    return e.durableExecutionClient as Transport;
  }
  return undefined;
}

/** The transport of this invocation, in the official SDK's order of precedence, plus ours. */
function chooseTransport(event: object, config: DurableExecutionConfig | undefined): Transport {
  const fromEvent = eventClient(event);
  if (fromEvent) return fromEvent;
  if (config?.durableExecutionClient) return config.durableExecutionClient as unknown as Transport;
  if (config?.transport) return config.transport;
  if (config?.client) return lambdaClientTransport(config.client as unknown as LambdaClientLike);
  return defaultTransport("withDurableExecution");
}

function checkConfig(config: unknown): void {
  if (config === undefined) return;
  if (typeof config !== "object" || config === null) throw new TypeError(`withDurableExecution: config must be an object, got ${config === null ? "null" : typeof config}`);
  const c = config as Record<string, unknown>;
  for (const field of ["durableExecutionClient", "transport"] as const) {
    const v = c[field];
    if (v !== undefined && (typeof v !== "object" || v === null || typeof (v as { checkpoint?: unknown }).checkpoint !== "function")) {
      throw new TypeError(`withDurableExecution: config.${field} must be an object with a checkpoint(input) method`);
    }
  }
}

/** Maps an early end to the answer; throws when Lambda should retry the invocation. */
function answerFor(t: Termination): DurableExecutionInvocationOutput {
  switch (t.kind) {
    case "PENDING":
      return { Status: "PENDING" } as DurableExecutionInvocationOutput;
    case "THROW":
      throw t.error;
    case "FAILED":
      return { Status: "FAILED", Error: errorObjectFrom(t.error) } as DurableExecutionInvocationOutput;
    case "CHECKPOINT":
      return checkpointFailure(t.error);
  }
}

/** A failed checkpoint (SPEC §10): the token moved on → PENDING; invocation-scoped → throw (Lambda retries); else FAILED. */
function checkpointFailure(e: unknown): DurableExecutionInvocationOutput {
  if (e instanceof CheckpointError) {
    if (e.code === "TOKEN_REVOKED" || e.code === "ORPHANED") return { Status: "PENDING" } as DurableExecutionInvocationOutput;
    if (e.scope === "INVOCATION") throw e;
  }
  return { Status: "FAILED", Error: errorObjectFrom(e) } as DurableExecutionInvocationOutput;
}

/**
 * Wraps a durable handler for Lambda. `config.durableExecutionClient` (an object with
 * `checkpoint` and `getExecutionState`, as the official testing library passes),
 * `config.client` (a `LambdaClient`) or `config.transport` (one of this package's
 * transports) chooses how checkpoints travel; by default a `LambdaClient` from the
 * optional peer `@aws-sdk/client-lambda`.
 */
export function withDurableExecution<TEvent = any, TResult = any, TLogger extends DurableLogger = DurableLogger>(
  handler: DurableExecutionHandler<TEvent, TResult, TLogger>,
  config?: DurableExecutionConfig,
): DurableLambdaHandler {
  if (typeof handler !== "function") throw new TypeError(`withDurableExecution: handler must be a function, got ${typeof handler}`);
  checkConfig(config);
  compileEarly();
  return async (event: DurableExecutionInvocationInput, lambdaContext: LambdaContext) => {
    if (!event || typeof event !== "object" || !event.DurableExecutionArn || !event.CheckpointToken) {
      throw new Error(
        "Unexpected payload provided to start the durable execution.\nCheck your resource configurations to confirm the durability is set.",
      );
    }
    const arn = event.DurableExecutionArn;
    const token = event.CheckpointToken;
    const transport = chooseTransport(event, config);
    const initial = event.InitialExecutionState ?? { Operations: [] };
    // Page before the first checkpoint: a checkpoint invalidates the markers.
    let operations: Operation[];
    try {
      operations = await pageState(transport, arn, token, (initial.Operations ?? []) as Operation[], initial.NextMarker);
    } catch (e) {
      return checkpointFailure(e);
    }
    // The module compiles in the background from the wrapper's making on: wait for it
    // here rather than block in the constructor.
    await wasmCompiled();
    let state: ExecutionState | undefined;
    const batcher = new CheckpointBatcher({
      durableExecutionArn: arn,
      checkpointToken: token,
      transport,
      operations,
      onOperations: (ops) => state?.learn(ops),
      ...(config?.onBatch ? { onBatch: config.onBatch } : {}),
      ...(config?.onError ? { onError: config.onError } : {}),
    });
    try {
      state = new ExecutionState({
        arn,
        batcher,
        operations,
        updatedIds: event.UpdatedOperationIds,
        remainingMs: () => {
          const f = (lambdaContext as { getRemainingTimeInMillis?: () => number } | undefined)?.getRemainingTimeInMillis;
          const ms = typeof f === "function" ? f.call(lambdaContext) : Infinity;
          return typeof ms === "number" && !Number.isNaN(ms) ? ms : Infinity;
        },
      });
      const mode: Mode = operations.length > 1 ? "ReplayMode" : "ExecutionMode";
      const requestId = (lambdaContext as { awsRequestId?: string } | undefined)?.awsRequestId;
      const tenantId = (lambdaContext as { tenantId?: string } | undefined)?.tenantId;
      const logger = createDefaultLogger({ durableExecutionArn: arn, requestId, tenantId });
      const ctx = rootContext({ state, lambdaContext, requestId, tenantId }, mode, logger);
      const execution = operations.find((o) => o?.Type === "EXECUTION") ?? operations[0];
      return await run(state, batcher, execution, () => {
        const input = JSON.parse(execution?.ExecutionDetails?.InputPayload ?? "{}") as TEvent;
        return handler(input, ctx as never);
      });
    } finally {
      batcher[DISPOSE]();
    }
  };
}

/** Runs the handler against early termination and closes the batcher (SPEC §10 decides on a failed close). */
async function run(
  state: ExecutionState,
  batcher: CheckpointBatcher,
  execution: Operation | undefined,
  handler: () => Promise<unknown>,
): Promise<DurableExecutionInvocationOutput> {
  type Ended = { how: "returned"; value: unknown } | { how: "threw"; error: unknown } | { how: "terminated"; t: Termination };
  const handlerDone: Promise<Ended> = runAs({ contextId: "root", mode: undefined }, async () => {
    try {
      return { how: "returned", value: await handler() } as Ended;
    } catch (error) {
      return { how: "threw", error } as Ended;
    }
  });
  const ended = await Promise.race([handlerDone, state.terminated.then((t): Ended => ({ how: "terminated", t }))]);
  state.finish();

  let answer: () => DurableExecutionInvocationOutput;
  if (ended.how === "terminated") {
    const t = ended.t;
    answer = () => answerFor(t);
  } else if (ended.how === "threw") {
    const error = ended.error;
    answer = () => {
      if (isUnrecoverableInvocationError(error)) throw error;
      return { Status: "FAILED", Error: errorObjectFrom(error) } as DurableExecutionInvocationOutput;
    };
  } else {
    const text = JSON.stringify(ended.value) as string | undefined;
    if (text !== undefined && Buffer.byteLength(text, "utf8") > MAX_INLINE_RESULT_BYTES && execution?.Id) {
      // Too large for the response: recorded on the EXECUTION operation instead.
      batcher.checkpointAsync({ Id: execution.Id, Type: "EXECUTION", Action: "SUCCEED", Payload: text });
      answer = () => ({ Status: "SUCCEEDED", Result: "" }) as DurableExecutionInvocationOutput;
    } else {
      answer = () => (text === undefined ? { Status: "SUCCEEDED" } : { Status: "SUCCEEDED", Result: text }) as DurableExecutionInvocationOutput;
    }
  }
  try {
    await batcher.close();
  } catch (e) {
    // The final flush failed: its error decides, unless the invocation already ended on one.
    if (ended.how !== "terminated" || ended.t.kind === "PENDING") return checkpointFailure(e);
  }
  return answer();
}
