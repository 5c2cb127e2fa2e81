/** The Lambda handler wrapper of SPEC §10. */
import { CheckpointBatcher, DISPOSE, type CheckpointBatcherOptions } from "./batcher";
import { CheckpointError } from "./errors";
import { lambdaClientTransport, type LambdaClientLike } from "./lambda";
import { pageState } from "./transport";
import { compileEarly, wasmCompiled } from "./wasm";
import type { ErrorObject, Operation, Transport } from "./types";

/** The event Lambda invokes a durable function with. */
export interface DurableExecutionInvocationInput {
  DurableExecutionArn: string;
  CheckpointToken: string;
  InitialExecutionState: { Operations?: Operation[]; NextMarker?: string };
}

/** What a durable function returns to the service. */
export interface DurableExecutionInvocationOutput {
  Status: "SUCCEEDED" | "FAILED" | "PENDING";
  Result?: string;
  Error?: ErrorObject;
}

/** What the wrapped handler receives. */
export interface CheckpointContext<TInput = unknown> {
  /** Checkpoint through this; the wrapper closes it. */
  batcher: CheckpointBatcher;
  /** Every known operation by Id, kept current from checkpoint responses. */
  operations: Map<string, Operation>;
  /** The execution's input: `InputPayload` of the EXECUTION operation, parsed as JSON. */
  input: TInput;
  /** The raw invocation event. */
  event: DurableExecutionInvocationInput;
  /** Lambda's context object. */
  lambdaContext: unknown;
}

/** Options of {@link withDurableCheckpoints}: a transport, and batcher options passed through. */
export interface DurableCheckpointsOptions
  extends Pick<
    CheckpointBatcherOptions,
    "maxBatchSizeBytes" | "maxBatchOperations" | "maxBatchTimeMs" | "flush" | "onBatch" | "onError"
  > {
  /** Default: `lambdaClientTransport(new LambdaClient({}))`. */
  transport?: Transport;
}

/** Results longer than this many UTF-8 bytes are checkpointed instead of returned. */
export const MAX_INLINE_RESULT_BYTES = 6 * 1024 * 1024 - 50;

const SUSPEND = Symbol.for("durable-checkpoint.suspend");

/** Thrown by {@link suspend}; the wrapper turns it into `{ Status: "PENDING" }`. */
export class SuspendSignal extends Error {
  readonly [SUSPEND] = true;
  constructor() {
    super("the durable function suspended itself (durable-checkpoint suspend())");
    this.name = "SuspendSignal";
  }
}

/**
 * Ends the invocation as `{ Status: "PENDING" }` once the batcher is flushed, e.g.
 * after a WAIT or CALLBACK START was checkpointed: the service re-invokes the function
 * with the updated state later. Call it inside a wrapped handler; it throws a signal
 * (do not catch it, or rethrow it).
 */
export function suspend(): never {
  throw new SuspendSignal();
}

function isSuspend(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[SUSPEND] === true;
}

function errorObject(e: unknown): ErrorObject {
  if (e instanceof Error) {
    const out: ErrorObject = { ErrorType: e.name, ErrorMessage: e.message };
    if (e.stack) out.StackTrace = e.stack.split("\n").slice(1).map((l) => l.trim());
    return out;
  }
  return { ErrorType: typeof e, ErrorMessage: String(e) };
}

function parseInput(payload: string | undefined): unknown {
  if (payload === undefined || payload === "") return undefined;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/** `lambdaClientTransport(new LambdaClient({}))`, or a clear error without the peer. */
export function defaultTransport(name = "withDurableCheckpoints"): Transport {
  let client: LambdaClientLike;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LambdaClient } = require("@aws-sdk/client-lambda") as { LambdaClient: new (c: object) => LambdaClientLike };
    client = new LambdaClient({});
  } catch (e) {
    throw new Error(`${name} needs a transport, or @aws-sdk/client-lambda installed`, { cause: e });
  }
  return lambdaClientTransport(client);
}

/** Maps how the invocation ended to the service's answer (SPEC §10). */
function outcome(e: unknown): DurableExecutionInvocationOutput {
  if (isSuspend(e)) return { Status: "PENDING" };
  if (e instanceof CheckpointError) {
    // ORPHANED concerns only work under a finished CONTEXT: it never fails the
    // execution by itself. A handler that lets one escape ends the invocation as if
    // suspended, and the service goes on from the state it has recorded.
    if (e.code === "TOKEN_REVOKED" || e.code === "ORPHANED") return { Status: "PENDING" };
    // Lambda retries the invocation.
    if (e.scope === "INVOCATION") throw e;
  }
  return { Status: "FAILED", Error: errorObject(e) };
}

/**
 * Wraps a durable function's handler: pages the initial state, gives the handler a
 * batcher and the operations, closes the batcher before returning whatever happens,
 * and maps the outcome to `{ Status, Result?, Error? }`.
 */
export function withDurableCheckpoints<TInput = unknown, TResult = unknown>(
  handler: (ctx: CheckpointContext<TInput>) => Promise<TResult> | TResult,
  options: DurableCheckpointsOptions = {},
): (event: DurableExecutionInvocationInput, lambdaContext?: unknown) => Promise<DurableExecutionInvocationOutput> {
  if (typeof handler !== "function") throw new TypeError("withDurableCheckpoints needs a handler function");
  compileEarly();
  return async (event, lambdaContext) => {
    if (typeof event !== "object" || event === null) throw new TypeError("the invocation event must be an object");
    const arn = event.DurableExecutionArn;
    const transport = options.transport ?? defaultTransport();
    const initial = event.InitialExecutionState ?? {};
    // Page the initial state before the first checkpoint: a checkpoint invalidates markers.
    const ops = await pageState(transport, arn, event.CheckpointToken, initial.Operations ?? [], initial.NextMarker);
    const operations = new Map<string, Operation>();
    const remember = (list: Operation[]) => {
      for (const op of list) if (op && typeof op.Id === "string") operations.set(op.Id, op);
    };
    remember(ops);
    const execution = ops.find((o) => o?.Type === "EXECUTION");
    const executionId = execution?.Id ?? arn.slice(arn.lastIndexOf("/") + 1);
    const { transport: _t, ...batching } = options;
    // The module compiles in the background from the wrapper's making on (see ./wasm).
    await wasmCompiled();
    const batcher = new CheckpointBatcher({
      ...batching,
      durableExecutionArn: arn,
      checkpointToken: event.CheckpointToken,
      transport,
      onOperations: remember,
      // The ancestor gate learns parents and finished contexts of earlier invocations.
      operations: ops,
    });
    try {
      return await run(batcher, handler, {
        operations,
        input: parseInput(execution?.ExecutionDetails?.InputPayload) as TInput,
        event,
        lambdaContext,
        executionId,
      });
    } finally {
      // Closed by now, whatever happened: free the WebAssembly side at once.
      batcher[DISPOSE]();
    }
  };
}

/** Runs the handler and closes the batcher, mapping the outcome (SPEC §10). */
async function run<TInput, TResult>(
  batcher: CheckpointBatcher,
  handler: (ctx: CheckpointContext<TInput>) => Promise<TResult> | TResult,
  c: {
    operations: Map<string, Operation>;
    input: TInput;
    event: DurableExecutionInvocationInput;
    lambdaContext: unknown;
    executionId: string;
  },
): Promise<DurableExecutionInvocationOutput> {
  const { operations, input, event, lambdaContext, executionId } = c;
  let result: DurableExecutionInvocationOutput;
  try {
    const value = await handler({ batcher, operations, input, event, lambdaContext });
    const text = value === undefined ? undefined : JSON.stringify(value);
    if (text !== undefined && Buffer.byteLength(text, "utf8") > MAX_INLINE_RESULT_BYTES) {
      batcher.checkpointAsync({ Id: executionId, Type: "EXECUTION", Action: "SUCCEED", Payload: text });
      result = { Status: "SUCCEEDED", Result: "" };
    } else {
      result = text === undefined ? { Status: "SUCCEEDED" } : { Status: "SUCCEEDED", Result: text };
    }
  } catch (e) {
    try {
      await batcher.close();
    } catch (closeError) {
      // The final flush failed: its error decides (SPEC §10).
      return outcome(closeError);
    }
    return outcome(e);
  }
  try {
    await batcher.close();
  } catch (closeError) {
    return outcome(closeError);
  }
  return result;
}
