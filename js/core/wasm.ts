/**
 * Loads the WebAssembly core built by wasm-pack (`pkg/`, `--target nodejs`) and
 * types the part of it this package uses (hand-kept, like automerge's index.d.ts).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { nodeCrypto } from "./node-crypto";

/** The `WasmCore` class exported by `src/wasm/bindings.rs`: the sans-IO core. */
export interface WasmCore {
  enqueueText(json: string, waiter: number, now: number, keep: boolean): string;
  enqueueLarge(
    id: string,
    parentId: string | undefined,
    name: string | undefined,
    subType: string | undefined,
    payloadJson: string | undefined,
    payloadJsonLen: number,
    payloadBytes: number,
    typeCode: number,
    actionCode: number,
    waiter: number,
    now: number,
  ): void;
  enqueuePlain(
    id: string,
    parentId: string | undefined,
    name: string | undefined,
    subType: string | undefined,
    payload: string | undefined,
    typeCode: number,
    actionCode: number,
    keep: boolean,
    waiter: number,
    now: number,
  ): void;
  poll(waiter: number, now: number): void;
  flush(waiter: number): void;
  close(waiter: number): void;
  finishContext(id: string): void;
  idle(): void;
  lastSeq(): number;
  nextTimeout(): number;
  backingOff(): boolean;
  isFinished(): boolean;
  pollTransmit(now: number): unknown;
  onAck(batch: number, token: string | undefined, known: string, now: number): void;
  onFailure(
    batch: number,
    status: number,
    name: string | undefined,
    message: string,
    retryAfterMs: number,
    cause: unknown,
    now: number,
  ): void;
  takeEvents(): unknown;
  readonly checkpointToken: string | undefined;
  stats(): Float64Array;
  free(): void;
}

interface WasmModule {
  WasmCore: new (
    checkpointToken: string,
    maxBatchSizeBytes: number,
    maxBatchOperations: number,
    maxBatchTimeMs: number,
    window: boolean,
    makeError: (...args: never[]) => unknown,
    clientToken: () => string,
    operations: string | undefined,
    batchInfo: boolean,
  ) => WasmCore;
  sortOrder(json: string, makeError: (...args: never[]) => unknown): Uint32Array;
  sortOrderNodes(count: number, items: Uint32Array): Uint32Array;
}

let loaded: WasmModule | undefined;

// dist/cjs/index.js (the bundle) -> pkg/
const PKG = path.join(__dirname, "..", "..", "pkg");

/**
 * The module, compiling in the background ({@link compileEarly}) from the first
 * event-loop turn after `require` on, or from when a handler wrapper is made. In a
 * Lambda both happen at INIT, and the runtime then waits for the first event while V8
 * runs the job. Nothing uses it directly: it is kept only so that V8's cache of compiled
 * modules (keyed by the bytes) still holds it when the glue compiles the same bytes
 * synchronously on first use, which then takes under a millisecond instead of ~4 ms. The
 * wrappers wait for it before their first batcher. Not started during the `require`
 * turn itself: a batcher made in that turn compiles synchronously, and would compile the
 * bytes a second time while the process could not exit before the background job ended
 * (measured: +3.6 ms for `require` + first batcher).
 */
let early: Promise<unknown> | undefined;
// The one WebAssembly API used here (the package's TypeScript lib has no DOM types).
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> };

/** Starts compiling the module in the background, once, unless it is already loaded. */
export function compileEarly(): void {
  if (loaded !== undefined || early !== undefined) return;
  try {
    early = WebAssembly.compile(readFileSync(path.join(PKG, "durable_checkpoint_bg.wasm"))).catch(() => undefined);
  } catch {
    // No module to read: first use reports it.
  }
}

// Unref'd: it never keeps a process alive that has nothing else to do. node:crypto is
// loaded on the same turn (see ./node-crypto).
setImmediate(() => {
  compileEarly();
  nodeCrypto();
}).unref();

/**
 * The core, instantiated on first use rather than at `require` (its compile may have
 * started in the background, see `early`).
 */
export function wasm(): WasmModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(path.join(PKG, "durable_checkpoint.js")) as WasmModule;
  early = undefined;
  return loaded;
}

/** Resolves once the background compile has ended (the async paths wait here rather than block). */
export function wasmCompiled(): Promise<unknown> | undefined {
  return loaded === undefined ? early : undefined;
}
