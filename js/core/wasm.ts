/**
 * Loads the WebAssembly core built by wasm-pack (`pkg/`, `--target nodejs`) and
 * types the part of it this package uses (hand-kept, like automerge's index.d.ts).
 */
import * as path from "node:path";

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
  onFailure(batch: number, failure: unknown, now: number): void;
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
  sortOrderFacts(facts: string, makeError: (...args: never[]) => unknown): Uint32Array;
}

let loaded: WasmModule | undefined;

/**
 * The core, compiled and instantiated on first use rather than at `require`: a
 * handler module that imports the package but takes another path pays nothing.
 */
export function wasm(): WasmModule {
  // dist/cjs/index.js (the bundle) -> pkg/durable_checkpoint.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(path.join(__dirname, "..", "..", "pkg", "durable_checkpoint.js")) as WasmModule;
  return loaded;
}
