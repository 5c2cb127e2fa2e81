/**
 * The self-contained pieces of the durable API (no runtime state): errors, serdes,
 * retry and wait strategies, durations, enums, the logger. Re-exported by ./index.
 */
export {};
