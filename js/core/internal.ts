/**
 * The core bundle's entry (dist/cjs/core.bundle.js, see scripts/bundle.mjs): the
 * package's core API and what the durable layer's bundle (dist/cjs/durable.bundle.js)
 * takes from it. Not public: the package's entry (js/index.ts) says what is.
 */
export * from "./batcher";
export * from "./node-crypto";
export * from "./errors";
export * from "./fetch";
export * from "./lambda";
export * from "./transport";
export * from "./wasm";
export * from "./wrapper";
