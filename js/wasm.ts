/**
 * Loads the WebAssembly core built by wasm-pack (`pkg/`, `--target nodejs`) and
 * types the part of it this package uses (hand-kept, like automerge's index.d.ts).
 */
import * as path from "node:path";

/** The `WasmBatcher` class exported by `src/wasm/bindings.rs`. */
export interface WasmBatcher {
  checkpointFacts(id: string, parentId: string, typeCode: number, actionCode: number, len: number, awaited: boolean): Promise<void> | undefined;
  checkpointText(json: string, awaited: boolean): [canonical: string, done: Promise<void> | undefined];
  poll(): Promise<unknown>;
  finishContext(id: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly checkpointToken: string | undefined;
  stats(): Float64Array;
  free(): void;
}

/**
 * What `send` answers the core with: the next token, the response's operations in
 * the gate's compact form (see `knownOperations`), and the operations themselves
 * (what polls resolve with).
 */
export type SendAnswer = [token: string | undefined, known: string, operations: unknown[]];

interface WasmModule {
  WasmBatcher: new (
    durableExecutionArn: string,
    checkpointToken: string,
    maxBatchSizeBytes: number,
    maxBatchOperations: number,
    maxBatchTimeMs: number,
    window: boolean,
    send: (batch: number, attempt: number, order: Uint32Array, checkpointToken: string, clientToken: string) => Promise<SendAnswer>,
    makeError: (...args: never[]) => unknown,
    onBatch: ((info: unknown) => void) | undefined,
    onError: ((error: unknown) => void) | undefined,
    operations: string | undefined,
    testEnv: object | undefined,
  ) => WasmBatcher;
  sortOrder(json: string, makeError: (...args: never[]) => unknown): Uint32Array;
}

let loaded: WasmModule | undefined;

/**
 * The core, compiled and instantiated on first use rather than at `require`: a
 * handler module that imports the package but takes another path pays nothing.
 */
export function wasm(): WasmModule {
  // dist/cjs/wasm.js -> pkg/durable_checkpoint.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(path.join(__dirname, "..", "..", "pkg", "durable_checkpoint.js")) as WasmModule;
  return loaded;
}
